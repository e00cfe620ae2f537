import { txt } from "../../lib/i18n";
import { containers, podSpec } from "../../lib/k8s";
import { arr, bool, get, num, rec } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S_WORKLOADS } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    portMin: number;
    exigerRunAsNonRoot: boolean;
}

export default defineResourceRule<Config>({
    name: "sec-13-pods-durcis",
    needs: ["SEC-13"],
    title: txt("Pods durcis", "Hardened pods"),
    description: txt(
        "Les pods des charges de travail (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) ne partagent ni le réseau, ni les processus, ni l'IPC de l'hôte ; chaque conteneur (y compris d'initialisation) tourne sans root (`runAsNonRoot: true` ou `runAsUser` non nul, au niveau du conteneur ou du pod), interdit explicitement l'élévation de privilèges (`allowPrivilegeEscalation: false`), n'est pas privilégié, et n'écoute que sur des ports supérieurs à 1024 (cadre Cloud Pi Native).",
        "Workload pods (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) share neither the host's network, processes nor IPC; every container (init containers included) runs as non-root (`runAsNonRoot: true` or a non-zero `runAsUser`, at container or pod level), explicitly forbids privilege escalation (`allowPrivilegeEscalation: false`), is not privileged, and listens only on ports above 1024 (Cloud Pi Native framework).",
    ),
    remediation: txt(
        "Dans `securityContext` : `runAsNonRoot: true`, `allowPrivilegeEscalation: false`, `privileged: false` ; retirer `hostNetwork`/`hostPID`/`hostIPC` ; écouter sur un port > 1024 (le Service peut exposer 80/443).",
        "In `securityContext`: `runAsNonRoot: true`, `allowPrivilegeEscalation: false`, `privileged: false`; drop `hostNetwork`/`hostPID`/`hostIPC`; listen on a port > 1024 (the Service may expose 80/443).",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        portMin: {
            type: "integer",
            minimum: 0,
            maximum: 65535,
            default: 1024,
            description: txt("Les ports des conteneurs doivent être strictement supérieurs à cette valeur.", "Container ports must be strictly above this value."),
        },
        exigerRunAsNonRoot: {
            type: "boolean",
            default: true,
            description: txt("Exiger l'exécution sans root.", "Require running as non-root."),
        },
    },
    types: K8S_WORKLOADS,
    check(r, ctx) {
        const pod = podSpec(r.type, r.props);
        if (!pod) return;
        for (const host of ["hostNetwork", "hostPID", "hostIPC"]) {
            if (bool(pod.spec[host]) === true) {
                ctx.report({
                    property: `${pod.path}.${host}`,
                    value: true,
                    problem: msg(m`le pod partage l'espace ${host.slice(4)} de l'hôte.`, m`the pod shares the host's ${host.slice(4)} namespace.`),
                });
            }
        }
        const podSc = rec(pod.spec["securityContext"]) ?? {};
        for (const c of containers(pod)) {
            const sc = rec(c.container["securityContext"]) ?? {};
            const scPath = `${c.path}.securityContext`;
            const label = msg(m`conteneur « ${c.name} »`, m`container "${c.name}"`);
            if (ctx.config.exigerRunAsNonRoot) {
                const nonRoot = bool(sc["runAsNonRoot"]) ?? bool(podSc["runAsNonRoot"]);
                const user = num(sc["runAsUser"]) ?? num(podSc["runAsUser"]);
                if (user === 0 || (nonRoot !== true && (user === undefined || user === 0))) {
                    ctx.report({
                        property: user === 0 ? `${scPath}.runAsUser` : `${scPath}.runAsNonRoot`,
                        value: user === 0 ? 0 : get(sc, "runAsNonRoot"),
                        problem: msg(m`${label.fr} : peut tourner en root.`, m`${label.en}: may run as root.`),
                    });
                }
            }
            if (bool(sc["allowPrivilegeEscalation"]) !== false) {
                ctx.report({
                    property: `${scPath}.allowPrivilegeEscalation`,
                    value: sc["allowPrivilegeEscalation"],
                    problem: msg(m`${label.fr} : l'élévation de privilèges n'est pas interdite.`, m`${label.en}: privilege escalation is not forbidden.`),
                });
            }
            if (bool(sc["privileged"]) === true) {
                ctx.report({
                    property: `${scPath}.privileged`,
                    value: true,
                    problem: msg(m`${label.fr} : conteneur privilégié.`, m`${label.en}: privileged container.`),
                });
            }
            arr(c.container["ports"]).forEach((p, i) => {
                const port = num(rec(p)?.["containerPort"]);
                if (port !== undefined && port <= ctx.config.portMin) {
                    ctx.report({
                        property: `${c.path}.ports[${i}].containerPort`,
                        value: port,
                        problem: msg(
                            m`${label.fr} : port ${port} ≤ ${ctx.config.portMin} (port privilégié).`,
                            m`${label.en}: port ${port} ≤ ${ctx.config.portMin} (privileged port).`,
                        ),
                    });
                }
            });
        }
    },
});
