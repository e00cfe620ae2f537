import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { arr, isMissing, known, rec, strings } from "../../lib/props";
import type * as Resilience from "../../lib/resilience";
import { defineStackRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const resilience = lazy(() => require("../../lib/resilience") as typeof Resilience);

interface Config {
    cleService: string;
    politiquesAcceptees: string[];
}

export default defineStackRule<Config>({
    name: "res-04-anti-affinite",
    needs: ["RES-04"],
    title: txt("Anti-affinité", "Anti-affinity"),
    description: txt(
        "Les réplicas d'un service sont dans un même groupe de serveurs d'anti-affinité. Les instances sont regroupées en services exactement comme pour RES-01 (même valeur de l'étiquette ou métadonnée `cleService` ; à défaut même groupe de serveurs ou même pool de répartiteur ; à défaut même composant parent ; à défaut série de noms `web-1`, `web-2` : voir RES-01) ; un service d'une seule instance n'est pas concerné, et une instance que rien ne relie à une autre n'est pas un service. Chaque instance du service doit avoir un `schedulerHints[i].group` tiré d'un compute ServerGroup de la pile (dépendance de la propriété `schedulerHints`, à défaut `dependsOn` ou autre dépendance vers un ServerGroup ; jamais par identifiant, inconnu à la prévisualisation) ; un groupe donné par un identifiant littéral sans ServerGroup relié est en défaut, sa politique ne pouvant être vérifiée. Le ServerGroup doit avoir dans `policies` une politique acceptée (`anti-affinity` ou `soft-anti-affinity` par défaut), et toutes les instances du service doivent partager le même groupe : l'anti-affinité ne joue qu'entre membres d'un même groupe. Un seul constat par service, qui nomme chaque instance en cause et le chemin exact de la propriété.",
        "The replicas of a service are in one anti-affinity server group. Instances are grouped into services exactly as for RES-01 (same value of the `cleService` tag or metadata key; else same server group or same load-balancer pool; else same parent component; else a name series `web-1`, `web-2`: see RES-01); a single-instance service is not concerned, and an instance that nothing relates to another is no service. Every instance of the service must have a `schedulerHints[i].group` taken from a compute ServerGroup of the stack (property dependency of `schedulerHints`, failing that `dependsOn` or another dependency on a ServerGroup; never by ID, unknown at preview); a group given as a literal ID with no related ServerGroup fails, as its policy cannot be checked. The ServerGroup must have an accepted policy in `policies` (`anti-affinity` or `soft-anti-affinity` by default), and all the instances of the service must share the same group: anti-affinity only applies between members of one group. One finding per service, naming each instance at fault and the exact property path.",
    ),
    remediation: txt(
        "Créer un compute ServerGroup de politique `anti-affinity` (ou `soft-anti-affinity`) par service et passer son identifiant à chaque instance : `schedulerHints: [{ group: groupe.id }]`.",
        "Create a compute ServerGroup with policy `anti-affinity` (or `soft-anti-affinity`) per service and pass its ID to each instance: `schedulerHints: [{ group: group.id }]`.",
    ),
    severity: "medium",
    enforcementLevel: "advisory",
    config: {
        cleService: {
            type: "string",
            default: "service",
            description: txt(
                "Clé d'étiquette ou de métadonnée qui nomme le service d'une instance (la même que pour RES-01).",
                "Tag or metadata key that names an instance's service (the same as for RES-01).",
            ),
        },
        politiquesAcceptees: {
            type: "array",
            items: { type: "string" },
            default: ["anti-affinity", "soft-anti-affinity"],
            description: txt("Politiques de ServerGroup acceptées (`policies`).", "Accepted ServerGroup policies (`policies`)."),
        },
    },
    types: [OS.instance],
    check(stack, ctx) {
        const accepted = ctx.config.politiquesAcceptees;
        for (const g of resilience().serviceGroups(stack, ctx.config.cleService)) {
            if (g.instances.length < 2) continue;
            const faults: Message[] = [];
            const groupsUsed = new Map<string, PolicyResource>();
            for (const inst of g.instances) {
                const hintIndex = groupHintIndex(inst);
                const path = hintIndex === undefined ? "schedulerHints" : `schedulerHints[${hintIndex}].group`;
                const sgs = resilience().relatedThrough(stack, inst, "schedulerHints", [OS.serverGroup]);
                if (sgs.length === 0) {
                    faults.push(
                        hintIndex === undefined
                            ? msg(m`« ${inst.name} » : aucun groupe de serveurs (${path} absent)`, m`"${inst.name}": no server group (${path} missing)`)
                            : msg(
                                  m`« ${inst.name} » : ${path} ne vient d'aucun ServerGroup de la pile (politique invérifiable)`,
                                  m`"${inst.name}": ${path} comes from no ServerGroup of the stack (policy cannot be checked)`,
                              ),
                    );
                    continue;
                }
                const good = sgs.filter((sg) => strings(sg.props["policies"]).some((p) => accepted.includes(p)));
                if (good.length === 0) {
                    const sg = sgs[0];
                    const pol = JSON.stringify(strings(sg.props["policies"]));
                    faults.push(
                        msg(
                            m`« ${inst.name} » : ${path} ← ServerGroup « ${sg.name} » de policies = ${pol}, sans anti-affinité`,
                            m`"${inst.name}": ${path} ← ServerGroup "${sg.name}" with policies = ${pol}, no anti-affinity`,
                        ),
                    );
                    continue;
                }
                groupsUsed.set(good[0].urn, good[0]);
            }
            if (faults.length === 0 && groupsUsed.size > 1) {
                const names = [...groupsUsed.values()].map((s) => s.name);
                faults.push(
                    msg(
                        m`les instances sont réparties entre plusieurs groupes (${items(names)}) : l'anti-affinité ne joue qu'au sein d'un groupe`,
                        m`the instances are split between several groups (${items(names)}): anti-affinity only applies within one group`,
                    ),
                );
            }
            if (faults.length === 0) continue;
            ctx.report({
                resource: g.anchor,
                problem: msg(
                    m`les ${g.instances.length} instances du service « ${g.label} » ne sont pas toutes dans un même groupe d'anti-affinité (${items(accepted)}) — ${items(faults.map((f) => f.fr), { sep: " ; " })}.`,
                    m`the ${g.instances.length} instances of service "${g.label}" are not all in one anti-affinity group (${items(accepted)}) — ${items(faults.map((f) => f.en), { sep: "; " })}.`,
                ),
            });
        }
    },
});

/** Index of the first scheduler hint that names a group (unknown at preview counts as named). */
function groupHintIndex(inst: PolicyResource): number | undefined {
    const hints = known(() => arr(inst.props["schedulerHints"]));
    if (hints === undefined) return undefined;
    for (let i = 0; i < hints.length; i++) {
        const h = rec(hints[i]);
        if (!h || !Object.prototype.hasOwnProperty.call(h, "group")) continue;
        const named = known(() => !isMissing(h["group"]));
        if (named === undefined || named) return i;
    }
    return undefined;
}
