/**
 * SEC-02, SEC-03 and PROD-02 judge what the receiving system does with a value, not how it is
 * spelt: the parsers against the systems' own rules, spellings of one value giving one verdict
 * (property tests), a stack state (outputs as the providers write them) giving the verdicts of the
 * program's inputs, and a corpus of compliant variants that raises nothing mandatory. The cases
 * marked « régression » were judged wrongly by the rules that matched substrings and prefixes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { parseImageReference, registryEntryMatches, ImageReference } from "@cloud-de-confiance/policies/dist/lib/image-reference";
import { sameVolumeType } from "@cloud-de-confiance/policies/dist/lib/cinder";
import { judgeStorageClass } from "@cloud-de-confiance/policies/dist/lib/storage-classes";
import { parseStateJson } from "../src/checker/inputs";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, Evaluation, isCannotCheck } from "../src/engine/engine";
import { EngineResource, PolicyConfig, UNKNOWN } from "../src/engine/types";
import { startPack } from "./support/pack";

const RULES = ["sec-02-localisation-des-donnees", "sec-03-chiffrement-au-repos", "sec-03-volumes-de-demarrage", "prod-02-images-maitrisees"];
const DIGEST = "sha256:" + "3b1f4c0d".repeat(8);

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

// ------------------------------------------------------------------------------------------------
// Building resources as the engine sends them.

const P = "urn:pulumi:test::sens::";
const OS_PROVIDER = `${P}pulumi:providers:openstack::default_3_15_2`;
const provider = (region?: string) => ({
    urn: OS_PROVIDER,
    type: "pulumi:providers:openstack",
    name: "default_3_15_2",
    properties: { authUrl: "https://auth.cloud.ovh.net/v3", ...(region === undefined ? {} : { region }) },
});
/** The provider resource itself, as the engine submits it before the resources it serves. */
const providerResource = (region?: string): EngineResource => {
    const { urn, type, name, properties } = provider(region);
    return { urn, type, name, properties: { ...properties, version: "3.15.2" }, options: { protect: false } };
};
function res(type: string, name: string, properties: Record<string, unknown>, extra: Partial<EngineResource> = {}): EngineResource {
    const r: EngineResource = { urn: `${P}${type}::${name}`, type, name, properties, options: { protect: false }, ...extra };
    if (type.startsWith("openstack:") && !("provider" in extra)) r.provider = provider("EU-WEST-PAR");
    return r;
}
const VOLUME = "openstack:blockstorage/volume:Volume";
const INSTANCE = "openstack:compute/instance:Instance";
const NETWORK = "openstack:networking/network:Network";
const SC = "kubernetes:storage.k8s.io/v1:StorageClass";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const deployment = (name: string, images: string[]) =>
    res(DEPLOYMENT, name, {
        metadata: { name, namespace: "app" },
        spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } } },
    });

function config(profil: string, rules: Record<string, Record<string, unknown>> = {}): Record<string, PolicyConfig> {
    const out: Record<string, PolicyConfig> = { "cloud-de-confiance": { properties: { profil } } };
    for (const [k, v] of Object.entries(rules)) out[k] = { properties: v };
    return out;
}

async function run(resources: EngineResource[], cfg: Record<string, PolicyConfig>): Promise<Evaluation> {
    return evaluate(pack, resources, { config: cfg, stack: { project: "sens", stack: "test" } });
}

