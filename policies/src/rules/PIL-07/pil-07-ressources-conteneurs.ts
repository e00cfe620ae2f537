import { txt } from "../../lib/i18n";
import { containers, podSpec } from "../../lib/k8s";
import { isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { get, rec } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S_WORKLOADS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    champsExiges: string[];
}

export default defineResourceRule<Config>({
    name: "pil-07-ressources-conteneurs",
    needs: ["PIL-07"],
    title: txt("Ressources bornées (conteneurs)", "Bounded resources (containers)"),
    description: txt(
        "Chaque conteneur, y compris d'initialisation, des modèles de pods (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) déclare dans `resources` chacun des champs de `champsExiges` (par défaut `requests.cpu`, `requests.memory`, `limits.memory`) avec une valeur non vide (texte ou nombre ; la valeur elle-même n'est pas jugée). La limite de CPU n'est pas exigée par défaut : sans elle, un conteneur profite du CPU libre du nœud, alors qu'une limite basse provoque un étranglement (throttling) sans rien économiser — la réservation (`requests.cpu`) suffit à l'ordonnancement et à l'imputation ; la mémoire, incompressible, est bornée. Les valeurs par défaut d'un LimitRange ne comptent pas : la déclaration doit figurer dans le manifeste (voir `pil-07-quotas-namespace`). Une violation par conteneur, qui énumère les champs manquants." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : un correctif sans modèle de pod n'est pas examiné ; un champ exigé qu'il ne fixe pas est invérifiable, une valeur vide qu'il fixe est en défaut.",
        "Every container, init containers included, of pod templates (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) declares in `resources` each field of `champsExiges` (by default `requests.cpu`, `requests.memory`, `limits.memory`) with a non-empty value (string or number; the value itself is not judged). A CPU limit is not required by default: without it a container uses the node's idle CPU, whereas a low limit causes throttling while saving nothing — the request (`requests.cpu`) is enough for scheduling and attribution; memory, which is incompressible, is bounded. A LimitRange's defaults do not count: the declaration must be in the manifest (see `pil-07-quotas-namespace`). One violation per container, listing the missing fields." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): a patch without a pod template is not examined; a required field it does not set cannot be checked, an empty value it sets fails.",
    ),
    remediation: txt(
        "Déclarer `resources: { requests: { cpu: \"250m\", memory: \"256Mi\" }, limits: { memory: \"512Mi\" } }` dans chaque conteneur.",
        "Declare `resources: { requests: { cpu: \"250m\", memory: \"256Mi\" }, limits: { memory: \"512Mi\" } }` in every container.",
    ),
    severity: "medium",
    enforcementLevel: "mandatory",
    config: {
        champsExiges: {
            type: "array",
            items: { type: "string" },
            default: ["requests.cpu", "requests.memory", "limits.memory"],
            description: txt(
                "Champs de `resources` exigés dans chaque conteneur (ajouter `limits.cpu` pour borner aussi le CPU).",
                "Fields of `resources` required in every container (add `limits.cpu` to bound CPU too).",
            ),
        },
    },
    types: withPatches(K8S_WORKLOADS),
    check(r, ctx) {
        const pod = podSpec(r.type, r.props);
        if (!pod) {
            if (isPatch(r.type)) ctx.notApplicable(notSetByPatch("pod template"));
            return;
        }
        const gaps = new PatchGaps(isPatch(r.type));
        for (const c of containers(pod)) {
            const res = rec(c.container["resources"]);
            const missing = ctx.config.champsExiges.filter((f) => {
                const v = res ? get(res, f) : undefined;
                if (v === undefined || v === null) return !gaps.absent(`${c.path}.resources.${f}`);
                return !((typeof v === "string" && v.trim() !== "") || (typeof v === "number" && Number.isFinite(v)));
            });
            if (missing.length === 0) continue;
            ctx.report({
                property: `${c.path}.resources`,
                problem: msg(
                    m`conteneur « ${c.name} » : ${items(missing, { max: 10 })} non déclaré(s).`,
                    m`container "${c.name}": ${items(missing, { max: 10 })} not declared.`,
                ),
            });
        }
        gaps.end(ctx);
    },
});
