import { txt } from "../../lib/i18n";
import { podSpec, podTemplateLabels } from "../../lib/k8s";
import { isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import type * as Selectors from "../../lib/k8s-selectors";
import { arr, get, num, rec, str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S_REPLICATED } from "../../lib/types";
import { items, m, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const selectors = lazy(() => require("../../lib/k8s-selectors") as typeof Selectors);

interface Config {
    clesTopologie: string[];
    replicasMin: number;
}

export default defineResourceRule<Config>({
    name: "res-09-etalement-par-zone",
    needs: ["RES-09"],
    title: txt("Étalement par zone", "Zone spreading"),
    description: txt(
        "Les pods d'un Deployment, StatefulSet, ReplicaSet ou ReplicationController à plusieurs réplicas (`spec.replicas` ≥ `replicasMin`, 2 par défaut ; un nombre absent ou non numérique vaut 1, la charge n'est alors pas concernée — un HPA éventuel n'est pas vu par cette règle par ressource, voir RES-08/RES-10) s'étalent sur les zones : le modèle de pod déclare une contrainte `topologySpreadConstraints[]` dont `topologyKey` est une clé de topologie configurée (par défaut `topology.kubernetes.io/zone`), ou un terme d'anti-affinité `affinity.podAntiAffinity` (requis `requiredDuringSchedulingIgnoredDuringExecution[]` ou préféré `preferredDuringSchedulingIgnoredDuringExecution[].podAffinityTerm`) avec cette clé. Une contrainte ou un terme dont le `labelSelector` est donné mais ne sélectionne pas les étiquettes du modèle de pod ne compte pas (il n'étale pas ces pods) ; sans `labelSelector` il compte. `whenUnsatisfiable` (DoNotSchedule ou ScheduleAnyway) n'est pas examiné." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : les contraintes d'étalement fusionnent avec celles de l'objet existant ; un correctif qui ne fixe ni réplicas ni étalement n'est pas examiné, un correctif qui étale est conforme, sinon il est invérifiable (jamais en défaut).",
        "The pods of a Deployment, StatefulSet, ReplicaSet or ReplicationController with several replicas (`spec.replicas` ≥ `replicasMin`, 2 by default; a missing or non-numeric count means 1, the workload is then not concerned — an HPA is not seen by this per-resource rule, see RES-08/RES-10) spread over zones: the pod template declares a `topologySpreadConstraints[]` entry whose `topologyKey` is a configured topology key (by default `topology.kubernetes.io/zone`), or an `affinity.podAntiAffinity` term (required `requiredDuringSchedulingIgnoredDuringExecution[]` or preferred `preferredDuringSchedulingIgnoredDuringExecution[].podAffinityTerm`) with that key. A constraint or term whose `labelSelector` is given but does not select the pod template's labels does not count (it does not spread these pods); without `labelSelector` it counts. `whenUnsatisfiable` (DoNotSchedule or ScheduleAnyway) is not examined." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): spread constraints merge with the existing object's; a patch that sets neither replicas nor spreading is not examined, a patch that spreads is compliant, otherwise it cannot be checked (never failing).",
    ),
    remediation: txt(
        "Ajouter au modèle de pod `topologySpreadConstraints: [{ maxSkew: 1, topologyKey: \"topology.kubernetes.io/zone\", whenUnsatisfiable: \"ScheduleAnyway\", labelSelector: { matchLabels: <étiquettes du pod> } }]`.",
        "Add to the pod template `topologySpreadConstraints: [{ maxSkew: 1, topologyKey: \"topology.kubernetes.io/zone\", whenUnsatisfiable: \"ScheduleAnyway\", labelSelector: { matchLabels: <pod labels> } }]`.",
    ),
    severity: "medium",
    enforcementLevel: "advisory",
    config: {
        clesTopologie: {
            type: "array",
            items: { type: "string" },
            default: ["topology.kubernetes.io/zone"],
            description: txt(
                "Clés de topologie qui désignent une zone (par exemple ajouter `topology.cinder.csi.openstack.org/zone`).",
                "Topology keys that name a zone (for example add `topology.cinder.csi.openstack.org/zone`).",
            ),
        },
        replicasMin: {
            type: "integer",
            minimum: 2,
            default: 2,
            description: txt("Nombre de réplicas à partir duquel l'étalement est exigé.", "Replica count from which spreading is required."),
        },
    },
    types: withPatches(K8S_REPLICATED),
    check(r, ctx) {
        const raw = get(r.props, "spec.replicas");
        const patch = isPatch(r.type);
        const pod = podSpec(r.type, r.props);
        // A patch that sets no replica count keeps the live one: judged only on the spreading it sets.
        const liveReplicas = patch && (raw === undefined || raw === null);
        if (liveReplicas && !pod?.spec["topologySpreadConstraints"] && !get(pod?.spec, "affinity.podAntiAffinity")) {
            ctx.notApplicable(notSetByPatch("replica count or spreading"));
        }
        const replicas = num(raw) ?? 1;
        if (!liveReplicas && replicas < ctx.config.replicasMin) return;
        const keys = ctx.config.clesTopologie;
        const labels = podTemplateLabels(r.type, r.props);
        const spreads = (term: unknown): boolean => {
            const t = rec(term);
            const key = str(t?.["topologyKey"]);
            if (!t || !key || !keys.includes(key)) return false;
            const sel = t["labelSelector"];
            return sel === undefined || sel === null || selectors().selects(selectors().parseSelector(sel), labels);
        };
        const spec = pod?.spec ?? {};
        const base = pod?.path ?? "spec.template.spec";
        if (arr(spec["topologySpreadConstraints"]).some(spreads)) return;
        const anti = rec(get(spec, "affinity.podAntiAffinity"));
        if (anti) {
            if (arr(anti["requiredDuringSchedulingIgnoredDuringExecution"]).some(spreads)) return;
            if (arr(anti["preferredDuringSchedulingIgnoredDuringExecution"]).some((p) => spreads(rec(p)?.["podAffinityTerm"]))) return;
        }
        if (patch) {
            // Constraints merge with the live object's (keyed list), which may spread the pods.
            const gaps = new PatchGaps(true);
            if (liveReplicas) gaps.absent("spec.replicas");
            gaps.absent(`${base}.topologySpreadConstraints`);
            return gaps.end(ctx);
        }
        ctx.report({
            property: `${base}.topologySpreadConstraints`,
            problem: msg(
                m`${replicas} réplicas sans contrainte d'étalement ni anti-affinité de pods sur ${items(keys)} qui sélectionne ces pods : ils peuvent tous tomber dans la même zone.`,
                m`${replicas} replicas without a spread constraint or pod anti-affinity on ${items(keys)} that selects these pods: they may all land in the same zone.`,
            ),
            fix: msg(
                m`ajouter \`topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "${keys[0] ?? "topology.kubernetes.io/zone"}", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: <étiquettes du pod> } }]\`.`,
                m`add \`topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "${keys[0] ?? "topology.kubernetes.io/zone"}", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: <pod labels> } }]\`.`,
            ),
        });
    },
});
