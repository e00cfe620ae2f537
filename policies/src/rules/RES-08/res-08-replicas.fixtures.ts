import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const deploy = (name: string, replicas: unknown, extra: Record<string, unknown> = {}) => ({
    type: K8S.deployment,
    name,
    props: {
        metadata: { name, namespace: "app" },
        spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "registry.example.fr/app:1.0" }] } },
            ...extra,
        },
    },
});

const hpa = (name: string, target: string, minReplicas: unknown) => ({
    type: K8S.hpaV2,
    name,
    props: {
        metadata: { name, namespace: "app" },
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas, maxReplicas: 6 },
    },
});

export default fixtures(
    {
        title: "Deployment à trois réplicas",
        kind: "compliant",
        resources: [deploy("web", 3)],
        expect: { raises: [], notRaises: ["RES-08"] },
    },
    {
        title: "Deployment à un réplica piloté par un HPA (minReplicas 2), relié par le nom",
        kind: "compliant",
        resources: [deploy("web", 1), hpa("web-hpa", "web", 2)],
        expect: { raises: [], notRaises: ["RES-08"] },
    },
    {
        title: "HPA relié par dépendance de propriété, nom inconnu à la prévisualisation",
        kind: "compliant",
        resources: [
            deploy("web", undefined),
            { ...hpa("web-hpa", unknown(), 2), propertyDependencies: { spec: ["web"] } },
        ],
        expect: { raises: [], notRaises: ["RES-08"] },
    },
    {
        title: "Deployment sans réplicas (1 par défaut) ni HPA",
        kind: "non-compliant",
        resources: [deploy("web", undefined)],
        expect: { raises: ["RES-08"], notRaises: [], violations: 1, mentions: ["spec.replicas", "« web »"] },
    },
    {
        title: "HPA qui descend à un réplica",
        kind: "non-compliant",
        resources: [deploy("web", 1), hpa("web-hpa", "web", 1)],
        expect: { raises: ["RES-08"], notRaises: [], violations: 1, mentions: ["web-hpa"] },
    },
    {
        title: "StatefulSet à deux réplicas quand trois sont exigés",
        kind: "non-compliant",
        config: { replicasMin: 3 },
        resources: [{ ...deploy("db", 2), type: K8S.statefulSet }],
        expect: { raises: ["RES-08"], notRaises: [], violations: 1 },
    },
    {
        title: "nombre de réplicas inconnu à la prévisualisation",
        kind: "unknown",
        resources: [deploy("web", unknown())],
        expect: { raises: [], notRaises: ["RES-08"], cannotCheck: true },
    },
    {
        title: "variable d'environnement secrète dans une charge en défaut",
        kind: "secret",
        resources: [
            deploy("web", 1, {
                template: {
                    metadata: { labels: { app: "web" } },
                    spec: { containers: [{ name: "c", image: "i:1", env: [{ name: "DB_PASSWORD", value: secret("Tr3sS3cret!") }] }] },
                },
            }),
        ],
        expect: { raises: ["RES-08"], notRaises: [], hidden: ["Tr3sS3cret!"] },
    },
    {
        title: "réplicas de type texte non numérique",
        kind: "malformed",
        resources: [deploy("web", "beaucoup"), { type: K8S.hpaV2, name: "h", props: { spec: "?" } }],
        expect: { raises: ["RES-08"], notRaises: [], violations: 1 },
    },
    {
        title: "correctif à trois réplicas ; correctif sans réplicas (celui de l'objet existant) ; ReplicationController à deux réplicas",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web", namespace: "app" }, spec: { replicas: 3 } } },
            { type: `${K8S.deployment}Patch`, name: "image", props: { metadata: { name: "api", namespace: "app" }, spec: { template: { spec: { containers: [{ name: "c", image: "r/i:2" }] } } } } },
            { ...deploy("rc", 2), type: K8S.replicationController },
        ],
        expect: { raises: [], notRaises: ["RES-08"] },
    },
    {
        title: "correctif à un réplica ; ReplicationController sans réplicas",
        kind: "non-compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web", namespace: "app" }, spec: { replicas: 1 } } },
            { ...deploy("rc", undefined), type: K8S.replicationController },
        ],
        expect: { raises: ["RES-08"], notRaises: [], violations: 2 },
    },
);
