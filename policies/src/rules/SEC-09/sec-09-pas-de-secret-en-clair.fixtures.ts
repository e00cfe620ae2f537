import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S, OS } from "../../lib/types";

const vm = (name: string, extra: Record<string, unknown> = {}) => ({
    type: OS.instance,
    name,
    props: { name, flavorName: "b3-8", imageName: "debian-12", keyPair: "admin", ...extra },
});

const deploy = (name: string, env: unknown) => ({
    type: K8S.deployment,
    name,
    props: {
        metadata: { name },
        spec: {
            replicas: 2,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "registry.example.fr/app:1.0", env }] } },
        },
    },
});

const CLOUD_INIT_OK = "#cloud-config\npackages:\n  - nginx\nruncmd:\n  - systemctl enable --now nginx\n";
const CLOUD_INIT_RANDOM =
    "#cloud-config\nssh_pwauth: false\nchpasswd:\n  expire: true\n  users:\n    - {name: debian, type: RANDOM}\n  list:\n    - root:RANDOM\nusers:\n  - name: ops\n    lock_passwd: true\n    ssh_authorized_keys: [ssh-ed25519 AAAAC3Nza ops@bastion]\n";
const JINJA_OK = "## template: jinja\n#!/bin/sh\nexport DB_HOST={{ ds.meta_data.db_host }}\nexport PASSWORD_MIN_LENGTH=14\nexport DB_PASSWORD_FILE=/run/secrets/db\nexport API_TOKEN=\"$(cat /run/secrets/token)\"\n";
const MIME_SECRET = [
    "Content-Type: multipart/mixed; boundary=\"==BOUNDARY==\"",
    "MIME-Version: 1.0",
    "",
    "--==BOUNDARY==",
    "Content-Type: text/x-shellscript; charset=\"us-ascii\"",
    "Content-Transfer-Encoding: base64",
    "",
    Buffer.from("#!/bin/bash\nPGPASSWORD=Pg-S3cret psql -h db -U app -c 'select 1'\n").toString("base64"),
    "--==BOUNDARY==--",
    "",
].join("\n");

