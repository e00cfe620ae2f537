/**
 * A stack state as `pulumi stack export --show-secrets` writes it, with secrets at every place a
 * real stack keeps them: provider configuration (password, an authUrl carrying credentials,
 * kubeconfig, region), instance adminPass, userData, key pair, tags (one secret element of an
 * array, and a whole secret array), metadata (a whole secret object, one secret value in a plain
 * object), Kubernetes labels, annotations, container images, env values, Secret and ConfigMap data,
 * a derogation carried by a secret metadata value, ports (short secrets such as "22"), and stack outputs.
 *
 * Every secret value is made of runs that no report writes on its own (letters g, h, j, m, n, q,
 * r, v, x, y, z alternating with digits, never a hexadecimal run, joined by at most 3 other
 * characters), so that finding 4 of its characters in a report means the value leaked. Some
 * values are secret in one resource and in plaintext in another (a volume type, an image): the
 * pack only knows the secrets of the resource it is looking at, the reports know them all.
 */
import { fold } from "@cloud-de-confiance/policies/dist/lib/secrets";
import { SECRET_SIG, SIG_KEY } from "../../src/engine/types";

/**
 * Where a text shows a secret: for every probe longer than 6 characters, the first run of 4 of its
 * characters found in the text (case and accents ignored), with some context.
 */
export function leaks(text: string, probes: readonly string[]): string[] {
    const t = fold(text);
    const out: string[] = [];
    for (const p of probes) {
        if (p.length <= 6) continue;
        const v = fold(p);
        for (let i = 0; i + 4 <= v.length; i++) {
            const at = t.indexOf(v.slice(i, i + 4));
            if (at >= 0) {
                out.push(`${JSON.stringify(p)} in …${text.slice(Math.max(0, at - 40), at + 30).replace(/\n/g, "⏎")}…`);
                break;
            }
        }
    }
    return out;
}

export interface SecretState {
    /** The document `pulumi stack export --show-secrets` would write. */
    state: Record<string, unknown>;
    /** Every secret leaf value, as text (numbers as their decimal text). */
    secrets: string[];
    /** What must never show in a report: every secret value, or for a secret that embeds public
     *  text (a derogation's expiry date), its secret parts. */
    probes: string[];
    /** Names of the resources (public), for assertions that findings still name them. */
    names: string[];
}

/** The expiry of the derogations the state carries: six months from today, within the maximum validity. */
export const DEROGATION_EXPIRY = (() => {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + 6, Math.min(d.getUTCDate(), 28));
    return d.toISOString().slice(0, 10);
})();

const LETTERS = "ghjmnqrvxyz";
const DIGITS = "23456789";

/**
 * Deterministic generator of distinctive tokens: letters and digits alternate, the first and last
 * characters are letters (odd length), no two tokens alike. Any 4 characters of a value made of
 * such tokens joined by at most 3 other characters include a letter of a token.
 */
