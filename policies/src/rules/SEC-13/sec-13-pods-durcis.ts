import { txt } from "../../lib/i18n";
import { containers, podSpec, podSpecPath } from "../../lib/k8s";
import { isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { arr, bool, get, num, rec, str, strings } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S_WORKLOADS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    portMin: number;
    exigerRunAsNonRoot: boolean;
    capacitesAutorisees: string[];
    exigerProfilSeccomp: boolean;
}

/** The legacy seccomp annotations (alpha), which the API server still turns into fields when a pod is created. */
const SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/";

/**
 * A capability name as container runtimes normalise it (moby/containerd/CRI-O
 * `NormalizeLegacyCapabilities`: upper case, `CAP_` prefix), shown without the prefix as Kubernetes
 * writes it; `ALL` stays `ALL`.
 */
export function normaliseCapability(c: string): string {
    const u = c.trim().toUpperCase();
    return u.startsWith("CAP_") ? u.slice(4) : u;
}

/** The seccomp profile type an annotation value stands for (`unconfined`, `runtime/default`, `docker/default`, `localhost/…`). */
function annotationProfile(v: string | undefined): string | undefined {
    if (v === undefined) return undefined;
    if (v === "unconfined") return "Unconfined";
    if (v === "runtime/default" || v === "docker/default") return "RuntimeDefault";
    if (v.startsWith("localhost/")) return "Localhost";
    return undefined;
}

