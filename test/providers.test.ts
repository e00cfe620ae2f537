/**
 * Providers are resources: the engine submits every provider (default and explicit) to the pack
 * before the resources it serves, and SEC-01 / SEC-02 judge each provider once, on the provider.
 * The checker reading a preview or a state gives the findings the engine gives on the same stack;
 * one configuration mistake gives one finding, however many resources use the provider.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { configBool, configMap, parseEndpoint, sameService } from "@cloud-de-confiance/policies/dist/lib/openstack-provider";
import { toResult } from "../src/checker/check";
import { ImportedStack, parsePreviewJson, parseStateJson } from "../src/checker/inputs";
import { CheckResult, CheckSource } from "../src/checker/model";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, Evaluation, isCannotCheck } from "../src/engine/engine";
import { EngineResource, PolicyConfig, secret, SECRET_SIG, SIG_KEY, UNKNOWN } from "../src/engine/types";
import { ROOT, startPack } from "./support/pack";

const PROJECT = "portail";
const STACK = "prod";
const P = `urn:pulumi:${STACK}::${PROJECT}::`;
const ROOT_STACK = `${P}pulumi:pulumi:Stack::${PROJECT}-${STACK}`;
const OS_PROVIDER = "pulumi:providers:openstack";
const DEFAULT = `${P}${OS_PROVIDER}::default_3_15_2`;
const EXPLICIT = `${P}${OS_PROVIDER}::offre`;
const PROVIDER_ID: Record<string, string> = { [DEFAULT]: "6b1f7ab7-7c8e-4e0b-9a1e-0f2f3c4d5e6a", [EXPLICIT]: "7c2b2f1e-3d4a-4b5c-8d6e-9f0a1b2c3d4e" };
const NETWORK = "openstack:networking/network:Network";
const RULES = ["sec-01-offre-qualifiee", "sec-02-localisation-des-donnees"];
const SECRETS = ["M0tDeP4sse", "S3cr3t-d3-t3st", "Aut2e-S3cr3t"];

const CONFIG: Record<string, PolicyConfig> = {
    "cloud-de-confiance": { properties: { profil: "ovhcloud" } },
    "sec-01-offre-qualifiee": { properties: { offresQualifiees: [{ nom: "Offre qualifiée", authUrl: "https://auth.offre.example.fr/v3", regions: ["EU-WEST-PAR"] }] } },
};

/**
 * A stack: the stack configuration (which makes the default provider), the explicit provider's
 * inputs, and `users` networks on each provider. Secret values are given in clear here; each
 * form writes them as its file does (engine: secret values; preview: "[secret]"; state:
 * ciphertext).
 */
interface Scenario {
    config: Record<string, string>;
    secretConfig: Record<string, string>;
    explicit: Record<string, unknown>;
    explicitSecrets: Record<string, string>;
    users: number;
    /** Preview only: providers whose step the preview leaves out (unchanged). */
    unchanged?: string[];
}

const COMPLIANT: Scenario = {
    config: { "openstack:authUrl": "https://auth.offre.example.fr/v3", "openstack:insecure": "false", "openstack:region": "EU-WEST-PAR", "openstack:userName": "deploiement" },
    secretConfig: { "openstack:password": "S3cr3t-d3-t3st" },
    explicit: { authUrl: "https://Auth.Offre.example.fr:443/v3/", insecure: false, region: "EU-WEST-PAR" },
    explicitSecrets: { password: "Aut2e-S3cr3t" },
    users: 3,
};

const NON_COMPLIANT: Scenario = {
    config: { "openstack:authUrl": "http://admin:M0tDeP4sse@auth.offre.example.fr/v3", "openstack:insecure": "true", "openstack:region": "GRA11" },
    secretConfig: { "openstack:password": "S3cr3t-d3-t3st" },
    explicit: { authUrl: "http://admin:M0tDeP4sse@AUTH.offre.example.fr/v3/", insecure: true, region: "GRA11" },
    explicitSecrets: { password: "Aut2e-S3cr3t" },
    users: 3,
};

/** What the engine gives the default provider: the package's configuration, strings, secrets secret, and the version. */
function defaultInputs(s: Scenario, wrap: (v: string) => unknown): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s.config)) out[k.slice("openstack:".length)] = v;
    for (const [k, v] of Object.entries(s.secretConfig)) out[k.slice("openstack:".length)] = wrap(v);
    return { ...out, version: "3.15.2" };
}
function explicitInputs(s: Scenario, wrap: (v: string) => unknown): Record<string, unknown> {
    const out: Record<string, unknown> = { ...s.explicit };
    for (const [k, v] of Object.entries(s.explicitSecrets)) out[k] = wrap(v);
    return { ...out, version: "3.15.2" };
}
const users = (s: Scenario) =>
    [DEFAULT, EXPLICIT].flatMap((p) => Array.from({ length: s.users }, (_, i) => ({ urn: `${P}${NETWORK}::${p === DEFAULT ? "d" : "e"}${i}`, name: `${p === DEFAULT ? "d" : "e"}${i}`, provider: p })));
