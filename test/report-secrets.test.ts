/**
 * No report shows a secret of the input: every format, the standard output and the error lines,
 * from a state exported with --show-secrets and from a program using `pulumi.secret`. Secrets
 * count as shown when 4 characters of them in a row appear (case ignored), the pack's own rule.
 * The scrub must not blank the reports: findings keep their need ids and resource names.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { jsonErrorCause, parseStateJson } from "../src/checker/inputs";
import { CheckResult, Finding } from "../src/checker/model";
import { attachSecrets, configSources, inputSecrets, SECRET_MASK, secretsIn } from "../src/checker/secrets";
import { secret } from "../src/engine/types";
import { REPORT_FORMATS, renderReport, scrubResult } from "../src/reports";
import { ROOT } from "./support/pack";
import { leaks, secretStateFile, tokens } from "./support/secret-state";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
let tmp: string;

before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-secrets-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs `check` with every report format written to `dir`; returns every text it produced, by name. */
function checkAll(dir: string, ...args: string[]): { code: number | null; texts: Record<string, string> } {
    fs.mkdirSync(dir, { recursive: true });
    const files = Object.fromEntries(REPORT_FORMATS.map((f) => [f, path.join(dir, `report.${f}`)]));
    const r = cli("check", ...args, ...Object.entries(files).flatMap(([f, p]) => ["--report", `${f}=${p}`]));
    const texts: Record<string, string> = { stdout: r.out, stderr: r.err };
    for (const [f, p] of Object.entries(files)) {
        assert.ok(fs.existsSync(p), `no ${f} report; code ${r.code}, stderr: ${r.err}`);
        texts[f] = fs.readFileSync(p, "utf8");
    }
    return { code: r.code, texts };
}

function assertNoLeak(texts: Record<string, string>, probes: readonly string[]): void {
    const found = Object.entries(texts).flatMap(([name, text]) => leaks(text, probes).map((l) => `${name}: ${l}`));
    assert.deepEqual(found.slice(0, 10), [], `${found.length} secret(s) shown`);
}

interface JsonReport {
    findings: (Finding & { resource?: { name: string } })[];
    remediations: { description: string }[];
}

// ---------------------------------------------------------------------------------------------
// The report-level scrub, by itself.

const U = (type: string, name: string) => `urn:pulumi:prod::portail::${type}::${name}`;
const VOLUME = { urn: U("openstack:blockstorage/volume:Volume", "data"), type: "openstack:blockstorage/volume:Volume", name: "data" };
const LEGACY = { urn: U("openstack:blockstorage/volume:Volume", "legacy"), type: "openstack:blockstorage/volume:Volume", name: "legacy" };
const RULE = { urn: U("openstack:networking/secGroupRule:SecGroupRule", "ssh"), type: "openstack:networking/secGroupRule:SecGroupRule", name: "ssh" };

function result(findings: Finding[]): CheckResult {
    return {
        tool: { name: "cloud-de-confiance", version: "0.1.0" },
        pack: { name: "cloud-de-confiance", version: "0.1.0" },
        source: { kind: "state", path: "etat.json", stack: "prod" },
        run: { at: "2026-11-30T08:00:00.000Z", profile: "ovhcloud", environment: "production", configuration: { sha256: "0".repeat(64) } },
        lang: "fr",
        resources: [VOLUME, LEGACY, RULE],
        findings,
        remediations: [
            { policy: "pil-01-imputation-des-couts", needs: ["PIL-01"], resource: LEGACY, description: "étiquette ajoutée : cle=Xq7Zk2Vj9Mq4" },
        ],
        conformance: [
            { need: "SEC-03", title: "Chiffrement au repos", priority: "P1", status: "violated", policies: ["sec-03-chiffrement-au-repos"], resources: [LEGACY.urn] },
            { need: "SEC-06", title: "Filtrage réseau", priority: "P1", status: "derogated", policies: ["sec-06-filtrage-reseau"], resources: [RULE.urn] },
        ],
        summary: { resources: 3, mandatory: 1, advisory: 0, derogated: 1, unknown: 0 },
    };
}

