/**
 * Realistic variants of the SEC-09, SEC-13, SEC-14 and SEC-15 fixtures, written the other valid
 * ways a program writes them: compliant ones must raise no mandatory finding, non-compliant ones
 * must be caught whatever their spelling.
 */
import * as zlib from "zlib";
import type { FixtureResource } from "@cloud-de-confiance/policies/dist/lib/fixture";

const OS_INSTANCE = "openstack:compute/instance:Instance";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const POD = "kubernetes:core/v1:Pod";
const CRONJOB = "kubernetes:batch/v1:CronJob";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const ROLE = "kubernetes:rbac.authorization.k8s.io/v1:Role";
const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const CLUSTER_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding";

export interface Variant {
    /** The rule the variant is about. */
    rule: string;
    title: string;
    resources: FixtureResource[];
}

const vm = (name: string, userData: string, extra: Record<string, unknown> = {}): FixtureResource => ({
    type: OS_INSTANCE,
    name,
    props: { name, flavorName: "b3-8", imageName: "debian-12", keyPair: "admin", userData, ...extra },
});

const hardened = { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } };

const workload = (name: string, ns: string, container: Record<string, unknown>, pod: Record<string, unknown> = {}, type = DEPLOYMENT): FixtureResource => {
    const spec = { containers: [{ name: "app", image: "registry.example.fr/app:1.0.0", securityContext: hardened, ...container }], ...pod };
    if (type === POD) return { type, name, props: { metadata: { name, namespace: ns }, spec } };
    if (type === CRONJOB) return { type, name, props: { metadata: { name, namespace: ns }, spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: "OnFailure" } } } } } } };
    return {
        type,
        name,
        props: {
            metadata: { name, namespace: ns },
            spec: { replicas: 3, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } },
        },
    };
};

/** A namespace with its default deny, so that a variant is compliant for SEC-14 too. */
const isolated = (ns: string): FixtureResource[] => [
    { type: NAMESPACE, name: `${ns}-ns`, props: { metadata: { name: ns } } },
    { type: NETPOL, name: `${ns}-default-deny`, props: { metadata: { name: "default-deny", namespace: ns }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } } },
];

const b64 = (s: string) => Buffer.from(s).toString("base64");
const gzb64 = (s: string) => zlib.gzipSync(Buffer.from(s)).toString("base64");
const mime = (...parts: [string, string][]) =>
    [
        'Content-Type: multipart/mixed; boundary="===============5230417811958262962=="',
        "MIME-Version: 1.0",
        "",
        ...parts.flatMap(([type, body]) => [
            "--===============5230417811958262962==",
            `Content-Type: ${type}; charset="us-ascii"`,
            "MIME-Version: 1.0",
            "Content-Transfer-Encoding: base64",
            `Content-Disposition: attachment; filename="part-${type.split("/")[1]}"`,
            "",
            b64(body),
        ]),
        "--===============5230417811958262962==--",
        "",
    ].join("\n");

const CLOUD_CONFIG_OK = [
    "#cloud-config",
    "ssh_pwauth: false",
    "disable_root: true",
    "users:",
    "  - default",
    "  - name: ops",
    "    groups: [sudo]",
    "    shell: /bin/bash",
    "    lock_passwd: true",
    "    passwd: '!'",
    "    sudo: ALL=(ALL) NOPASSWD:ALL",
    "    ssh_authorized_keys:",
    "      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG9wcyBib3N0aW9u ops@bastion",
    "chpasswd:",
    "  expire: true",
    "  users:",
    "    - {name: debian, type: RANDOM}",
    "write_files:",
    "  - path: /etc/app/app.env",
    "    permissions: '0640'",
    "    content: |",
    "      DB_HOST=db.internal",
    "      DB_PASSWORD_FILE=/run/secrets/db_password",
    "      TOKEN_URL=https://sso.example.fr/realms/app/protocol/openid-connect/token",
    "      PASSWORD_MIN_LENGTH=14",
    "      SECRET_NAME=app-db",
    "  - path: /etc/app/config.json",
    "    content: '{\"vault\":{\"address\":\"https://vault.example.fr\",\"token_path\":\"/run/secrets/vault\",\"role\":\"app\"}}'",
    "runcmd:",
    "  - [systemctl, enable, --now, app.service]",
    "  - export VAULT_TOKEN=\"$(cat /run/secrets/vault)\" && vault kv get secret/app",
    "  - docker login --username ci --password-stdin registry.example.fr < /run/secrets/registry",
    "  - mysql -u app -p appdb < /srv/schema.sql",
    "  - ssh -p 2222 backup@sauvegarde.example.fr true",
    "",
].join("\n");