export default fixtures(
    {
        title: "instance avec paire de clés et cloud-init sans secret ; variables tirées de Secrets",
        kind: "compliant",
        resources: [
            vm("web", { userData: CLOUD_INIT_OK }),
            vm("web64", { userData: Buffer.from(CLOUD_INIT_OK).toString("base64") }),
            vm("random", { userData: CLOUD_INIT_RANDOM }),
            vm("jinja", { userData: JINJA_OK }),
            vm("include", { userData: "#include\nhttps://config.example.fr/web.yaml\n" }),
            deploy("api", [
                { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
                { name: "POSTGRES_PASSWORD_FILE", value: "/run/secrets/pg" },
                { name: "LOG_LEVEL", value: "info" },
                { name: "API_TOKEN", value: "" },
                { name: "MYSQL_ALLOW_EMPTY_PASSWORD", value: "yes" },
                { name: "SECRET_NAME", value: "db-credentials" },
                { name: "TOKEN_URL", value: "https://sso.example.fr/token" },
                { name: "DATABASE_URL", value: "postgres://app:$(DB_PASSWORD)@db:5432/app" },
            ]),
        ],
        expect: { raises: [], notRaises: ["SEC-09"] },
    },
    {
        title: "mot de passe administrateur, mot de passe dans cloud-init, clé privée en base64, pas de paire de clés",
        kind: "non-compliant",
        resources: [
            vm("a", { adminPass: "Azerty123!" }),
            vm("b", { userData: "#cloud-config\nchpasswd:\n  list: |\n    debian:Azerty123!\n" }),
            vm("c", { userData: Buffer.from("#!/bin/sh\ncat > /root/.ssh/id_rsa <<EOF\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\nEOF\n").toString("base64") }),
            { ...vm("d"), props: { name: "d", flavorName: "b3-8" } },
        ],
        expect: { raises: ["SEC-09"], notRaises: [], violations: 4 },
    },
    {
        title: "mot de passe en gzip+base64, script MIME avec PGPASSWORD, URL avec identifiants, option --db-password",
        kind: "non-compliant",
        resources: [
            vm("gz", { userData: require("zlib").gzipSync(Buffer.from("#cloud-config\npassword: Azerty123!\n")).toString("base64") }),
            vm("mime", { userData: MIME_SECRET }),
            deploy("api", [{ name: "DATABASE_URL", value: "postgres://app:Pg-S3cret@db:5432/app" }]),
            {
                ...deploy("job", []),
                props: {
                    metadata: { name: "job" },
                    spec: { template: { spec: { containers: [{ name: "c", image: "i:1", args: ["--db-password=Pg-S3cret", "--verbose"] }] } } },
                },
            },
        ],
        expect: { raises: ["SEC-09"], notRaises: [], violations: 4, hidden: ["Azerty123!", "Pg-S3cret"] },
    },
    {
        title: "conteneur avec un mot de passe et un jeton en valeur littérale",
        kind: "non-compliant",
        resources: [
            deploy("api", [
                { name: "LOG_LEVEL", value: "info" },
                { name: "DB_PASSWORD", value: "Azerty123!" },
                { name: "github_token", value: "ghp_0123456789abcdef" },
            ]),
        ],
        expect: {
            raises: ["SEC-09"],
            notRaises: [],
            violations: 1,
            mentions: ["spec.template.spec.containers[0].env["],
            hidden: ["Azerty123!", "ghp_0123456789abcdef"],
        },
    },
    {
        title: "données utilisateur inconnues à la prévisualisation",
        kind: "unknown",
        resources: [vm("web", { userData: unknown() })],
        expect: { raises: [], notRaises: ["SEC-09"], cannotCheck: true },
    },
    {
        title: "mot de passe administrateur et données utilisateur secrets : signalés, jamais affichés",
        kind: "secret",
        resources: [vm("web", { adminPass: secret("Sup3r-Adm1n-Pass"), userData: secret("#cloud-config\npassword: Sup3r-Adm1n-Pass\n") })],
        expect: { raises: ["SEC-09"], notRaises: [], violations: 2, hidden: ["Sup3r-Adm1n-Pass", "#cloud-config"] },
    },
    {
        title: "valeurs mal formées : keyPair nombre, userData objet, env texte, entrée env sans nom, valeur numérique",
        kind: "malformed",
        resources: [
            vm("a", { keyPair: 12, userData: { password: "x" }, personalities: "fichier" }),
            deploy("b", "DB_PASSWORD=x"),
            deploy("c", [null, { value: "x" }, { name: "APP_SECRET", value: 123456 }]),
        ],
        // a: a non-string keyPair counts as missing (1), an object userData is not read; b: a string env is ignored;
        // c: a numeric literal under a sensitive name fails (1).
        expect: { raises: ["SEC-09"], notRaises: [], violations: 2 },
    },
    {
        title: "correctif et ReplicationController : secret lu d'un Secret ; correctif sans modèle de pod",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "api" }, spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] }] } } } } },
            { type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "api" }, spec: { replicas: 3 } } },
        ],
        expect: { raises: [], notRaises: ["SEC-09"] },
    },
    {
        title: "correctif et ReplicationController : mot de passe en clair",
        kind: "non-compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "api" }, spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "DB_PASSWORD", value: "Sup3r-S3cret!" }] }] } } } } },
            { type: K8S.replicationController, name: "rc", props: { spec: { template: { spec: { containers: [{ name: "rc", image: "i:1", env: [{ name: "API_TOKEN", value: "tok-8f3a9c2e71b04d" }] }] } } } } },
        ],
        expect: { raises: ["SEC-09"], notRaises: [], violations: 2, hidden: ["Sup3r-S3cret!", "tok-8f3a9c2e71b04d"] },
    },
);
