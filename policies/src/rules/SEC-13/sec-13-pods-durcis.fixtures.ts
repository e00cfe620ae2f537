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
);