const regionOf = (s: Scenario, p: string) => String(p === DEFAULT ? s.config["openstack:region"] : s.explicit.region);

/** The resources as the engine submits them during a preview: inputs, secrets secret. */
function engineForm(s: Scenario): EngineResource[] {
    const providers: Record<string, EngineResource> = {
        [DEFAULT]: { urn: DEFAULT, type: OS_PROVIDER, name: "default_3_15_2", properties: defaultInputs(s, secret), options: { protect: false } },
        [EXPLICIT]: { urn: EXPLICIT, type: OS_PROVIDER, name: "offre", properties: explicitInputs(s, secret), options: { protect: false }, parent: ROOT_STACK },
    };
    const out: EngineResource[] = [];
    for (const p of [DEFAULT, EXPLICIT]) {
        out.push(providers[p]);
        for (const u of users(s).filter((x) => x.provider === p)) {
            const { urn, type, name, properties } = providers[p];
            out.push({ urn: u.urn, type: NETWORK, name: u.name, properties: { adminStateUp: true, name: u.name }, options: { protect: false }, parent: ROOT_STACK, provider: { urn, type, name, properties } });
        }
    }
    return out;
}

/** `pulumi preview --json` of the stack: the prelude's configuration (secrets blinded), one step per change. */
function previewDoc(s: Scenario): string {
    const blind = () => "[secret]";
    const config: Record<string, string> = { ...s.config };
    for (const k of Object.keys(s.secretConfig)) config[k] = "[secret]";
    const state = (urn: string, type: string, inputs: Record<string, unknown>, provider?: string) => ({
        urn, custom: true, type, inputs, outputs: inputs, parent: ROOT_STACK, ...(provider ? { provider } : {}),
    });
    const steps: unknown[] = [{ op: "same", urn: ROOT_STACK, newState: { urn: ROOT_STACK, custom: false, type: "pulumi:pulumi:Stack" } }];
    const inputs: Record<string, Record<string, unknown>> = { [DEFAULT]: defaultInputs(s, blind), [EXPLICIT]: explicitInputs(s, blind) };
    for (const p of [DEFAULT, EXPLICIT]) {
        if (!s.unchanged?.includes(p)) steps.push({ op: "create", urn: p, newState: state(p, OS_PROVIDER, { __internal: {}, ...inputs[p] }) });
        for (const u of users(s).filter((x) => x.provider === p)) {
            const ref = `${p}::${UNKNOWN}`;
            steps.push({ op: "create", urn: u.urn, provider: ref, newState: state(u.urn, NETWORK, { __defaults: [], adminStateUp: true, name: u.name }, ref) });
        }
    }
    return JSON.stringify({ config, steps, changeSummary: { create: steps.length - 1 } });
}

/** `pulumi stack export` of the stack once deployed: outputs as the provider writes them, secrets encrypted. */
function stateDoc(s: Scenario): string {
    let n = 0;
    const cipher = () => ({ [SIG_KEY]: SECRET_SIG, ciphertext: `v1:ZmFrZS1ub25jZQ==:Y2lwaGVy${n++}` });
    const providers = [DEFAULT, EXPLICIT].map((p) => {
        const inputs = p === DEFAULT ? defaultInputs(s, cipher) : explicitInputs(s, cipher);
        return { urn: p, custom: true, id: PROVIDER_ID[p], type: OS_PROVIDER, inputs: { __internal: {}, ...inputs }, outputs: inputs, ...(p === EXPLICIT ? { parent: ROOT_STACK } : {}) };
    });
    const nets = users(s).map((u, i) => ({
        urn: u.urn, custom: true, id: `0f3c5e8a-1111-4222-8333-${String(i).padStart(12, "0")}`, type: NETWORK,
        inputs: { __defaults: [], adminStateUp: true, name: u.name },
        // terraform-provider-openstack's Read: region is GetRegion's (the provider's), plus what Neutron reports.
        outputs: { adminStateUp: true, allTags: [], availabilityZoneHints: [], description: "", dnsDomain: "", external: false, id: `net-${i}`, mtu: 1500, name: u.name, portSecurityEnabled: true, region: regionOf(s, u.provider), shared: false, tags: [], tenantId: "3f2e1d0c" },
        parent: ROOT_STACK, provider: `${u.provider}::${PROVIDER_ID[u.provider]}`, dependencies: [], propertyDependencies: {},
    }));
    return JSON.stringify({
        version: 3,
        deployment: {
            manifest: { time: "2025-03-04T10:13:02.617651+01:00", magic: "x", version: "v3.150.0" },
            resources: [{ urn: ROOT_STACK, custom: false, type: "pulumi:pulumi:Stack", outputs: {} }, ...providers, ...nets],
        },
    });
}