/** What PROD-02 found wrong with an image, in categories independent of the spelling shown. */
function categories(message: string): string[] {
    const out: string[] = [];
    if (/registre public refusé/.test(message)) out.push("public");
    if (/ne vient pas d'un registre autorisé/.test(message)) out.push("non-autorise");
    if (/non épinglée/.test(message)) out.push("non-epinglee");
    if (/sans empreinte/.test(message)) out.push("sans-empreinte");
    if (/kubelet refuse/.test(message)) out.push("invalide");
    if (/absente ou illisible/.test(message)) out.push("absente");
    return out.length ? out : ["autre"];
}

/** The verdict of these rules per resource name: "conforme", "invérifiable", or the sorted findings. */
function verdicts(ev: Evaluation, names: readonly string[] = RULES): Map<string, string> {
    const out = new Map<string, string[]>();
    const nameOf = (urn: string) => (urn ? urn.slice(urn.lastIndexOf("::") + 2) : "(pile)");
    for (const d of ev.diagnostics) {
        if (!names.includes(d.policyName)) continue;
        const key = nameOf(d.urn);
        const list = out.get(key) ?? [];
        if (isCannotCheck(d)) list.push(`${d.policyName}: invérifiable`);
        else {
            const parts = d.message.split(" · ");
            const path = parts.length > 2 ? parts[2].split(" = ")[0] : "";
            list.push(`${d.policyName}: ${d.enforcementLevel} ${path} ${d.policyName.startsWith("prod-02") ? categories(d.message).join("+") : ""}`.trim());
        }
        out.set(key, list);
    }
    return new Map([...out].map(([k, v]) => [k, v.sort().join(" | ")]));
}

function verdictOf(v: Map<string, string>, name: string): string {
    return v.get(name) ?? "conforme";
}

// ------------------------------------------------------------------------------------------------
// Parsers, against the systems' rules.

describe("références d'image lues comme distribution/reference", () => {
    const ok = (s: string): ImageReference => {
        const p = parseImageReference(s);
        assert.ok(p.ok, `${s} : ${p.ok ? "" : p.error}`);
        return p.ref;
    };
    const ko = (s: string, error: string) => {
        const p = parseImageReference(s);
        assert.equal(p.ok ? "ok" : p.error, error, s);
    };
    test("domaine : localhost, point, deux-points, majuscule ; sinon Docker Hub, library/ pour un nom court", () => {
        assert.deepEqual(ok("nginx"), { domain: "docker.io", path: "library/nginx" });
        assert.deepEqual(ok("docker.io/nginx"), { domain: "docker.io", path: "library/nginx" });
        assert.deepEqual(ok("index.docker.io/library/nginx:latest"), { domain: "docker.io", path: "library/nginx", tag: "latest" });
        assert.deepEqual(ok("bitnami/redis:7.2"), { domain: "docker.io", path: "bitnami/redis", tag: "7.2" });
        assert.deepEqual(ok("localhost/app"), { domain: "localhost", path: "app" });
        assert.deepEqual(ok("localhost:5000/app:1"), { domain: "localhost:5000", path: "app", tag: "1" });
        assert.deepEqual(ok("harbor:5000/equipe/app"), { domain: "harbor:5000", path: "equipe/app" });
        assert.deepEqual(ok("Registre/app"), { domain: "Registre", path: "app" });
        assert.deepEqual(ok("[::1]:5000/app@" + DIGEST), { domain: "[::1]:5000", path: "app", digest: { algorithm: "sha256", hex: DIGEST.slice(7) } });
        assert.deepEqual(ok("registre.fr/a/b/c:v1.2_rc-3"), { domain: "registre.fr", path: "a/b/c", tag: "v1.2_rc-3" });
        assert.deepEqual(ok("registre.fr/a__b/c---d:X"), { domain: "registre.fr", path: "a__b/c---d", tag: "X" });
    });
    test("refus : majuscules du chemin, identifiant seul, étiquette hors grammaire, empreintes invalides", () => {
        ko("", "empty");
        ko("Nginx", "uppercase");
        ko("registre.fr/Equipe/app", "uppercase");
        ko("a".repeat(64), "identifier");
        ko("registre.fr/app:-1", "format");
        ko("registre.fr/app:" + "a".repeat(129), "format");
        assert.equal(ok("registre.fr/app:" + "a".repeat(128)).tag?.length, 128);
        ko("registre.fr/app@sha256:" + "a".repeat(63), "digest-length");
        ko("registre.fr/app@sha512:" + "a".repeat(64), "digest-length");
        ko("registre.fr/app@sha256:" + "A".repeat(64), "digest-format");
        ko("registre.fr/app@md5:" + "a".repeat(32), "digest-algorithm");
        ko("registre.fr/app@sha256:" + "a".repeat(31), "format");
        ko("registre.fr/app 1.0", "format");
        ko(" registre.fr/app:1.0", "format");
        ko("registre.fr//app", "format");
        ko("registre.fr/app/", "format");
    });
    test("registres : hôte sans casse, port 443 implicite, Docker Hub sous ses trois noms, segments entiers", () => {
        const r = (s: string) => ok(s);
        assert.ok(registryEntryMatches(r("REGISTRE.fr/outils/web:1"), "registre.fr/outils"));
        assert.ok(registryEntryMatches(r("registre.fr:443/outils/web:1"), "registre.fr"));
        assert.ok(!registryEntryMatches(r("registre.fr:5000/outils/web:1"), "registre.fr"));
        assert.ok(!registryEntryMatches(r("registre.fr/outils-b/web:1"), "registre.fr/outils"));
        assert.ok(!registryEntryMatches(r("registre.fr.pirate.com/outils/web:1"), "registre.fr"));
        assert.ok(registryEntryMatches(r("a.b.registre.fr/web:1"), "*.registre.fr"));
        assert.ok(!registryEntryMatches(r("registre.fr/web:1"), "*.registre.fr"));
        for (const s of ["nginx", "docker.io/library/nginx", "index.docker.io/library/nginx", "registry-1.docker.io/library/nginx", "DOCKER.IO/library/nginx"]) {
            assert.ok(registryEntryMatches(r(s), "docker.io"), s);
            assert.ok(registryEntryMatches(r(s), "docker.io/library"), s);
        }
    });
});

describe("types Cinder et StorageClasses", () => {
    test("types comparés comme Cinder les cherche (égalité sans casse), sans autre transformation", () => {
        assert.ok(sameVolumeType("classic-luks", "Classic-LUKS"));
        assert.ok(sameVolumeType("6f2b9c1e-4a7d-4c3e-9b8a-1d2e3f4a5b6c", "6F2B9C1E-4A7D-4C3E-9B8A-1D2E3F4A5B6C"));
        assert.ok(!sameVolumeType("classic-luks ", "classic-luks"));
        assert.ok(!sameVolumeType("classic-luks-old", "classic-luks"));
    });
    test("paramètres lus comme le provisionneur les lit", () => {
        assert.deepEqual(judgeStorageClass("cinder.csi.openstack.org", { type: "x" }), { kind: "volume-type", param: "type", value: "x" });
        assert.equal(judgeStorageClass("cinder.csi.openstack.org", { volumeType: "classic-luks" }).kind, "volume-type");
        assert.equal((judgeStorageClass("cinder.csi.openstack.org", { volumeType: "classic-luks" }) as { value: unknown }).value, undefined);
        assert.equal(judgeStorageClass("ebs.csi.aws.com", { encrypted: "true" }).kind, "encrypted");
        assert.equal(judgeStorageClass("ebs.csi.aws.com", { encrypted: "True" }).kind, "not-encrypted");
        for (const v of ["1", "t", "T", "TRUE", "true", "True"]) assert.equal(judgeStorageClass("rbd.csi.ceph.com", { encrypted: v }).kind, "encrypted", v);
        for (const v of ["0", "false", "False"]) assert.equal(judgeStorageClass("rbd.csi.ceph.com", { encrypted: v }).kind, "not-encrypted", v);
        assert.equal(judgeStorageClass("rbd.csi.ceph.com", { encrypted: "yes" }).kind, "invalid");
        assert.equal(judgeStorageClass("disk.csi.azure.com", {}).kind, "always-encrypted");
        assert.equal(judgeStorageClass("pd.csi.storage.gke.io", {}).kind, "always-encrypted");
        assert.equal(judgeStorageClass("nfs.csi.k8s.io", { encrypted: "true" }).kind, "unknown");
        assert.equal(judgeStorageClass("Cinder.CSI.openstack.org", { type: "x" }).kind, "unknown");
    });
});

// ------------------------------------------------------------------------------------------------
// Property tests: spellings of one value, one verdict.

const component = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
const tagArb = fc.oneof(
    fc.constantFrom("latest", "stable", "main", "master", "edge", "nightly", "LATEST", "Stable"),
    fc.constantFrom("1.25", "1.25.3", "2024.05", "v1.2.3-rc.1", "7", "1.0_patch"),
);
const suffixArb = fc.record({ tag: fc.option(tagArb, { nil: undefined }), digest: fc.boolean() }).map(
    ({ tag, digest }) => `${tag ? `:${tag}` : ""}${digest ? `@${DIGEST}` : ""}`,
);

test("propriété : les écritures d'une même image Docker Hub ont le même verdict", async () => {
    await fc.assert(
        fc.asyncProperty(component, fc.option(component, { nil: undefined }), suffixArb, async (name, ns, suffix) => {
            const spellings = ns === undefined
                ? [name, `docker.io/${name}`, `docker.io/library/${name}`, `index.docker.io/library/${name}`, `registry-1.docker.io/library/${name}`, `library/${name}`, `DOCKER.IO/library/${name}`]
                : [`${ns}/${name}`, `docker.io/${ns}/${name}`, `index.docker.io/${ns}/${name}`, `registry-1.docker.io/${ns}/${name}`, `Docker.io/${ns}/${name}`];
            const resources = spellings.map((s, i) => deployment(`d${i}`, [s + suffix]));
            const v = verdicts(await run(resources, config("defaut")), ["prod-02-images-maitrisees"]);
            const all = spellings.map((_, i) => verdictOf(v, `d${i}`));
            assert.deepEqual(new Set(all).size, 1, `${spellings.map((s, i) => `${s}${suffix} → ${all[i]}`).join("\n")}`);
            assert.match(all[0], /public/, "Docker Hub est un registre public refusé");
        }),
        { numRuns: 12, seed: 20240415 },
    );
});

test("propriété : les écritures d'un registre privé autorisé (casse de l'hôte, port 443) ont le même verdict", async () => {
    await fc.assert(
        fc.asyncProperty(fc.array(component, { minLength: 1, maxLength: 3 }), suffixArb, async (path, suffix) => {
            const p = path.join("/");
            const spellings = [`registre.exemple.gouv.fr/${p}`, `REGISTRE.Exemple.Gouv.FR/${p}`, `registre.exemple.gouv.fr:443/${p}`];
            const resources = spellings.map((s, i) => deployment(`d${i}`, [s + suffix]));
            const v = verdicts(await run(resources, config("defaut", { "prod-02-images-maitrisees": { registresAutorises: ["registre.exemple.gouv.fr"] } })), ["prod-02-images-maitrisees"]);
            const all = spellings.map((_, i) => verdictOf(v, `d${i}`));
            assert.equal(new Set(all).size, 1, all.join("\n"));
            assert.doesNotMatch(all[0], /non-autorise|public/);
        }),
        { numRuns: 10, seed: 7 },
    );
});

test("propriété : un type Cinder a le même verdict quelle que soit sa casse ; un nom qui contient « luks » n'est pas déclaré", async () => {
    const declared = ["classic-luks", "high-speed-luks", "high-speed-gen2-luks"];
    const recase = (s: string, mask: boolean[]) => [...s].map((c, i) => (mask[i % mask.length] ? c.toUpperCase() : c)).join("");
    await fc.assert(
        fc.asyncProperty(fc.constantFrom(...declared), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), component, async (type, mask, noise) => {
            const resources = [
                res(VOLUME, "exact", { size: 10, volumeType: type }),
                res(VOLUME, "casse", { size: 10, volumeType: recase(type, mask) }),
                res(VOLUME, "prefixe", { size: 10, volumeType: `${noise}-${type}` }),
                res(VOLUME, "suffixe", { size: 10, volumeType: `${type}-${noise}` }),
            ];
            const v = verdicts(await run(resources, config("ovhcloud")), ["sec-03-chiffrement-au-repos"]);
            assert.equal(verdictOf(v, "exact"), "conforme");
            assert.equal(verdictOf(v, "casse"), "conforme");
            assert.match(verdictOf(v, "prefixe"), /mandatory volumeType/);
            assert.match(verdictOf(v, "suffixe"), /mandatory volumeType/);
        }),
        { numRuns: 10, seed: 42 },
    );
});

