import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const bounded = { requests: { cpu: "250m", memory: "256Mi" }, limits: { memory: "512Mi" } };

const deploy = (name: string, spec: Record<string, unknown>) => ({
    type: K8S.deployment,
    name,
    props: {
        metadata: { name, namespace: "app" },
        spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
    },
});

export default fixtures(
    {
        title: "Deployment et CronJob bornés, conteneur d'initialisation compris",
        kind: "compliant",
        resources: [
            deploy("web", {
                initContainers: [{ name: "migrate", image: "r.example.fr/m:1", resources: bounded }],
                containers: [{ name: "web", image: "r.example.fr/w:1", resources: { requests: { cpu: 0.5, memory: "1Gi" }, limits: { memory: "1Gi", cpu: "1" } } }],
            }),
            {
                type: K8S.cronJob,
                name: "purge",
                props: { spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "p", image: "r.example.fr/p:1", resources: bounded }] } } } } } },
            },
        ],
        expect: { raises: [], notRaises: ["PIL-07"] },
    },
    {
        title: "conteneurs sans ressources, sans limite mémoire, initialisation non bornée",
        kind: "non-compliant",
        resources: [
            deploy("web", {
                initContainers: [{ name: "migrate", image: "r.example.fr/m:1" }],
                containers: [
                    { name: "web", image: "r.example.fr/w:1", resources: { requests: { cpu: "250m", memory: "256Mi" } } },
                    { name: "sidecar", image: "r.example.fr/s:1", resources: bounded },
                ],
            }),
            { type: K8S.pod, name: "debug", props: { spec: { containers: [{ name: "sh", image: "r.example.fr/sh:1", resources: { limits: { memory: "" } } }] } } },
        ],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 3, mentions: ["resources", "limits.memory"] },
    },
    {
        title: "limite CPU exigée par configuration",
        kind: "non-compliant",
        config: { champsExiges: ["requests.cpu", "requests.memory", "limits.memory", "limits.cpu"] },
        resources: [deploy("web", { containers: [{ name: "web", image: "r.example.fr/w:1", resources: bounded }] })],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 1, mentions: ["limits.cpu", "spec.template.spec.containers[0].resources"] },
    },
    {
        title: "ressources inconnues à la prévisualisation",
        kind: "unknown",
        resources: [deploy("web", { containers: [{ name: "web", image: "r.example.fr/w:1", resources: { requests: unknown(), limits: { memory: "1Gi" } } }] })],
        expect: { raises: [], notRaises: ["PIL-07"], cannotCheck: true },
    },
    {
        title: "conteneur non borné avec une variable secrète",
        kind: "secret",
        resources: [
            deploy("web", {
                containers: [{ name: "web", image: "r.example.fr/w:1", env: [{ name: "API_TOKEN", value: secret("tok-98765-secret") }] }],
            }),
        ],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 1, hidden: ["tok-98765-secret"] },
    },
    {
        title: "ressources en texte, requêtes nulles, conteneurs en texte (ignorés)",
        kind: "malformed",
        resources: [
            deploy("a", { containers: [{ name: "a", resources: "beaucoup" }, "pas un conteneur", null] }),
            deploy("b", { containers: [{ name: "b", resources: { requests: null, limits: { memory: ["1Gi"] } } }] }),
            deploy("c", { containers: "web" }),
            { type: K8S.pod, name: "d", props: { spec: null } },
        ],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 2 },
    },
    {
        title: "correctif qui borne ses conteneurs ; correctif sans modèle de pod ; ReplicationController borné",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", resources: bounded }] } } } } },
            { type: `${K8S.statefulSet}Patch`, name: "s", props: { metadata: { name: "db" }, spec: { replicas: 3 } } },
            { type: K8S.replicationController, name: "rc", props: { spec: { template: { spec: { containers: [{ name: "rc", image: "i:1", resources: bounded }] } } } } },
        ],
        expect: { raises: [], notRaises: ["PIL-07"] },
    },
    {
        title: "ReplicationController sans ressources ; correctif qui fixe une valeur vide (et laisse le reste à l'objet existant)",
        kind: "non-compliant",
        resources: [
            { type: K8S.replicationController, name: "rc", props: { spec: { template: { spec: { containers: [{ name: "rc", image: "i:1" }] } } } } },
            { type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", resources: { requests: { cpu: " " } } }] } } } } },
        ],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 2, cannotCheck: true },
    },
    {
        title: "correctif d'image seule : ressources de l'objet existant, invérifiables",
        kind: "unknown",
        resources: [{ type: `${K8S.deployment}Patch`, name: "bump", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", image: "r.example.fr/w:2" }] } } } } }],
        expect: { raises: [], notRaises: ["PIL-07"], cannotCheck: true },
    },
);