let pack: PolicyPackProcess;
let tmp: string;
before(async () => {
    pack = await startPack();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-providers-"));
});
after(async () => {
    await pack?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
});

const ctx = (dryRun: boolean) => ({ project: PROJECT, stack: STACK, dryRun });

/** The findings of SEC-01 and SEC-02 as lines `policy | urn | status | message`. */
function engineLines(ev: Evaluation): string[] {
    return ev.diagnostics
        .filter((d) => RULES.includes(d.policyName))
        .map((d) => `${d.policyName} | ${d.urn} | ${isCannotCheck(d) ? "unknown" : "violation"} | ${d.message}`)
        .sort();
}
function checkerLines(r: CheckResult): string[] {
    return r.findings.filter((f) => RULES.includes(f.policy)).map((f) => `${f.policy} | ${f.resource?.urn ?? ""} | ${f.status} | ${f.message}`).sort();
}

/** The checker on a file: read as `check --preview/--state` reads it, then the pack through the engine protocol. */
async function throughChecker(kind: "preview" | "state", text: string): Promise<{ imported: ImportedStack; result: CheckResult }> {
    const file = `${kind}.json`;
    const imported = kind === "preview" ? parsePreviewJson(text, file) : parseStateJson(text, file);
    const ev = await evaluate(pack, imported.resources, { config: CONFIG, stack: ctx(kind === "preview") });
    const source: CheckSource = { kind, path: file, stack: STACK };
    return { imported, result: toResult(ev, source, imported.unseenProviders) };
}

function assertNoSecret(lines: string[]) {
    for (const l of lines) for (const s of SECRETS) assert.ok(!l.includes(s), `secret shown: ${l}`);
}

describe("fournisseurs par défaut et explicites : mêmes constats par le moteur, une prévisualisation et un état", () => {
    test("configuration conforme : aucun constat, et les fournisseurs sont examinés", async () => {
        const engine = await evaluate(pack, engineForm(COMPLIANT), { config: CONFIG, stack: ctx(true) });
        assert.deepEqual(engineLines(engine), []);
        for (const rule of RULES) {
            const applied = engine.applied.get(rule)!;
            assert.ok(applied.has(DEFAULT) && applied.has(EXPLICIT), `${rule} n'a pas examiné les fournisseurs`);
        }
        for (const [kind, text] of [["preview", previewDoc(COMPLIANT)], ["state", stateDoc(COMPLIANT)]] as const) {
            const { result } = await throughChecker(kind, text);
            assert.deepEqual(checkerLines(result), [], kind);
            const sec01 = result.conformance.find((c) => c.need === "SEC-01")!;
            assert.equal(sec01.status, "respected", kind);
            assert.ok(sec01.resources.includes(DEFAULT) && sec01.resources.includes(EXPLICIT), kind);
        }
    });

    test("http avec identifiants dans l'URL, insecure vrai (texte et booléen), région inconnue : un constat par erreur et par fournisseur", async () => {
        const engine = engineLines(await evaluate(pack, engineForm(NON_COMPLIANT), { config: CONFIG, stack: ctx(true) }));
        // Each provider: endpoint without TLS, TLS verification disabled, region outside the offer (SEC-01); region unknown to the profile (SEC-02).
        for (const p of [DEFAULT, EXPLICIT]) {
            const own = engine.filter((l) => l.split(" | ")[1] === p);
            assert.equal(own.filter((l) => l.startsWith("sec-01")).length, 3, own.join("\n"));
            assert.equal(own.filter((l) => l.startsWith("sec-02")).length, 1, own.join("\n"));
        }
        assert.equal(engine.length, 8, "no finding on the networks: " + engine.join("\n"));
        assert.ok(engine.some((l) => l.includes("http://***@auth.offre.example.fr/v3")), engine.join("\n"));
        assertNoSecret(engine);
        for (const [kind, text] of [["preview", previewDoc(NON_COMPLIANT)], ["state", stateDoc(NON_COMPLIANT)]] as const) {
            const { result } = await throughChecker(kind, text);
            assert.deepEqual(checkerLines(result), engine, kind);
            assertNoSecret(result.findings.map((f) => f.message));
            assert.deepEqual(result.conformance.find((c) => c.need === "SEC-01")!.resources.sort(), [DEFAULT, EXPLICIT].sort(), kind);
        }
    });

    test("un fournisseur par défaut inchangé (absent de la prévisualisation) est reconstruit de la configuration : mêmes constats", async () => {
        const engine = engineLines(await evaluate(pack, engineForm(NON_COMPLIANT), { config: CONFIG, stack: ctx(true) }));
        const { imported, result } = await throughChecker("preview", previewDoc({ ...NON_COMPLIANT, unchanged: [DEFAULT] }));
        assert.equal(imported.unseenProviders, undefined);
        assert.deepEqual(checkerLines(result), engine);
    });

    test("région inconnue à la prévisualisation : invérifiable sur le fournisseur, par le moteur et par le vérificateur", async () => {
        const s: Scenario = { ...COMPLIANT, explicit: { ...COMPLIANT.explicit, region: UNKNOWN } };
        const engine = engineLines(await evaluate(pack, engineForm(s), { config: CONFIG, stack: ctx(true) }));
        assert.deepEqual(engine.map((l) => l.split(" | ").slice(0, 3).join(" | ")), [
            `sec-01-offre-qualifiee | ${EXPLICIT} | unknown`,
            `sec-02-localisation-des-donnees | ${EXPLICIT} | unknown`,
        ]);
        const { result } = await throughChecker("preview", previewDoc(s));
        assert.deepEqual(checkerLines(result), engine);
        assert.equal(result.conformance.find((c) => c.need === "SEC-02")!.status, "cannot-check");
    });
});

