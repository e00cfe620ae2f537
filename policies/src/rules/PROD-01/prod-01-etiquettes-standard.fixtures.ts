import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const std = (name: string) => ({
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": `${name}-prod`,
    "app.kubernetes.io/version": "1.4.2",
    "app.kubernetes.io/managed-by": "pulumi",
});

const deploy = (name: string, labels: unknown, podLabels: unknown = { app: name }, annotations: Record<string, unknown> = {}) => ({
    type: K8S.deployment,
    name,
    props: {
        metadata: { name, labels, annotations },
        spec: { replicas: 2, template: { metadata: { labels: podLabels }, spec: { containers: [{ name: "c", image: "i:1" }] } } },
    },
});

export default fixtures(
    {
        title: "Deployment et Service étiquetés",
        kind: "compliant",
        resources: [
            deploy("web", { ...std("web"), "app.kubernetes.io/component": "frontend" }),
            { type: K8S.service, name: "web-svc", props: { metadata: { name: "web", labels: std("web") }, spec: { selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] } } },
            { type: K8S.configMap, name: "cm", props: { metadata: { name: "cm" }, data: { a: "b" } } },
        ],
        expect: { raises: [], notRaises: ["PROD-01"] },
    },
    {
        title: "étiquettes manquantes ou vides sur un Deployment, un Service et un CronJob",
        kind: "non-compliant",
        resources: [
            deploy("web", { "app.kubernetes.io/name": "web", "app.kubernetes.io/version": " " }),
            { type: K8S.service, name: "web-svc", props: { metadata: { name: "web" }, spec: { selector: { app: "web" } } } },
            { type: K8S.cronJob, name: "purge", props: { metadata: { name: "purge", labels: { app: "purge" } }, spec: { schedule: "0 3 * * *" } } },
        ],
        expect: { raises: ["PROD-01"], notRaises: [], violations: 3, mentions: ["metadata.labels", "app.kubernetes.io/instance"] },
    },
    {
        title: "modèles de pod vérifiés, sous-ensemble configuré",
        kind: "non-compliant",
        config: { etiquettesRequises: ["app.kubernetes.io/name", "app.kubernetes.io/part-of"], verifierModelesDePod: true },
        resources: [deploy("web", { "app.kubernetes.io/name": "web", "app.kubernetes.io/part-of": "portail" }, { app: "web" })],
        expect: { raises: ["PROD-01"], notRaises: [], violations: 1, mentions: ["spec.template.metadata.labels", "app.kubernetes.io/part-of"] },
    },
    {
        title: "étiquettes inconnues à la prévisualisation",
        kind: "unknown",
        resources: [deploy("web", unknown())],
        expect: { raises: [], notRaises: ["PROD-01"], cannotCheck: true },
    },
    {
        title: "annotation secrète sur un Deployment sans étiquettes",
        kind: "secret",
        resources: [deploy("web", undefined, { app: "web" }, { jeton: secret("Lab3l-S3cret") })],
        expect: { raises: ["PROD-01"], notRaises: [], violations: 1, hidden: ["Lab3l-S3cret"] },
    },
    {
        title: "types inattendus : étiquettes en liste, valeurs non textuelles, métadonnées nulles",
        kind: "malformed",
        resources: [
            deploy("a", ["app.kubernetes.io/name=a"]),
            deploy("b", { ...std("b"), "app.kubernetes.io/version": 2, "app.kubernetes.io/instance": null }),
            { type: K8S.pod, name: "p", props: { metadata: null, spec: { containers: [] } } },
        ],
        expect: { raises: ["PROD-01"], notRaises: [], violations: 3 },
    },
    {
        title: "correctifs : Service corrigé avec toutes les étiquettes ; correctif sans étiquettes (non examiné) ; ReplicationController étiqueté",
        kind: "compliant",
        resources: [
            { type: `${K8S.service}Patch`, name: "svc", props: { metadata: { name: "web", labels: std("web") } } },
            { type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web" }, spec: { replicas: 3 } } },
            { ...deploy("rc", std("rc")), type: K8S.replicationController },
        ],
        expect: { raises: [], notRaises: ["PROD-01"] },
    },
    {
        title: "correctif qui vide une étiquette ; ReplicationController sans étiquettes",
        kind: "non-compliant",
        resources: [
            { type: `${K8S.service}Patch`, name: "svc", props: { metadata: { name: "web", labels: { ...std("web"), "app.kubernetes.io/version": "" } } } },
            { ...deploy("rc", {}), type: K8S.replicationController },
        ],
        expect: { raises: ["PROD-01"], notRaises: [], violations: 2 },
    },
    {
        title: "correctif qui ne fixe qu'une partie des étiquettes : les autres sont celles de l'objet existant, invérifiable",
        kind: "unknown",
        resources: [{ type: `${K8S.service}Patch`, name: "svc", props: { metadata: { name: "web", labels: { "app.kubernetes.io/version": "1.5.0" } } } }],
        expect: { raises: [], notRaises: ["PROD-01"], cannotCheck: true },
    },
);
