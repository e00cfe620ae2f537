import { txt } from "../../lib/i18n";
import { isPatch, withPatches } from "../../lib/k8s-patch";
import type * as Selectors from "../../lib/k8s-selectors";
import { get, num } from "../../lib/props";
import { defineStackRule } from "../../lib/rule";
import { K8S_HPAS, K8S_REPLICATED } from "../../lib/types";
import { m, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const selectors = lazy(() => require("../../lib/k8s-selectors") as typeof Selectors);

interface Config {
    replicasMin: number;
}

export default defineStackRule<Config>({
    name: "res-08-replicas",
    needs: ["RES-08"],
    title: txt("Réplicas", "Replicas"),
    description: txt(
        "Chaque Deployment, StatefulSet, ReplicaSet ou ReplicationController tourne avec au moins deux réplicas, ou est piloté par un HorizontalPodAutoscaler dont `minReplicas` vaut au moins deux. Un nombre de réplicas absent vaut 1 (défaut de Kubernetes) ; un HPA sans `minReplicas` aussi. Un HPA pilote une charge de travail quand il en dépend dans le programme (propriété `scaleTargetRef` tirée de la ressource, ou `dependsOn`), ou quand son `scaleTargetRef` en nomme le genre et le nom dans le même espace de noms." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : jugés sur le nombre de réplicas qu'ils fixent ; un correctif qui n'en fixe pas (et qu'aucun HPA de la pile ne pilote) garde celui de l'objet existant et n'est pas examiné.",
        "Every Deployment, StatefulSet, ReplicaSet or ReplicationController runs at least two replicas, or is driven by a HorizontalPodAutoscaler whose `minReplicas` is at least two. A missing replica count means 1 (Kubernetes' default); so does an HPA without `minReplicas`. An HPA drives a workload when it depends on it in the program (its `scaleTargetRef` taken from the resource, or `dependsOn`), or when its `scaleTargetRef` names the workload's kind and name in the same namespace." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): judged on the replica count they set; a patch that sets none (and that no HPA of the stack drives) keeps the existing object's and is not examined.",
    ),
    remediation: txt(
        "Fixer `spec.replicas` à 2 ou plus, ou ajouter un HorizontalPodAutoscaler avec `minReplicas` ≥ 2.",
        "Set `spec.replicas` to 2 or more, or add a HorizontalPodAutoscaler with `minReplicas` ≥ 2.",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        replicasMin: {
            type: "integer",
            minimum: 1,
            default: 2,
            description: txt("Nombre minimal de réplicas (ou de `minReplicas` d'un HPA).", "Minimum number of replicas (or HPA `minReplicas`)."),
        },
    },
    types: [...withPatches(K8S_REPLICATED), ...K8S_HPAS],
    check(stack, ctx) {
        const min = ctx.config.replicasMin;
        const hpas = new (selectors().HpaIndex)(stack);
        for (const w of stack.ofType(withPatches(K8S_REPLICATED))) {
            const candidates = hpas.driving(w);
            const hpa = candidates.find((h) => (num(get(h.props, "spec.minReplicas")) ?? 1) >= min);
            if (hpa) continue;
            const raw = get(w.props, "spec.replicas");
            // A patch that sets no replica count (and no HPA of the stack drives) keeps the live one.
            if (isPatch(w.type) && (raw === undefined || raw === null) && candidates.length === 0) continue;
            const replicas = num(raw) ?? (raw === undefined || raw === null ? 1 : 0);
            if (replicas >= min) continue;
            const driven = candidates[0];
            ctx.report(
                driven
                    ? {
                          resource: w,
                          property: "spec.minReplicas",
                          value: get(driven.props, "spec.minReplicas"),
                          problem: msg(
                              m`${replicas} réplica(s) et l'HPA « ${driven.name} » descend sous ${min} réplicas.`,
                              m`${replicas} replica(s) and HPA "${driven.name}" scales below ${min} replicas.`,
                          ),
                          fix: msg(m`fixer \`minReplicas\` de « ${driven.name} » à ${min} ou plus.`, m`set \`minReplicas\` of "${driven.name}" to ${min} or more.`),
                      }
                    : {
                          resource: w,
                          property: "spec.replicas",
                          value: raw,
                          problem: msg(
                              m`${replicas} réplica(s), aucun HPA : il en faut au moins ${min}.`,
                              m`${replicas} replica(s), no HPA: at least ${min} are required.`,
                          ),
                      },
            );
        }
    },
});