describe("une erreur de configuration, un constat", () => {
    const many: Scenario = {
        config: { "openstack:authUrl": "http://keystone.offre.example.fr:5000/v3", "openstack:region": "GRA11" },
        secretConfig: {},
        explicit: { authUrl: "https://auth.offre.example.fr/v3", region: "EU-WEST-PAR" },
        explicitSecrets: {},
        users: 200,
    };
    const noOffer: Record<string, PolicyConfig> = { "cloud-de-confiance": CONFIG["cloud-de-confiance"] };
    const counts = (lines: string[]) => ({
        sec01: lines.filter((l) => l.startsWith("sec-01")).length,
        sec02: lines.filter((l) => l.startsWith("sec-02")).length,
        onDefault: lines.every((l) => l.split(" | ")[1] === DEFAULT),
    });

    test("200 ressources sur un fournisseur par défaut en http et hors des régions connues : un constat SEC-01, un SEC-02", async () => {
        const engine = engineLines(await evaluate(pack, engineForm(many), { config: noOffer, stack: ctx(true) }));
        assert.deepEqual(counts(engine), { sec01: 1, sec02: 1, onDefault: true });
        for (const [kind, text] of [["preview", previewDoc({ ...many, unchanged: [DEFAULT] })], ["state", stateDoc(many)]] as const) {
            const file = `${kind}.json`;
            const imported = kind === "preview" ? parsePreviewJson(text, file) : parseStateJson(text, file);
            assert.equal(imported.resources.length, 402, kind);
            const ev = await evaluate(pack, imported.resources, { config: noOffer, stack: ctx(kind === "preview") });
            const result = toResult(ev, { kind, path: file }, imported.unseenProviders);
            assert.deepEqual(counts(checkerLines(result)), { sec01: 1, sec02: 1, onDefault: true }, kind);
            assert.deepEqual(checkerLines(result), engine, kind);
            const sec02 = result.conformance.find((c) => c.need === "SEC-02")!;
            assert.deepEqual([sec02.status, sec02.resources], ["violated", [DEFAULT]]);
        }
    });
});

