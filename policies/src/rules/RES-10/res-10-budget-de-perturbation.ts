import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { podTemplateLabels } from "../../lib/k8s";
import { isPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import type { LabelSelector } from "../../lib/k8s-selectors";
import type * as Selectors from "../../lib/k8s-selectors";
import { get, known, num, str } from "../../lib/props";
import { defineStackRule, push } from "../../lib/rule";
import { K8S, K8S_HPAS, K8S_REPLICATED } from "../../lib/types";
import { items, m, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const selectors = lazy(() => require("../../lib/k8s-selectors") as typeof Selectors);

interface Config {
    replicasMin: number;
    refuserBudgetBloquant: boolean;
}

interface Budget {
    pdb: PolicyResource;
    /** The parsed selector; `null` when unknown at preview. */
    selector: LabelSelector | undefined | null;
}

export default defineStackRule<Config>({
    name: "res-10-budget-de-perturbation",
    needs: ["RES-10"],
    title: txt("Budget de perturbation", "Disruption budget"),
    description: txt(
        "Chaque Deployment, StatefulSet, ReplicaSet ou ReplicationController à plusieurs réplicas (`spec.replicas` ≥ `replicasMin`, 2 par défaut, un nombre absent ou non numérique valant 1 ; ou piloté par un HorizontalPodAutoscaler dont `maxReplicas` ≥ `replicasMin` — relié comme en RES-08 : dépendance dans le programme, ou `scaleTargetRef` qui nomme genre, espace de noms et nom) est sélectionné par un PodDisruptionBudget (policy/v1) du même espace de noms : son `spec.selector` (`matchLabels`, `matchExpressions` In/NotIn/Exists/DoesNotExist ; `{}` sélectionne tout l'espace de noms, un sélecteur absent ou mal formé rien) correspond aux étiquettes du modèle de pod. Un PDB qui dépend de la charge de travail dans le programme (sélecteur tiré de la ressource) la couvre aussi. L'espace de noms est `metadata.namespace`, sinon celui du fournisseur Kubernetes, sinon `default` ; quand il est inconnu à la prévisualisation, la ressource Namespace dont vient `metadata` le désigne. Décision : un PDB qui bloque les drainages de nœuds — `maxUnavailable` à 0 (ou « 0% »), ou `minAvailable` au moins égal au nombre de réplicas (le plus petit `minReplicas` des HPA s'il y en a ; les pourcentages arrondis au supérieur comme le fait Kubernetes : « 60% » de 2 réplicas vaut 2) — est une violation (option `refuserBudgetBloquant`), car il empêche la maintenance des nœuds ; de même quand plusieurs PDB sélectionnent les mêmes pods (l'API d'éviction refuse alors toute éviction)." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : un correctif qui ne fixe pas de réplicas (et qu'aucun HPA de la pile ne pilote) n'est pas examiné ; un correctif à plusieurs réplicas qu'aucun PodDisruptionBudget de la pile ne sélectionne est invérifiable (l'objet corrigé peut avoir le sien hors de la pile) ; un PodDisruptionBudget bloquant est jugé comme ci-dessus.",
        "Every Deployment, StatefulSet, ReplicaSet or ReplicationController with several replicas (`spec.replicas` ≥ `replicasMin`, 2 by default, a missing or non-numeric count meaning 1; or driven by a HorizontalPodAutoscaler with `maxReplicas` ≥ `replicasMin` — related as in RES-08: a dependency in the program, or a `scaleTargetRef` naming kind, namespace and name) is selected by a PodDisruptionBudget (policy/v1) in the same namespace: its `spec.selector` (`matchLabels`, `matchExpressions` In/NotIn/Exists/DoesNotExist; `{}` selects the whole namespace, a missing or malformed selector nothing) matches the pod template's labels. A PDB that depends on the workload in the program (selector taken from the resource) covers it too. The namespace is `metadata.namespace`, else the Kubernetes provider's, else `default`; when it is unknown at preview, the Namespace resource `metadata` comes from names it. Decision: a PDB that blocks node drains — `maxUnavailable` 0 (or \"0%\"), or `minAvailable` at least the replica count (the smallest HPA `minReplicas` when there are HPAs; percentages rounded up as Kubernetes does: \"60%\" of 2 replicas is 2) — is a violation (option `refuserBudgetBloquant`), because it prevents node maintenance; so is the case of several PDBs selecting the same pods (the eviction API then refuses every eviction)." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): a patch that sets no replicas (and that no HPA of the stack drives) is not examined; a multi-replica patch that no PodDisruptionBudget of the stack selects cannot be checked (the patched object may have its own outside the stack); a blocking PodDisruptionBudget is judged as above.",
    ),
    remediation: txt(
        "Ajouter un PodDisruptionBudget dans l'espace de noms de la charge, avec `selector.matchLabels` égal aux étiquettes du modèle de pod et `maxUnavailable: 1` (ou `minAvailable` inférieur au nombre de réplicas).",
        "Add a PodDisruptionBudget in the workload's namespace, with `selector.matchLabels` equal to the pod template's labels and `maxUnavailable: 1` (or `minAvailable` below the replica count).",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        replicasMin: {
            type: "integer",
            minimum: 2,
            default: 2,
            description: txt("Nombre de réplicas à partir duquel un PodDisruptionBudget est exigé.", "Replica count from which a PodDisruptionBudget is required."),
        },
        refuserBudgetBloquant: {
            type: "boolean",
            default: true,
            description: txt(
                "Signaler les PDB qui bloquent les drainages (`maxUnavailable` 0, `minAvailable` ≥ réplicas) et les pods sélectionnés par plusieurs PDB.",
                "Report PDBs that block drains (`maxUnavailable` 0, `minAvailable` ≥ replicas) and pods selected by several PDBs.",
            ),
        },
    },
    types: [...withPatches(K8S_REPLICATED), K8S.pdb, ...K8S_HPAS],
    check(stack, ctx) {
        const min = ctx.config.replicasMin;
        const hpas = new (selectors().HpaIndex)(stack);
        // Index PDBs once: per namespace key, and by what they depend on.
        const byNs = new Map<string, Budget[]>();
        const byDep = new Map<string, Budget[]>();
        const nowhere: Budget[] = [];
        for (const pdb of stack.ofType(K8S.pdb)) {
            const sel = known(() => ({ v: selectors().parseSelector(get(pdb.props, "spec.selector")) }));
            const b: Budget = { pdb, selector: sel ? sel.v : null };
            const key = selectors().namespaceKeyOf(stack, pdb);
            if (key) push(byNs, key, b);
            else nowhere.push(b);
            for (const d of stack.dependencies(pdb)) push(byDep, d.urn, b);
        }
        const gaps = new PatchGaps();
        for (const w of stack.ofType(withPatches(K8S_REPLICATED))) {
            const driving = hpas.driving(w);
            const raw = get(w.props, "spec.replicas");
            // A patch that sets no replica count (and no HPA of the stack drives) keeps the live one.
            if (isPatch(w.type) && (raw === undefined || raw === null) && driving.length === 0) continue;
            const replicas = num(raw) ?? 1;
            const hpaMax = Math.max(0, ...driving.map((h) => num(get(h.props, "spec.maxReplicas")) ?? min));
            if (replicas < min && hpaMax < min) continue;
            const floor = driving.length > 0 ? Math.min(...driving.map((h) => num(get(h.props, "spec.minReplicas")) ?? 1)) : replicas;
            const matched: Budget[] = [...(byDep.get(w.urn) ?? [])];
            const key = selectors().namespaceKeyOf(stack, w);
            const labels = known(() => podTemplateLabels(w.type, w.props));
            const undecided: Budget[] = [];
            for (const b of key ? byNs.get(key) ?? [] : []) {
                if (matched.includes(b)) continue;
                if (b.selector === null || labels === undefined) undecided.push(b);
                else if (selectors().selects(b.selector, labels)) matched.push(b);
            }
            if (matched.length === 0) {
                // Nothing known covers the workload: let unknown values surface rather than pass or fail silently.
                if (!key && (byNs.size > 0 || nowhere.length > 0)) selectors().effectiveNamespace(w);
                for (const b of undecided) {
                    selectors().parseSelector(get(b.pdb.props, "spec.selector"));
                    podTemplateLabels(w.type, w.props);
                }
                for (const b of nowhere) if (!matched.includes(b)) selectors().effectiveNamespace(b.pdb);
                // The patched object may have its budget outside the stack.
                if (gaps.outsideStack("PodDisruptionBudget", w)) continue;
                const ns = key ? selectors().namespaceLabel(key, stack) : "default";
                const how = driving.length > 0 ? msg(m`pilotée par l'HPA « ${driving[0].name} »`, m`driven by HPA "${driving[0].name}"`) : msg(m`${replicas} réplicas`, m`${replicas} replicas`);
                ctx.report({
                    resource: w,
                    property: "spec.template.metadata.labels",
                    problem: msg(
                        m`charge à plusieurs réplicas (${how.fr}) qu'aucun PodDisruptionBudget de l'espace de noms « ${ns} » ne sélectionne : un drainage de nœuds peut arrêter tous ses pods à la fois.`,
                        m`multi-replica workload (${how.en}) that no PodDisruptionBudget of namespace "${ns}" selects: a node drain may stop all its pods at once.`,
                    ),
                });
                continue;
            }
            if (!ctx.config.refuserBudgetBloquant) continue;
            if (matched.length > 1) {
                ctx.report({
                    resource: w,
                    property: "spec.template.metadata.labels",
                    problem: msg(
                        m`plusieurs PodDisruptionBudgets sélectionnent ces pods (${items(matched.map((b) => b.pdb.name))}) : l'API d'éviction refuse alors toute éviction et bloque les drainages.`,
                        m`several PodDisruptionBudgets select these pods (${items(matched.map((b) => b.pdb.name))}): the eviction API then refuses every eviction and blocks drains.`,
                    ),
                    fix: msg(m`ne garder qu'un PodDisruptionBudget par ensemble de pods.`, m`keep a single PodDisruptionBudget per set of pods.`),
                });
                continue;
            }
            const b = matched[0];
            const maxU = get(b.pdb.props, "spec.maxUnavailable");
            const minA = get(b.pdb.props, "spec.minAvailable");
            // Kubernetes rounds percentages up (of the replica count).
            const allowed = (v: unknown): number | undefined => {
                const n = num(v);
                if (n !== undefined) return n;
                const pct = /^\s*(\d+(\.\d+)?)\s*%\s*$/.exec(str(v) ?? "");
                return pct ? Math.ceil((Number(pct[1]) * floor) / 100) : undefined;
            };
            const maxN = allowed(maxU);
            const minN = allowed(minA);
            const blocksMax = maxN !== undefined && maxN <= 0;
            const blocksMin = !blocksMax && minN !== undefined && minN >= floor;
            if (blocksMax || blocksMin) {
                ctx.report({
                    resource: b.pdb,
                    property: blocksMax ? "spec.maxUnavailable" : "spec.minAvailable",
                    value: blocksMax ? maxU : minA,
                    problem: msg(
                        m`ce PodDisruptionBudget de « ${w.name} » (${floor} réplica(s) au minimum) n'autorise aucune perturbation : il bloque le drainage des nœuds.`,
                        m`this PodDisruptionBudget of "${w.name}" (${floor} replica(s) at least) allows no disruption: it blocks node drains.`,
                    ),
                    fix: msg(
                        m`autoriser au moins un pod indisponible (\`maxUnavailable: 1\`, ou \`minAvailable\` inférieur au nombre de réplicas).`,
                        m`allow at least one unavailable pod (\`maxUnavailable: 1\`, or \`minAvailable\` below the replica count).`,
                    ),
                });
            }
        }
        gaps.end(ctx);
    },
});
