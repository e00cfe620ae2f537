import { txt } from "../../lib/i18n";
import { PROVIDER_PROFILES } from "../../lib/profiles";
import { isMissing, known, str } from "../../lib/props";
import { defineResourceRule, RuleContext } from "../../lib/rule";
import { isOpenStack, OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    regionsAutorisees: string[];
    regionsUE: string[];
    perimetre: "france" | "ue";
}

export default defineResourceRule<Config>({
    name: "sec-02-localisation-des-donnees",
    needs: ["SEC-02"],
    title: txt("Localisation des données", "Data location"),
    description: txt(
        "La région de chaque ressource OpenStack (`openstack:*`) est autorisée (SecNumCloud 19.2, doctrine « Cloud au centre » : en France par défaut, dans l'UE au plus). " +
            "Région examinée, comme le fournisseur OpenStack la choisit : la propriété `region` de la ressource quand elle est donnée (non vide) ; sinon celle de son fournisseur. Chaque fournisseur est jugé une fois, sur la ressource fournisseur elle-même (`pulumi:providers:openstack` : le fournisseur explicite, ou le fournisseur par défaut que le moteur crée avec `openstack:region` de la configuration de la pile et soumet au pack comme toute ressource) ; les ressources qui en héritent ne sont pas re-signalées une à une : une région mal choisie donne un seul constat. Une ressource est jugée sur sa propre `region` quand elle en donne une autre que celle de son fournisseur (la même région, que le fournisseur recopie dans l'état de chaque ressource, est celle du fournisseur, déjà jugée). Un fournisseur sans région prend `OS_REGION_NAME` de son environnement, ou le premier point d'accès du catalogue : invérifiable, jamais accepté en silence (de même pour une ressource sans région ni fournisseur connu). " +
            "Les régions sont des noms, comparés exactement (casse comprise) : le fournisseur cherche la région par égalité dans le catalogue Keystone ; une variante de casse ne désigne aucune région (le déploiement échoue) et reçoit un message qui donne l'orthographe connue. " +
            "Chaque profil liste ses régions situées en France (`regionsAutorisees`) et dans l'UE hors de France (`regionsUE`) ; le profil par défaut n'en connaît aucune (il ne devine pas où une offre inconnue place une région nommée). Une région de `regionsAutorisees` est acceptée ; une région de `regionsUE` ne l'est qu'avec `perimetre: \"ue\"` (défaut : `france`) ; toute autre région est en défaut, et la correction dit comment la déclarer (configuration ou profil de l'offre, en nommant les profils qui la connaissent).",
        "The region of every OpenStack resource (`openstack:*`) is allowed (SecNumCloud 19.2, \"Cloud au centre\" doctrine: France by default, EU at most). " +
            "Region examined, as the OpenStack provider chooses it: the resource's `region` property when given (not empty); otherwise its provider's. Each provider is judged once, on the provider resource itself (`pulumi:providers:openstack`: the explicit provider, or the default provider the engine creates from `openstack:region` of the stack configuration and submits to the pack like any resource); the resources that inherit its region are not reported again one by one: one badly chosen region gives one finding. A resource is judged on its own `region` when it gives one other than its provider's (the same region, which the provider copies into every resource's state, is the provider's, already judged). A provider without a region takes `OS_REGION_NAME` from its environment, or the catalog's first endpoint: cannot be checked, never silently accepted (likewise a resource with neither a region nor a known provider). " +
            "Regions are names, compared exactly (case included): the provider looks the region up by equality in the Keystone catalog; a case variant names no region (the deployment fails) and gets a message giving the known spelling. " +
            "Each profile lists its regions located in France (`regionsAutorisees`) and in the EU outside France (`regionsUE`); the default profile knows none (it does not guess where an unknown offer puts a named region). A region of `regionsAutorisees` is accepted; a region of `regionsUE` only with `perimetre: \"ue\"` (default: `france`); any other region fails, and the fix says how to declare it (configuration or the offer's profile, naming the profiles that know it).",
    ),
    remediation: txt(
        "Choisir une région de l'offre qualifiée située en France (ou dans l'UE avec `perimetre: \"ue\"`), par la propriété `region` ou la configuration du fournisseur (`openstack:region`) ; déclarer la région dans `regionsAutorisees` quand le profil ne la connaît pas.",
        "Choose a region of the qualified offer located in France (or in the EU with `perimetre: \"ue\"`), through the `region` property or the provider configuration (`openstack:region`); declare the region in `regionsAutorisees` when the profile does not know it.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    config: {
        regionsAutorisees: {
            type: "array",
            items: { type: "string" },
            default: [],
            profileKey: "regions",
            description: txt(
                "Régions de l'offre situées en France, écrites comme le catalogue Keystone les écrit (comparaison exacte).",
                "The offer's regions located in France, written as the Keystone catalog writes them (exact comparison).",
            ),
        },
        regionsUE: {
            type: "array",
            items: { type: "string" },
            default: [],
            profileKey: "euRegions",
            description: txt(
                "Régions de l'offre situées dans l'Union européenne hors de France, acceptées seulement avec `perimetre: \"ue\"`.",
                "The offer's regions located in the European Union outside France, accepted only with `perimetre: \"ue\"`.",
            ),
        },
        perimetre: {
            type: "string",
            enum: ["france", "ue"],
            default: "france",
            description: txt(
                "Périmètre autorisé : `france` (défaut) ou `ue` (France et Union européenne).",
                "Allowed perimeter: `france` (default) or `ue` (France and the European Union).",
            ),
        },
    },
    types: ["openstack:*", OS.provider],
    applies: (type) => isOpenStack(type) || type === OS.provider,
    check(r, ctx) {
        const raw = r.props["region"];
        if (r.type === OS.provider) {
            if (isMissing(raw)) {
                ctx.cannotCheck(msg(
                    m`le fournisseur ne nomme pas de région : il prendra \`OS_REGION_NAME\` de son environnement ou le premier point d'accès du catalogue. Donner \`region\` (fournisseur par défaut : \`openstack:region\`).`,
                    m`the provider names no region: it will take \`OS_REGION_NAME\` from its environment or the catalog's first endpoint. Set \`region\` (default provider: \`openstack:region\`).`,
                ));
            }
            judge(raw, ctx);
            return;
        }
        const p = r.provider && r.provider.type === OS.provider ? r.provider : undefined;
        if (isMissing(raw)) {
            // The provider's region applies: judged once, on the provider resource itself.
            if (p) return;
            ctx.cannotCheck(msg(
                m`ni la ressource ni un fournisseur ne nomment de région : le fournisseur prendra \`OS_REGION_NAME\` ou le premier point d'accès du catalogue. Donner \`openstack:region\` (ou \`region\`).`,
                m`neither the resource nor a provider names a region: the provider will take \`OS_REGION_NAME\` or the catalog's first endpoint. Set \`openstack:region\` (or \`region\`).`,
            ));
        }
        // The provider's own region, set again on the resource (as the provider writes it in the
        // state): the provider resource is judged for it.
        const inherited = p ? known(() => regionText((p.props ?? {})["region"])) : undefined;
        if (inherited !== undefined && regionText(raw) === inherited) return;
        judge(raw, ctx);
    },
});

