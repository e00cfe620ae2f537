import { txt } from "../../lib/i18n";
import { matchesAny } from "../../lib/profiles";
import { str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { OS, OS_VOLUMES } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

export default defineResourceRule<{ zonesAutorisees: string[] }>({
    name: "res-02-zone-explicite",
    needs: ["RES-02"],
    title: txt("Zone explicite et autorisée", "Explicit, allowed availability zone"),
    description: txt(
        "Chaque ressource zonale (instance, volume, répartiteur de charge, partage de fichiers) nomme sa zone de disponibilité, et cette zone appartient au profil du fournisseur. Sans zone explicite, le fournisseur choisit : la répartition multi-zones (RES-01, RES-03, RES-05) n'est plus maîtrisée. Une liste de zones vide accepte toute zone explicite.",
        "Every zonal resource (instance, volume, load balancer, file share) names its availability zone, and that zone belongs to the provider profile. Without an explicit zone the provider chooses, and multi-zone placement (RES-01, RES-03, RES-05) is no longer under control. An empty zone list accepts any explicit zone.",
    ),
    remediation: txt(
        "Renseigner `availabilityZone` avec une zone du profil du fournisseur (par exemple eu-west-par-a).",
        "Set `availabilityZone` to a zone of the provider profile (for example eu-west-par-a).",
    ),
    severity: "medium",
    enforcementLevel: "mandatory",
    config: {
        zonesAutorisees: {
            type: "array",
            items: { type: "string" },
            default: [],
            profileKey: "zones",
            description: txt(
                "Zones de disponibilité autorisées (expressions régulières sur le nom entier) ; vide : toute zone explicite.",
                "Allowed availability zones (regular expressions on the whole name); empty: any explicit zone.",
            ),
        },
    },
    types: [OS.instance, ...OS_VOLUMES, OS.loadBalancer, OS.share],
    check(r, ctx) {
        const zone = str(r.props["availabilityZone"]);
        const allowed = ctx.config.zonesAutorisees;
        if (!zone || zone.trim() === "") {
            ctx.report({
                property: "availabilityZone",
                value: r.props["availabilityZone"],
                problem: msg(m`aucune zone de disponibilité explicite.`, m`no explicit availability zone.`),
                fix: allowed.length
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
