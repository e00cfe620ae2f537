/**
 * Where `@pulumi/policy` fails on a valid wire value, the pack guards against it
 * (policies/src/lib/upstream-guard.ts), through the engine protocol:
 * - an asset or archive that carries only its hash (an empty asset), a resource reference, an
 *   output value: Remediate, Analyze and AnalyzeStack answer, with the verdicts of the same
 *   resource without it; `check --state` on such a state terminates with the same verdicts;
 * - a remediation on a resource holding assets or archives gives them back exactly as they were
 *   sent, or the resource is not remediated: never the form `@pulumi/policy` writes an archive in.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ARCHIVE_SIG, ASSET_SIG, dropCorruptingRemediations, keepsAssets, OUTPUT_VALUE_SIG, RESOURCE_REFERENCE_SIG, tolerantProperties } from "@cloud-de-confiance/policies/dist/lib/upstream-guard";
import { OS } from "@cloud-de-confiance/policies/dist/lib/types";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, parsePolicyConfig } from "../src/engine/engine";
import { EngineResource, secret, SIG_KEY, UNKNOWN } from "../src/engine/types";
import { verdicts } from "./support/secrets-oracle";
import { ROOT, startPack } from "./support/pack";

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

const POLICY = "pil-01-imputation-des-couts";
const STACK_TAGS = { application: "portail", environnement: "production", "centre-de-cout": "CC-9", proprietaire: "équipe web" };
const HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Wire forms the engine sends that @pulumi/policy 1.21.0 cannot read. */
const UNREADABLE: Record<string, unknown> = {
    "asset with only its hash": { [SIG_KEY]: ASSET_SIG, hash: HASH },
    "asset with an empty text": { [SIG_KEY]: ASSET_SIG, hash: HASH, text: "" },
    "archive with only its hash": { [SIG_KEY]: ARCHIVE_SIG, hash: HASH },
    "archive holding an empty asset": { [SIG_KEY]: ARCHIVE_SIG, hash: HASH, assets: { "vide.txt": { [SIG_KEY]: ASSET_SIG, hash: HASH } } },
    "resource reference": { [SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: "urn:pulumi:prod::portail::openstack:networking/network:Network::net", id: "net-1", packageVersion: "5.0.0" },
    "output value": { [SIG_KEY]: OUTPUT_VALUE_SIG, value: "x", secret: false, dependencies: [] },
    "unknown output value": { [SIG_KEY]: OUTPUT_VALUE_SIG, dependencies: [] },
    "unknown signature": { [SIG_KEY]: "ffffffffffffffffffffffffffffffff", x: 1 },
};

/** Assets and archives @pulumi/policy reads, in the forms the engine sends them. */
const READABLE: Record<string, unknown> = {
    "text asset": { [SIG_KEY]: ASSET_SIG, hash: HASH, text: "bonjour" },
    "file asset": { [SIG_KEY]: ASSET_SIG, hash: HASH, path: "./index.html" },
    "remote asset": { [SIG_KEY]: ASSET_SIG, hash: HASH, uri: "https://exemple.gouv.fr/a.txt" },
    "asset archive": { [SIG_KEY]: ARCHIVE_SIG, hash: HASH, assets: { "a.txt": { [SIG_KEY]: ASSET_SIG, hash: HASH, text: "bonjour" }, "sous/b": { [SIG_KEY]: ARCHIVE_SIG, path: "./b.zip" } } },
    "file archive": { [SIG_KEY]: ARCHIVE_SIG, hash: HASH, path: "./site.zip" },
};

const instance = (name: string, extra: Record<string, unknown>): EngineResource => ({
    urn: `urn:pulumi:prod::portail::${OS.instance}::${name}`,
    type: OS.instance,
    name,
    properties: { flavorName: "b3-8", imageName: "debian-12", tags: ["application=portail"], ...extra },
    provider: { urn: "urn:pulumi:prod::portail::pulumi:providers:openstack::p", type: "pulumi:providers:openstack", name: "p", properties: { region: "GRA", extra: extra.fichier ?? null } },
});

/** Fails instead of waiting forever for a call that never answers. */
function answered<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout;
    const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: no answer (the call hangs)`)), 60_000);
    });
    return Promise.race([p, hang]).finally(() => clearTimeout(timer));
}

async function run(resources: EngineResource[], level: "advisory" | "remediate") {
    return answered(
        evaluate(pack, resources, { config: parsePolicyConfig({ [POLICY]: level }), stack: { project: "portail", stack: "prod", tags: STACK_TAGS } }),
        resources.map((r) => r.name).join(", "),
    );
}

describe("values @pulumi/policy cannot read", () => {
    for (const [label, value] of Object.entries(UNREADABLE)) {
        test(`${label}: every call answers, with the verdicts of the resource without it`, async () => {
            // An output without a value is a value unknown at preview; the others are known.
            const same = label === "unknown output value" ? UNKNOWN : "texte";
            for (const level of ["advisory", "remediate"] as const) {
                const at = [
                    instance("vm", { fichier: value, metadata: { fichier: value }, personality: [{ file: "/etc/a", content: value }] }),
                    instance("vm", { fichier: secret(value), metadata: { fichier: same }, personality: [{ file: "/etc/a", content: secret(value) }] }),
                ];
                const reference = await run([instance("vm", { fichier: same, metadata: { fichier: same }, personality: [{ file: "/etc/a", content: same }] })], level);
                for (const r of at) {
                    const ev = await run([r], level);
                    assert.deepEqual(verdicts(ev), verdicts(reference), `${label} (${level}): ${JSON.stringify(r.properties)}`);
                    assert.equal(ev.remediations.length, reference.remediations.length);
                    for (const rem of ev.remediations) if (rem.properties) assert.ok(keepsAssets(r.properties, rem.properties), JSON.stringify(rem.properties));
                }
                // AnalyzeStack with several resources holding it.
                const ev = await run([instance("a", { fichier: value }), instance("b", { fichier: secret([value]) })], level);
                assert.ok(ev.diagnostics.length > 0);
            }
        });
    }

    test("read as the engine means them: an empty asset, an empty archive, a reference's ID, an output's value", () => {
        const props = tolerantProperties(
            {
                a: UNREADABLE["asset with only its hash"],
                b: UNREADABLE["archive with only its hash"],
                c: UNREADABLE["resource reference"],
                d: UNREADABLE["output value"],
                e: UNREADABLE["unknown output value"],
                f: { [SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: "urn:pulumi:prod::p::c:C::comp" },
                g: [UNREADABLE["asset with an empty text"], secret("s")],
            },
            false,
        );
        const a = props.a as { text: Promise<string> };
        assert.equal(a.constructor.name, "StringAsset");
        assert.equal(props.b?.constructor.name, "AssetArchive");
        assert.equal(props.c, "net-1");
        assert.equal(props.d, "x");
        assert.equal(props.e, UNKNOWN);
        assert.equal(props.f, "urn:pulumi:prod::p::c:C::comp");
        assert.deepEqual((props.g as unknown[])[1], "s");
    });

    test("check --state on a state holding an asset with only its hash terminates with the same verdicts", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-guard-"));
        try {
            const original = JSON.parse(fs.readFileSync(path.join(ROOT, "test/fixtures/state/export-v3.json"), "utf8"));
            const withAsset = structuredClone(original);
            const vm = withAsset.deployment.resources.find((r: { type: string }) => r.type === OS.instance);
            assert.ok(vm, "the state has an instance");
            for (const k of ["inputs", "outputs"]) {
                vm[k].fichier = { [SIG_KEY]: ASSET_SIG, hash: HASH };
                vm[k].archive = { [SIG_KEY]: ARCHIVE_SIG, hash: HASH };
            }
            const plain = structuredClone(original);
            const vm2 = plain.deployment.resources.find((r: { type: string }) => r.type === OS.instance);
            for (const k of ["inputs", "outputs"]) vm2[k].fichier = vm2[k].archive = "texte";
            const files = { asset: path.join(tmp, "etat.json"), plain: path.join(tmp, "etat-texte.json") };
            fs.writeFileSync(files.asset, JSON.stringify(withAsset));
            fs.writeFileSync(files.plain, JSON.stringify(plain));
            const cli = (file: string) =>
                spawnSync(process.execPath, [path.join(ROOT, "dist/src/cli/main.js"), "check", "--state", file, "--report", `json=${file}.rapport.json`], {
                    cwd: ROOT, encoding: "utf8", timeout: 180_000, env: { ...process.env, LC_ALL: "C" },
                });
            const a = cli(files.asset);
            const b = cli(files.plain);
            assert.equal(a.error, undefined, `check --state did not terminate: ${a.error?.message}`);
            assert.equal(a.status, b.status, a.stderr);
            assert.equal(a.status, 1, "violations of mandatory rules");
            const findings = (file: string) => {
                const report = JSON.parse(fs.readFileSync(`${file}.rapport.json`, "utf8"));
                assert.ok(Array.isArray(report.findings) && report.findings.length > 0, file);
                return JSON.stringify(report.findings);
            };
            assert.equal(findings(files.asset), findings(files.plain));
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});

describe("remediations give back assets and archives as they were sent", () => {
    const forms = { ...READABLE, ...UNREADABLE };
    test("at the top, in a map, in a list, in a secret: unchanged, and the tags remediated", async () => {
        for (const [label, value] of Object.entries(forms)) {
            const r = instance("vm", { fichier: value, metadata: { f: value }, personality: [{ content: value }], cache: secret({ v: value }) });
            const ev = await run([r], "remediate");
            const rem = ev.remediations.filter((x) => x.policyName === POLICY);
            assert.equal(rem.length, 1, label);
            const props = rem[0].properties!;
            assert.ok(props, label);
            const { tags: _t, ...rest } = props;
            const { tags: _u, ...sent } = r.properties;
            assert.deepEqual(rest, sent, `${label}: everything but the tags comes back as sent`);
            assert.deepEqual(props.tags, ["application=portail", "environnement=production", "centre-de-cout=CC-9", "proprietaire=équipe web"]);
        }
    });

    test("@pulumi/policy writes an asset archive as the list of its names; such a remediation is dropped", async () => {
        // What @pulumi/policy returns when a remediation hands back the properties it was given.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { deserializeProperties, serializeProperties } = require("@pulumi/policy/deserialize");
        const archive = READABLE["asset archive"];
        const sent = { tags: [], site: archive };
        const roundTrip = await serializeProperties(deserializeProperties(Struct.fromJavaScript(sent as never), true));
        assert.deepEqual(roundTrip.site.assets, ["a.txt", "sous/b"], "the upstream form (if this changes, the guard may no longer be needed)");
        assert.equal(keepsAssets(sent, roundTrip), false);

        const resp = new analyzerpb.RemediateResponse();
        const bad = new analyzerpb.Remediation();
        bad.setPolicyname(POLICY);
        bad.setProperties(Struct.fromJavaScript(roundTrip));
        const good = new analyzerpb.Remediation();
        good.setPolicyname("autre");
        good.setProperties(Struct.fromJavaScript({ ...sent, tags: ["application=portail"] } as never));
        const diagnosticOnly = new analyzerpb.Remediation();
        diagnosticOnly.setPolicyname("diagnostic");
        diagnosticOnly.setDiagnostic("can't run remediation");
        resp.setRemediationsList([bad, good, diagnosticOnly]);
        assert.equal(dropCorruptingRemediations(sent, resp), 1);
        assert.deepEqual(resp.getRemediationsList().map((x) => x.getPolicyname()), ["autre", "diagnostic"]);
    });

    test("an asset moved, changed, added or lost is not kept", () => {
        const a = READABLE["text asset"];
        const b = READABLE["file archive"];
        assert.ok(keepsAssets({ x: a, y: [b] }, { x: a, y: [b], tags: ["t"] }));
        assert.ok(keepsAssets({ x: secret(a) }, { x: secret(a) }), "through a secret");
        assert.equal(keepsAssets({ x: a }, { y: a }), false, "moved");
        assert.equal(keepsAssets({ x: a }, { x: { ...(a as object), text: "autre" } }), false, "changed");
        assert.equal(keepsAssets({ x: a }, { x: a, z: b }), false, "added");
        assert.equal(keepsAssets({ x: a, z: b }, { x: a }), false, "lost");
    });
});