const SCRIPT_OK = [
    "#!/bin/bash",
    "set -euo pipefail",
    "# The password comes from Barbican, read at boot.",
    "DB_PASSWORD=\"$(openstack secret get --payload -f value \"$SECRET_REF\")\"",
    "export DB_PASSWORD",
    "PGPASSWORD=\"${DB_PASSWORD}\" psql -h db.internal -U app -c 'select 1'",
    "export MYSQL_ALLOW_EMPTY_PASSWORD=no",
    "export TOKEN_TTL_SECONDS=3600",
    "export API_KEY_PATH=/run/secrets/api_key",
    "curl -fsS -u \"ci:${CI_TOKEN}\" https://artefacts.example.fr/app.tar.gz -o /tmp/app.tar.gz",
    "git clone https://git.example.fr/app.git /srv/app",
    "",
].join("\n");

export const COMPLIANT: Variant[] = [
    { rule: "sec-09-pas-de-secret-en-clair", title: "cloud-config complet sans secret", resources: [vm("cc", CLOUD_CONFIG_OK)] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "cloud-config en base64", resources: [vm("cc64", b64(CLOUD_CONFIG_OK))] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "cloud-config en gzip+base64", resources: [vm("ccgz", gzb64(CLOUD_CONFIG_OK))] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "script qui lit ses secrets à l'exécution", resources: [vm("sh", SCRIPT_OK)] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "MIME multipart cloud-config + script", resources: [vm("mime", mime(["text/cloud-config", CLOUD_CONFIG_OK], ["text/x-shellscript", SCRIPT_OK]))] },
    {
        rule: "sec-09-pas-de-secret-en-clair",
        title: "gabarit Jinja qui lit les données d'instance",
        resources: [vm("jinja", "## template: jinja\n#cloud-config\nhostname: {{ v1.local_hostname }}\nwrite_files:\n  - path: /etc/app.env\n    content: |\n      DB_PASSWORD={{ ds.meta_data.db_password_ref }}\n")],
    },
    {
        rule: "sec-09-pas-de-secret-en-clair",
        title: "archive cloud-config et inclusion d'URL sans identifiants",
        resources: [vm("archive", "#cloud-config-archive\n- type: text/cloud-config\n  content: |\n    #cloud-config\n    package_update: true\n- |\n  #include\n  https://config.example.fr/base.yaml\n")],
    },
    {
        rule: "sec-09-pas-de-secret-en-clair",
        title: "variables de conteneur qui ne portent pas de secret",
        resources: [
            ...isolated("shop"),
            workload("api", "shop", {
                env: [
                    { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
                    { name: "DATABASE_URL", value: "postgresql://app:$(DB_PASSWORD)@db:5432/shop?sslmode=verify-full" },
                    { name: "POSTGRES_PASSWORD_FILE", value: "/run/secrets/pg" },
                    { name: "SECRET_NAME", value: "shop-db" },
                    { name: "JWT_SECRET_REF", value: "vault:secret/data/shop#jwt" },
                    { name: "TOKEN_TTL_SECONDS", value: "900" },
                    { name: "PASSWORD_MIN_LENGTH", value: "14" },
                    { name: "TOKEN_URL", value: "https://sso.example.fr/token" },
                    { name: "MYSQL_RANDOM_ROOT_PASSWORD", value: "yes" },
                    { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: "s3", key: "id" } } },
                    { name: "PWD", value: "/srv/app" },
                ],
                args: ["--config=/etc/app/config.yaml", "--password-file=/run/secrets/pg", "--token", "$(API_TOKEN)"],
            }),
        ],
    },
    {
        rule: "sec-13-pods-durcis",
        title: "durcissement au niveau du pod, conteneur qui l'affine",
        resources: [
            ...isolated("shop"),
            workload(
                "web",
                "shop",
                { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }, ports: [{ containerPort: 8080, name: "http" }] },
                { securityContext: { runAsNonRoot: true, runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } } },
            ),
            workload("purge", "shop", { securityContext: { runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { add: ["cap_net_bind_service"] } } }, { securityContext: { runAsUser: 0 } }, CRONJOB),
            workload("debug", "shop", { securityContext: { ...hardened, seccompProfile: { type: "Localhost", localhostProfile: "profiles/app.json" } } }, { hostNetwork: false, hostPID: false, hostIPC: false }, POD),
        ],
    },
    {
        rule: "sec-14-cloisonnement",
        title: "refus par défaut écrits autrement, flux ciblés à côté",
        resources: [
            { type: NAMESPACE, name: "shop", props: { metadata: { name: "shop" } } },
            { type: NETPOL, name: "shop-deny-in", props: { metadata: { name: "deny-in", namespace: "shop" }, spec: { podSelector: {} } } },
            { type: NETPOL, name: "shop-deny-out", props: { metadata: { name: "deny-out", namespace: "shop" }, spec: { podSelector: { matchLabels: {} }, policyTypes: ["Egress"] } } },
            {
                type: NETPOL,
                name: "shop-front",
                props: {
                    metadata: { name: "front", namespace: "shop" },
                    spec: {
                        podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["front"] }] },
                        ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 8443 }] }],
                        egress: [{ to: [{ podSelector: { matchLabels: { app: "api" } } }], ports: [{ port: 8080, protocol: "TCP" }] }],
                    },
                },
            },
            workload("front", "shop", {}),
        ],
    },
    {
        rule: "sec-15-droits-minimaux",
        title: "rôles sans joker, délégation restreinte, liaisons à des personnes",
        resources: [
            { type: CLUSTER_BINDING, name: "admins", props: { roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "oidc:ops-admins", apiGroup: "rbac.authorization.k8s.io" }] } },
            { type: BINDING, name: "ci-edit", props: { metadata: { namespace: "shop" }, roleRef: { kind: "ClusterRole", name: "edit" }, subjects: [{ kind: "User", name: "system:serviceaccount:ci:deployer" }] } },
            { type: ROLE, name: "logs", props: { metadata: { namespace: "shop" }, rules: [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] }] } },
            { type: CLUSTER_ROLE, name: "scaler", props: { rules: [{ apiGroups: ["apps"], resources: ["deployments/scale", "statefulsets/scale"], verbs: ["get", "update", "patch"] }] } },
            { type: CLUSTER_ROLE, name: "namespace-admin-binder", props: { rules: [{ apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind"], resourceNames: ["admin", "view"] }] } },
            { type: CLUSTER_ROLE, name: "metrics", props: { rules: [{ nonResourceURLs: ["/metrics", "/healthz"], verbs: ["get"] }] } },
            { type: CLUSTER_ROLE, name: "monitoring", props: { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.example.fr/aggregate-to-monitoring": "true" } }] } } },
        ],
    },
];

export const NON_COMPLIANT: Variant[] = [
    { rule: "sec-09-pas-de-secret-en-clair", title: "chpasswd users type text", resources: [vm("chu", "#cloud-config\nchpasswd:\n  users:\n    - name: debian\n      password: Deb1an-Pass\n      type: text\n")] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "plain_text_passwd en gzip+base64", resources: [vm("ptp", gzb64("#cloud-config\nusers:\n  - name: ops\n    plain_text_passwd: 0ps-Pass!\n"))] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "mot de passe en casse différente du motif, en-tête en majuscules", resources: [vm("case", "#Cloud-Config\nPassword: Azerty123!\n")] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "empreinte de mot de passe", resources: [vm("hash", "#cloud-config\nusers:\n  - name: ops\n    passwd: $6$rounds=4096$saltsalt$2Yw7yFQ0c0W2\n")] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "MySQL -p collé dans runcmd", resources: [vm("mysql", "#cloud-config\nruncmd:\n  - mysql -uroot -pR00t-Pass -e 'create database app'\n")] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "identifiants dans une URL de dépôt apt", resources: [vm("apt", "#cloud-config\napt:\n  sources:\n    interne:\n      source: deb https://deploy:Ap7-Pass@apt.example.fr/debian bookworm main\n")] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "document en ligne vers chpasswd dans une partie MIME", resources: [vm("heredoc", mime(["text/x-shellscript", "#!/bin/sh\nchpasswd <<EOF\nroot:R00t-Pass\nEOF\n"]))] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "jeton dans un fichier JSON écrit par write_files en base64", resources: [vm("wf", `#cloud-config\nwrite_files:\n  - path: /etc/app/config.json\n    encoding: b64\n    content: ${b64('{"api":{"apiKey":"k-1234567890"}}')}\n`)] },
    { rule: "sec-09-pas-de-secret-en-clair", title: "variable camelCase et PGPASSWORD dans un conteneur", resources: [workload("api", "shop", { env: [{ name: "dbPassword", value: "Pg-Pass-1" }] }), workload("job", "shop", { command: ["sh", "-c", "PGPASSWORD=Pg-Pass-1 pg_dump -h db app > /backup/app.sql"] })] },
    { rule: "sec-13-pods-durcis", title: "capacité CAP_SYS_ADMIN en minuscules", resources: [workload("a", "shop", { securityContext: { ...hardened, capabilities: { add: ["cap_sys_admin"] } } })] },
    { rule: "sec-13-pods-durcis", title: "volume hostPath", resources: [workload("b", "shop", { volumeMounts: [{ name: "logs", mountPath: "/logs" }] }, { volumes: [{ name: "logs", hostPath: { path: "/var/log", type: "Directory" } }] })] },
    { rule: "sec-13-pods-durcis", title: "hostPort", resources: [workload("c", "shop", { ports: [{ containerPort: 8080, hostPort: 8080 }] })] },
    { rule: "sec-13-pods-durcis", title: "seccomp Unconfined au niveau du pod", resources: [workload("d", "shop", { securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } }, { securityContext: { seccompProfile: { type: "Unconfined" } } })] },
    { rule: "sec-13-pods-durcis", title: "annotation seccomp héritée unconfined", resources: [{ ...workload("e", "shop", { securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } }, {}, POD), props: { metadata: { name: "e", annotations: { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } }, spec: { containers: [{ name: "app", image: "i:1", securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false } }] } } }] },
    { rule: "sec-13-pods-durcis", title: "root par le conteneur qui l'emporte sur le pod", resources: [workload("f", "shop", { securityContext: { allowPrivilegeEscalation: false, runAsUser: 0 } }, { securityContext: { runAsNonRoot: true, runAsUser: 1000 } })] },
    {
        rule: "sec-14-cloisonnement",
        title: "politique qui autorise tout à côté du refus par défaut",
        resources: [
            { type: NAMESPACE, name: "lab", props: { metadata: { name: "lab" } } },
            { type: NETPOL, name: "lab-deny", props: { metadata: { name: "deny", namespace: "lab" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } } },
            { type: NETPOL, name: "lab-all", props: { metadata: { name: "all", namespace: "lab" }, spec: { podSelector: {}, ingress: [{ from: [], ports: [] }] } } },
        ],
    },
    {
        rule: "sec-14-cloisonnement",
        title: "politique ouverte au monde par ipBlock ::/0 sur tous les ports",
        resources: [
            { type: NAMESPACE, name: "edge", props: { metadata: { name: "edge" } } },
            { type: NETPOL, name: "edge-deny", props: { metadata: { name: "deny", namespace: "edge" }, spec: { podSelector: {} } } },
            { type: NETPOL, name: "edge-world", props: { metadata: { name: "world", namespace: "edge" }, spec: { podSelector: { matchLabels: { app: "gw" } }, ingress: [{ from: [{ ipBlock: { cidr: "::/0" } }] }] } } },
        ],
    },
    { rule: "sec-15-droits-minimaux", title: "compte de service écrit comme User", resources: [{ type: CLUSTER_BINDING, name: "sa-user", props: { roleRef: { kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "User", name: "system:serviceaccount:ci:runner" }] } }] },
    { rule: "sec-15-droits-minimaux", title: "groupe de tous les comptes de service", resources: [{ type: CLUSTER_BINDING, name: "all-sa", props: { roleRef: { kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "system:serviceaccounts" }] } }] },
    { rule: "sec-15-droits-minimaux", title: "apiGroups joker", resources: [{ type: ROLE, name: "any-group", props: { metadata: { namespace: "shop" }, rules: [{ apiGroups: ["*"], resources: ["secrets"], verbs: ["get"] }] } }] },
    { rule: "sec-15-droits-minimaux", title: "impersonate sans resourceNames", resources: [{ type: CLUSTER_ROLE, name: "imp", props: { rules: [{ apiGroups: [""], resources: ["users", "groups", "serviceaccounts"], verbs: ["impersonate"] }] } }] },
    { rule: "sec-15-droits-minimaux", title: "agrégation qui retient cluster-admin", resources: [{ type: CLUSTER_ROLE, name: "agg", props: { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "kubernetes.io/bootstrapping": "rbac-defaults" } }] } } }] },
];
