import { txt } from "../../lib/i18n";
import { isDefaultProviderName, redactUrl } from "../../lib/os-security";
import { matchesAny } from "../../lib/profiles";
import { bool, rec, str, strings } from "../../lib/props";
import { defineResourceRule, RuleContext } from "../../lib/rule";
import { isOpenStack, OS } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";

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

/** Declared offers, skipping malformed entries. */
function offers(config: Config): Offer[] {
    const out: Offer[] = [];
    for (const o of config.offresQualifiees) {
        const r = rec(o);
        const authUrl = r ? str(r["authUrl"]) : undefined;
        if (!r || !authUrl) continue;
        out.push({ nom: str(r["nom"]) ?? authUrl, authUrl, regions: strings(r["regions"]) });
    }
    return out;
}

export default defineResourceRule<Config>({
    name: "sec-01-offre-qualifiee",
    needs: ["SEC-01"],
    title: txt("Offre qualifiée", "Qualified offer"),
    description: txt(
        "Le point d'accès (`authUrl`) et la région (`region`) des fournisseurs OpenStack appartiennent à une offre SecNumCloud déclarée. Sont examinés : les ressources fournisseur explicites (`pulumi:providers:openstack`), et, pour chaque ressource OpenStack, son fournisseur par défaut (nom `default…`, propriétés issues de la configuration de la pile `openstack:authUrl`, `openstack:region`) ; une ressource qui utilise un fournisseur explicite n'est pas re-signalée (le fournisseur l'est lui-même). Toujours : `authUrl`, quand il est donné, est en https ; `insecure: true` (vérification TLS désactivée) est refusé ; la région est explicite (sans elle, la localisation ne peut pas être vérifiée, voir SEC-02). Quand `offresQualifiees` déclare des offres : `authUrl` doit être donné et correspondre au motif d'une offre (expression régulière sur l'URL entière, sans casse), et la région à l'un des motifs de région de cette offre. Liste vide (défaut) : l'appartenance à une offre n'est pas vérifiée, et un `authUrl` absent (fourni par les variables `OS_AUTH_URL` ou clouds.yaml, invisibles pour la politique) est accepté. Les identifiants (mot de passe, jeton, secret d'identifiant applicatif) ne sont jamais lus ni affichés ; l'URL est affichée sans partie `utilisateur:mot-de-passe@`.",
        "The endpoint (`authUrl`) and region (`region`) of OpenStack providers belong to a declared SecNumCloud offer. Inspected: explicit provider resources (`pulumi:providers:openstack`) and, for every OpenStack resource, its default provider (named `default…`, properties from the stack configuration `openstack:authUrl`, `openstack:region`); a resource that uses an explicit provider is not reported again (the provider itself is). Always: `authUrl`, when given, uses https; `insecure: true` (TLS verification disabled) is refused; the region is explicit (without it, location cannot be verified, see SEC-02). When `offresQualifiees` declares offers: `authUrl` must be given and match an offer's pattern (regular expression on the whole URL, case-insensitive), and the region one of that offer's region patterns. Empty list (default): offer membership is not checked, and a missing `authUrl` (given by `OS_AUTH_URL` or clouds.yaml, invisible to the policy) is accepted. Credentials (password, token, application-credential secret) are never read nor shown; the URL is shown without any `user:password@` part.",
    ),
    remediation: txt(
        "Configurer le fournisseur sur le point d'accès https et une région de l'offre qualifiée (`pulumi config set openstack:authUrl …`, `openstack:region …`), et déclarer l'offre dans `offresQualifiees` (ou le profil du fournisseur).",
        "Point the provider at the qualified offer's https endpoint and one of its regions (`pulumi config set openstack:authUrl …`, `openstack:region …`), and declare the offer in `offresQualifiees` (or the provider profile).",
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
                    authUrl: { type: "string" },
                    regions: { type: "array", items: { type: "string" } },
                },
                required: ["authUrl"],
            },
            default: [],
            description: txt(
                "Offres SecNumCloud déclarées : `{ nom, authUrl, regions }`, `authUrl` et `regions` étant des expressions régulières (valeur entière, sans casse). Vide : seules les exigences générales (https, région explicite) s'appliquent.",
                "Declared SecNumCloud offers: `{ nom, authUrl, regions }`, `authUrl` and `regions` being regular expressions (whole value, case-insensitive). Empty: only the general requirements (https, explicit region) apply.",
            ),
        },
        exigerHttps: {
            type: "boolean",
            default: true,
            description: txt("Exiger un `authUrl` en https et refuser `insecure: true`.", "Require an https `authUrl` and refuse `insecure: true`."),
        },
        exigerRegion: {
            type: "boolean",
            default: true,
            description: txt("Exiger une région explicite dans la configuration du fournisseur.", "Require an explicit region in the provider configuration."),
        },
    },
    types: [OS.provider, "openstack:* (fournisseur par défaut)"],
    applies: (type) => type === OS.provider || isOpenStack(type),
    check(r, ctx) {
        if (r.type === OS.provider) return checkProvider(r.props, "", undefined, ctx);
        const p = r.provider;
        if (!p || p.type !== OS.provider || !isDefaultProviderName(p.name)) return;
        checkProvider(p.props ?? {}, "provider.", p.name, ctx);
    },
});

function checkProvider(props: Record<string, unknown>, prefix: string, providerName: string | undefined, ctx: RuleContext<Config>): void {
    const via = providerName
        ? msg(m` (fournisseur par défaut « ${providerName} », configuration de la pile)`, m` (default provider "${providerName}", stack configuration)`)
        : msg(m``, m``);
    const say = (property: string, value: unknown, problem: Message, fix?: Message) =>
        ctx.report({ property: prefix + property, value, problem: msg(m`${problem.fr}${via.fr}`, m`${problem.en}${via.en}`), fix });
    const rawUrl = props["authUrl"];
    const url = str(rawUrl)?.trim();
    const rawRegion = props["region"];
    const region = str(rawRegion)?.trim();
    const declared = offers(ctx.config);

    if (ctx.config.exigerHttps) {
        if (url && !/^https:\/\//i.test(url)) {
            say("authUrl", redactUrl(url), msg(m`point d'accès sans TLS (http) : les identifiants circulent en clair.`, m`endpoint without TLS (http): credentials travel in clear.`));
        }
        if (bool(props["insecure"]) === true) {
            say("insecure", true, msg(m`la vérification du certificat TLS du point d'accès est désactivée.`, m`TLS certificate verification of the endpoint is disabled.`));
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
    const offer = declared.find((o) => matchesAny(url, [o.authUrl]));
    if (!offer) {
        say("authUrl", redactUrl(url), msg(
            m`point d'accès hors des offres qualifiées déclarées (${names}).`,
            m`endpoint outside the declared qualified offers (${names}).`,
        ));
        return;
    }
    if (region && offer.regions.length > 0 && !matchesAny(region, offer.regions)) {
        say("region", region, msg(
            m`région hors de l'offre « ${offer.nom} » (régions : ${items(offer.regions)}).`,
            m`region outside offer "${offer.nom}" (regions: ${items(offer.regions)}).`,
        ));
    }
}
