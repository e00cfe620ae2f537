import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const namespace = (name: string, metaName: unknown = name, annotations: Record<string, unknown> = {}) => ({
    type: K8S.namespace,
    name,
    props: { metadata: { name: metaName, annotations } },
});

const netpol = (name: string, ns: unknown, spec: unknown) => ({
    type: K8S.networkPolicy,
    name,
    props: { metadata: { name, namespace: ns }, spec },
});

const denyAll = { podSelector: {}, policyTypes: ["Ingress"] };

const deploy = (name: string, ns: unknown) => ({
    type: K8S.deployment,
    name,
    props: {
        metadata: { name, ...(ns !== undefined ? { namespace: ns } : {}) },
        spec: { replicas: 2, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "i:1" }] } } },
    },
});

export default fixtures(
    {
        title: "refus par défaut par nom connu, par dépendance vers un Namespace au nom inconnu, sans policyTypes ; kube-system exclu",
        kind: "compliant",
        resources: [
            namespace("app"),
            netpol("app-deny", "app", denyAll),
            deploy("web", "app"),
            namespace("data-ns", unknown()),
            { ...netpol("data-deny", unknown(), { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] }), propertyDependencies: { metadata: ["data-ns"] } },
            { ...deploy("db", unknown()), propertyDependencies: { metadata: ["data-ns"] } },
            namespace("front"),
            netpol("front-deny", "front", { podSelector: { matchLabels: {}, matchExpressions: [] } }),
            deploy("coredns-extra", "kube-system"),
        ],
        expect: { raises: [], notRaises: ["SEC-14"] },
    },
    {
        title: "refus par défaut sans podSelector, flux ouverts par des règles ciblées (pairs ou ports)",
        kind: "compliant",
        config: { exigerEgress: true },
        resources: [
            namespace("shop"),
            netpol("shop-deny", "shop", { policyTypes: ["Ingress", "Egress"] }),
            netpol("shop-web", "shop", {
                podSelector: { matchLabels: { app: "web" } },
                policyTypes: ["Ingress"],
                ingress: [{ ports: [{ port: 8443, protocol: "TCP" }] }, { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } } }] }],
            }),
            netpol("shop-dns", "shop", {
                podSelector: {},
                policyTypes: ["Egress"],
                egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: 53, protocol: "UDP" }] }],
            }),
        ],
        expect: { raises: [], notRaises: ["SEC-14"] },
    },
    {
        title: "politique ciblée, politique qui autorise tout, espaces non déclarés des charges (dont default)",
        kind: "non-compliant",
        resources: [
            namespace("app"),
            netpol("app-web", "app", { podSelector: { matchLabels: { app: "web" } }, policyTypes: ["Ingress"] }),
            namespace("front"),
            netpol("front-allow", "front", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{}] }),
            deploy("worker", "batch"),
            { type: K8S.pod, name: "debug", props: { metadata: { name: "debug" }, spec: { containers: [{ name: "c", image: "i:1" }] } } },
            deploy("coredns-extra", "kube-system"),
        ],
        expect: { raises: ["SEC-14"], notRaises: [], violations: 4, mentions: ["NetworkPolicy"] },
    },
    {
        title: "sortie exigée, espaces des charges non examinés",
        kind: "non-compliant",
        config: { exigerEgress: true, inclureEspacesDesCharges: false },
        resources: [namespace("app"), netpol("app-deny", "app", denyAll), deploy("worker", "batch")],
        expect: { raises: ["SEC-14"], notRaises: [], violations: 1, mentions: ["Egress", "« app »"] },
    },
    {
        title: "refus par défaut annulé par une politique qui autorise tout à côté ; egress: [] sans policyTypes ne refuse pas la sortie",
        kind: "non-compliant",
        config: { exigerEgress: true },
        resources: [
            namespace("app"),
            netpol("app-deny", "app", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }),
            netpol("app-open", "app", { podSelector: { matchLabels: { app: "web" } }, ingress: [{}] }),
            netpol("app-world", "app", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] }),
            namespace("data"),
            netpol("data-deny", "data", { podSelector: {}, ingress: [], egress: [] }),
        ],
        // app: app-open (Ingress), app-world (Egress); data: no Egress deny.
        expect: { raises: ["SEC-14"], notRaises: [], violations: 3 },
    },
    {
        title: "spécification de la NetworkPolicy inconnue à la prévisualisation",
        kind: "unknown",
        resources: [namespace("app"), netpol("app-deny", "app", unknown())],
        expect: { raises: [], notRaises: ["SEC-14"], cannotCheck: true },
    },
    {
        title: "annotation secrète sur un Namespace sans refus par défaut",
        kind: "secret",
        resources: [namespace("app", "app", { "vault.example.fr/token": secret("hvs.N4mespaceS3cret") })],
        expect: { raises: ["SEC-14"], notRaises: [], violations: 1, hidden: ["hvs.N4mespaceS3cret"] },
    },
    {
        title: "types inattendus : spec texte, podSelector texte, ingress texte, métadonnées nulles",
        kind: "malformed",
        resources: [
            namespace("a"),
            netpol("a-np", "a", "?"),
            namespace("b"),
            netpol("b-np", "b", { podSelector: "all", policyTypes: ["Ingress"] }),
            namespace("c"),
            netpol("c-np", "c", { podSelector: {}, policyTypes: "Ingress", ingress: "none" }),
            { type: K8S.namespace, name: "d", props: { metadata: null } },
        ],
        expect: { raises: ["SEC-14"], notRaises: [], violations: 4 },
    },
    {
        title: "correctifs : NetworkPolicyPatch qui fixe un refus complet ; espace corrigé avec refus dans la pile",
        kind: "compliant",
        resources: [
            namespace("app"),
            { type: `${K8S.networkPolicy}Patch`, name: "deny", props: { metadata: { name: "deny", namespace: "app" }, spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [] } } },
            { type: `${K8S.namespace}Patch`, name: "ops", props: { metadata: { name: "ops", labels: { team: "ops" } } } },
            netpol("ops-deny", "ops", denyAll),
        ],
        expect: { raises: [], notRaises: ["SEC-14"] },
    },
    {
        title: "correctif de NetworkPolicy qui ouvre tout à côté du refus par défaut",
        kind: "non-compliant",
        resources: [
            namespace("app"),
            netpol("deny", "app", denyAll),
            { type: `${K8S.networkPolicy}Patch`, name: "open", props: { metadata: { name: "open", namespace: "app" }, spec: { podSelector: {}, ingress: [{}] } } },
        ],
        expect: { raises: ["SEC-14"], notRaises: [], violations: 1 },
    },
    {
        title: "espace corrigé sans refus dans la pile ; NetworkPolicyPatch qui ne fixe que le sélecteur : invérifiables",
        kind: "unknown",
        resources: [
            { type: `${K8S.namespace}Patch`, name: "legacy", props: { metadata: { name: "legacy", labels: { team: "ops" } } } },
            namespace("app"),
            { type: `${K8S.networkPolicy}Patch`, name: "deny", props: { metadata: { name: "deny", namespace: "app" }, spec: { podSelector: {} } } },
        ],
        expect: { raises: [], notRaises: ["SEC-14"], cannotCheck: true },
    },
);
