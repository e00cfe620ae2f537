import { txt } from "../../lib/i18n";
import { matchesAny } from "../../lib/profiles";
import { str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { OS, OS_VOLUMES } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    zonesAutorisees: string[];
    repartiteursRegionaux: boolean;
}

export default defineResourceRule<Config>({
    name: "res-02-zone-explicite",
    needs: ["RES-02"],
    title: txt("Zone explicite et autorisée", "Explicit, allowed availability zone"),
    description: txt(
        "Chaque ressource zonale (instance, volume, partage de fichiers, répartiteur de charge zonal) nomme sa zone de disponibilité, et cette zone appartient au profil du fournisseur. Sans zone explicite, le fournisseur choisit : la répartition multi-zones (RES-01, RES-03, RES-05) n'est plus maîtrisée. Une liste de zones vide accepte toute zone explicite. Décision pour les répartiteurs Octavia (`LoadBalancer`), où le besoin et le fournisseur divergent : Octavia lit `availabilityZone` comme une zone Octavia dont le profil donne une seule zone de calcul, où il place toutes les amphores du répartiteur (active et de secours) ; un répartiteur avec zone tombe donc avec sa zone. Sans zone, Octavia applique le placement de l'opérateur, qui sur certaines offres répartit les amphores sur plusieurs zones (répartiteur régional). Quand le profil ou la configuration déclare ces répartiteurs régionaux (`repartiteursRegionaux`, profil OVHcloud : vrai), un répartiteur sans zone est conforme et un répartiteur avec zone est en défaut (il épingle ses amphores dans une seule zone). Sinon (profil par défaut), le placement sans zone est inconnu : un répartiteur sans zone est en défaut, et un répartiteur épinglé ne survit à la perte de sa zone qu'avec un autre répartiteur dans une autre zone.",
        "Every zonal resource (instance, volume, file share, zonal load balancer) names its availability zone, and that zone belongs to the provider profile. Without an explicit zone the provider chooses, and multi-zone placement (RES-01, RES-03, RES-05) is no longer under control. An empty zone list accepts any explicit zone. Decision for Octavia load balancers (`LoadBalancer`), where the need and the provider disagree: Octavia reads `availabilityZone` as an Octavia availability zone whose profile gives a single compute zone, where it places every amphora of the load balancer (active and standby); a load balancer with a zone thus falls with its zone. Without a zone, Octavia applies the operator's placement, which on some offers spreads the amphorae over several zones (regional load balancer). When the profile or the configuration declares such regional load balancers (`repartiteursRegionaux`, OVHcloud profile: true), a load balancer without a zone is compliant and one with a zone fails (it pins its amphorae in a single zone). Otherwise (default profile), placement without a zone is unknown: a load balancer without a zone fails, and a pinned one survives the loss of its zone only with another load balancer in another zone.",
    ),
    remediation: txt(
        "Renseigner `availabilityZone` avec une zone du profil du fournisseur (par exemple eu-west-par-a) ; pour un répartiteur sur une offre aux répartiteurs régionaux, retirer `availabilityZone`.",
        "Set `availabilityZone` to a zone of the provider profile (for example eu-west-par-a); for a load balancer on an offer with regional load balancers, remove `availabilityZone`.",
    ),
    severity: "medium",
    enforcementLevel: "mandatory",
    config: {
        zonesAutorisees: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: [],
            profileKey: "zones",
            description: txt(
                "Zones de disponibilité autorisées (expressions régulières sur le nom entier) ; vide : toute zone explicite.",
                "Allowed availability zones (regular expressions on the whole name); empty: any explicit zone.",
            ),
        },
        repartiteursRegionaux: {
            type: "boolean",
            default: false,
            profileKey: "regionalLoadBalancers",
            description: txt(
                "L'offre répartit les amphores d'un répartiteur créé sans zone sur plusieurs zones : un répartiteur sans zone est alors conforme, un répartiteur avec zone en défaut.",
                "The offer spreads the amphorae of a load balancer created without a zone over several zones: a load balancer without a zone is then compliant, one with a zone fails.",
            ),
        },
    },
    types: [OS.instance, ...OS_VOLUMES, OS.loadBalancer, OS.share],
    check(r, ctx) {
        const zone = str(r.props["availabilityZone"]);
        const allowed = ctx.config.zonesAutorisees;
        const missing = !zone || zone.trim() === "";
        if (r.type === OS.loadBalancer && ctx.config.repartiteursRegionaux) {
            if (missing) return;
            ctx.report({
                property: "availabilityZone",
                value: zone,
                problem: msg(
                    m`le répartiteur est épinglé dans une seule zone : Octavia y place toutes ses amphores (active et de secours), et la perte de cette zone l'arrête ; l'offre répartit sur plusieurs zones un répartiteur créé sans zone.`,
                    m`the load balancer is pinned to a single zone: Octavia places all its amphorae (active and standby) there, and the loss of that zone stops it; the offer spreads a load balancer created without a zone over several zones.`,
                ),
                fix: msg(m`retirer \`availabilityZone\` (répartiteur régional).`, m`remove \`availabilityZone\` (regional load balancer).`),
            });
            return;
        }
        if (missing) {
            const lb = r.type === OS.loadBalancer;
            ctx.report({
                property: "availabilityZone",
                value: r.props["availabilityZone"],
                problem: lb
                    ? msg(
                          m`aucune zone de disponibilité explicite : Octavia place les amphores selon la configuration de l'opérateur, que le profil ne connaît pas.`,
                          m`no explicit availability zone: Octavia places the amphorae as the operator configured it, which the profile does not know.`,
                      )
                    : msg(m`aucune zone de disponibilité explicite.`, m`no explicit availability zone.`),
                fix: lb
                    ? msg(
                          m`choisir une zone${allowed.length ? m` parmi : ${items(allowed)}` : m``} (avec un répartiteur par zone), ou déclarer \`repartiteursRegionaux\` quand l'offre répartit ses répartiteurs sur plusieurs zones.`,
                          m`choose a zone${allowed.length ? m` among: ${items(allowed)}` : m``} (with one load balancer per zone), or declare \`repartiteursRegionaux\` when the offer spreads its load balancers over several zones.`,
                      )
                    : allowed.length
                      ? msg(m`choisir une zone parmi : ${items(allowed)}.`, m`choose a zone among: ${items(allowed)}.`)
                      : undefined,
            });
        } else if (allowed.length > 0 && !matchesAny(zone, allowed)) {
            ctx.report({
                property: "availabilityZone",
                value: zone,
                problem: msg(m`zone absente du profil du fournisseur.`, m`zone not in the provider profile.`),
                fix: msg(m`choisir une zone parmi : ${items(allowed)}.`, m`choose a zone among: ${items(allowed)}.`),
            });
        }
    },
});
