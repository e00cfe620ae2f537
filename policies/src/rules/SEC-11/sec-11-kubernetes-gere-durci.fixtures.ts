import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const template = (name: string, props: Record<string, unknown>) => ({
    type: OS.magnumClusterTemplate,
    name,
    props: { name, coe: "kubernetes", image: "fedora-coreos-38", masterLbEnabled: true, ...props },
});
const cluster = (name: string, props: Record<string, unknown>) => ({
    type: OS.magnumCluster,
    name,
    props: { name, clusterTemplateId: "tpl", masterCount: 3, nodeCount: 3, ...props },
});

export default fixtures(
    {
        title: "gabarit privé avec TLS, grappe qui hérite du gabarit",
        kind: "compliant",
        resources: [
            template("tpl", { tlsDisabled: false, floatingIpEnabled: false, labels: { master_lb_floating_ip_enabled: "false", kube_tag: "v1.28.4" } }),
            cluster("k8s", { labels: { kube_tag: "v1.28.4" } }),
            cluster("k8s-b", { floatingIpEnabled: false }),
        ],
        expect: { raises: [], notRaises: ["SEC-11"] },
    },
    {
        title: "gabarit sans TLS, IP flottantes par défaut, API publique ; grappe qui active les IP flottantes",
        kind: "non-compliant",
        resources: [
            template("tpl", { tlsDisabled: true, labels: { master_lb_floating_ip_enabled: "true" } }),
            cluster("k8s", { floatingIpEnabled: true, labels: { master_lb_floating_ip_enabled: "True" } }),
        ],
        expect: { raises: ["SEC-11"], notRaises: [], violations: 5 },
    },
    {
        title: "IP flottantes des nœuds inconnues à la prévisualisation",
        kind: "unknown",
        resources: [template("tpl", { tlsDisabled: false, floatingIpEnabled: unknown() })],
        expect: { raises: [], notRaises: ["SEC-11"], cannotCheck: true },
    },
    {
        title: "grappe exposée avec une URL de découverte secrète",
        kind: "secret",
        resources: [cluster("k8s", { floatingIpEnabled: true, discoveryUrl: secret("https://discovery.etcd.io/0123456789abcdef") })],
        expect: { raises: ["SEC-11"], notRaises: [], violations: 1, hidden: ["https://discovery.etcd.io/0123456789abcdef"] },
    },
    {
        title: "valeurs mal formées : booléens en texte, labels tableau",
        kind: "malformed",
        resources: [
            template("tpl", { tlsDisabled: "true", floatingIpEnabled: "false", labels: ["master_lb_floating_ip_enabled=true"] }),
            cluster("k8s", { floatingIpEnabled: 1, labels: "x" }),
        ],
        // "true"/"false" strings are read as booleans: tlsDisabled fails (1); an array of labels and a numeric flag are ignored.
        expect: { raises: ["SEC-11"], notRaises: [], violations: 1, mentions: ["tlsDisabled"] },
    },
);
