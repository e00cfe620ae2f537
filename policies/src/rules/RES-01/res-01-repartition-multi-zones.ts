import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { isUnknownValueError } from "../../lib/props";
import type { ServiceGroup } from "../../lib/resilience";
import type * as Resilience from "../../lib/resilience";
import { defineStackRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const resilience = lazy(() => require("../../lib/resilience") as typeof Resilience);

interface Config {
    zonesMin: number;
    cleService: string;
}

export default defineStackRule<Config>({
    name: "res-01-repartition-multi-zones",
    needs: ["RES-01"],
    title: txt("Répartition multi-zones", "Multi-zone distribution"),
    description: txt(
        "Les instances d'un même service occupent au moins `zonesMin` zones de disponibilité distinctes (deux par défaut, trois recommandées). Une instance appartient à un service au plus, choisi par le premier indice qui s'applique : (1) la valeur de sa clé `cleService` (étiquette OpenStack `service=…`, à défaut métadonnée `service`) : les instances de même valeur forment un service déclaré, quel que soit leur nombre ; sinon (2) le groupe de serveurs d'où vient son `schedulerHints[].group` (ServerGroup de la pile relié par le graphe de dépendances, à défaut même identifiant littéral) et le pool de répartiteur dont elle est membre (Member dont l'`address`, ou Members dont les `members`, vient de l'instance ou d'un Port qu'elle utilise, à défaut égale une de ses adresses fixes connues ; pool d'où vient le `poolId`) : les instances qui partagent un groupe ou un pool, directement ou de proche en proche, forment un service ; sinon (3) le même composant parent (hors pile racine) ; sinon (4) une série de noms sous le même parent : noms logiques qui ne diffèrent que par un nombre final (`web-1`, `web-2`, `web3`) ou par une lettre finale après `-`, `_` ou `.` (`web-a`, `web-b`). Les indices 2 à 4 ne font un service que d'au moins deux instances : une instance que rien ne relie à une autre (un bastion) n'est pas un service et n'est jamais en défaut. Un service déclaré d'une seule instance est en défaut : il n'a pas de redondance entre zones. Une instance sans zone explicite ne compte pour aucune zone (voir RES-02). Une zone inconnue à la prévisualisation rend le service « invérifiable » si les zones connues ne suffisent pas ; une clé `cleService` inconnue rend la règle invérifiable (le regroupement serait deviné). Un constat par service, porté par le composant parent commun de ses instances, à défaut par sa première instance, qui dit ce qui en fait un service.",
        "The instances of one service span at least `zonesMin` distinct availability zones (two by default, three recommended). An instance belongs to one service at most, chosen by the first evidence that applies: (1) the value of its `cleService` key (OpenStack tag `service=…`, failing that `service` metadata): instances with the same value are a declared service, whatever their number; otherwise (2) the server group its `schedulerHints[].group` comes from (a ServerGroup of the stack related through the dependency graph, failing that the same literal ID) and the load-balancer pool it is a member of (a Member whose `address`, or a Members whose `members`, comes from the instance or from a Port it uses, failing that equals one of its known fixed addresses; the pool its `poolId` comes from): instances that share a group or a pool, directly or through one another, are one service; otherwise (3) the same parent component (not the root stack); otherwise (4) a name series under the same parent: logical names that differ only by a final number (`web-1`, `web-2`, `web3`) or by a final letter after `-`, `_` or `.` (`web-a`, `web-b`). Evidence 2 to 4 only makes a service of at least two instances: an instance that nothing relates to another (a bastion) is no service and never fails. A declared service with a single instance fails: it has no redundancy across zones. An instance without an explicit zone counts for no zone (see RES-02). A zone unknown at preview makes the service \"cannot be checked\" when the known zones do not suffice; an unknown `cleService` key makes the rule \"cannot be checked\" (the grouping would be a guess). One finding per service, carried by its instances' common parent component, failing that by its first instance, stating what makes it a service.",
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
        const min = ctx.config.zonesMin;
        const pending: string[] = [];
        for (const g of resilience().serviceGroups(stack, ctx.config.cleService)) {
            const zones = new Set<string>();
            const unknown: PolicyResource[] = [];
            for (const i of g.instances) {
                try {
                    const z = resilience().zoneOf(i);
                    if (z) zones.add(z);
                } catch (e) {
                    if (!isUnknownValueError(e)) throw e;
                    unknown.push(i);
                }
            }
            if (zones.size >= min) continue;
            if (unknown.length > 0) {
                pending.push(g.label);
                continue;
            }
            const names = g.instances.map((i) => i.name);
            const where = zones.size ? items([...zones]) : "—";
            const why = evidence(g, ctx.config.cleService);
            ctx.report({
                resource: g.anchor,
                problem: msg(
                    m`le service « ${g.label} » (${g.instances.length} instance(s) : ${items(names)} ; ${why.fr}) occupe ${zones.size} zone(s) (${where}) ; il en faut au moins ${min}.`,
                    m`service "${g.label}" (${g.instances.length} instance(s): ${items(names)}; ${why.en}) spans ${zones.size} zone(s) (${where}); at least ${min} are required.`,
                ),
            });
        }
        if (pending.length > 0) {
            ctx.cannotCheck(msg(
                m`zone inconnue à la prévisualisation pour le(s) service(s) ${items(pending)}.`,
                m`zone unknown at preview for service(s) ${items(pending)}.`,
            ));
        }
    },
});

/** What makes the group one service, for the message. */
function evidence(g: ServiceGroup, key: string): Message {
    const via = g.via?.name;
    switch (g.evidence) {
        case "service-key":
            return msg(m`même valeur de la clé « ${key} »`, m`same "${key}" key value`);
        case "server-group":
            return via
                ? msg(m`même groupe de serveurs « ${via} »`, m`same server group "${via}"`)
                : msg(m`même groupe de serveurs ${g.label} (schedulerHints)`, m`same server group ${g.label} (schedulerHints)`);
        case "pool":
            return msg(m`membres du même pool « ${via} »`, m`members of the same pool "${via}"`);
        case "parent":
            return msg(m`même composant parent « ${via} »`, m`same parent component "${via}"`);
        case "name-series":
            return msg(m`série de noms « ${g.label} »`, m`name series "${g.label}"`);
    }
}
