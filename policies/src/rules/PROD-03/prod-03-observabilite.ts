import { txt } from "../../lib/i18n";
import { containers, podSpec } from "../../lib/k8s";
import { isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { rec } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    sondesRequises: string[];
}

/** Long-running workloads; Jobs and CronJobs run to completion and are not probed. */
const TYPES: readonly string[] = withPatches([K8S.pod, K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.replicaSet, K8S.replicationController]);

export default defineResourceRule<Config>({
    name: "prod-03-observabilite",
    needs: ["PROD-03"],
    title: txt("Observabilité", "Observability"),
    description: txt(
        "Chaque conteneur (hors conteneurs d'initialisation) des charges de travail durables (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController) déclare une sonde de disponibilité (`readinessProbe`) et une sonde de vie (`livenessProbe`) — la liste `sondesRequises` peut ajouter `startupProbe`. Une sonde compte quand c'est un objet (son mécanisme, `httpGet`, `tcpSocket`, `exec` ou `grpc`, n'est pas examiné). Décision : les Jobs et CronJobs, qui s'exécutent jusqu'à leur fin, sont exclus ; les conteneurs d'initialisation aussi, y compris les conteneurs annexes natifs (`restartPolicy: Always`). Une violation par sonde manquante." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : un correctif sans modèle de pod n'est pas examiné ; une sonde qu'il ne fixe pas est invérifiable.",
        "Every container (init containers excepted) of long-running workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController) declares a readiness probe (`readinessProbe`) and a liveness probe (`livenessProbe`) — the list `sondesRequises` may add `startupProbe`. A probe counts when it is an object (its mechanism, `httpGet`, `tcpSocket`, `exec` or `grpc`, is not examined). Decision: Jobs and CronJobs, which run to completion, are excluded; so are init containers, native sidecars (`restartPolicy: Always`) included. One violation per missing probe." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): a patch without a pod template is not examined; a probe it does not set cannot be checked.",
    ),
    remediation: txt(
        "Déclarer `readinessProbe` et `livenessProbe` (par exemple `httpGet` sur les points de santé `/health/ready` et `/health/live` de l'application).",
        "Declare `readinessProbe` and `livenessProbe` (for example `httpGet` on the application's `/health/ready` and `/health/live` endpoints).",
    ),
    severity: "medium",
    enforcementLevel: "advisory",
    config: {
        sondesRequises: {
            type: "array",
            items: { type: "string", enum: ["readinessProbe", "livenessProbe", "startupProbe"] },
            default: ["readinessProbe", "livenessProbe"],
            description: txt("Sondes exigées sur chaque conteneur.", "Probes required on every container."),
        },
    },
    types: TYPES,
    check(r, ctx) {
        const pod = podSpec(r.type, r.props);
        if (!pod) {
            if (isPatch(r.type)) ctx.notApplicable(notSetByPatch("pod template"));
            return;
        }
        const gaps = new PatchGaps(isPatch(r.type));
        for (const c of containers(pod)) {
            if (c.path.includes(".initContainers[")) continue;
            for (const probe of ctx.config.sondesRequises) {
                if (rec(c.container[probe])) continue;
                if ((c.container[probe] === undefined || c.container[probe] === null) && gaps.absent(`${c.path}.${probe}`)) continue;
                ctx.report({
                    property: `${c.path}.${probe}`,
                    value: c.container[probe],
                    problem: msg(m`conteneur « ${c.name} » : pas de ${probe}.`, m`container "${c.name}": no ${probe}.`),
                    fix: msg(
                        m`déclarer \`${probe}\` (par exemple \`httpGet\` sur un point de santé de l'application).`,
                        m`declare \`${probe}\` (for example \`httpGet\` on a health endpoint of the application).`,
                    ),
                });
            }
        }
        gaps.end(ctx);
    },
});
