import { txt } from "../../lib/i18n";
import type * as OsSecurity from "../../lib/os-security";
import type { Endpoint } from "../../lib/openstack-provider";
import type * as OpenstackProvider from "../../lib/openstack-provider";
import { rec, str, strings } from "../../lib/props";
import { defineResourceRule, RuleContext } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const osSecurity = lazy(() => require("../../lib/os-security") as typeof OsSecurity);
const openstackProvider = lazy(() => require("../../lib/openstack-provider") as typeof OpenstackProvider);

interface Offer {
    nom: string;
    authUrl: string;
    regions: string[];
}

interface Config {
    offresQualifiees: Offer[];
    exigerHttps: boolean;
    exigerRegion: boolean;
}

interface DeclaredOffer {
    nom: string;
    endpoint: Endpoint;
    regions: string[];
}

/** Declared offers whose endpoint parses, skipping malformed entries (the schema refuses them at Configure). */
function offers(config: Config): DeclaredOffer[] {
    const out: DeclaredOffer[] = [];
    for (const o of config.offresQualifiees) {
        const r = rec(o);
        const authUrl = r ? str(r["authUrl"]) : undefined;
        const endpoint = authUrl ? openstackProvider().parseEndpoint(authUrl) : undefined;
        if (!r || !authUrl || !endpoint) continue;
        out.push({ nom: str(r["nom"]) ?? osSecurity().redactUrl(authUrl), endpoint, regions: strings(r["regions"]) });
    }
    return out;
}

/** A URL (or its start) as JSON Schema `pattern`: a scheme, no backslash, space or regular-expression operator. */
const URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://[^\\s\\\\^$*|(){}]+$";

