import { txt } from "../../lib/i18n";
import { findAny } from "../../lib/os-security";
import { matchesAny } from "../../lib/profiles";
import { str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { isOpenStack, OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    regionsAutorisees: string[];
    regionsInterdites: string[];
}

export default defineResourceRule<Config>({
    name: "sec-02-localisation-des-donnees",
    needs: ["SEC-02"],
    title: txt("Localisation des données", "Data location"),
    description: txt(
        "La région de chaque ressource OpenStack (`openstack:*`) est autorisée (SecNumCloud 19.2, doctrine « Cloud au centre » : en France par défaut, dans l'UE au plus). La région examinée est la propriété `region` de la ressource ; à défaut, celle de son fournisseur (explicite ou par défaut) ; sans l'une ni l'autre, la ressource est acceptée (la région explicite du fournisseur est exigée par SEC-01). Quand `regionsAutorisees` (profil du fournisseur) n'est pas vide, la région doit correspondre à l'un de ses motifs (expression régulière sur la valeur entière, sans casse). Quand elle est vide (profil par défaut), toute région est acceptée sauf celles qui nomment clairement un lieu hors UE : motifs `regionsInterdites` recherchés dans la valeur, sans casse (préfixes `us-`, `ap-`, `ca-`…, régions OVHcloud BHS, SGP, SYD, YNM, UK, US, villes et états hors UE). Les ressources fournisseur elles-mêmes ne sont pas examinées ici : leur région l'est à travers chaque ressource qui en hérite.",
        "The region of every OpenStack resource (`openstack:*`) is allowed (SecNumCloud 19.2, \"Cloud au centre\" doctrine: France by default, EU at most). The region checked is the resource's `region` property; failing that, its provider's (explicit or default); with neither, the resource is accepted (SEC-01 requires an explicit provider region). When `regionsAutorisees` (provider profile) is not empty, the region must match one of its patterns (regular expression on the whole value, case-insensitive). When it is empty (default profile), any region is accepted except those that clearly name a place outside the EU: `regionsInterdites` patterns searched in the value, case-insensitive (prefixes `us-`, `ap-`, `ca-`…, OVHcloud regions BHS, SGP, SYD, YNM, UK, US, non-EU cities and states). Provider resources themselves are not checked here: their region is, through every resource that inherits it.",
    ),
    remediation: txt(
        "Choisir une région de l'offre qualifiée située en France (ou dans l'UE), par la propriété `region` ou la configuration du fournisseur (`openstack:region`).",
        "Choose a region of the qualified offer located in France (or the EU), through the `region` property or the provider configuration (`openstack:region`).",
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
                "Régions autorisées (expressions régulières sur la valeur entière, sans casse). Vide : toute région qui ne correspond pas à `regionsInterdites`.",
                "Allowed regions (regular expressions on the whole value, case-insensitive). Empty: any region that does not match `regionsInterdites`.",
            ),
        },
        regionsInterdites: {
            type: "array",
            items: { type: "string" },
            default: [
                "^(us|ap|sa|ca|me|af|cn|il|mx)-",
                "^(bhs|sgp|syd|ynm|uk|us|hil|vin|ca|au|sg|in)[0-9-]",
                "virginia|oregon|ohio|california|montreal|toronto|beauharnois|tokyo|osaka|seoul|singapore|sydney|mumbai|hong[-_ ]?kong|sao[-_ ]?paulo|london",
            ],
            description: txt(
                "Motifs de régions hors UE (recherchés dans la valeur, sans casse), appliqués seulement quand `regionsAutorisees` est vide.",
                "Patterns of non-EU regions (searched in the value, case-insensitive), applied only when `regionsAutorisees` is empty.",
            ),
        },
    },
    types: ["openstack:*"],
    applies: (type) => isOpenStack(type) && type !== OS.provider,
    check(r, ctx) {
        let region = str(r.props["region"])?.trim();
        let property = "region";
        let inherited = false;
        if (!region) {
            const p = r.provider;
            if (!p || p.type !== OS.provider) return;
            region = str((p.props ?? {})["region"])?.trim();
            if (!region) return;
            property = "provider.region";
            inherited = true;
        }
        const from = inherited
            ? msg(m` (héritée du fournisseur « ${r.provider?.name} »)`, m` (inherited from provider "${r.provider?.name}")`)
            : msg(m``, m``);
        const allowed = ctx.config.regionsAutorisees;
        if (allowed.length > 0) {
            if (!matchesAny(region, allowed)) {
                ctx.report({
                    property,
                    value: region,
                    problem: msg(
                        m`région non autorisée${from.fr} ; régions autorisées : ${items(allowed)}.`,
                        m`region not allowed${from.en}; allowed regions: ${items(allowed)}.`,
                    ),
                });
            }
            return;
        }
        const hit = findAny(region, ctx.config.regionsInterdites);
        if (hit) {
            ctx.report({
                property,
                value: region,
                problem: msg(
                    m`région située hors de l'Union européenne${from.fr} (motif « ${hit} »).`,
                    m`region located outside the European Union${from.en} (pattern "${hit}").`,
                ),
            });
        }
    },
});
