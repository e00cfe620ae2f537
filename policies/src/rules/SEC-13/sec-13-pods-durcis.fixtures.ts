import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const hardened = { runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false };

const deployment = (name: string, podSpec: Record<string, unknown>) => ({
    type: K8S.deployment,
    name,
    props: {
        metadata: { name },
        spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: podSpec } },
    },
});

export default fixtures(
    {
        title: "Deployment et CronJob durcis, runAsUser au niveau du pod",
        kind: "compliant",
        resources: [
            deployment("web", { containers: [{ name: "web", image: "i:1", securityContext: hardened, ports: [{ containerPort: 8080 }] }] }),
            {
                type: K8S.cronJob,
                name: "purge",
                props: {
                    spec: {
                        schedule: "0 3 * * *",
                        jobTemplate: {
                            spec: {
                                template: {
                                    spec: {
                                        securityContext: { runAsUser: 1000 },
                                        containers: [{ name: "purge", image: "i:1", securityContext: { allowPrivilegeEscalation: false } }],
                                    },
                                },
                            },
                        },
                    },
                },
            },
        ],
        expect: { raises: [], notRaises: ["SEC-13"] },
    },
    {
        title: "valeurs effectives : conteneur qui l'emporte sur le pod, capacité NET_BIND_SERVICE écrite autrement, seccomp RuntimeDefault",
        kind: "compliant",
        resources: [
            {
                ...deployment("api", {
                    securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: "Unconfined" } },
                    volumes: [{ name: "tmp", emptyDir: {} }],
                    containers: [
                        {
                            name: "api",
                            image: "i:1",
                            securityContext: {
                                runAsNonRoot: true,
                                runAsUser: 10001,
                                allowPrivilegeEscalation: false,
                                capabilities: { drop: ["ALL"], add: ["cap_net_bind_service"] },
                                seccompProfile: { type: "RuntimeDefault" },
                            },
                            ports: [{ containerPort: 8443, protocol: "TCP" }],
                        },
                    ],
                }),
            },
            {
                type: K8S.pod,
                name: "legacy",
                props: {
                    metadata: { name: "legacy", annotations: { "seccomp.security.alpha.kubernetes.io/pod": "runtime/default" } },
                    spec: { containers: [{ name: "c", image: "i:1", securityContext: hardened }] },
                },
            },
        ],
        expect: { raises: [], notRaises: ["SEC-13"] },
    },
    {
        title: "pod root, privilégié, sur le réseau de l'hôte, port 80",
        kind: "non-compliant",
        resources: [
            deployment("web", {
                hostNetwork: true,
                containers: [{ name: "web", image: "i:1", securityContext: { privileged: true }, ports: [{ containerPort: 80 }] }],
            }),
        ],
        expect: { raises: ["SEC-13"], notRaises: [], violations: 5, mentions: ["« web »"] },
    },
    {
        title: "conteneur d'initialisation en root (runAsUser 0)",
        kind: "non-compliant",
        resources: [
            deployment("api", {
                securityContext: { runAsNonRoot: true },
                initContainers: [{ name: "init", image: "i:1", securityContext: { runAsUser: 0, allowPrivilegeEscalation: false } }],
                containers: [{ name: "api", image: "i:1", securityContext: hardened }],
            }),
        ],
        expect: { raises: ["SEC-13"], notRaises: [], violations: 1, mentions: ["initContainers[0]"] },
    },
    {
        title: "capacités ajoutées, hostPath, hostPort, seccomp Unconfined (champ et annotation héritée), root par dérogation du conteneur",
        kind: "non-compliant",
        resources: [
            deployment("agent", {
                securityContext: { runAsNonRoot: true },
                volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }],
                containers: [
                    {
                        name: "agent",
                        image: "i:1",
                        securityContext: { ...hardened, runAsNonRoot: false, capabilities: { add: ["CAP_SYS_ADMIN", "net_admin"] }, seccompProfile: { type: "Unconfined" } },
                        ports: [{ containerPort: 9100, hostPort: 9100 }],
                    },
                ],
            }),
            {
                type: K8S.pod,
                name: "legacy",
                props: {
                    metadata: { name: "legacy", annotations: { "container.seccomp.security.alpha.kubernetes.io/c": "unconfined" } },
                    spec: { containers: [{ name: "c", image: "i:1", securityContext: { ...hardened, capabilities: { add: ["ALL"] } } }] },
                },
            },
        ],
        // agent: hostPath, root (container overrides the pod), capabilities, seccomp, hostPort; legacy: capabilities, seccomp.
        expect: { raises: ["SEC-13"], notRaises: [], violations: 7 },
    },
    {
        title: "securityContext inconnu à la prévisualisation",
        kind: "unknown",
        resources: [deployment("web", { containers: [{ name: "web", image: "i:1", securityContext: unknown() }] })],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true },
    },
    {
        title: "variable d'environnement secrète dans un pod non durci",
        kind: "secret",
        resources: [deployment("web", { containers: [{ name: "web", image: "i:1", env: [{ name: "TOKEN", value: secret("jeton-ultra-secret") }] }] })],
        expect: { raises: ["SEC-13"], notRaises: [], violations: 2, hidden: ["jeton-ultra-secret"] },
    },
    {
        title: "types inattendus : conteneurs non-tableau, securityContext texte",
        kind: "malformed",
        resources: [
            deployment("a", { containers: "web" }),
            deployment("b", { containers: [{ name: 3, securityContext: "strict", ports: "8080" }] }),
        ],
        expect: { raises: ["SEC-13"], notRaises: [], violations: 2 },
    },
    {
        title: "correctifs : conteneur durci fixé par le correctif ; correctif sans modèle de pod (non examiné) ; ReplicationController durci",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "web-patch", props: { metadata: { name: "web", namespace: "app" }, spec: { template: { spec: { containers: [{ name: "web", image: "i:2", securityContext: hardened }] } } } } },
            { type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web", namespace: "app" }, spec: { replicas: 3 } } },
            { type: K8S.replicationController, name: "rc", props: { metadata: { name: "rc" }, spec: { replicas: 2, selector: { app: "rc" }, template: { metadata: { labels: { app: "rc" } }, spec: { containers: [{ name: "rc", image: "i:1", securityContext: hardened }] } } } } },
        ],
        expect: { raises: [], notRaises: ["SEC-13"] },
    },
    {
        title: "correctif et ReplicationController : valeurs fautives fixées (root, élévation, privilégié, hostPath)",
        kind: "non-compliant",
        resources: [
            {
                type: `${K8S.pod}Patch`,
                name: "debug",
                props: { metadata: { name: "debug" }, spec: { volumes: [{ name: "h", hostPath: { path: "/" } }], containers: [{ name: "c", securityContext: { runAsUser: 0, allowPrivilegeEscalation: true, privileged: true } }] } },
            },
            { type: K8S.replicationController, name: "rc", props: { spec: { template: { spec: { hostNetwork: true, containers: [{ name: "rc", image: "i:1", securityContext: hardened }] } } } } },
        ],
        expect: { raises: ["SEC-13"], notRaises: [], violations: 5 },
    },
    {
        title: "correctif qui ne fixe ni runAsNonRoot ni allowPrivilegeEscalation : invérifiable, pas une violation",
        kind: "unknown",
        resources: [{ type: `${K8S.deployment}Patch`, name: "bump", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", image: "i:3" }] } } } } }],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true },
    },
);