export default defineResourceRule<Config>({
    name: "sec-01-offre-qualifiee",
    needs: ["SEC-01"],
    title: txt("Offre qualifiée", "Qualified offer"),
    description: txt(
        "Le point d'accès (`authUrl`) et la région (`region`) des fournisseurs OpenStack appartiennent à une offre SecNumCloud déclarée. " +
            "Chaque fournisseur est jugé une fois, sur la ressource fournisseur elle-même (`pulumi:providers:openstack`) : le fournisseur explicite d'un programme, et le fournisseur par défaut (nom `default…`) que le moteur Pulumi crée avec la configuration de la pile (`openstack:authUrl`, `openstack:region`, `openstack:insecure`…, les valeurs secrètes restant secrètes) et qu'il soumet au pack comme toute ressource. Les ressources qui utilisent un fournisseur ne sont pas re-signalées : une erreur de configuration donne un seul constat. " +
            "Lecture des valeurs, comme le fournisseur les lit : `authUrl` est une URL lue comme gophercloud la lit (schéma, hôte sans casse ni point final, port — celui du schéma quand il n'est pas écrit —, chemin de base coupé avant le premier segment de version `v3`, `v2.0`, barre finale comprise) ; identifiants (`utilisateur:mot-de-passe@`), requête et fragment ne désignent rien. `insecure` est lu comme le pont Terraform puis le SDK Terraform le lisent : un booléen tel quel ; un nombre vrai sauf 0 ; un texte décodé en JSON (\"true\", \"false\", \"1\" ; le texte vide vaut false), une chaîne JSON lue par `strconv.ParseBool` de Go (`\"True\"`, `\"t\"`…) ; toute autre valeur est refusée par le fournisseur, et signalée illisible. " +
            "Toujours (`exigerHttps`, défaut vrai) : `authUrl`, quand il est donné, est en https, et chaque valeur non vide de `endpointOverrides` aussi (les jetons y circulent) ; `insecure` vrai (vérification TLS désactivée) est refusé. La région est explicite (`exigerRegion`, défaut vrai : sans elle, la localisation ne peut pas être vérifiée, voir SEC-02). " +
            "Quand `offresQualifiees` déclare des offres (`authUrl` : l'URL du service d'identité de l'offre, `regions` : ses noms de région) : `authUrl` doit être donné et désigner le service d'identité d'une offre (même hôte, même port, même chemin de base : la version d'API et la casse de l'hôte n'y changent rien ; un `http://` vers l'hôte de l'offre est signalé une seule fois, comme point d'accès sans TLS), et la région être l'une des régions de cette offre, comparées exactement comme le catalogue Keystone les compare. Liste vide (défaut) : l'appartenance à une offre n'est pas vérifiée, et un `authUrl` absent (fourni par `OS_AUTH_URL` ou clouds.yaml, invisibles pour la politique) est accepté. " +
            "Les identifiants (mot de passe, jeton, secret d'identifiant applicatif) ne sont jamais lus ni affichés ; l'URL est affichée sans partie `utilisateur:mot-de-passe@` ni requête.",
        "The endpoint (`authUrl`) and region (`region`) of OpenStack providers belong to a declared SecNumCloud offer. " +
            "Each provider is judged once, on the provider resource itself (`pulumi:providers:openstack`): a program's explicit provider, and the default provider (named `default…`) that the Pulumi engine creates from the stack configuration (`openstack:authUrl`, `openstack:region`, `openstack:insecure`…, secret values staying secret) and submits to the pack like any resource. Resources that use a provider are not reported again: one configuration mistake gives one finding. " +
            "Values are read as the provider reads them: `authUrl` is a URL read as gophercloud reads it (scheme, host regardless of case and of a final dot, port — the scheme's when none is written —, base path cut before its first version segment `v3`, `v2.0`, trailing slash included); credentials (`user:password@`), query and fragment designate nothing. `insecure` is read as the Terraform bridge then the Terraform SDK read it: a boolean as such; a number true unless 0; a text decoded as JSON (\"true\", \"false\", \"1\"; the empty text is false), a JSON string read by Go's `strconv.ParseBool` (`\"True\"`, `\"t\"`…); any other value is refused by the provider, and reported unreadable. " +
            "Always (`exigerHttps`, default true): `authUrl`, when given, uses https, and so does every non-empty value of `endpointOverrides` (tokens travel there); a true `insecure` (TLS verification disabled) is refused. The region is explicit (`exigerRegion`, default true: without it, location cannot be verified, see SEC-02). " +
            "When `offresQualifiees` declares offers (`authUrl`: the URL of the offer's identity service, `regions`: its region names): `authUrl` must be given and designate an offer's identity service (same host, same port, same base path: the API version and the host's case change nothing; an `http://` URL of the offer's host is reported once, as an endpoint without TLS), and the region be one of that offer's regions, compared exactly as the Keystone catalog compares them. Empty list (default): offer membership is not checked, and a missing `authUrl` (given by `OS_AUTH_URL` or clouds.yaml, invisible to the policy) is accepted. " +
            "Credentials (password, token, application-credential secret) are never read nor shown; the URL is shown without any `user:password@` part or query.",
    ),
    remediation: txt(
        "Configurer le fournisseur sur le point d'accès https et une région de l'offre qualifiée (fournisseur par défaut : `pulumi config set openstack:authUrl …`, `openstack:region …` ; fournisseur explicite : ses arguments `authUrl`, `region`), sans `insecure`, et déclarer l'offre dans `offresQualifiees`.",
        "Point the provider at the qualified offer's https endpoint and one of its regions (default provider: `pulumi config set openstack:authUrl …`, `openstack:region …`; explicit provider: its `authUrl`, `region` arguments), without `insecure`, and declare the offer in `offresQualifiees`.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    config: {
        offresQualifiees: {
            type: "array",
            items: {
                type: "object",
                properties: {
                    nom: { type: "string" },
                    authUrl: { type: "string", pattern: URL_PATTERN },
                    regions: { type: "array", items: { type: "string" } },
                },
                required: ["authUrl"],
            },
            default: [],
            description: txt(
                "Offres SecNumCloud déclarées : `{ nom, authUrl, regions }`, `authUrl` étant l'URL du service d'identité (Keystone) de l'offre, par exemple `https://auth.cloud.example.fr/v3` (une URL, pas une expression régulière), et `regions` les noms de ses régions, écrits comme le catalogue Keystone les écrit. Vide : seules les exigences générales (https, région explicite) s'appliquent.",
                "Declared SecNumCloud offers: `{ nom, authUrl, regions }`, `authUrl` being the URL of the offer's identity service (Keystone), for example `https://auth.cloud.example.fr/v3` (a URL, not a regular expression), and `regions` its region names, written as the Keystone catalog writes them. Empty: only the general requirements (https, explicit region) apply.",
            ),
        },
        exigerHttps: {
            type: "boolean",
            default: true,
            description: txt(
                "Exiger un `authUrl` (et des `endpointOverrides`) en https et refuser `insecure` vrai.",
                "Require an https `authUrl` (and `endpointOverrides`) and refuse a true `insecure`.",
            ),
        },
        exigerRegion: {
            type: "boolean",
            default: true,
            description: txt("Exiger une région explicite dans la configuration du fournisseur.", "Require an explicit region in the provider configuration."),
        },
    },
    types: [OS.provider],
    check(r, ctx) {
        checkProvider(r.props, r.name, ctx);
    },
});

