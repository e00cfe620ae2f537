import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const probes = {
    readinessProbe: { httpGet: { path: "/health/ready", port: 8080 } },
    livenessProbe: { httpGet: { path: "/health/live", port: 8080 } },
};

const deploy = (name: string, conts: unknown, type: string = K8S.deployment) => ({
    type,
    name,
    props: {
        metadata: { name, namespace: "app" },
        spec: { replicas: 2, template: { metadata: { labels: { app: name } }, spec: { initContainers: [{ name: "init", image: "i:1" }], containers: conts } } },
    },
});

const job = {
    type: K8S.job,
    name: "migration",
    props: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "migrate", image: "i:1" }] } } } },
};

export default fixtures(
    {
        title: "sondes sur chaque conteneur ; conteneur d'initialisation et Job non concernés",
        kind: "compliant",
        resources: [deploy("web", [{ name: "web", image: "i:1", ...probes }, { name: "proxy", image: "p:1", ...probes }]), job],
        expect: { raises: [], notRaises: ["PROD-03"] },
    },
    {
        title: "sonde de vie manquante, conteneur sans sondes dans un DaemonSet",
        kind: "non-compliant",
        resources: [
            deploy("web", [{ name: "web", image: "i:1", readinessProbe: probes.readinessProbe }]),
            deploy("agent", [{ name: "agent", image: "a:1" }], K8S.daemonSet),
        ],
        expect: { raises: ["PROD-03"], notRaises: [], violations: 3, mentions: ["spec.template.spec.containers[0]"] },
    },
    {
        title: "sonde de démarrage exigée par configuration",
        kind: "non-compliant",
        config: { sondesRequises: ["readinessProbe", "livenessProbe", "startupProbe"] },
        resources: [deploy("web", [{ name: "web", image: "i:1", ...probes }])],
        expect: { raises: ["PROD-03"], notRaises: [], violations: 1, mentions: ["startupProbe"] },
    },
    {
        title: "sonde inconnue à la prévisualisation",
        kind: "unknown",
        resources: [deploy("web", [{ name: "web", image: "i:1", readinessProbe: probes.readinessProbe, livenessProbe: unknown() }])],
        expect: { raises: [], notRaises: ["PROD-03"], cannotCheck: true },
    },
    {
        title: "variable d'environnement secrète dans un conteneur sans sondes",
        kind: "secret",
        resources: [deploy("web", [{ name: "web", image: "i:1", env: [{ name: "DB_PASSWORD", value: secret("Pr0be-S3cret") }] }])],
        expect: { raises: ["PROD-03"], notRaises: [], violations: 2, hidden: ["Pr0be-S3cret"] },
    },
    {
        title: "types inattendus : sondes en texte, conteneurs objet, conteneur nul",
        kind: "malformed",
        resources: [
            deploy("a", [{ name: "a", image: "i:1", readinessProbe: "/health", livenessProbe: probes.livenessProbe }, null]),
            deploy("b", { name: "b" }),
        ],
        expect: { raises: ["PROD-03"], notRaises: [], violations: 1, mentions: ["readinessProbe"] },
    },
    {
        title: "correctif qui fixe les sondes ; ReplicationController sondé",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", ...probes }] } } } } },
            deploy("rc", [{ name: "rc", image: "i:1", ...probes }], K8S.replicationController),
        ],
        expect: { raises: [], notRaises: ["PROD-03"] },
    },
    {
        title: "ReplicationController sans sondes",
        kind: "non-compliant",
        resources: [deploy("rc", [{ name: "rc", image: "i:1" }], K8S.replicationController)],
        expect: { raises: ["PROD-03"], notRaises: [], violations: 2 },
    },
    {
        title: "correctif d'image seule : sondes de l'objet existant, invérifiables",
        kind: "unknown",
        resources: [{ type: `${K8S.deployment}Patch`, name: "bump", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", image: "i:2" }] } } } } }],
        expect: { raises: [], notRaises: ["PROD-03"], cannotCheck: true },
    },
);