/** The bridged provider turns a scalar into its text; anything else is unreadable. */
function regionText(raw: unknown): string | undefined {
    return typeof raw === "string" ? raw : typeof raw === "number" || typeof raw === "boolean" ? String(raw) : undefined;
}

function judge(raw: unknown, ctx: RuleContext<Config>): void {
    const region = regionText(raw);
    if (region === undefined) {
        str(raw); // an unknown inside surfaces as "cannot be checked"
        ctx.report({
            property: "region",
            value: raw,
            problem: msg(m`région illisible (un nom est attendu).`, m`unreadable region (a name is expected).`),
        });
        return;
    }
    judgeRegion(region, ctx);
}

/** A list, or « aucune » / "none" when it is empty. */
function listed(values: readonly string[], ctx: RuleContext<Config>): unknown {
    return values.length > 0 ? items(values) : ctx.lang === "fr" ? "aucune" : "none";
}

function judgeRegion(region: string, ctx: RuleContext<Config>): void {
    const property = "region";
    const { regionsAutorisees: france, regionsUE: eu, perimetre } = ctx.config;
    if (france.includes(region)) return;
    if (eu.includes(region)) {
        if (perimetre === "ue") return;
        ctx.report({
            property,
            value: region,
            problem: msg(
                m`région de l'Union européenne hors de France ; le périmètre autorisé est la France (régions : ${listed(france, ctx)}).`,
                m`region in the European Union outside France; the allowed perimeter is France (regions: ${listed(france, ctx)}).`,
            ),
            fix: msg(
                m`choisir une région en France (${listed(france, ctx)}), ou autoriser l'UE si la décision le permet : \`"sec-02-localisation-des-donnees": { "perimetre": "ue" }\`.`,
                m`choose a region in France (${listed(france, ctx)}), or allow the EU if the decision permits it: \`"sec-02-localisation-des-donnees": { "perimetre": "ue" }\`.`,
            ),
        });
        return;
    }
    const allowed = perimetre === "ue" ? [...france, ...eu] : france;
    const spelling = allowed.find((a) => a.toLowerCase() === region.toLowerCase());
    if (spelling !== undefined) {
        ctx.report({
            property,
            value: region,
            problem: msg(
                m`région écrite « ${region} », le profil connaît « ${spelling} » : le fournisseur cherche la région telle quelle dans le catalogue Keystone et n'en trouvera aucune.`,
                m`region written "${region}", the profile knows "${spelling}": the provider looks the region up as written in the Keystone catalog and will find none.`,
            ),
            fix: msg(m`écrire la région « ${spelling} ».`, m`write the region "${spelling}".`),
        });
        return;
    }
    const list = items([...france, region].map((v) => m`"${v}"`), { max: 12 });
    const knownBy = PROVIDER_PROFILES.filter((p) => p.values.regions.includes(region) || p.values.euRegions.includes(region)).map((p) => p.id);
    const profiles = knownBy.length > 0
        ? msg(m` ; le profil ${items(knownBy)} la connaît (\`"cloud-de-confiance": { "profil": … }\`)`, m`; profile ${items(knownBy)} knows it (\`"cloud-de-confiance": { "profil": … }\`)`)
        : msg(m``, m``);
    ctx.report({
        property,
        value: region,
        problem: msg(
            m`région inconnue du profil « ${ctx.settings.profil} » : sa localisation n'est pas établie (régions connues en France : ${listed(france, ctx)}).`,
            m`region unknown to profile "${ctx.settings.profil}": its location is not established (known regions in France: ${listed(france, ctx)}).`,
        ),
        fix: msg(
            m`choisir une région connue, ou, si « ${region} » est une région de l'offre située en France, l'ajouter aux régions déclarées : \`"sec-02-localisation-des-donnees": { "regionsAutorisees": [${list}] }\` (\`regionsUE\` pour une région de l'UE hors de France), ou choisir le profil de l'offre${profiles.fr}.`,
            m`choose a known region, or, if "${region}" is a region of the offer located in France, add it to the declared regions: \`"sec-02-localisation-des-donnees": { "regionsAutorisees": [${list}] }\` (\`regionsUE\` for an EU region outside France), or choose the offer's profile${profiles.en}.`,
        ),
    });
}
