/**
 * The checker as a user runs it: `cloud-de-confiance check …`, exit codes, one-line errors, reports.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { check } from "../src/checker/check";
import { parsePreviewJson } from "../src/checker/inputs";
import { stackContext, stackKnowledge } from "../src/checker/stack-description";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate } from "../src/engine/engine";
import { ROOT, startPack } from "./support/pack";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
const FX = path.join(ROOT, "test/fixtures");
const PREVIEW = path.join(FX, "preview/create-update.json");
const PROGRAM = path.join(FX, "programs/sovereign-app");
let tmp: string;

function cli(...args: string[]) {
    // LC_ALL=C: English messages whatever the machine's locale (see src/cli/i18n.ts).
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 180_000, env: { ...process.env, LC_ALL: "C" } });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-cli-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, text: string): string {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text);
    return f;
}

function assertUsageError(r: ReturnType<typeof cli>, pattern: RegExp) {
    assert.equal(r.code, 2, `code ${r.code}, stderr: ${r.err}`);
    const lines = r.err.trim().split("\n");
    assert.equal(lines.length, 1, `une seule ligne attendue : ${r.err}`);
    assert.match(lines[0], pattern);
    assert.ok(!/\n\s+at /.test(r.err), "pas de pile d'appels");
}

test("entrées mal formées, tronquées ou d'une autre sorte : code 2 et une ligne claire", () => {
    assertUsageError(cli("check", "--preview", path.join(FX, "preview/truncated.json")), /truncated\.json.*truncated JSON/);
    assertUsageError(cli("check", "--preview", path.join(FX, "state/export-v3.json")), /export-v3\.json/);
    assertUsageError(cli("check", "--state", path.join(FX, "preview/create-update.json")), /create-update\.json/);
    assertUsageError(cli("check", "--state", path.join(FX, "state/truncated.json")), /truncated\.json/);
    assertUsageError(cli("check", "--preview", path.join(tmp, "absent.json")), /absent\.json: cannot read the preview JSON \(no such file\)/);
    assertUsageError(cli("check", PROGRAM, "--stack", "inexistante"), /inexistante/);
    assertUsageError(cli("check", "--bogus"), /unknown option '--bogus'/);
    assertUsageError(cli("check", "--preview", PREVIEW, "--report", "pdf=x.pdf"), /unknown format "pdf"/);
    assertUsageError(cli("check", "--preview", PREVIEW, "--report", `json=${PREVIEW}`), /refusing to overwrite an input file/);
});

test("configuration du pack invalide : code 2 et une ligne claire", () => {
    assertUsageError(cli("check", "--preview", PREVIEW, "-c", write("bad.json", "{ \"all\": ")), /bad\.json: invalid JSON/);
    assertUsageError(cli("check", "--preview", PREVIEW, "-c", write("level.json", '{"sec-03-chiffrement-au-repos": "bloquant"}')), /"bloquant" is not a valid enforcement level/);
    assertUsageError(cli("check", "--preview", PREVIEW, "-c", write("type.json", '{"res-01-repartition-multi-zones": {"zonesMin": "trois"}}')), /res-01-repartition-multi-zones: zonesMin: Invalid type\. Expected: integer, given: string/);
    assertUsageError(cli("check", "--preview", PREVIEW, "-c", write("settings.json", '{"cloud-de-confiance": {"langue": "de"}}')), /cloud-de-confiance: langue: langue must be one of the following: "fr", "en"/);
    assertUsageError(cli("check", "--preview", PREVIEW, "-c", write("typo.json", '{"cloud-de-confiance": {"profl": "ovhcloud"}}')), /unknown key "profl"/);
    assertUsageError(cli("check", "--preview", PREVIEW, "-c", write("unknown.json", '{"res-99-inconnue": {"x": 1}}')), /configuring policy pack "cloud-de-confiance" at "[^"]+": invalid enforcement level ""/);
    assertUsageError(cli("check", "--preview", PREVIEW, "-c", path.join(tmp, "absente.json")), /absente\.json: cannot read the policy pack configuration/);
});

test("prévisualisation : rapports écrits, code 1 sur violation obligatoire, 0 quand tout est consultatif", () => {
    const files = Object.fromEntries(["json", "sarif", "junit", "codequality", "markdown", "conformance-json", "conformance-md"].map((f) => [f, path.join(tmp, "rapports", `r.${f}`)]));
    const r = cli("check", "--preview", PREVIEW, ...Object.entries(files).flatMap(([f, p]) => ["--report", `${f}=${p}`]));
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /SEC-03 — Chiffrement au repos/);
    const json = JSON.parse(fs.readFileSync(files.json, "utf8"));
    assert.ok(json.findings.some((f: { needs: string[]; enforcementLevel: string }) => f.needs.includes("SEC-03") && f.enforcementLevel === "mandatory"));
    const sarif = JSON.parse(fs.readFileSync(files.sarif, "utf8"));
    assert.equal(sarif.version, "2.1.0");
    assert.ok(sarif.runs[0].results.length > 0);
    assert.match(fs.readFileSync(files.junit, "utf8"), /<testsuites[\s\S]*<failure/);
    assert.ok(Array.isArray(JSON.parse(fs.readFileSync(files.codequality, "utf8"))));
    const matrix = JSON.parse(fs.readFileSync(files["conformance-json"], "utf8"));
    assert.equal(matrix.needs.find((n: { need: string }) => n.need === "SEC-03").status, "violated");
    assert.match(fs.readFileSync(files["conformance-md"], "utf8"), /SEC-03/);

    const advisory = write("tout-consultatif.json", '{"all": "advisory"}');
    assert.equal(cli("check", "--preview", PREVIEW, "-c", advisory).code, 0);
    assert.equal(cli("check", "--preview", PREVIEW, "-c", advisory, "--fail-on", "advisory").code, 1);
    const en = cli("check", "--preview", PREVIEW, "--lang", "en", "--format", "json");
    const enFindings: { status: string; message: string }[] = JSON.parse(en.out).findings;
    assert.ok(enFindings.some((f) => f.status === "violation"));
    assert.ok(enFindings.filter((f) => f.status !== "unknown").every((f) => f.message.includes(" Fix: ")));
    // The preview holds no stack tags: PIL-02 cannot be checked, said in English too.
    assert.ok(enFindings.some((f) => f.status === "unknown" && f.message.includes("PIL-02 · the stack's tags are not known")));
});

test("mêmes ressources par `check` et par le pilote gRPC : mêmes diagnostics", async () => {
    const imported = parsePreviewJson(fs.readFileSync(PREVIEW, "utf8"), PREVIEW);
    const project = imported.project ?? "p";
    const known = stackKnowledge({ project, tags: imported.stackTags, config: imported.config, secretKeys: imported.secretKeys });
    const stack = stackContext({ project, stack: imported.stack ?? "s", dryRun: true }, known);
    const { evaluation } = await check({ source: { kind: "preview", path: PREVIEW }, resources: imported.resources, stack });
    const pack: PolicyPackProcess = await startPack();
    try {
        const direct = await evaluate(pack, imported.resources, { stack });
        const key = (d: { policyName: string; urn: string; message: string; enforcementLevel: string }) => `${d.policyName}|${d.urn}|${d.enforcementLevel}|${d.message}`;
        assert.deepEqual(evaluation.diagnostics.map(key).sort(), direct.diagnostics.map(key).sort());
        assert.ok(direct.diagnostics.length > 5);
    } finally {
        await pack.close();
    }
});

test("programme Pulumi réel (OpenStack, Kubernetes, composant, configuration, invoke) vérifié de bout en bout", () => {
    const r = cli("check", PROGRAM, "--stack", "test", "--format", "json");
    assert.ok(r.code === 0 || r.code === 1, r.err);
    const result = JSON.parse(r.out);
    assert.equal(result.source.kind, "program");
    const types = new Set(result.resources.map((x: { type: string }) => x.type));
    assert.ok([...types].some((t) => String(t).startsWith("openstack:")), [...types].join(", "));
    assert.ok([...types].some((t) => String(t).startsWith("kubernetes:")), [...types].join(", "));
    assert.ok(result.conformance.length >= 40);
    // « Cannot be checked » keeps the engine's prefix; the pack's text starts with the need id.
    for (const f of result.findings) assert.match(f.status === "unknown" ? f.message.replace(/^can't run policy .* during preview: /, "") : f.message, /^[A-Z]+-\d{2}/);
    for (const cipher of ["Ry6xT0cY5Hh2q1Gd", "3mXvQZ1m8wHk2p0T"]) assert.ok(!r.out.includes(cipher), "une valeur chiffrée de la configuration ne doit pas apparaître");
    assert.ok(result.resources.some((x: { type: string }) => x.type === "kubernetes:core/v1:Secret"));
});

test("options de pile mal formées : code 2 et une ligne claire", () => {
    const STATE = path.join(FX, "state/export-v3.json");
    assertUsageError(cli("check", "--state", STATE, "--stack-tag", "ministere"), /^cloud-de-confiance: --stack-tag ministere: expected NAME=VALUE$/);
    assertUsageError(cli("check", "--state", STATE, "--stack-tag", "centre de cout=CC-1"), /invalid stack tag name "centre de cout"/);
    assertUsageError(cli("check", "--state", STATE, "--stack-tags", path.join(tmp, "absentes.json")), /absentes\.json: cannot read the stack tags \(no such file\)/);
    assertUsageError(cli("check", "--state", STATE, "--stack-tags", write("etiquettes.json", '{"ministere": ["interieur"]}')), /etiquettes\.json: stack tag "ministere" is an array, expected a string/);
    assertUsageError(cli("check", "--state", STATE, "--stack-config", path.join(FX, "stack/Pulumi.invalide.yaml")), /Pulumi\.invalide\.yaml:3:1: invalid YAML/);
    assertUsageError(cli("check", "--state", STATE, "--config", "=x"), /--config =x: expected KEY=VALUE/);
    assertUsageError(cli("check", PROGRAM, "--stack-config", path.join(FX, "stack/Pulumi.prod.yaml")), /--stack-config is for --preview and --state/);
    assertUsageError(cli("check", "--state", STATE, "--stack-tags", path.join(FX, "stack/tags.json"), "--report", `json=${path.join(FX, "stack/tags.json")}`), /refusing to overwrite an input file/);
});

test("PIL-02 selon l'entrée et les options : invérifiable sans étiquettes ni configuration, violation quand tout est connu", () => {
    const STATE = path.join(FX, "state/export-v3.json");
    const pil02 = (...args: string[]) => {
        const r = cli("check", ...args, "--format", "json");
        assert.ok(r.code === 0 || r.code === 1, r.err);
        const result = JSON.parse(r.out);
        return {
            findings: result.findings.filter((f: { needs: string[] }) => f.needs.includes("PIL-02")) as { status: string; enforcementLevel: string; message: string }[],
            status: result.conformance.find((n: { need: string }) => n.need === "PIL-02").status as string,
            all: result.findings as { needs: string[]; status: string }[],
        };
    };
    // A state holds neither tags nor configuration.
    const none = pil02("--state", STATE);
    assert.deepEqual(none.findings.map((f) => f.status), ["unknown"]);
    assert.equal(none.status, "cannot-check");
    // Tags and configuration given: every key declared.
    const empty = write("sans-etiquettes.json", "{}");
    assert.deepEqual(pil02("--state", STATE, "--stack-tags", empty, "--stack-config", path.join(FX, "stack/Pulumi.prod.yaml")).findings, []);
    // Both known, keys missing: a mandatory violation.
    const missing = pil02("--state", STATE, "--stack-tags", empty, "--config", "ministere=interieur");
    assert.deepEqual(missing.findings.map((f) => [f.status, f.enforcementLevel]), [["violation", "mandatory"]]);
    assert.match(missing.findings[0].message, /la pile ne déclare pas : application, environnement, centre-de-cout/);
    // A preview holds the configuration, not the tags: its keys suffice; untagged instances spread
    // over zones and a lone bastion raise no RES-01.
    const declared = pil02("--preview", path.join(FX, "preview/stack-config.json"));
    assert.deepEqual(declared.findings, []);
    assert.equal(declared.status, "respected");
    assert.deepEqual(declared.all.filter((f) => f.needs.includes("RES-01")), []);
});
