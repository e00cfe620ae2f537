import { list } from "../../lib/format";
import { txt } from "../../lib/i18n";
import { serviceGroups, zoneOf } from "../../lib/resilience";
import { defineStackRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    zonesMin: number;
    cleService: string;
}

export default defineStackRule<Config>({
    name: "res-01-repartition-multi-zones",
    needs: ["RES-01"],
    title: txt("Répartition multi-zones", "Multi-zone distribution"),
    description: txt(
        "Les instances d'un même service occupent au moins deux zones de disponibilité (trois recommandées). Un service regroupe les instances qui portent la même valeur d'étiquette `service` (étiquette OpenStack `service=…` ou métadonnée `service`) ; à défaut, celles d'un même composant parent ; à défaut, l'instance forme seule son service. Un service d'une seule instance est donc en défaut : il n'a pas de redondance. Une instance sans zone explicite ne compte pour aucune zone (voir RES-02).",
        "The instances of one service span at least two availability zones (three recommended). A service groups the instances that carry the same `service` value (OpenStack tag `service=…` or `service` metadata); failing that, those under the same parent component; failing that, an instance is a service on its own. A single-instance service therefore fails: it has no redundancy. An instance without an explicit zone counts for no zone (see RES-02).",
    ),
    remediation: txt(
        "Déployer les instances du service dans plusieurs zones (`availabilityZone`), par exemple une par zone du profil, derrière un répartiteur de charge.",
        "Spread the service's instances over several zones (`availabilityZone`), for example one per zone of the profile, behind a load balancer.",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        zonesMin: {
            type: "integer",
            minimum: 1,
            default: 2,
            description: txt("Nombre minimal de zones distinctes par service.", "Minimum number of distinct zones per service."),
        },
        cleService: {
            type: "string",
            default: "service",
            description: txt("Clé d'étiquette ou de métadonnée qui nomme le service d'une instance.", "Tag or metadata key that names an instance's service."),
        },
    },
    types: [OS.instance],
    check(stack, ctx) {
        for (const g of serviceGroups(stack, ctx.config.cleService)) {
            const zones = new Set<string>();
            for (const i of g.instances) {
                const z = zoneOf(i);
                if (z) zones.add(z);
            }
            if (zones.size >= ctx.config.zonesMin) continue;
            const names = g.instances.map((i) => i.name);
            const where = zones.size ? list([...zones]) : "—";
            ctx.report({
                resource: g.anchor,
                problem: msg(
                    m`le service « ${g.label} » (${g.instances.length} instance(s) : ${items(names)}) occupe ${zones.size} zone(s) (${where}) ; il en faut au moins ${ctx.config.zonesMin}.`,
                    m`service "${g.label}" (${g.instances.length} instance(s): ${items(names)}) spans ${zones.size} zone(s) (${where}); at least ${ctx.config.zonesMin} are required.`,
                ),
            });
        }
    },
});
