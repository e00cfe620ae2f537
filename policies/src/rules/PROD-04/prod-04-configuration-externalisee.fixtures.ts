import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const deploy = (name: string, env: unknown, extra: Record<string, unknown> = {}) => ({
    type: K8S.deployment,
    name,
    props: {
        metadata: { name, namespace: "app" },
        spec: {
            replicas: 2,
            template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "i:1", env, ...extra }] } },
        },
    },
});

export default fixtures(
    {
        title: "valueFrom, envFrom, et TZ littéral autorisé",
        kind: "compliant",
        resources: [
            deploy(
                "web",
                [
                    { name: "DB_HOST", valueFrom: { configMapKeyRef: { name: "web-config", key: "db-host" } } },
                    { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "web-secret", key: "password" } } },
                    { name: "TZ", value: "Europe/Paris" },
                ],
                { envFrom: [{ configMapRef: { name: "web-config" } }] },
            ),
        ],
        expect: { raises: [], notRaises: ["PROD-04"] },
    },
    {
        title: "valeurs littérales dans un conteneur et un conteneur d'initialisation de CronJob",
        kind: "non-compliant",
        resources: [
            deploy("web", [{ name: "DB_HOST", value: "db.interne" }, { name: "LANG", value: "fr_FR.UTF-8" }, { name: "JAVA_OPTS", value: "-Xmx512m" }]),
            {
                type: K8S.cronJob,
                name: "purge",
                props: {
                    spec: {
                        schedule: "0 3 * * *",
                        jobTemplate: {
                            spec: { template: { spec: { initContainers: [{ name: "init", image: "i:1", env: [{ name: "MODE", value: "" }] }], containers: [] } } },
                        },
                    },
                },
            },
        ],
        expect: { raises: ["PROD-04"], notRaises: [], violations: 2, mentions: ["].value"] },
    },
    {
        title: "liste d'autorisation configurée : JAVA_OPTS accepté, LANG ne l'est plus",
        kind: "non-compliant",
        config: { variablesAutorisees: ["JAVA_OPTS"] },
        resources: [deploy("web", [{ name: "JAVA_OPTS", value: "-Xmx512m" }, { name: "LANG", value: "fr_FR.UTF-8" }])],
        expect: { raises: ["PROD-04"], notRaises: [], violations: 1, mentions: ["LANG", "env[1].value"] },
    },
    {
        title: "variables d'environnement inconnues à la prévisualisation",
        kind: "unknown",
        resources: [deploy("web", unknown())],
        expect: { raises: [], notRaises: ["PROD-04"], cannotCheck: true },
    },
    {
        title: "mot de passe secret en valeur littérale : signalé par son nom, jamais affiché",
        kind: "secret",
        resources: [deploy("web", [{ name: "DB_PASSWORD", value: secret("Tr3s-S3cret-Env!") }, { name: "API_URL", value: "https://api.interne/v1?jeton=ClairMaisCache" }])],
        expect: { raises: ["PROD-04"], notRaises: [], violations: 1, hidden: ["Tr3s-S3cret-Env!", "ClairMaisCache"] },
    },
    {
        title: "types inattendus : env objet, entrée nulle, nom numérique, value nulle",
        kind: "malformed",
        resources: [
            deploy("a", { name: "X", value: "y" }),
            deploy("b", [null, "X=y", { name: 5, value: "y" }, { name: "Z", value: null }]),
        ],
        expect: { raises: ["PROD-04"], notRaises: [], violations: 1, mentions: ["env[", "« web »"] },
    },
    {
        title: "correctif qui lit sa configuration d'une ConfigMap ; correctif sans modèle de pod",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", env: [{ name: "MODE", valueFrom: { configMapKeyRef: { name: "cfg", key: "mode" } } }] }] } } } } },
            { type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web" }, spec: { replicas: 3 } } },
        ],
        expect: { raises: [], notRaises: ["PROD-04"] },
    },
    {
        title: "correctif et ReplicationController : valeur littérale",
        kind: "non-compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", env: [{ name: "MODE", value: "prod" }] }] } } } } },
            { type: K8S.replicationController, name: "rc", props: { spec: { template: { spec: { containers: [{ name: "rc", image: "i:1", env: [{ name: "URL", value: "https://api.example.fr" }] }] } } } } },
        ],
        expect: { raises: ["PROD-04"], notRaises: [], violations: 2 },
    },
);