const SEC03: Finding = {
    needs: ["SEC-03"],
    policy: "sec-03-chiffrement-au-repos",
    title: "SEC-03 — Chiffrement au repos",
    severity: "high",
    enforcementLevel: "mandatory",
    status: "violation",
    resource: LEGACY,
    // The value is secret on "data" and in plaintext on "legacy": the pack, looking at "legacy"
    // alone, had no reason to hide it.
    message: 'SEC-03 · blockstorage/Volume « legacy » · volumeType = "Hm7Qx3Zr9Vy5" · type de volume non chiffré. Correction : choisir Hm7Qx3Zr9Vy5-luks.',
    remediation: "Choisir un type chiffré (pas hm7qx3zr9vy5).",
};
const SEC06: Finding = {
    needs: ["SEC-06", "SEC-08"],
    policy: "sec-06-filtrage-reseau",
    title: "SEC-06 — Filtrage réseau",
    severity: "critical",
    enforcementLevel: "advisory",
    status: "derogated",
    resource: RULE,
    message: "SEC-06 · networking/SecGroupRule « ssh » · port 22 ouvert au monde. [dérogation DEC-Jn4Rx8 jusqu'au 2099-12-31 : bastion Yq5Hz7Mx2]",
    remediation: "Restreindre remoteIpPrefix.",
    derogation: { reference: "DEC-Jn4Rx8", expires: "2099-12-31", justification: "bastion Yq5Hz7Mx2" },
};

const INPUT = [
    { urn: VOLUME.urn, type: VOLUME.type, name: VOLUME.name, properties: { volumeType: secret("Hm7Qx3Zr9Vy5"), size: 10 } },
    { urn: LEGACY.urn, type: LEGACY.type, name: LEGACY.name, properties: { volumeType: "Hm7Qx3Zr9Vy5", metadata: { cle: secret("Xq7Zk2Vj9Mq4") } } },
    {
        urn: RULE.urn,
        type: RULE.type,
        name: RULE.name,
        properties: { portRangeMin: secret(22), description: secret("Yq5Hz7Mx2 Rv8Jn3"), tags: secret(["DEC-Jn4Rx8"]) },
        provider: { urn: U("pulumi:providers:openstack", "default"), type: "pulumi:providers:openstack", name: "default", properties: { insecure: secret(true) } },
    },
];

test("report scrub: messages, remediations and derogations lose the input's secrets, identities stay", () => {
    const secrets = inputSecrets(INPUT);
    const checked = result([SEC03, SEC06]);
    const safe = scrubResult(checked, secrets);
    const [sec03, sec06] = safe.findings;
    assert.equal(sec03.message, `SEC-03 · blockstorage/Volume « legacy » · volumeType = "${SECRET_MASK}" · type de volume non chiffré. Correction : choisir ${SECRET_MASK}-luks.`);
    assert.equal(sec03.remediation, `Choisir un type chiffré (pas ${SECRET_MASK}).`);
    // A short secret (a port) is masked as a whole word only: SEC-06 and 2099-12-31 stay.
    assert.equal(sec06.message, `SEC-06 · networking/SecGroupRule « ssh » · port ${SECRET_MASK} ouvert au monde. [dérogation ${SECRET_MASK} jusqu'au 2099-12-31 : bastion ${SECRET_MASK}]`);
    assert.deepEqual(sec06.derogation, { reference: SECRET_MASK, expires: "2099-12-31", justification: `bastion ${SECRET_MASK}` });
    assert.equal(safe.remediations[0].description, `étiquette ajoutée : cle=${SECRET_MASK}`);
    // Secret booleans are not masked: "true" is everywhere.
    assert.equal(scrubResult(result([{ ...SEC03, message: "protect: true" }]), secrets).findings[0].message, "protect: true");
    // Identities, ids and enumerations are untouched.
    for (const [a, b] of [[sec03, SEC03], [sec06, SEC06]] as const) {
        assert.deepEqual(
            { needs: a.needs, policy: a.policy, resource: a.resource, status: a.status, severity: a.severity, level: a.enforcementLevel },
            { needs: b.needs, policy: b.policy, resource: b.resource, status: b.status, severity: b.severity, level: b.enforcementLevel },
        );
    }
    assert.deepEqual(safe.conformance, checked.conformance);
    // Titles are the pack's own text: left as they are, even when a secret shares words with them.
    assert.equal(scrubResult(result([{ ...SEC03, title: "SEC-03 — Hm7Qx3Zr9Vy5" }]), secrets).findings[0].title, "SEC-03 — Hm7Qx3Zr9Vy5");
    assert.deepEqual(safe.resources, checked.resources);
    // Nothing to scrub with: the very same result.
    assert.equal(scrubResult(checked, undefined), checked);
    // The input is not modified.
    assert.match(checked.findings[0].message, /Hm7Qx3Zr9Vy5/);
});