export default defineResourceRule<Config>({
    name: "sec-13-pods-durcis",
    needs: ["SEC-13"],
    title: txt("Pods durcis", "Hardened pods"),
    description: txt(
        "Les pods des charges de travail (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) ne partagent ni le réseau, ni les processus, ni l'IPC de l'hôte (`hostNetwork`, `hostPID`, `hostIPC`), ne montent aucun volume `hostPath` et ne publient aucun `hostPort` (avec `hostNetwork`, où l'API Kubernetes recopie `containerPort` dans `hostPort`, seul `hostNetwork` est signalé). Chaque conteneur (y compris d'initialisation) est jugé sur ses valeurs effectives, calculées comme Kubernetes : le `securityContext` du conteneur l'emporte sur celui du pod. Il tourne sans root (`runAsNonRoot: true` ou `runAsUser` non nul effectifs ; `runAsUser: 0` est en défaut même avec `runAsNonRoot`), interdit explicitement l'élévation de privilèges (`allowPrivilegeEscalation: false`), n'est pas privilégié, n'ajoute aucune capacité hors `capacitesAutorisees` (par défaut `NET_BIND_SERVICE` ; noms comparés comme les moteurs de conteneurs les normalisent : casse ignorée, préfixe `CAP_` facultatif, `ALL` refusé), n'a pas de profil seccomp `Unconfined` (champ `seccompProfile.type` du conteneur, sinon annotation héritée `container.seccomp.security.alpha.kubernetes.io/<conteneur>`, sinon champ du pod, sinon annotation `seccomp.security.alpha.kubernetes.io/pod` : valeur `unconfined`), et n'écoute que sur des ports supérieurs à `portMin` (1024, cadre Cloud Pi Native). Décision : un profil seccomp absent n'est pas exigé (le kubelet applique alors son défaut, `--seccomp-default`) ; `exigerProfilSeccomp: true` l'exige." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : un correctif sans modèle de pod n'est pas examiné ; `runAsNonRoot`/`runAsUser` (sauf `runAsUser: 0`), `allowPrivilegeEscalation` et, s'il est exigé, le profil seccomp qu'un correctif ne fixe pas sont invérifiables ; les autres valeurs qu'il fixe sont jugées comme ci-dessus.",
        "Workload pods (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) share neither the host's network, processes nor IPC (`hostNetwork`, `hostPID`, `hostIPC`), mount no `hostPath` volume and publish no `hostPort` (with `hostNetwork`, where the Kubernetes API copies `containerPort` into `hostPort`, only `hostNetwork` is reported). Every container (init containers included) is judged on its effective values, computed as Kubernetes does: the container's `securityContext` overrides the pod's. It runs as non-root (effective `runAsNonRoot: true` or non-zero `runAsUser`; `runAsUser: 0` fails even with `runAsNonRoot`), explicitly forbids privilege escalation (`allowPrivilegeEscalation: false`), is not privileged, adds no capability outside `capacitesAutorisees` (by default `NET_BIND_SERVICE`; names compared as container runtimes normalise them: case ignored, `CAP_` prefix optional, `ALL` refused), has no `Unconfined` seccomp profile (the container's `seccompProfile.type` field, else the legacy annotation `container.seccomp.security.alpha.kubernetes.io/<container>`, else the pod's field, else the annotation `seccomp.security.alpha.kubernetes.io/pod`: value `unconfined`), and listens only on ports above `portMin` (1024, Cloud Pi Native framework). Decision: a missing seccomp profile is not required (the kubelet then applies its default, `--seccomp-default`); `exigerProfilSeccomp: true` requires one." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): a patch without a pod template is not examined; `runAsNonRoot`/`runAsUser` (except `runAsUser: 0`), `allowPrivilegeEscalation` and, when required, the seccomp profile that a patch does not set cannot be checked; the other values it sets are judged as above.",
    ),
    remediation: txt(
        "Dans `securityContext` : `runAsNonRoot: true`, `allowPrivilegeEscalation: false`, `privileged: false`, `capabilities: { drop: [\"ALL\"] }`, `seccompProfile: { type: RuntimeDefault }` ; retirer `hostNetwork`/`hostPID`/`hostIPC`, les volumes `hostPath` et les `hostPort` ; écouter sur un port > 1024 (le Service peut exposer 80/443).",
        "In `securityContext`: `runAsNonRoot: true`, `allowPrivilegeEscalation: false`, `privileged: false`, `capabilities: { drop: [\"ALL\"] }`, `seccompProfile: { type: RuntimeDefault }`; drop `hostNetwork`/`hostPID`/`hostIPC`, `hostPath` volumes and `hostPort`s; listen on a port > 1024 (the Service may expose 80/443).",
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
        capacitesAutorisees: {
            type: "array",
            items: { type: "string" },
            default: ["NET_BIND_SERVICE"],
            description: txt("Capacités Linux qu'un conteneur peut ajouter (`capabilities.add`).", "Linux capabilities a container may add (`capabilities.add`)."),
        },
        exigerProfilSeccomp: {
            type: "boolean",
            default: false,
            description: txt("Exiger un profil seccomp explicite (`RuntimeDefault` ou `Localhost`).", "Require an explicit seccomp profile (`RuntimeDefault` or `Localhost`)."),
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
        const metaPath = (podSpecPath(r.type) ?? "spec").replace(/spec$/, "metadata");
        const annotations = rec(get(r.props, `${metaPath}.annotations`)) ?? {};
        const hostNetwork = bool(pod.spec["hostNetwork"]) === true;
        for (const host of ["hostNetwork", "hostPID", "hostIPC"]) {
            if (bool(pod.spec[host]) === true) {
                ctx.report({
                    property: `${pod.path}.${host}`,
                    value: true,
                    problem: msg(m`le pod partage l'espace ${host.slice(4)} de l'hôte.`, m`the pod shares the host's ${host.slice(4)} namespace.`),
                });
            }
        }
        arr(pod.spec["volumes"]).forEach((v, i) => {
            const vol = rec(v);
            const hp = vol?.["hostPath"];
            if (hp === undefined || hp === null) return;
            const path = str(rec(hp)?.["path"]);
            ctx.report({
                property: `${pod.path}.volumes[${i}].hostPath`,
                value: path,
                problem: msg(
                    m`le volume « ${str(vol?.["name"]) ?? i} » monte un chemin de l'hôte (hostPath ${path ?? "?"}).`,
                    m`volume "${str(vol?.["name"]) ?? i}" mounts a host path (hostPath ${path ?? "?"}).`,
                ),
                fix: msg(m`remplacer le volume hostPath par un emptyDir, un ConfigMap, un Secret ou un PersistentVolumeClaim.`, m`replace the hostPath volume with an emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim.`),
            });
        });
        const podSc = rec(pod.spec["securityContext"]) ?? {};
        const podField = str(get(podSc, "seccompProfile.type"));
        const podAnnotation = annotationProfile(str(annotations[SECCOMP_POD_ANNOTATION]));
        const podSeccomp = podField !== undefined
            ? { type: podField, property: `${pod.path}.securityContext.seccompProfile.type` }
            : podAnnotation !== undefined
              ? { type: podAnnotation, property: `${metaPath}.annotations[${SECCOMP_POD_ANNOTATION}]` }
              : undefined;
        const reported = new Set<string>();
        const allowed = new Set(ctx.config.capacitesAutorisees.map(normaliseCapability));
        for (const c of containers(pod)) {
            const sc = rec(c.container["securityContext"]) ?? {};
            const scPath = `${c.path}.securityContext`;
            const label = msg(m`conteneur « ${c.name} »`, m`container "${c.name}"`);
            if (ctx.config.exigerRunAsNonRoot) {
                const nonRoot = bool(sc["runAsNonRoot"]) ?? bool(podSc["runAsNonRoot"]);
                const ownUser = num(sc["runAsUser"]);
                const user = ownUser ?? num(podSc["runAsUser"]);
                const unset = nonRoot !== true && user === undefined && gaps.absent(nonRoot === undefined ? `${scPath}.runAsNonRoot` : `${scPath}.runAsUser`);
                if (!unset && (user === 0 || (nonRoot !== true && user === undefined))) {
                    const userPath = ownUser !== undefined ? `${scPath}.runAsUser` : `${pod.path}.securityContext.runAsUser`;
                    ctx.report({
                        property: user === 0 ? userPath : `${scPath}.runAsNonRoot`,
                        value: user === 0 ? 0 : get(sc, "runAsNonRoot"),
                        problem: msg(m`${label.fr} : peut tourner en root.`, m`${label.en}: may run as root.`),
                    });
                }
            }
            const escalation = sc["allowPrivilegeEscalation"];
            if (bool(escalation) !== false && !((escalation === undefined || escalation === null) && gaps.absent(`${scPath}.allowPrivilegeEscalation`))) {
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
            const added = strings(get(sc, "capabilities.add")).map(normaliseCapability).filter((cap) => cap === "ALL" || !allowed.has(cap));
            if (added.length > 0) {
                ctx.report({
                    property: `${scPath}.capabilities.add`,
                    value: get(sc, "capabilities.add"),
                    problem: msg(m`${label.fr} : ajoute les capacités ${items(added)}.`, m`${label.en}: adds capabilities ${items(added)}.`),
                    fix: msg(m`retirer ces capacités de \`capabilities.add\` (et \`drop: ["ALL"]\`).`, m`remove these capabilities from \`capabilities.add\` (and \`drop: ["ALL"]\`).`),
                });
            }
            const ownField = str(get(sc, "seccompProfile.type"));
            const ownAnnotation = annotationProfile(str(annotations[`${SECCOMP_CONTAINER_ANNOTATION}${c.name}`]));
            const seccomp = ownField !== undefined
                ? { type: ownField, property: `${scPath}.seccompProfile.type` }
                : ownAnnotation !== undefined
                  ? { type: ownAnnotation, property: `${metaPath}.annotations[${SECCOMP_CONTAINER_ANNOTATION}${c.name}]` }
                  : podSeccomp;
            if (seccomp?.type === "Unconfined" && !reported.has(seccomp.property)) {
                reported.add(seccomp.property);
                ctx.report({
                    property: seccomp.property,
                    problem: msg(m`${label.fr} : profil seccomp Unconfined (aucun filtrage des appels système).`, m`${label.en}: Unconfined seccomp profile (no system call filtering).`),
                    fix: msg(m`\`seccompProfile: { type: RuntimeDefault }\`.`, m`\`seccompProfile: { type: RuntimeDefault }\`.`),
                });
            } else if (ctx.config.exigerProfilSeccomp && seccomp === undefined && !gaps.absent(`${scPath}.seccompProfile`)) {
                ctx.report({
                    property: `${scPath}.seccompProfile`,
                    problem: msg(m`${label.fr} : aucun profil seccomp.`, m`${label.en}: no seccomp profile.`),
                    fix: msg(m`\`seccompProfile: { type: RuntimeDefault }\` au niveau du pod ou du conteneur.`, m`\`seccompProfile: { type: RuntimeDefault }\` at pod or container level.`),
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
                const hostPort = num(rec(p)?.["hostPort"]);
                if (!hostNetwork && hostPort !== undefined && hostPort > 0) {
                    ctx.report({
                        property: `${c.path}.ports[${i}].hostPort`,
                        value: hostPort,
                        problem: msg(m`${label.fr} : publie le port ${hostPort} sur l'hôte (hostPort).`, m`${label.en}: publishes port ${hostPort} on the host (hostPort).`),
                        fix: msg(m`retirer \`hostPort\` et exposer le port par un Service.`, m`remove \`hostPort\` and expose the port through a Service.`),
                    });
                }
            });
        }
        gaps.end(ctx);
    },
});
