import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const binding = (name: string, role: unknown, subjects: unknown, type: string = K8S.clusterRoleBinding) => ({
    type,
    name,
    props: { metadata: { name }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role }, subjects },
});
const sa = (name: string, namespace = "app") => ({ kind: "ServiceAccount", name, namespace });
const role = (name: string, rules: unknown, type: string = K8S.role) => ({ type, name, props: { metadata: { name, namespace: "app" }, rules } });

export default fixtures(
    {
        title: "cluster-admin à un groupe d'administrateurs, rôle de lecture, sous-ressource nommée, bind restreint, agrégation par étiquette propre",
        kind: "compliant",
        resources: [
            binding("admins", "cluster-admin", [{ kind: "Group", name: "ops-admins", apiGroup: "rbac.authorization.k8s.io" }]),
            binding("web-view", "view", [sa("web")], K8S.roleBinding),
            role("lecture", [{ apiGroups: [""], resources: ["configmaps", "pods/log"], verbs: ["get", "list", "watch"] }]),
            role("scale", [{ apiGroups: ["apps"], resources: ["deployments/scale", "pods/*"], verbs: ["update"] }], K8S.clusterRole),
            role("delegue", [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind"], resourceNames: ["view"] }], K8S.clusterRole),
            {
                type: K8S.clusterRole,
                name: "lecture-agregee",
                props: { metadata: { name: "lecture-agregee" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.example.fr/aggregate-to-lecture": "true" } }] } },
            },
            binding("sa-view", "view", [{ kind: "User", name: "system:serviceaccount:app:web" }]),
        ],
        expect: { raises: [], notRaises: ["SEC-15"] },
    },
    {
        title: "cluster-admin à un compte de service et à tous les comptes de service ; jokers dans verbs, resources et apiGroups",
        kind: "non-compliant",
        resources: [
            binding("web-admin", "cluster-admin", [sa("web"), { kind: "Group", name: "system:serviceaccounts:app" }, { kind: "User", name: "alice" }]),
            role("tout", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }], K8S.clusterRole),
            role("sous", [{ apiGroups: ["apps"], resources: ["*/scale"], verbs: ["get"] }]),
        ],
        expect: { raises: ["SEC-15"], notRaises: [], violations: 5 },
    },
    {
        title: "compte de service écrit comme User, groupe de tous les comptes, escalade, agrégation de cluster-admin, URL joker",
        kind: "non-compliant",
        resources: [
            binding("sa-user", "cluster-admin", [
                { kind: "User", name: "system:serviceaccount:app:web", apiGroup: "rbac.authorization.k8s.io" },
                { kind: "Group", name: "system:serviceaccounts", apiGroup: "rbac.authorization.k8s.io" },
                { kind: "User", name: "system:anonymous", apiGroup: "rbac.authorization.k8s.io" },
            ]),
            role("escalade", [{ apiGroups: [""], resources: ["users", "serviceaccounts"], verbs: ["impersonate"] }], K8S.clusterRole),
            role("metriques", [{ nonResourceURLs: ["/*"], verbs: ["get"] }], K8S.clusterRole),
            {
                type: K8S.clusterRole,
                name: "tout-agreger",
                props: { metadata: { name: "tout-agreger" }, aggregationRule: { clusterRoleSelectors: [{}] } },
            },
        ],
        expect: { raises: ["SEC-15"], notRaises: [], violations: 4, mentions: ["SEC-15"] },
    },
    {
        title: "rôles admin configurés, utilisateurs refusés, apiGroups joker refusé",
        kind: "non-compliant",
        config: { rolesPrivilegies: ["cluster-admin", "admin"], sujetsInterdits: ["ServiceAccount", "User", "Group"], refuserGroupesApiJoker: true },
        resources: [
            binding("alice-admin", "admin", [{ kind: "User", name: "alice" }], K8S.roleBinding),
            role("groupes", [{ apiGroups: ["*"], resources: ["deployments"], verbs: ["get"] }]),
        ],
        expect: { raises: ["SEC-15"], notRaises: [], violations: 2, mentions: ["SEC-15"] },
    },
    {
        title: "sujets inconnus à la prévisualisation",
        kind: "unknown",
        resources: [binding("web-admin", "cluster-admin", unknown())],
        expect: { raises: [], notRaises: ["SEC-15"], cannotCheck: true },
    },
    {
        title: "annotation secrète sur une liaison cluster-admin",
        kind: "secret",
        resources: [
            {
                ...binding("web-admin", "cluster-admin", [sa("web")]),
                props: {
                    metadata: { name: "web-admin", annotations: { jeton: secret("Rbac-S3cret-99") } },
                    roleRef: { kind: "ClusterRole", name: "cluster-admin" },
                    subjects: [sa("web")],
                },
            },
        ],
        expect: { raises: ["SEC-15"], notRaises: [], violations: 1, hidden: ["Rbac-S3cret-99"], mentions: ["subjects[0]", "cluster-admin"] },
    },
    {
        title: "types inattendus : sujets objet, sujet sans genre, règles texte, verbes texte",
        kind: "malformed",
        resources: [
            binding("a", "cluster-admin", { kind: "ServiceAccount", name: "web" }),
            binding("b", "cluster-admin", [null, { name: "web" }, { kind: "ServiceAccount" }]),
            binding("c", 42, [sa("web")]),
            role("r1", "*"),
            role("r2", [null, { verbs: "*", resources: ["*", 3] }]),
        ],
        expect: { raises: ["SEC-15"], notRaises: [], violations: 2 },
    },
    {
        title: "correctifs : liaison d'un rôle ordinaire, Role aux droits listés, correctif d'étiquettes seules",
        kind: "compliant",
        resources: [
            binding("view", "view", [sa("web")], `${K8S.roleBinding}Patch`),
            role("reader", [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }], `${K8S.role}Patch`),
            { type: `${K8S.clusterRoleBinding}Patch`, name: "labels", props: { metadata: { name: "x", labels: { team: "ops" } } } },
        ],
        expect: { raises: [], notRaises: ["SEC-15"] },
    },
    {
        title: "correctifs : cluster-admin accordé à un compte de service, joker dans un ClusterRole",
        kind: "non-compliant",
        resources: [
            binding("admin", "cluster-admin", [sa("ci")], `${K8S.roleBinding}Patch`),
            role("all", [{ apiGroups: ["apps"], resources: ["*"], verbs: ["get"] }], `${K8S.clusterRole}Patch`),
        ],
        expect: { raises: ["SEC-15"], notRaises: [], violations: 2 },
    },
    {
        title: "correctif de liaison qui ajoute un compte de service sans dire le rôle : invérifiable",
        kind: "unknown",
        resources: [{ type: `${K8S.roleBinding}Patch`, name: "b", props: { metadata: { name: "b", namespace: "app" }, subjects: [sa("ci")] } }],
        expect: { raises: [], notRaises: ["SEC-15"], cannotCheck: true },
    },
);