test("report scrub: every format, with the secrets given or attached by check", () => {
    const secrets = inputSecrets(INPUT);
    const probes = ["Hm7Qx3Zr9Vy5", "Xq7Zk2Vj9Mq4", "Yq5Hz7Mx2", "DEC-Jn4Rx8"];
    const attached = attachSecrets(result([SEC03, SEC06]), secrets);
    for (const format of REPORT_FORMATS) {
        const given = renderReport(format, result([SEC03, SEC06]), { secrets });
        assert.deepEqual(leaks(given, probes), [], format);
        assert.equal(renderReport(format, attached), given, format);
        // The cost reports hold the estimate, not the findings.
        if (format.startsWith("cost-")) continue;
        assert.match(given, /SEC-03/, format);
        assert.match(given, /legacy/, format);
    }
    // Without secrets, the report shows what it is given (the render functions do not guess).
    assert.match(renderReport("text", result([SEC03])), /Hm7Qx3Zr9Vy5/);
});

test("secret sources: state documents, configuration, placeholders", () => {
    // A state document's secrets, wherever they are (a root stack output here).
    const doc = { resources: [{ urn: "u", outputs: { token: secret("Vz8Mq3Xr5Hy7"), plain: "visible" } }] };
    assert.deepEqual(secretsIn("etat.json", doc), [{ key: "etat.json:resources[0].outputs.token", value: secret("Vz8Mq3Xr5Hy7") }]);
    // Configuration: a secret key as a whole (an object with one secure leaf); "[secret]" is skipped.
    const config = { "app:db": '{"host":"Rq4Mz9Xh2Jy6","password":"[secret]"}', "app:token": "[secret]", "app:plain": "Nx5Vq8Mz3" };
    const sources = configSources(config, ["app:db", "app:token"]);
    assert.deepEqual(sources, [{ key: "config:app:db", value: secret({ host: "Rq4Mz9Xh2Jy6", password: "[secret]" }) }]);
    const index = inputSecrets([], sources);
    assert.equal(index.tainted("db at rq4mz9xh2jy6"), true);
    assert.equal(index.tainted("Nx5Vq8Mz3"), false);
    assert.equal(index.tainted("[secret]"), false);
});

test("JSON syntax errors never quote the document", () => {
    const text = '{"version": 3, "deployment": {"resources": [{"urn": "x", "outputs": {"password": Zq7Xm9Vj3Hq8Rz2 }}]}}';
    const message = (() => {
        try {
            JSON.parse(text);
        } catch (e) {
            return (e as Error).message;
        }
        return "";
    })();
    assert.match(message, /Zq7Xm9Vj3/, "V8 quotes the document in this message");
    assert.deepEqual(jsonErrorCause(message, text), { reason: "unexpected character", pos: text.indexOf("Zq7") });
    assert.throws(() => parseStateJson(text, "etat.json"), (e: Error) => {
        assert.equal(e.message, `etat.json: invalid JSON at line 1, column ${text.indexOf("Zq7") + 1}: unexpected character`);
        return true;
    });
    assert.deepEqual(jsonErrorCause(`Unexpected token '}', "{"a": tru}" is not valid JSON`, '{"a": tru}'), { reason: 'unexpected "}"', pos: 9 });
});

// ---------------------------------------------------------------------------------------------
// A state exported with --show-secrets.

