import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S_COMPONENTS } from "../../lib/k8s-coverage";
import { K8S } from "../../lib/types";

const deployment = (name: string, parent?: string) => ({
    type: K8S.deployment,
    name,
    ...(parent ? { parent } : {}),
    props: { metadata: { name, namespace: "app" }, spec: { replicas: 2, template: { spec: { containers: [{ name, image: "r.example.fr/i:1" }] } } } },
});

export default fixtures(
    {
        title: "Chart v3 et ConfigGroup v2 dont les objets sont dans la pile (enfants) ; pas de composant",
        kind: "compliant",
        resources: [
            { type: K8S_COMPONENTS.helmChartV3, name: "ingress-nginx", props: { chart: "ingress-nginx", version: "4.10.0" } },
            deployment("ingress-nginx:app/controller", "ingress-nginx"),
            { type: K8S_COMPONENTS.configGroupV2, name: "manifests", props: { files: ["k8s/*.yaml"] } },
            deployment("manifests:app/api", "manifests"),
        ],
        expect: { raises: [], notRaises: ["SEC-13"] },
    },
    {
        title: "Release Helm (jamais d'enfants), Chart v4 et Directory kustomize v2 non rendus : invérifiables",
        kind: "non-compliant",
        resources: [
            { type: K8S_COMPONENTS.helmRelease, name: "redis", props: { chart: "oci://registry.example.fr/charts/redis", version: "19.0.1", values: { replica: { replicaCount: 1 } } } },
            { type: K8S_COMPONENTS.helmChartV4, name: "cert-manager", props: { chart: "cert-manager", repositoryOpts: { repo: "https://charts.jetstack.io" } } },
            { type: K8S_COMPONENTS.kustomizeV2, name: "overlay", props: { directory: "./overlays/prod" } },
            deployment("web"),
        ],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true },
    },
    {
        title: "Chart v3 aux valeurs inconnues, sans enfants (simulation) : invérifiable",
        kind: "unknown",
        resources: [{ type: K8S_COMPONENTS.helmChartV3, name: "app", props: { chart: "app", values: unknown() } }],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true },
    },
    {
        title: "Release aux valeurs secrètes : invérifiable, sans montrer le secret",
        kind: "secret",
        resources: [{ type: K8S_COMPONENTS.helmRelease, name: "db", props: { chart: "postgresql", values: secret({ auth: { postgresPassword: "Pg-Sup3r-S3cret" } }) } }],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true, hidden: ["Pg-Sup3r-S3cret"] },
    },
    {
        title: "composants mal formés (propriétés absentes ou de mauvais type) : toujours invérifiables",
        kind: "malformed",
        resources: [
            { type: K8S_COMPONENTS.configFileV2, name: "f", props: { file: 42 } },
            { type: K8S_COMPONENTS.kustomizeV1, name: "d", props: {} },
        ],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true },
    },
);