test("propriété : une région n'est autorisée que déclarée, écrite comme le catalogue l'écrit, sur la ressource ou sur le fournisseur, jugé une fois", async () => {
    await fc.assert(
        fc.asyncProperty(fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{1,12}$/), async (region) => {
            const cfg = config("ovhcloud");
            const resources = [
                res(NETWORK, "propre", { region }, { provider: undefined }),
                providerResource(region),
                res(NETWORK, "heritee", {}, { provider: provider(region) }),
                res(NETWORK, "vide", { region: "" }, { provider: provider(region) }),
                res(NETWORK, "recopiee", { region }, { provider: provider(region) }),
            ];
            const v = verdicts(await run(resources, cfg), ["sec-02-localisation-des-donnees"]);
            const expected = region === "EU-WEST-PAR" ? "conforme" : "violation";
            for (const n of ["propre", "default_3_15_2"]) {
                assert.equal(verdictOf(v, n) === "conforme" ? "conforme" : "violation", expected, `${n} ${region}: ${verdictOf(v, n)}`);
            }
            // The provider's region is judged on the provider only, never again on the resources that use it.
            for (const n of ["heritee", "vide", "recopiee"]) assert.equal(verdictOf(v, n), "conforme", `${n} ${region}`);
        }),
        { numRuns: 10, seed: 3, examples: [["EU-WEST-PAR"], ["eu-west-par"], ["Eu-West-Par"], ["GRA11"]] },
    );
});