test("state exported with --show-secrets: no secret in any report, on stdout or stderr; findings still there", () => {
    const { state, secrets, probes, names } = secretStateFile({ apps: 12 });
    assert.ok(secrets.length > 400, `${secrets.length} secrets`);
    const file = path.join(tmp, "etat.json");
    fs.writeFileSync(file, JSON.stringify(state, null, 2));

    // Self-service derogations: those the state carries take effect without an approved reference.
    const selfService = path.join(tmp, "derogations-libres.json");
    fs.writeFileSync(selfService, JSON.stringify({ "cloud-de-confiance": { derogationsLibres: true } }));
    const fr = checkAll(path.join(tmp, "state-fr"), "--state", file, "-c", selfService);
    assert.equal(fr.code, 1, fr.texts.stderr);
    assertNoLeak(fr.texts, probes);
    // English messages, Markdown on stdout, with remediations applied (level "remediate").
    const en = checkAll(path.join(tmp, "state-en"), "--state", file, "--lang", "en", "--format", "markdown",
        "-c", path.join(ROOT, "examples/configurations/defaut-hors-production.json"));
    assertNoLeak(en.texts, probes);

    const json = JSON.parse(fr.texts.json) as JsonReport;
    const needs = new Set(json.findings.flatMap((f) => f.needs));
    for (const need of ["RES-02", "SEC-03", "SEC-06", "SEC-07", "SEC-10", "SEC-12", "PROD-02", "SEC-13"]) assert.ok(needs.has(need), `no ${need} finding`);
    const named = new Set(json.findings.map((f) => f.resource?.name));
    for (const name of ["web-1", "data-1", "legacy-1", "ssh-1", "port-1", "public-1", "cred-1", "api-1", "worker-1", "archive-12"]) {
        assert.ok(named.has(name), `no finding on ${name}`);
    }
    // Resource names are never masked: every report that lists every finding names them all; the
    // merge-request comment, bounded, shows the first resources of each root cause, unmasked.
    for (const name of names.filter((n) => named.has(n))) {
        for (const format of ["text", "junit", "sarif", "codequality", "stdout"]) assert.ok(fr.texts[format].includes(name), `${name} missing from ${format}`);
    }
    assert.ok(names.filter((n) => named.has(n) && fr.texts.markdown.includes(n)).length >= 10);
    assert.doesNotMatch(fr.texts.markdown, /` \\\[secret\\\]/, "no masked resource name in the comment");
    // The value secret elsewhere and plaintext here is masked (by the pack, which remembers every
    // secret of the operation, or else by the report), the rest of the message is kept.
    const legacy = json.findings.find((f) => f.resource?.name === "legacy-1" && f.needs[0] === "SEC-03");
    assert.match(legacy?.message ?? "", /^SEC-03 · blockstorage\/Volume « legacy-1 » · volumeType = (\(valeur sensible masquée\)|"\[secret\]") · /);
    const worker = json.findings.find((f) => f.resource?.name === "worker-1" && f.needs[0] === "PROD-02");
    assert.match(worker?.message ?? "", /image = (\(valeur sensible masquée\)|"\[secret\]")/);
    // The derogation carried by a secret metadata value still derogates, without its fields; without
    // self-service, it stays mandatory, and its note shows none of its fields either (assertNoLeak).
    const archive = json.findings.find((f) => f.resource?.name === "archive-1" && f.needs[0] === "SEC-03");
    assert.equal(archive?.status, "derogated");
    const enJson = JSON.parse(en.texts.json) as JsonReport;
    const unapproved = enJson.findings.find((f) => f.resource?.name === "archive-1" && f.needs[0] === "SEC-03");
    assert.equal(unapproved?.status, "violation");
    assert.match(unapproved?.message ?? "", /\[derogation \(sensitive value hidden\) not in effect: reference not approved for SEC-03/);
});

test("state: an error line does not quote a secret of the file", () => {
    const file = path.join(tmp, "casse.json");
    fs.writeFileSync(file, '{"version": 3, "deployment": {"resources": [{"urn": "x", "outputs": {"password": Rz4Hq8Mx3Vy7Jn5 }}]}}');
    const r = cli("check", "--state", file);
    assert.equal(r.code, 2);
    assert.match(r.err, /casse\.json: invalid JSON at line 1, column \d+: unexpected character/);
    assert.deepEqual(leaks(r.err, ["Rz4Hq8Mx3Vy7Jn5"]), []);
});

// ---------------------------------------------------------------------------------------------
// A program using pulumi.secret, run under the mocks.

/** A throw-away project (its node_modules links to the repository's, so the SDK resolves). */
function project(name: string, files: Record<string, string>): string {
    const dir = path.join(tmp, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const [file, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), content);
    return dir;
}

test("program using pulumi.secret: no secret in any report, on stdout or stderr; findings still there", () => {
    const tok = tokens(11);
    const s = Array.from({ length: 27 }, () => tok(11));
    const program = [
        'import * as pulumi from "@pulumi/pulumi";',
        'import * as openstack from "@pulumi/openstack";',
        'import * as k8s from "@pulumi/kubernetes";',
        "const config = new pulumi.Config();",
        // Declared secret by the project, read in plaintext by the program.
        'const volumeType = config.require("volumeType");',
        // A secret key as a whole: its host is secret although written in plaintext.
        'const db = config.requireObject<{ host: string }>("db");',
        `const os = new openstack.Provider("admin", { authUrl: pulumi.secret("${s[0]}://${s[1]}:${s[2]}@${s[3]}"), password: pulumi.secret("${s[4]}"), region: "fr-par-1" });`,
        'new openstack.compute.Instance("web", {',
        '    flavorName: "b3-8", imageName: "debian-12",',
        `    adminPass: pulumi.secret("${s[5]}"), keyPair: pulumi.secret("${s[6]}"),`,
        `    userData: pulumi.secret("#!/${s[7]}\\n${s[8]}=${s[9]}"),`,
        `    tags: ["application=portail", pulumi.secret("${s[10]}=${s[11]}")], metadata: pulumi.secret({ owner: "${s[12]}" }),`,
        "}, { provider: os });",
        // The same volume type, secret on one volume, plaintext on the other.
        `new openstack.blockstorage.Volume("data", { size: 10, volumeType: pulumi.secret("${s[13]}"), availabilityZone: pulumi.secret("${s[14]}") });`,
        `new openstack.blockstorage.Volume("legacy", { size: 10, availabilityZone: "eu-west-par-a", volumeType: "${s[13]}" });`,
        'new openstack.blockstorage.Volume("config-type", { size: 10, availabilityZone: "eu-west-par-a", volumeType });',
        `new openstack.networking.SecGroupRule("ssh", { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: pulumi.secret(22), portRangeMax: 22, remoteIpPrefix: "0.0.0.0/0", securityGroupId: "sg", description: pulumi.secret("${s[15]}") });`,
        // The same image, secret in one deployment, plaintext in the other (no tag: PROD-02 fails).
        `const image = "${s[16]}.${s[17]}/${s[18]}";`,
        "const deployment = (name: string, img: pulumi.Input<string>, env: pulumi.Input<string>) => new k8s.apps.v1.Deployment(name, {",
        "    metadata: { labels: { app: name } },",
        "    spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: img, env: [{ name: \"TOKEN\", value: env }] }] } } },",
        "});",
        `deployment("api", pulumi.secret(image), pulumi.secret("${s[19]}"));`,
        "deployment(\"worker\", image, db.host);",
        `new k8s.core.v1.Secret("db", { stringData: pulumi.secret({ password: "${s[20]}" }) });`,
        `new k8s.Provider("cluster", { kubeconfig: pulumi.secret("${s[24]}: ${s[25]}") });`,
        `new k8s.core.v1.ConfigMap("settings", { data: { level: "info", "db.password": pulumi.secret("${s[26]}") } });`,
        `const token = pulumi.secret("${s[21]}");`,
        // The program prints secrets: its console output goes to stderr, masked.
        'token.apply((t) => console.log("token", t));',
        "console.log(`db host ${db.host}, volume type ${volumeType}`);",
        "export const outputs = { token, dbHost: db.host };",
    ].join("\n");
    const dir = project("secret-program", {
        "Pulumi.yaml": [
            "name: portail",
            "runtime: nodejs",
            "config:",
            "  volumeType:",
            "    secret: true",
            `    default: ${s[22]}`,
        ].join("\n") + "\n",
        "Pulumi.test.yaml": ["config:", "  portail:db:", `    host: ${s[23]}`, "    password:", "      secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBB", ""].join("\n"),
        "index.ts": program,
    });
    // Every token is part of a secret: 17 pulumi.secret calls, 2 secret configuration values.
    const probes = s;
    const run = checkAll(path.join(tmp, "program-reports"), dir, "--stack", "test");
    assert.equal(run.code, 1, run.texts.stderr);
    assertNoLeak(run.texts, probes);
    // The program's output is there, masked.
    assert.match(run.texts.stderr, /token \[secret\]/);
    assert.match(run.texts.stderr, /db host \[secret\], volume type \[secret\]/);

    const json = JSON.parse(run.texts.json) as JsonReport;
    const on = (name: string, need: string) => json.findings.find((f) => f.resource?.name === name && f.needs[0] === need);
    assert.match(on("legacy", "SEC-03")?.message ?? "", /volumeType = "\[secret\]"/);
    assert.match(on("config-type", "SEC-03")?.message ?? "", /volumeType = "\[secret\]"/);
    assert.match(on("worker", "PROD-02")?.message ?? "", /image = "\[secret\]"/);
    assert.ok(on("ssh", "SEC-06"), "no SEC-06 finding on ssh");
    assert.ok(on("web", "SEC-09"), "no SEC-09 finding on web");
});

test("program: a failure quoting a secret is reported without it", () => {
    const tok = tokens(13)(13);
    const dir = project("failing-program", {
        "Pulumi.yaml": "name: casse\nruntime: nodejs\n",
        "index.ts": [
            'import * as pulumi from "@pulumi/pulumi";',
            'import * as openstack from "@pulumi/openstack";',
            `const volumeType = pulumi.secret("${tok}");`,
            'new openstack.blockstorage.Volume("data", { size: 10, volumeType });',
            "volumeType.apply((t) => { throw new Error(`unknown volume type ${t}`); });",
        ].join("\n"),
    });
    const r = cli("check", dir);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /the program failed: unknown volume type \[secret\]/);
    assert.deepEqual(leaks(r.err + r.out, [tok]), []);
});
