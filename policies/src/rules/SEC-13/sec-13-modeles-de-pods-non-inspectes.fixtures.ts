import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const podSpec = (env: unknown[] = []) => ({ containers: [{ name: "app", image: "r.example.fr/app:1.0", env }] });

export default fixtures(
    {
        title: "genres lus par les règles, correctif, ressource personnalisée sans modèle de pod",
        kind: "compliant",
        resources: [
            { type: K8S.deployment, name: "web", props: { spec: { template: { spec: podSpec() } } } },
            { type: `${K8S.cronJob}Patch`, name: "purge", props: { spec: { jobTemplate: { spec: { template: { spec: podSpec() } } } } } },
            { type: "kubernetes:cert-manager.io/v1:Certificate", name: "tls", props: { spec: { secretName: "web-tls", dnsNames: ["web.example.fr"], issuerRef: { name: "acme" } } } },
            { type: K8S.configMap, name: "cm", props: { data: { containers: "3" } } },
        ],
        expect: { raises: [], notRaises: ["SEC-13"] },
    },
    {
        title: "Rollout Argo, ScaledJob KEDA, Deployment apps/v1beta1, PodTemplate, liste de Deployments : invérifiables",
        kind: "non-compliant",
        resources: [
            { type: "kubernetes:argoproj.io/v1alpha1:Rollout", name: "web", props: { spec: { replicas: 3, template: { metadata: { labels: { app: "web" } }, spec: podSpec() } } } },
            { type: "kubernetes:keda.sh/v1alpha1:ScaledJob", name: "worker", props: { spec: { jobTargetRef: { template: { spec: podSpec() } } } } },
            { type: "kubernetes:apps/v1beta1:Deployment", name: "old", props: { spec: { template: { spec: podSpec() } } } },
            { type: "kubernetes:core/v1:PodTemplate", name: "tpl", props: { template: { spec: podSpec() } } },
            { type: "kubernetes:apps/v1:DeploymentList", name: "list", props: { items: [{ spec: { template: { spec: podSpec() } } }] } },
        ],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true },
    },
    {
        title: "modèle de pod inconnu à la prévisualisation : invérifiable ; valeur inconnue hors modèle : sans effet",
        kind: "unknown",
        resources: [
            { type: "kubernetes:argoproj.io/v1alpha1:Rollout", name: "web", props: { spec: { replicas: 3, template: unknown() } } },
            { type: "kubernetes:cert-manager.io/v1:Certificate", name: "tls", props: { spec: { secretName: unknown(), dnsNames: ["web.example.fr"] } } },
        ],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true },
    },
    {
        title: "ressource personnalisée sans modèle de pod, valeur inconnue hors des clés de modèle : non concernée",
        kind: "unknown",
        resources: [{ type: "kubernetes:cert-manager.io/v1:Certificate", name: "tls", props: { metadata: { name: unknown() }, spec: { secretName: unknown(), dnsNames: ["web.example.fr"] } } }],
        expect: { raises: [], notRaises: ["SEC-13"] },
    },
    {
        title: "Rollout avec un mot de passe en clair : invérifiable, sans montrer le secret",
        kind: "secret",
        resources: [{ type: "kubernetes:argoproj.io/v1alpha1:Rollout", name: "api", props: { spec: { template: { spec: podSpec([{ name: "DB_PASSWORD", value: secret("Sup3r-Rollout-Pw") }]) } } } }],
        expect: { raises: [], notRaises: ["SEC-13"], cannotCheck: true, hidden: ["Sup3r-Rollout-Pw"] },
    },
    {
        title: "ressources personnalisées mal formées : `containers` qui n'est pas une liste de conteneurs, propriétés nulles",
        kind: "malformed",
        resources: [
            { type: "kubernetes:example.fr/v1:Thing", name: "a", props: { spec: { template: { spec: { containers: "nginx" } } } } },
            { type: "kubernetes:example.fr/v1:Thing", name: "b", props: { spec: { containers: [null, 3] } } },
            { type: "kubernetes:example.fr/v1:Thing", name: "c", props: { spec: null } },
        ],
        expect: { raises: [], notRaises: ["SEC-13"] },
    },
);