test("CLI : un fournisseur explicite absent de la prévisualisation est signalé, et la matrice dit « invérifiable », jamais « respecté »", () => {
    const file = path.join(tmp, "preview.json");
    fs.writeFileSync(file, previewDoc({ ...COMPLIANT, unchanged: [EXPLICIT] }));
    const cfg = path.join(tmp, "pack.json");
    fs.writeFileSync(cfg, JSON.stringify({ "cloud-de-confiance": { profil: "ovhcloud" }, "sec-01-offre-qualifiee": CONFIG["sec-01-offre-qualifiee"].properties }));
    const r = spawnSync(process.execPath, [path.join(ROOT, "dist/src/cli/main.js"), "check", "--preview", file, "-c", cfg, "--format", "json"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
    assert.notEqual(r.status, 2, r.stderr);
    const warnings = r.stderr.split("\n").filter((l) => l.includes("warning"));
    assert.equal(warnings.length, 1, r.stderr);
    assert.match(warnings[0], /^cloud-de-confiance: warning: provider urn:pulumi:prod::portail::pulumi:providers:openstack::offre is used by 3 resource\(s\) but is not in .*preview\.json: its configuration is not examined \(.*--show-sames\)$/);
    const report = JSON.parse(r.stdout) as CheckResult;
    const unseen = report.findings.filter((f) => f.resource?.urn === EXPLICIT);
    assert.deepEqual(unseen.map((f) => [f.policy, f.status, f.enforcementLevel]).sort(), [
        ["sec-01-offre-qualifiee", "unknown", "advisory"],
        ["sec-02-localisation-des-donnees", "unknown", "advisory"],
    ]);
    assert.match(unseen[0].message, /^SEC-0[12] · providers\/openstack « offre » · fournisseur absent du fichier, utilisé par 3 ressource\(s\)/);
    for (const need of ["SEC-01", "SEC-02"]) {
        const row = report.conformance.find((c) => c.need === need)!;
        assert.equal(row.status, "cannot-check", need);
        assert.deepEqual(row.resources, [EXPLICIT]);
    }
    assertNoSecret([r.stdout, r.stderr]);
});

describe("la configuration du fournisseur lue comme il la lit", () => {
    test("insecure : booléen, nombre, ou texte décodé en JSON par le pont puis lu par le SDK Terraform (le texte vide vaut false)", () => {
        const ok = (v: unknown) => {
            const r = configBool(v);
            return r === undefined ? "absent" : r.ok ? r.value : "illisible";
        };
        // The text is JSON-decoded by the bridge, then read by mapstructure.WeakDecode / strconv.ParseBool.
        assert.deepEqual([true, false, "true", "false", " true\n", "", "True", "yes", "1", "0", '"True"', '"t"', '"non"', "null", 1, 0, [], null, undefined].map(ok), [
            true, false, true, false, true, false, "illisible", "illisible", true, false, true, true, "illisible", "absent", true, false, "illisible", "absent", "absent",
        ]);
        assert.deepEqual(configMap('{"network":"http://n"}'), { network: "http://n" });
        assert.deepEqual(configMap(""), {});
        assert.equal(configMap("{pas du json"), undefined);
    });

    test("point d'accès : ce que gophercloud atteint (schéma, hôte, port, chemin de base) ; illisible quand Go le refuse", () => {
        assert.deepEqual(parseEndpoint("https://Auth.Example.FR.:443/identity/v3/auth/tokens?x=1#f"), { scheme: "https", host: "auth.example.fr", port: undefined, basePath: "/identity/" });
        assert.deepEqual(parseEndpoint("HTTP://user:pw@[::1]:5000"), { scheme: "http", host: "[::1]", port: 5000, basePath: "/" });
        for (const bad of ["keystone.example.fr/v3", "https://auth\\.example\\.fr/v3", " https://a.fr/v3", "https:///v3", "https://a.fr:99999/"]) {
            assert.equal(parseEndpoint(bad), undefined, bad);
        }
    });

    test("propriété : une écriture de l'URL de l'offre désigne son service ; un autre hôte, port ou chemin de base, non", () => {
        const offer = parseEndpoint("https://auth.offre.example.fr/v3")!;
        const recase = (t: string, mask: boolean[]) => [...t].map((c, i) => (mask[i % mask.length] ? c.toUpperCase() : c)).join("");
        fc.assert(
            fc.property(
                fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
                fc.constantFrom("", ":443"),
                fc.constantFrom("", "/", "/v3", "/v3/", "/v2.0", "/v3/auth/tokens"),
                fc.constantFrom("", "."),
                fc.constantFrom("", "admin:secret@"),
                (mask, port, path, dot, creds) => {
                    const url = `${recase("https", mask)}://${creds}${recase("auth.offre.example.fr", mask)}${dot}${port}${path}`;
                    const e = parseEndpoint(url);
                    assert.ok(e && sameService(e, offer), url);
                    assert.ok(!sameService(parseEndpoint(url.replace(/offre/i, "autre"))!, offer), url);
                    assert.ok(!sameService(parseEndpoint(`https://auth.offre.example.fr:5000${path}`)!, offer), url);
                    assert.ok(!sameService(parseEndpoint(`https://auth.offre.example.fr/keystone${path || "/"}`)!, offer), url);
                },
            ),
            { numRuns: 60, seed: 9 },
        );
    });
});
