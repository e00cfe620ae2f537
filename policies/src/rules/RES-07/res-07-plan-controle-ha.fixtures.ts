import { fixtures, FixtureResource, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const template = (name: string, extra: Record<string, unknown> = {}): FixtureResource => ({
    type: OS.magnumClusterTemplate,
    name,
    props: {
        name,
        coe: "kubernetes",
        image: "fedora-coreos-38",
        networkDriver: "calico",
        serverType: "vm",
        tlsDisabled: false,
        labels: { kube_tag: "v1.27.4" },
        ...extra,
    },
});

/** A Cluster created from the template of the same program: `clusterTemplateId: template.id`, unknown at preview. */
const cluster = (name: string, masterCount: unknown, extra: Record<string, unknown> = {}, tpl = "k8s"): FixtureResource => ({
    type: OS.magnumCluster,
    name,
    props: { name, clusterTemplateId: unknown(), masterCount, nodeCount: 3, keypair: "ops", ...extra },
    propertyDependencies: { clusterTemplateId: [tpl] },
});

export default fixtures(
    {
        title: "trois maîtres, modèle avec répartiteur des maîtres",
        kind: "compliant",
        resources: [template("k8s", { masterLbEnabled: true }), cluster("prod", 3)],
        expect: { raises: [], notRaises: ["RES-07"] },
    },
    {
        title: "cinq maîtres, répartiteur activé par label sur le modèle ; modèle non Kubernetes ignoré",
        kind: "compliant",
        resources: [
            template("k8s", { labels: { kube_tag: "v1.27.4", master_lb_enabled: "true" } }),
            cluster("prod", 5),
            template("swarm", { coe: "swarm" }),
        ],
        expect: { raises: [], notRaises: ["RES-07"] },
    },
    {
        title: "cluster qui active lui-même le répartiteur, exigé par configuration",
        kind: "compliant",
        config: { repartiteurSurCluster: true },
        resources: [cluster("prod", 3, { labels: { master_lb_enabled: "true" } }, "k8s"), template("k8s", { masterLbEnabled: true })],
        expect: { raises: [], notRaises: ["RES-07"] },
    },
    {
        title: "un seul maître (masterCount absent) et modèle sans répartiteur",
        kind: "non-compliant",
        resources: [template("k8s"), cluster("prod", undefined)],
        expect: { raises: ["RES-07"], notRaises: [], violations: 2 },
    },
    {
        title: "nombre pair de maîtres : chemin exact",
        kind: "non-compliant",
        resources: [template("k8s", { masterLbEnabled: true }), cluster("prod", 4)],
        expect: { raises: ["RES-07"], notRaises: [], violations: 1, mentions: ["Cluster « prod »", "masterCount = 4", "impair"] },
    },
    {
        title: "cluster qui désactive le répartiteur du modèle (propriété, puis label)",
        kind: "non-compliant",
        resources: [
            template("k8s", { masterLbEnabled: true }),
            cluster("a", 3, { masterLbEnabled: false }),
            cluster("b", 3, { labels: { master_lb_enabled: "false" }, mergeLabels: true }),
        ],
        expect: { raises: ["RES-07"], notRaises: [], violations: 2, mentions: ["désactive"] },
    },
    {
        title: "nombre pair accepté par configuration, minimum de 5",
        kind: "non-compliant",
        config: { mastersMin: 5, mastersImpair: false },
        resources: [template("k8s", { masterLbEnabled: true }), cluster("prod", 4), cluster("grand", 6)],
        expect: { raises: ["RES-07"], notRaises: [], violations: 1, mentions: ["« prod »", "au moins 5"] },
    },
    {
        title: "nombre de maîtres inconnu à la prévisualisation",
        kind: "unknown",
        resources: [template("k8s", { masterLbEnabled: true }), cluster("prod", unknown())],
        expect: { raises: [], notRaises: ["RES-07"], cannotCheck: true },
    },
    {
        title: "proxy avec mot de passe secret sur un modèle en défaut",
        kind: "secret",
        resources: [template("k8s", { httpProxy: secret("http://user:Pr0xy-S3cret@proxy:3128"), masterLbEnabled: false })],
        expect: { raises: ["RES-07"], notRaises: [], violations: 1, hidden: ["Pr0xy-S3cret"] },
    },
    {
        title: "valeurs mal formées : masterCount texte, labels en liste, masterLbEnabled texte",
        kind: "malformed",
        resources: [
            template("k8s", { masterLbEnabled: "oui", labels: ["master_lb_enabled=true"] }),
            cluster("a", "trois"),
            cluster("b", 3.5, { labels: "master_lb_enabled=false" }),
            cluster("c", "3", { masterLbEnabled: null }),
        ],
        // template: "oui" is not true and list labels are no labels → 1; "trois" and 3.5 count as 0 masters → 2; "3" is read as 3.
        expect: { raises: ["RES-07"], notRaises: [], violations: 3 },
    },
);