function checkProvider(props: Record<string, unknown>, name: string, ctx: RuleContext<Config>): void {
    const dflt = osSecurity().isDefaultProviderName(name);
    // A default provider's properties are the stack configuration's `openstack:` keys.
    const where = (key: string): Message =>
        dflt
            ? msg(m`configuration de la pile \`openstack:${key}\` : `, m`stack configuration \`openstack:${key}\`: `)
            : msg(m``, m``);
    const say = (property: string, value: unknown, problem: Message, fix?: Message) => {
        const w = where(property.split(".")[0]);
        ctx.report({ property, value, problem: msg(m`${w.fr}${problem.fr}`, m`${w.en}${problem.en}`), fix });
    };
    const rawUrl = props["authUrl"];
    const url = str(rawUrl);
    const endpoint = url ? openstackProvider().parseEndpoint(url) : undefined;
    const rawRegion = props["region"];
    const region = str(rawRegion);
    const declared = offers(ctx.config);

    if (url && !endpoint) {
        say("authUrl", osSecurity().redactUrl(url), msg(
            m`point d'accès illisible : une URL \`https://hôte[:port]/chemin\` est attendue (le fournisseur ne peut pas s'y connecter).`,
            m`unreadable endpoint: a URL \`https://host[:port]/path\` is expected (the provider cannot connect to it).`,
        ));
    }
    if (ctx.config.exigerHttps) {
        if (endpoint && endpoint.scheme !== "https") {
            say("authUrl", osSecurity().redactUrl(url!), msg(
                m`point d'accès en « ${endpoint.scheme} », sans TLS : les identifiants circulent en clair.`,
                m`endpoint over "${endpoint.scheme}", without TLS: credentials travel in clear.`,
            ));
        }
        const overrides = openstackProvider().configMap(props["endpointOverrides"]) ?? {};
        for (const service of Object.keys(overrides)) {
            const v = str(overrides[service]);
            if (!v) continue;
            const e = openstackProvider().parseEndpoint(v);
            if (e && e.scheme === "https") continue;
            say(`endpointOverrides.${service}`, osSecurity().redactUrl(v), e
                ? msg(m`point d'accès du service « ${service} » en « ${e.scheme} », sans TLS : les jetons circulent en clair.`, m`endpoint of service "${service}" over "${e.scheme}", without TLS: tokens travel in clear.`)
                : msg(m`point d'accès du service « ${service} » illisible : une URL https est attendue.`, m`unreadable endpoint of service "${service}": an https URL is expected.`));
        }
        const insecure = openstackProvider().configBool(props["insecure"]);
        if (insecure && !insecure.ok) {
            say("insecure", props["insecure"], msg(
                m`valeur illisible : un booléen est attendu (\`true\` ou \`false\`) ; le fournisseur la refuse.`,
                m`unreadable value: a boolean is expected (\`true\` or \`false\`); the provider refuses it.`,
            ));
        } else if (insecure?.value === true) {
            say("insecure", props["insecure"], msg(
                m`la vérification du certificat TLS du point d'accès est désactivée.`,
                m`TLS certificate verification of the endpoint is disabled.`,
            ));
        }
    }
    if (ctx.config.exigerRegion && !region) {
        say("region", rawRegion === undefined ? undefined : rawRegion, msg(
            m`région absente : la localisation des ressources ne peut pas être vérifiée.`,
            m`no region: the location of resources cannot be verified.`,
        ));
    }
    if (declared.length === 0) return;
    const names = items(declared.map((o) => o.nom));
    if (!url) {
        say("authUrl", rawUrl === undefined ? undefined : rawUrl, msg(
            m`point d'accès absent de la configuration : l'appartenance à une offre qualifiée (${names}) ne peut pas être vérifiée.`,
            m`endpoint missing from the configuration: membership of a qualified offer (${names}) cannot be verified.`,
        ));
        return;
    }
    if (!endpoint) return; // already reported unreadable
    const offer = declared.find((o) => openstackProvider().sameService(endpoint, o.endpoint));
    if (!offer) {
        say("authUrl", osSecurity().redactUrl(url), msg(
            m`point d'accès hors des offres qualifiées déclarées (${names}) : hôte « ${endpoint.host} », port ${endpoint.port ?? "par défaut"}, chemin « ${endpoint.basePath} ».`,
            m`endpoint outside the declared qualified offers (${names}): host "${endpoint.host}", port ${endpoint.port ?? "default"}, path "${endpoint.basePath}".`,
        ));
        return;
    }
    if (region && offer.regions.length > 0 && !offer.regions.includes(region)) {
        say("region", region, msg(
            m`région hors de l'offre « ${offer.nom} » (régions : ${items(offer.regions)}) ; le catalogue Keystone compare les noms exactement.`,
            m`region outside offer "${offer.nom}" (regions: ${items(offer.regions)}); the Keystone catalog compares names exactly.`,
        ));
    }
}
