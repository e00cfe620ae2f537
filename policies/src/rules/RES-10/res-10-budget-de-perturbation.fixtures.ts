import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const deploy = (name: string, replicas: unknown, labels: Record<string, unknown> = { app: name }, ns: unknown = "app", type: string = K8S.deployment) => ({
    type,
    name,
    props: {
        metadata: { name, namespace: ns },
        spec: {
            replicas,
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: { containers: [{ name: "c", image: "registry.example.fr/app:1.0" }] } },
        },
    },
});

const pdb = (name: string, selector: unknown, budget: Record<string, unknown> = { maxUnavailable: 1 }, ns: unknown = "app") => ({
    type: K8S.pdb,
    name,
    props: { metadata: { name, namespace: ns }, spec: { selector, ...budget } },
});

const hpa = (name: string, target: string, minReplicas: unknown, maxReplicas: unknown = 6) => ({
    type: K8S.hpaV2,
    name,
    props: {
        metadata: { name, namespace: "app" },
        spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: target }, minReplicas, maxReplicas },
    },
});

export default fixtures(
    {
        title: "PDB par matchLabels, par matchExpressions, par dépendance ; charge à un réplica non concernée",
        kind: "compliant",
        resources: [
            deploy("web", 3, { app: "web", tier: "front" }),
            pdb("web-pdb", { matchLabels: { app: "web" } }, { minAvailable: 2 }),
            { ...deploy("db", 2, { app: "db" }, "data"), type: K8S.statefulSet },
            pdb("db-pdb", { matchExpressions: [{ key: "app", operator: "In", values: ["db"] }, { key: "canary", operator: "DoesNotExist" }] }, { maxUnavailable: "50%" }, "data"),
            deploy("api", 1),
            hpa("api-hpa", "api", 2),
            { ...pdb("api-pdb", unknown()), propertyDependencies: { spec: ["api"] } },
            deploy("batch", 1),
        ],
        expect: { raises: [], notRaises: ["RES-10"] },
    },
    {
        title: "sans PDB, PDB d'un autre espace de noms, PDB qui ne sélectionne pas les pods",
        kind: "non-compliant",
        resources: [
            deploy("web", 3),
            pdb("web-pdb", { matchLabels: { app: "web" } }, { maxUnavailable: 1 }, "autre"),
            deploy("api", 2),
            pdb("api-pdb", { matchLabels: { app: "api", version: "v2" } }),
            deploy("worker", 1),
            hpa("worker-hpa", "worker", 1, 4),
        ],
        expect: { raises: ["RES-10"], notRaises: [], violations: 3, mentions: ["spec.template.metadata.labels", "PodDisruptionBudget"] },
    },
    {
        title: "PDB bloquants : maxUnavailable 0, minAvailable égal aux réplicas, 60 % de 2 réplicas ; deux PDB sur les mêmes pods",
        kind: "non-compliant",
        resources: [
            deploy("a", 3),
            pdb("a-pdb", { matchLabels: { app: "a" } }, { maxUnavailable: 0 }),
            deploy("b", 3),
            pdb("b-pdb", { matchLabels: { app: "b" } }, { minAvailable: 3 }),
            deploy("c", 2),
            pdb("c-pdb", { matchLabels: { app: "c" } }, { minAvailable: "60%" }),
            deploy("d", 2),
            pdb("d-pdb-1", { matchLabels: { app: "d" } }),
            pdb("d-pdb-2", { matchExpressions: [{ key: "app", operator: "Exists" }, { key: "app", operator: "NotIn", values: ["a", "b", "c"] }] }),
        ],
        expect: { raises: ["RES-10"], notRaises: [], violations: 4, mentions: ["drain"] },
    },
    {
        title: "PDB bloquant accepté quand refuserBudgetBloquant vaut false ; PDB manquant toujours signalé",
        kind: "non-compliant",
        config: { refuserBudgetBloquant: false },
        resources: [deploy("a", 3), pdb("a-pdb", { matchLabels: { app: "a" } }, { maxUnavailable: 0 }), deploy("b", 2)],
        expect: { raises: ["RES-10"], notRaises: [], violations: 1, mentions: ["« b »"] },
    },
    {
        title: "sélecteur du seul PDB inconnu à la prévisualisation, sans dépendance",
        kind: "unknown",
        resources: [deploy("web", 3), pdb("web-pdb", unknown())],
        expect: { raises: [], notRaises: ["RES-10"], cannotCheck: true },
    },
    {
        title: "secret dans une charge sans PDB",
        kind: "secret",
        resources: [
            {
                ...deploy("web", 2),
                props: {
                    metadata: { name: "web", namespace: "app", annotations: { jeton: secret("Pdb-S3cret-42") } },
                    spec: { replicas: 2, template: { metadata: { labels: { app: "web" } }, spec: { containers: [] } } },
                },
            },
        ],
        expect: { raises: ["RES-10"], notRaises: [], violations: 1, hidden: ["Pdb-S3cret-42"] },
    },
    {
        title: "types inattendus : sélecteur texte, matchExpressions objet, opérateur inconnu, étiquettes nulles",
        kind: "malformed",
        resources: [
            deploy("a", 2),
            pdb("a-pdb", "app=a"),
            deploy("b", "2"),
            pdb("b-pdb", { matchExpressions: { key: "app" } }),
            deploy("c", 2),
            pdb("c-pdb", { matchExpressions: [{ key: "app", operator: "Like", values: ["c"] }] }),
            deploy("d", 2, null as never),
            pdb("d-pdb", null),
            { type: K8S.pdb, name: "vide", props: { spec: "?" } },
        ],
        expect: { raises: ["RES-10"], notRaises: [], violations: 4 },
    },
    {
        title: "correctif à trois réplicas couvert par un PDB de la pile ; correctif sans réplicas ; ReplicationController couvert",
        kind: "compliant",
        resources: [
            deploy("web", 3, { app: "web" }, "app", `${K8S.deployment}Patch`),
            pdb("web-pdb", { matchLabels: { app: "web" } }),
            { type: `${K8S.deployment}Patch`, name: "image", props: { metadata: { name: "api", namespace: "app" }, spec: { template: { spec: { containers: [{ name: "c", image: "r/i:2" }] } } } } },
            deploy("rc", 2, { app: "rc" }, "app", K8S.replicationController),
            pdb("rc-pdb", { matchLabels: { app: "rc" } }),
        ],
        expect: { raises: [], notRaises: ["RES-10"] },
    },
    {
        title: "ReplicationController à plusieurs réplicas sans PDB",
        kind: "non-compliant",
        resources: [deploy("rc", 3, { app: "rc" }, "app", K8S.replicationController)],
        expect: { raises: ["RES-10"], notRaises: [], violations: 1 },
    },
    {
        title: "correctif à trois réplicas sans PDB dans la pile : l'objet corrigé peut avoir le sien, invérifiable",
        kind: "unknown",
        resources: [{ type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web", namespace: "app" }, spec: { replicas: 3 } } }],
        expect: { raises: [], notRaises: ["RES-10"], cannotCheck: true },
    },
);
