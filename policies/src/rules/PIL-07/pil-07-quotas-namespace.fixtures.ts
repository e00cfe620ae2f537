import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const ns = (name: string, metaName: unknown = name) => ({ type: K8S.namespace, name, props: { metadata: { name: metaName } } });
const quota = (name: string, namespace: unknown) => ({
    type: K8S.resourceQuota,
    name,
    props: { metadata: { name, namespace }, spec: { hard: { "requests.cpu": "4", "requests.memory": "8Gi", "limits.memory": "16Gi" } } },
});
const limits = (name: string, namespace: unknown) => ({
    type: K8S.limitRange,
    name,
    props: { metadata: { name, namespace }, spec: { limits: [{ type: "Container", default: { memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "256Mi" } }] } },
});

export default fixtures(
    {
        title: "quota et LimitRange reliés par le nom, et par dépendance quand le nom est inconnu",
        kind: "compliant",
        resources: [
            ns("app"),
            quota("q", "app"),
            limits("lr", "app"),
            ns("batch", unknown()),
            { ...quota("q2", unknown()), propertyDependencies: { metadata: ["batch"] } },
            { ...limits("lr2", unknown()), propertyDependencies: { metadata: ["batch"] } },
            ns("kube-system"),
        ],
        expect: { raises: [], notRaises: ["PIL-07"] },
    },
    {
        title: "namespace sans rien, namespace sans LimitRange, quota dans un autre namespace",
        kind: "non-compliant",
        resources: [ns("app"), ns("web"), quota("q", "web"), limits("lr", "autre"), quota("q-default", undefined)],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 2, mentions: ["LimitRange", "metadata.name"] },
    },
    {
        title: "namespace exclu par configuration ; default n'est plus exclu",
        kind: "non-compliant",
        config: { namespacesExclus: ["outils"] },
        resources: [ns("outils"), ns("default"), ns("app"), quota("q", "app"), limits("lr", "app")],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 1, mentions: ["« default »", "ResourceQuota, LimitRange"] },
    },
    {
        title: "quota dont l'espace de noms est inconnu et qui ne dépend d'aucun Namespace",
        kind: "unknown",
        resources: [ns("app"), quota("q", unknown()), limits("lr", "app")],
        expect: { raises: [], notRaises: ["PIL-07"], cannotCheck: true },
    },
    {
        title: "namespace sans quota à côté d'un Secret",
        kind: "secret",
        resources: [
            ns("app"),
            limits("lr", "app"),
            { type: K8S.secret, name: "db", props: { metadata: { name: "db", namespace: "app" }, stringData: { password: secret("Db-P4ss-Secret") } } },
        ],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 1, hidden: ["Db-P4ss-Secret"] },
    },
    {
        title: "métadonnées mal formées : nom numérique, espace de noms en liste, metadata nul",
        kind: "malformed",
        resources: [
            { type: K8S.namespace, name: "a", props: { metadata: { name: 42 } } },
            { type: K8S.namespace, name: "b", props: { metadata: null } },
            { type: K8S.resourceQuota, name: "q", props: { metadata: { namespace: ["a"] } } },
            { type: K8S.limitRange, name: "lr", props: { metadata: "a" } },
        ],
        expect: { raises: ["PIL-07"], notRaises: [], violations: 2 },
    },
    {
        title: "correctifs : ResourceQuota corrigé et LimitRange de la pile ; espace corrigé borné dans la pile",
        kind: "compliant",
        resources: [
            ns("app"),
            { ...quota("q", "app"), type: `${K8S.resourceQuota}Patch` },
            limits("l", "app"),
            { type: `${K8S.namespace}Patch`, name: "ops", props: { metadata: { name: "ops", labels: { team: "ops" } } } },
            quota("q-ops", "ops"),
            limits("l-ops", "ops"),
        ],
        expect: { raises: [], notRaises: ["PIL-07"] },
    },
    {
        title: "espace corrigé sans quota dans la pile : il existe déjà et peut en avoir un, invérifiable",
        kind: "unknown",
        resources: [{ type: `${K8S.namespace}Patch`, name: "legacy", props: { metadata: { name: "legacy", labels: { team: "ops" } } } }],
        expect: { raises: [], notRaises: ["PIL-07"], cannotCheck: true },
    },
);