export function tokens(seed = 7): (length?: number) => string {
    let state = seed >>> 0;
    const next = () => {
        // mulberry32
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const seen = new Set<string>();
    return (length = 13) => {
        if (length % 2 === 0) length++;
        for (;;) {
            let s = "";
            for (let i = 0; i < length; i++) {
                const alphabet = i % 2 === 0 ? LETTERS : DIGITS;
                const c = alphabet[Math.floor(next() * alphabet.length)];
                s += i % 4 === 0 ? c.toUpperCase() : c;
            }
            if (!seen.has(s.toLowerCase())) {
                seen.add(s.toLowerCase());
                return s;
            }
        }
    };
}

export function secretStateFile(opts: { apps?: number; stack?: string; project?: string } = {}): SecretState {
    const apps = opts.apps ?? 12;
    const stack = opts.stack ?? "prod";
    const project = opts.project ?? "portail";
    const tok = tokens();
    const secrets: string[] = [];
    const names: string[] = [];
    /** Secret values that embed public text, with the parts of them that are secret. */
    const structured = new Map<string, string[]>();

    /** A secret as the state keeps it with --show-secrets: the JSON of the value, in plaintext. */
    const secret = (value: unknown): Record<string, unknown> => {
        collect(value);
        return { [SIG_KEY]: SECRET_SIG, plaintext: JSON.stringify(value) };
    };
    const collect = (v: unknown): void => {
        if (v === null || v === undefined) return;
        if (Array.isArray(v)) v.forEach(collect);
        else if (typeof v === "object") Object.values(v as Record<string, unknown>).forEach(collect);
        else secrets.push(String(v));
    };

    const urn = (type: string, name: string, parentType?: string) =>
        `urn:pulumi:${stack}::${project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
    const stackUrn = urn("pulumi:pulumi:Stack", `${project}-${stack}`);
    const resources: Record<string, unknown>[] = [];
    let ids = 0;
    const id = () => `${(++ids).toString(16).padStart(8, "0")}-0000-4000-8000-000000000000`;

    resources.push({
        urn: stackUrn,
        custom: false,
        type: "pulumi:pulumi:Stack",
        outputs: {
            endpoint: "https://portail.example.fr",
            adminPassword: secret(tok(16)),
            kubeconfig: secret(`${tok(9)}: ${tok(3)}\n${tok(5)}:\n ${tok(7)}: ${tok(9)}\n ${tok(5)}: ${tok(25)}\n`),
            credentials: secret({ user: tok(10), password: tok(18) }),
        },
    });

    // Providers: the default OpenStack provider (stack configuration), an explicit one, Kubernetes.
    const osDefault = urn("pulumi:providers:openstack", "default_3_15_2");
    const osDefaultId = id();
    resources.push({
        urn: osDefault,
        custom: true,
        id: osDefaultId,
        type: "pulumi:providers:openstack",
        inputs: {
            // An endpoint carrying its credentials (user:password@), on a scheme of its own.
            authUrl: secret(`${tok(5)}://${tok(9)}:${tok(13)}@${tok(11)}.${tok(7)}`),
            userName: "svc-portail",
            password: secret(tok(20)),
            tenantName: "portail-prod",
            region: secret(tok(8)),
            insecure: secret(true),
            version: "3.15.2",
        },
        outputs: {},
    });
    const osAdmin = urn("pulumi:providers:openstack", "admin");
    const osAdminId = id();
    resources.push({
        urn: osAdmin,
        custom: true,
        id: osAdminId,
        type: "pulumi:providers:openstack",
        inputs: {
            authUrl: "https://identity.cloud.example.fr:5000/v3",
            applicationCredentialId: "app-cred-portail",
            applicationCredentialSecret: secret(tok(22)),
            region: "fr-par-1",
            version: "3.15.2",
        },
        outputs: {},
    });
    const k8s = urn("pulumi:providers:kubernetes", "cluster");
    const k8sId = id();
    resources.push({
        urn: k8s,
        custom: true,
        id: k8sId,
        type: "pulumi:providers:kubernetes",
        inputs: {
            kubeconfig: secret(`${tok(9)}:\n ${tok(7)}: ${tok(5)}://${tok(11)}.${tok(3)}\n ${tok(5)}: ${tok(7)}\n${tok(5)}:\n ${tok(5)}: ${tok(33)}\n`),
            namespace: "apps",
            version: "4.18.0",
        },
        outputs: {},
    });

    const add = (type: string, name: string, props: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
        names.push(name);
        const provider = type.startsWith("kubernetes:")
            ? `${k8s}::${k8sId}`
            : extra.explicit
              ? `${osAdmin}::${osAdminId}`
              : `${osDefault}::${osDefaultId}`;
        const { explicit: _explicit, ...rest } = extra;
        resources.push({
            urn: urn(type, name),
            custom: true,
            id: id(),
            type,
            inputs: props,
            outputs: props,
            parent: stackUrn,
            provider,
            ...rest,
        });
    };

    const cost = ["application=portail", "environnement=production", "centre-de-cout=CC-42", "proprietaire=equipe-web"];
    const costMap = { application: "portail", environnement: "production", "centre-de-cout": "CC-42", proprietaire: "equipe-web" };

    for (let i = 1; i <= apps; i++) {
        // OpenStack: a secret tag, secret metadata, adminPass, userData, key pair; no zone (RES-02),
        // no anti-affinity (RES-04).
        add("openstack:compute/instance:Instance", `web-${i}`, {
            name: `web-${i}`,
            flavorName: "b3-8",
            imageName: "debian-12",
            adminPass: secret(tok(16)),
            keyPair: secret(tok(10)),
            userData: secret(`#!/${tok(5)}\n${tok(9)}=${tok(21)}\n${tok(7)} --${tok(5)} ${tok(13)}\n`),
            tags: [...cost, secret(`${tok(6)}=${tok(12)}`)],
            metadata: secret({ ticket: tok(12), owner: tok(9) }),
            networks: [{ name: "private" }],
            securityGroups: ["default"],
        });
        // A whole secret array of tags, secret zone and volume type (RES-02, SEC-03), a secret
        // metadata value next to plain ones.
        const volumeType = tok(9);
        add("openstack:blockstorage/volume:Volume", `data-${i}`, {
            name: `data-${i}`,
            size: 50,
            availabilityZone: secret(tok(10)),
            volumeType: secret(volumeType),
            metadata: { ...costMap, sauvegarde: secret(tok(14)) },
        });
        // The same volume type in plaintext on another volume: secret in one resource, shown by
        // no other.
        add("openstack:blockstorage/volume:Volume", `legacy-${i}`, {
            name: `legacy-${i}`,
            size: 20,
            availabilityZone: "eu-west-par-a",
            volumeType,
            metadata: costMap,
        });
        // World-open SSH whose ports and description are secret (SEC-06).
        add("openstack:networking/secGroupRule:SecGroupRule", `ssh-${i}`, {
            direction: "ingress",
            ethertype: "IPv4",
            protocol: "tcp",
            portRangeMin: secret(22),
            portRangeMax: secret(22),
            remoteIpPrefix: "0.0.0.0/0",
            securityGroupId: "sg-web",
            description: secret(`${tok(8)} ${tok(10)}`),
        });
        // A public container with secret metadata (SEC-10, PIL-01, RES-06), on the explicit provider.
        add(
            "openstack:objectstorage/container:Container",
            `public-${i}`,
            { name: `public-${i}`, containerRead: ".r:*,.rlistings", metadata: secret({ proprietaire: tok(11), cle: tok(17) }) },
            { explicit: true },
        );
        // A port without port security whose tags are a whole secret array (SEC-07).
        add("openstack:networking/port:Port", `port-${i}`, {
            networkId: "net-web",
            portSecurityEnabled: false,
            tags: secret([...cost.map(() => `${tok(6)}=${tok(8)}`)]),
        });
        // A volume derogated from SEC-03 by a secret metadata value: the derogation's fields are
        // secret. Its expiry date is no secret of its own (any date shares runs with need ids):
        // the probes are its reference and justification.
        const reference = `DEC-${tok(7)}`;
        const justification = `${tok(13)} ${tok(9)}`;
        const derogation = secret(`${reference}|${DEROGATION_EXPIRY}|${justification}`);
        structured.set(`${reference}|${DEROGATION_EXPIRY}|${justification}`, [reference.slice(4), justification]);
        add("openstack:blockstorage/volume:Volume", `archive-${i}`, {
            name: `archive-${i}`,
            size: 10,
            availabilityZone: "eu-west-par-a",
            volumeType: "classic",
            metadata: { ...costMap, "derogation-SEC-03": derogation },
        });
        // An application credential with a secret secret, no expiry (SEC-12).
        add("openstack:identity/applicationCredential:ApplicationCredential", `cred-${i}`, {
            name: `cred-${i}`,
            secret: secret(tok(24)),
            unrestricted: true,
            roles: secret([tok(8), tok(8)]),
        });

        // Kubernetes: secret labels (whole object), secret annotation, secret image, secret env
        // values, one replica, no probes, no resources, root containers.
        const app = tok(9);
        // An image without a tag (so `latest`), secret here, in plaintext in the worker below.
        const image = `${tok(9)}.${tok(5)}/${tok(7)}`;
        const labels = secret({ app, "app.kubernetes.io/name": tok(11) });
        add("kubernetes:apps/v1:Deployment", `api-${i}`, {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: {
                name: `api-${i}`,
                namespace: "apps",
                labels,
                annotations: { "portail/contact": secret(tok(14)), "portail/doc": "interne" },
            },
            spec: {
                replicas: 1,
                selector: { matchLabels: secret({ app }) },
                template: {
                    metadata: { labels: secret({ app }) },
                    spec: {
                        containers: [
                            {
                                name: "api",
                                image: secret(image),
                                env: [
                                    { name: "DB_PASSWORD", value: secret(tok(18)) },
                                    { name: "API_TOKEN", value: secret(tok(26)) },
                                    { name: "LOG_LEVEL", value: "info" },
                                ],
                                ports: [{ containerPort: secret(8443) }],
                                securityContext: { privileged: true, runAsUser: 0 },
                            },
                        ],
                    },
                },
            },
        });
        add("kubernetes:apps/v1:Deployment", `worker-${i}`, {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: `worker-${i}`, namespace: "apps", labels: { app: `worker-${i}` } },
            spec: {
                replicas: 2,
                selector: { matchLabels: { app: `worker-${i}` } },
                template: {
                    metadata: { labels: { app: `worker-${i}` } },
                    spec: { containers: [{ name: "worker", image, env: [{ name: "QUEUE", value: "jobs" }] }] },
                },
            },
        });
        add("kubernetes:core/v1:Secret", `db-${i}`, {
            apiVersion: "v1",
            kind: "Secret",
            metadata: { name: `db-${i}`, namespace: "apps" },
            stringData: secret({ password: tok(19), url: `${tok(7)}://${tok(9)}:${tok(11)}@${tok(9)}:${tok(3)}/${tok(7)}` }),
        });
        add("kubernetes:core/v1:ConfigMap", `settings-${i}`, {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: `settings-${i}`, namespace: "apps", labels: { app: `api-${i}` } },
            data: { "log.level": "info", "db.password": secret(tok(16)) },
        });
        add("kubernetes:networking.k8s.io/v1:Ingress", `ingress-${i}`, {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: `ingress-${i}`, namespace: "apps", annotations: secret({ "portail/secret": tok(12) }) },
            spec: { rules: [{ host: secret(`${tok(9)}.${tok(7)}.${tok(3)}`), http: { paths: [] } }] },
        });
    }

    const state = {
        version: 3,
        deployment: {
            manifest: { time: "2025-03-04T10:20:11.002233+01:00", magic: "0".repeat(64), version: "v3.150.0" },
            secrets_providers: { type: "passphrase", state: { salt: "v1:AAAAAAAAAAA=:v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==" } },
            resources,
        },
    };
    const probes = [...new Set(secrets)].flatMap((v) => structured.get(v) ?? [v]);
    return { state, secrets, probes, names };
}
