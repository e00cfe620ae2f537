import { txt } from "../../lib/i18n";
import { embeddedPodSpecs, mayHideWorkload, POD_NEEDS } from "../../lib/k8s-coverage";
import { items, m, msg } from "../../lib/message";
import { defineResourceRule } from "../../lib/rule";
import { shortType } from "../../lib/types";

export default defineResourceRule<Record<string, never>>({
    name: "sec-13-modeles-de-pods-non-inspectes",
    needs: POD_NEEDS,
    title: txt("Modèles de pods non inspectés", "Pod templates not inspected"),
    description: txt(
        "Aucun angle mort : un objet Kubernetes d'un genre que les règles ne lisent pas et qui embarque un modèle de pod n'est pas examiné, et le pack le dit. Les règles lisent Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob (`core/v1`, `apps/v1`, `batch/v1`) et leurs correctifs `…Patch`. Tout autre objet (ressource personnalisée comme un Rollout Argo ou un ScaledJob KEDA, version d'API ancienne comme `apps/v1beta1` ou `batch/v1beta1`, PodTemplate, liste `…List`) qui contient, à quelque profondeur que ce soit hors `metadata` et `status`, un objet muni d'une liste `containers` de conteneurs (chacun avec `name` ou `image`) est « invérifiable » pour les besoins qui portent sur les pods (ceux des règles qui lisent les charges de travail : SEC-13 en tête), jamais « respecté » ni « non sollicité ». Le message donne les chemins des modèles trouvés. Une valeur inconnue à la prévisualisation sous une clé qui peut porter un modèle (`spec`, `template`, `jobTemplate`, `containers`…) rend la règle invérifiable aussi ; un objet sans modèle de pod n'est pas concerné (la règle ne s'applique pas).",
        "No blind spot: a Kubernetes object of a kind the rules do not read that embeds a pod template is not examined, and the pack says so. The rules read Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob (`core/v1`, `apps/v1`, `batch/v1`) and their `…Patch` patches. Any other object (a custom resource such as an Argo Rollout or a KEDA ScaledJob, an older API version such as `apps/v1beta1` or `batch/v1beta1`, PodTemplate, a `…List`) that holds, at any depth outside `metadata` and `status`, an object with a `containers` list of containers (each with `name` or `image`) is \"cannot be checked\" for the needs that bear on pods (those of the rules that read workloads: SEC-13 first), never \"respected\" nor \"not exercised\". The message gives the paths of the templates found. A value unknown at preview under a key that may hold a template (`spec`, `template`, `jobTemplate`, `containers`…) makes the rule \"cannot be checked\" too; an object without a pod template is not concerned (the rule does not apply).",
    ),
    remediation: txt(
        "Vérifier le modèle de pod autrement : le rendre sous la forme d'un Deployment équivalent (manifeste) et le passer à `cloud-de-confiance check --manifests`, ou utiliser un genre standard (`apps/v1`).",
        "Check the pod template another way: render it as an equivalent Deployment (manifest) and pass it to `cloud-de-confiance check --manifests`, or use a standard kind (`apps/v1`).",
    ),
    severity: "high",
    enforcementLevel: "advisory",
    config: {},
    types: ["kubernetes:* (ressources personnalisées et genres que les règles ne lisent pas)"],
    applies: (type) => mayHideWorkload(type),
    check(r, ctx) {
        const found = embeddedPodSpecs(r.props);
        if (found.length === 0) ctx.notApplicable("no pod template");
        ctx.cannotCheck(
            msg(
                m`${shortType(r.type)} « ${r.name} » embarque un modèle de pod (${items(found)}) que les règles ne lisent pas : ses conteneurs ne sont pas inspectés.`,
                m`${shortType(r.type)} "${r.name}" embeds a pod template (${items(found)}) the rules do not read: its containers are not inspected.`,
            ),
        );
    },
});