// ------------------------------------------------------------------------------------------------
// A stack state gives the verdicts of the program's inputs.

/** A `pulumi stack export` document of the given resources (inputs and outputs as the providers write them). */
function exportDoc(resources: { urn: string; type: string; id?: string; inputs: Record<string, unknown>; outputs: Record<string, unknown>; provider?: string }[], region: string) {
    return JSON.stringify({
        version: 3,
        deployment: {
            manifest: { time: "2025-03-04T10:13:02.617651+01:00", magic: "x", version: "v3.150.0" },
            resources: [
                { urn: `${P}pulumi:pulumi:Stack::sens-test`, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
                {
                    urn: OS_PROVIDER, custom: true, id: "6b1f7ab7-7c8e-4e0b-9a1e-0f2f3c4d5e6a", type: "pulumi:providers:openstack",
                    inputs: { authUrl: "https://auth.cloud.ovh.net/v3", region, version: "3.15.2" },
                    outputs: { authUrl: "https://auth.cloud.ovh.net/v3", region, version: "3.15.2" },
                },
                {
                    urn: `${P}pulumi:providers:kubernetes::default_4_18_1`, custom: true, id: "7c2b2f1e-3d4a-4b5c-8d6e-9f0a1b2c3d4e", type: "pulumi:providers:kubernetes",
                    inputs: { version: "4.18.1" }, outputs: { version: "4.18.1" },
                },
                ...resources.map((r) => ({
                    urn: r.urn, custom: true, id: r.id ?? "0f3c5e8a-1111-4222-8333-944455556666", type: r.type, inputs: r.inputs, outputs: r.outputs,
                    parent: `${P}pulumi:pulumi:Stack::sens-test`,
                    provider: r.type.startsWith("openstack:") ? `${OS_PROVIDER}::6b1f7ab7-7c8e-4e0b-9a1e-0f2f3c4d5e6a` : `${P}pulumi:providers:kubernetes::default_4_18_1::7c2b2f1e-3d4a-4b5c-8d6e-9f0a1b2c3d4e`,
                    created: "2025-03-04T09:12:41.002311Z", modified: "2025-03-04T09:12:41.002311Z",
                })),
            ],
        },
    });
}

const BOOT_ID = "9d1e4b2a-5c3f-4e8d-a7b6-1c2d3e4f5a6b";
const volOut = (name: string, region: string, volumeType: string, extra: Record<string, unknown> = {}) => ({
    // terraform-provider-openstack resourceBlockStorageVolumeV3Read: volume_type is what Cinder
    // reports (the default type when none was asked), region is GetRegion's.
    allMetadata: {}, attachments: [], availabilityZone: "eu-west-par-a", description: "", enableOnlineResize: false,
    id: "0f3c5e8a-1111-4222-8333-944455556666", metadata: {}, multiattach: false, name, region, size: 10, snapshotId: "", sourceVolId: "", volumeType, ...extra,
});
const bdOut = (bd: Record<string, unknown>) => ({
    // The instance's block_device is not read back from Nova: the state keeps what was given, with
    // the zero values of the fields that were not.
    bootIndex: 0, deleteOnTermination: true, destinationType: "", deviceType: "", diskBus: "", guestFormat: "", multiattach: false,
    sourceType: "", uuid: "", volumeSize: 0, volumeType: "", ...bd,
});
const instOut = (name: string, region: string, bd: Record<string, unknown>[]) => ({
    accessIpV4: "10.20.0.12", accessIpV6: "", allMetadata: {}, allTags: [], availabilityZone: "eu-west-par-a", blockDevices: bd.map(bdOut),
    flavorId: "b3-8-id", flavorName: "b3-8", id: "inst-id", imageId: "Attempt to boot from volume - no image supplied", imageName: "",
    keyPair: "cle", name, networks: [{ fixedIpV4: "10.20.0.12", name: "reseau", uuid: "net-id" }], powerState: "active", region,
    securityGroups: ["default"], stopBeforeDestroy: false, tags: [],
});
const scOut = (name: string, provisioner: string, parameters: Record<string, string>) => ({
    // What the API server returns: defaults filled, parameters as given.
    allowVolumeExpansion: true, apiVersion: "storage.k8s.io/v1", kind: "StorageClass",
    metadata: { creationTimestamp: "2025-03-04T09:13:00Z", name, resourceVersion: "48213", uid: "5d1c4f0e-8b2a-4c3d-9e7f-1a2b3c4d5e6f" },
    parameters, provisioner, reclaimPolicy: "Delete", volumeBindingMode: "WaitForFirstConsumer",
});
const deployOut = (name: string, images: string[]) => ({
    apiVersion: "apps/v1", kind: "Deployment",
    metadata: { generation: 1, name, namespace: "app", resourceVersion: "48250", uid: "8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d" },
    spec: {
        progressDeadlineSeconds: 600, replicas: 2, revisionHistoryLimit: 10, selector: { matchLabels: { app: name } },
        strategy: { rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" }, type: "RollingUpdate" },
        template: {
            metadata: { labels: { app: name } },
            spec: {
                containers: images.map((image, i) => ({ image, imagePullPolicy: "IfNotPresent", name: `c${i}`, resources: {}, terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File" })),
                dnsPolicy: "ClusterFirst", restartPolicy: "Always", schedulerName: "default-scheduler", securityContext: {}, terminationGracePeriodSeconds: 30,
            },
        },
    },
    status: { availableReplicas: 2, observedGeneration: 1, readyReplicas: 2, replicas: 2, updatedReplicas: 2 },
});

/** One scenario: the program's inputs (preview) and the state the providers wrote (export). */
interface Pair {
    name: string;
    type: string;
    inputs: Record<string, unknown>;
    outputs: Record<string, unknown>;
    /** Preview only: property dependencies, and properties unknown at preview. */
    preview?: Partial<EngineResource>;
    id?: string;
}

async function sameVerdicts(pairs: Pair[], cfg: Record<string, PolicyConfig>, region: string, expected: Record<string, RegExp[] | "conforme">) {
    const previewed = [
        providerResource(region),
        ...pairs.map((p) => res(p.type, p.name, p.inputs, { ...(p.type.startsWith("openstack:") ? { provider: provider(region) } : {}), ...(p.preview ?? {}) })),
    ];
    const state = parseStateJson(
        exportDoc(pairs.map((p) => ({ urn: `${P}${p.type}::${p.name}`, type: p.type, id: p.id, inputs: p.inputs, outputs: p.outputs })), region),
        "etat.json",
    );
    // Both providers of the state are resources too.
    assert.equal(state.resources.length, pairs.length + 2);
    const fromInputs = verdicts(await run(previewed, cfg));
    const fromState = verdicts(await run(state.resources, cfg));
    for (const p of [...pairs, { name: "default_3_15_2" }]) {
        const a = verdictOf(fromInputs, p.name);
        const b = verdictOf(fromState, p.name);
        assert.equal(b, a, `${p.name} : entrées → ${a} ; état → ${b}`);
        const want = expected[p.name];
        if (want === "conforme") assert.equal(a, "conforme", p.name);
        else if (want) for (const w of want) assert.match(a, w, p.name);
    }
    assert.equal(verdictOf(fromState, "(pile)"), verdictOf(fromInputs, "(pile)"));
}

test("état exporté (profil ovhcloud) : mêmes verdicts que les entrées du programme", async () => {
    const R = "EU-WEST-PAR";
    const pairs: Pair[] = [
        { name: "donnees", type: VOLUME, inputs: { size: 10, volumeType: "high-speed-gen2-luks", availabilityZone: "eu-west-par-a" }, outputs: volOut("donnees", R, "high-speed-gen2-luks") },
        // Without a type, Cinder gives the offer's default type and the provider reads it back.
        { name: "sans-type", type: VOLUME, inputs: { size: 10, availabilityZone: "eu-west-par-a" }, outputs: volOut("sans-type", R, "classic") },
        { name: "boot", type: VOLUME, id: BOOT_ID, inputs: { size: 20, volumeType: "classic-luks", imageId: "img-id" }, outputs: volOut("boot", R, "classic-luks", { id: BOOT_ID, imageId: "img-id" }) },
        {
            name: "web", type: INSTANCE,
            inputs: { flavorName: "b3-8", blockDevices: [{ uuid: "img-id", sourceType: "image", destinationType: "volume", volumeType: "classic-luks", volumeSize: 20, bootIndex: 0, deleteOnTermination: true }] },
            outputs: instOut("web", R, [{ uuid: "img-id", sourceType: "image", destinationType: "volume", volumeType: "classic-luks", volumeSize: 20 }]),
        },
        {
            name: "vm-type-defaut", type: INSTANCE,
            inputs: { flavorName: "b3-8", blockDevices: [{ uuid: "img-id", sourceType: "image", destinationType: "volume", volumeSize: 20, bootIndex: 0 }] },
            outputs: instOut("vm-type-defaut", R, [{ uuid: "img-id", sourceType: "image", destinationType: "volume", volumeSize: 20 }]),
        },
        {
            name: "db", type: INSTANCE,
            inputs: { flavorName: "b3-8", blockDevices: [{ uuid: UNKNOWN, sourceType: "volume", destinationType: "volume", bootIndex: 0 }] },
            outputs: instOut("db", R, [{ uuid: BOOT_ID, sourceType: "volume", destinationType: "volume" }]),
            preview: { propertyDependencies: { blockDevices: [`${P}${VOLUME}::boot`] } },
        },
        { name: "reseau", type: NETWORK, inputs: { name: "reseau" }, outputs: { adminStateUp: true, allTags: [], id: "net-id", name: "reseau", region: R, shared: false, tags: [] } },
        { name: "casse", type: NETWORK, inputs: { name: "casse", region: "eu-west-par" }, outputs: { adminStateUp: true, id: "net-2", name: "casse", region: "eu-west-par" } },
        { name: "chiffree", type: SC, inputs: { metadata: { name: "chiffree" }, provisioner: "cinder.csi.openstack.org", parameters: { type: "classic-luks" } }, outputs: scOut("chiffree", "cinder.csi.openstack.org", { type: "classic-luks" }) },
        { name: "sc-defaut", type: SC, inputs: { metadata: { name: "sc-defaut" }, provisioner: "cinder.csi.openstack.org", parameters: { availability: "nova" } }, outputs: scOut("sc-defaut", "cinder.csi.openstack.org", { availability: "nova" }) },
        {
            name: "app", type: DEPLOYMENT,
            inputs: deployment("app", ["registre.exemple.gouv.fr/web:1.4.2", "nginx:stable", `registre.exemple.gouv.fr/proxy:latest@${DIGEST}`]).properties,
            outputs: deployOut("app", ["registre.exemple.gouv.fr/web:1.4.2", "nginx:stable", `registre.exemple.gouv.fr/proxy:latest@${DIGEST}`]),
        },
    ];
    await sameVerdicts(pairs, config("ovhcloud"), R, {
        donnees: "conforme",
        "sans-type": [/sec-03-chiffrement-au-repos: mandatory volumeType/],
        boot: "conforme",
        web: "conforme",
        "vm-type-defaut": [/sec-03-chiffrement-au-repos: mandatory blockDevices\[0\]\.volumeType/],
        db: "conforme",
        reseau: "conforme",
        casse: [/sec-02-localisation-des-donnees: mandatory region/],
        chiffree: "conforme",
        "sc-defaut": [/sec-03-chiffrement-au-repos: mandatory parameters\.type/],
        app: [/containers\[1\]\.image non-epinglee/, /containers\[1\]\.image public/],
    });
});

test("état exporté (profil par défaut, offre déclarée) : mêmes verdicts ; l'état tranche ce que les entrées laissaient invérifiable", async () => {
    const R = "FR-PAR-1";
    const cfg = config("defaut", {
        "sec-02-localisation-des-donnees": { regionsAutorisees: [R] },
        "sec-03-chiffrement-au-repos": { typesVolumeChiffres: ["ssd-luks"], typeVolumeParDefaut: "ssd-luks" },
    });
    await sameVerdicts([
        { name: "sans-type", type: VOLUME, inputs: { size: 10 }, outputs: volOut("sans-type", R, "ssd-luks") },
        { name: "ssd", type: VOLUME, inputs: { size: 10, volumeType: "ssd" }, outputs: volOut("ssd", R, "ssd") },
        { name: "reseau", type: NETWORK, inputs: { name: "reseau" }, outputs: { id: "n", name: "reseau", region: R } },
    ], cfg, R, { "sans-type": "conforme", ssd: [/mandatory volumeType/], reseau: "conforme" });

    // From a snapshot, without a type: the inputs cannot tell; Cinder copies the snapshot's type,
    // and the state shows it.
    const inputs = { size: 10, snapshotId: "snap-id" };
    const preview = verdicts(await run([res(VOLUME, "copie", inputs, { provider: provider(R) })], cfg));
    assert.match(verdictOf(preview, "copie"), /invérifiable/);
    const state = parseStateJson(exportDoc([{ urn: `${P}${VOLUME}::copie`, type: VOLUME, inputs, outputs: volOut("copie", R, "ssd-luks", { snapshotId: "snap-id" }) }], R), "etat.json");
    assert.equal(verdictOf(verdicts(await run(state.resources, cfg)), "copie"), "conforme");
});

// ------------------------------------------------------------------------------------------------
// Corpus: realistic compliant variants of the fixtures raise nothing mandatory, and nothing
// that cannot be checked.

interface Variant {
    title: string;
    profil: string;
    rules?: Record<string, Record<string, unknown>>;
    resources: EngineResource[];
    /** Judged wrongly (a false alarm) by the rules that matched substrings and prefixes. */
    regression?: boolean;
}

const CORPUS: Variant[] = [
    {
        title: "OVHcloud : types LUKS en casse libre, type par identifiant déclaré, région explicite ou héritée",
        profil: "ovhcloud",
        rules: { "sec-03-chiffrement-au-repos": { typesVolumeChiffres: ["classic-luks", "high-speed-luks", "high-speed-gen2-luks", "6f2b9c1e-4a7d-4c3e-9b8a-1d2e3f4a5b6c"] } },
        resources: [
            res(VOLUME, "a", { size: 10, volumeType: "CLASSIC-LUKS", region: "EU-WEST-PAR" }),
            res(VOLUME, "b", { size: 10, volumeType: "6f2b9c1e-4a7d-4c3e-9b8a-1d2e3f4a5b6c" }),
            res("openstack:blockstorage/volumeV2:VolumeV2", "c", { size: 10, volumeType: "high-speed-gen2-luks" }),
            res(NETWORK, "n", { name: "n", region: "" }),
        ],
    },
    {
        title: "instance : démarrage d'une image sur volume chiffré, disque de données blank chiffré, volume de la pile monté",
        profil: "ovhcloud",
        resources: [
            res(VOLUME, "boot", { size: 20, volumeType: "classic-luks" }),
            res(INSTANCE, "vm", {
                flavorName: "b3-8",
                blockDevices: [
                    { uuid: "img", sourceType: "image", destinationType: "volume", volumeType: "high-speed-luks", volumeSize: 20, bootIndex: 0 },
                    { sourceType: "blank", destinationType: "volume", volumeType: "classic-luks", volumeSize: 100, bootIndex: 1 },
                ],
            }),
            res(INSTANCE, "db", { flavorName: "b3-8", blockDevices: [{ uuid: UNKNOWN, sourceType: "volume", destinationType: "volume", bootIndex: 0 }] }, {
                provider: provider("EU-WEST-PAR"),
                propertyDependencies: { blockDevices: [`${P}${VOLUME}::boot`] },
            }),
        ],
    },
    {
        title: "volume sans type quand l'offre déclare un type par défaut chiffré",
        profil: "defaut",
        regression: true,
        rules: {
            "sec-02-localisation-des-donnees": { regionsAutorisees: ["FR-PAR-1"] },
            "sec-03-chiffrement-au-repos": { typesVolumeChiffres: ["ssd-luks"], typeVolumeParDefaut: "ssd-luks" },
        },
        resources: [res(VOLUME, "v", { size: 10 }, { provider: provider("FR-PAR-1") }), res(VOLUME, "w", { size: 10, volumeType: "" }, { provider: provider("FR-PAR-1") })],
    },
    {
        title: "StorageClasses de fournisseurs qui chiffrent toujours, ou sur demande écrite comme le pilote la lit",
        profil: "ovhcloud",
        regression: true,
        resources: [
            res(SC, "azure", { metadata: { name: "azure" }, provisioner: "disk.csi.azure.com", parameters: { skuName: "Premium_LRS" } }),
            res(SC, "gce", { metadata: { name: "gce" }, provisioner: "pd.csi.storage.gke.io", parameters: { type: "pd-ssd" } }),
            res(SC, "rbd", { metadata: { name: "rbd" }, provisioner: "rbd.csi.ceph.com", parameters: { clusterID: "c", pool: "kube", encrypted: "1", encryptionKMSID: "vault" } }),
            res(SC, "ebs", { metadata: { name: "ebs" }, provisioner: "ebs.csi.aws.com", parameters: { type: "gp3", encrypted: "true", kmsKeyId: "arn:aws:kms:eu-west-3:111122223333:key/x" } }),
            res(SC, "cinder", { metadata: { name: "cinder" }, provisioner: "cinder.csi.openstack.org", parameters: { type: "High-Speed-LUKS", availability: "eu-west-par-a" } }),
        ],
    },
    {
        title: "images épinglées d'un registre autorisé : port 443, casse de l'hôte, empreintes sha384/sha512 malgré une étiquette flottante",
        profil: "ovhcloud",
        regression: true,
        rules: { "prod-02-images-maitrisees": { registresAutorises: ["registre.exemple.gouv.fr", "harbor.interne:5000/equipe"] } },
        resources: [
            deployment("web", [
                "registre.exemple.gouv.fr:443/portail/web:1.4.2",
                "Registre.Exemple.Gouv.FR/portail/api:2.0.1",
                `registre.exemple.gouv.fr/portail/proxy:latest@sha512:${"c".repeat(128)}`,
                `harbor.interne:5000/equipe/outil@sha384:${"d".repeat(96)}`,
            ]),
        ],
    },
];

describe("corpus de variantes conformes", () => {
    for (const c of CORPUS) {
        test(`${c.regression ? "régression — " : ""}${c.title}`, async () => {
            const ev = await run(c.resources, config(c.profil, c.rules));
            const own = ev.diagnostics.filter((d) => RULES.includes(d.policyName));
            assert.deepEqual(own.map((d) => `${d.policyName} [${d.enforcementLevel}] ${d.message}`), []);
        });
    }
});

// ------------------------------------------------------------------------------------------------
// Non-compliant values written another valid way: let through by substring and prefix matching.

describe("régressions : des valeurs non conformes écrites autrement ne passent plus", () => {
    test("types de volume : un nom qui contient « encrypt », un type sous une clé que Cinder CSI ne lit pas, un provisionneur inconnu", async () => {
        const v = verdicts(await run([
            res(VOLUME, "pas-chiffre", { size: 10, volumeType: "not-encrypted" }),
            res(VOLUME, "non-chiffre", { size: 10, volumeType: "unencrypted" }),
            res(SC, "cle", { metadata: { name: "cle" }, provisioner: "cinder.csi.openstack.org", parameters: { volumeType: "classic-luks" } }),
            res(SC, "nfs", { metadata: { name: "nfs" }, provisioner: "nfs.csi.k8s.io", parameters: { server: "nfs", share: "/", encrypted: "true" } }),
        ], config("defaut")));
        assert.match(verdictOf(v, "pas-chiffre"), /mandatory volumeType/);
        assert.match(verdictOf(v, "non-chiffre"), /mandatory volumeType/);
        assert.match(verdictOf(v, "cle"), /invérifiable/, "sans `type`, Cinder choisit : type par défaut inconnu du profil par défaut");
        assert.match(verdictOf(v, "nfs"), /invérifiable/);
        const ovh = verdicts(await run([res(SC, "cle", { metadata: { name: "cle" }, provisioner: "cinder.csi.openstack.org", parameters: { volumeType: "classic-luks" } })], config("ovhcloud")));
        assert.match(verdictOf(ovh, "cle"), /mandatory parameters\.type/, "le type par défaut classic n'est pas chiffré");
    });

    test("régions : un nom d'allure française n'est pas une région connue", async () => {
        const v = verdicts(await run([providerResource("EU-WEST-PAR"), res(NETWORK, "n", { region: "fr-paris" }), res(NETWORK, "m", { region: "EU-WEST-PAR" })], config("defaut")));
        assert.match(verdictOf(v, "n"), /mandatory region/);
        assert.match(verdictOf(v, "default_3_15_2"), /mandatory region/, "le profil par défaut ne connaît aucune région");
        assert.equal(verdictOf(v, "m"), "conforme", "la région du fournisseur, recopiée, est jugée sur le fournisseur");
    });

    test("images : étiquettes flottantes autres que latest, registres publics hors liste d'origine, préfixe de chemin, références invalides", async () => {
        const v = verdicts(await run([
            deployment("stable", ["registre.exemple.gouv.fr/web:stable"]),
            deployment("k8s", ["registry.k8s.io/pause:3.9"]),
            deployment("ecr", ["public.ecr.aws/nginx/nginx:1.25"]),
            deployment("pirate", ["registre.exemple.gouv.fr/outils-pirate/web:1.0"]),
            deployment("md5", [`registre.exemple.gouv.fr/web:1.0@md5:${"a".repeat(32)}`]),
            deployment("majuscule", ["registre.exemple.gouv.fr/Web:1.0"]),
        ], config("defaut", { "prod-02-images-maitrisees": { registresAutorises: ["registre.exemple.gouv.fr/outils", "registry.k8s.io", "public.ecr.aws"] } })));
        assert.match(verdictOf(v, "stable"), /non-autorise/);
        assert.match(verdictOf(v, "pirate"), /non-autorise/);
        assert.match(verdictOf(v, "md5"), /invalide/);
        assert.match(verdictOf(v, "majuscule"), /invalide/);
        const pub = verdicts(await run([deployment("k8s", ["registry.k8s.io/pause:3.9"]), deployment("ecr", ["public.ecr.aws/nginx/nginx:1.25"]), deployment("stable", ["registre.fr/web:stable"])], config("defaut")));
        assert.match(verdictOf(pub, "k8s"), /public/);
        assert.match(verdictOf(pub, "ecr"), /public/);
        assert.match(verdictOf(pub, "stable"), /non-epinglee/);
    });

    test("démarrage sur un volume existant hors du programme : invérifiable, plus accepté", async () => {
        const v = verdicts(await run([res(INSTANCE, "db", { flavorName: "b3-8", blockDevices: [{ uuid: "0f3c5e8a-1111-4222-8333-944455556666", sourceType: "volume", destinationType: "volume", bootIndex: 0 }] })], config("ovhcloud")));
        assert.match(verdictOf(v, "(pile)"), /sec-03-volumes-de-demarrage: invérifiable/);
    });

    test("aucune région nulle part : invérifiable, plus accepté", async () => {
        const v = verdicts(await run([providerResource(undefined), res(NETWORK, "n", { name: "n" }, { provider: provider(undefined) }), res(NETWORK, "o", { name: "o" }, { provider: undefined })], config("ovhcloud")));
        assert.match(verdictOf(v, "default_3_15_2"), /sec-02-localisation-des-donnees: invérifiable/);
        assert.equal(verdictOf(v, "n"), "conforme", "jugée sur son fournisseur");
        assert.match(verdictOf(v, "o"), /sec-02-localisation-des-donnees: invérifiable/, "ni région ni fournisseur");
    });
});
