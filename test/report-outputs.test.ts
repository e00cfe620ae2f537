/**
 * The checker's report options as a pipeline uses them: `--output-dir`, the text modes, the
 * summary printed last, and reports that never overwrite an input or a source file.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { REPORT_FILE_NAMES } from "../src/reports";
import { looksLikeReport } from "../src/reports/output";
import { ROOT } from "./support/pack";
import { sastValidator } from "./support/report-schemas";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
const PREVIEW = path.join(ROOT, "test/fixtures/preview/create-update.json");
let tmp: string;

before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-outputs-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

function assertRefused(r: ReturnType<typeof cli>, pattern: RegExp) {
    assert.equal(r.code, 2, `code ${r.code}, stderr: ${r.err}`);
    const lines = r.err.trim().split("\n");
    assert.equal(lines.length, 1, r.err);
    assert.match(lines[0], pattern);
    assert.equal(r.out, "", "nothing ran");
}

test("--output-dir writes every report under its usual name, and again on a second run; --quiet; the summary by need last", () => {
    const dir = path.join(tmp, "rapports");
    const r = cli("check", "--preview", PREVIEW, "--output-dir", dir, "--quiet");
    assert.equal(r.code, 1, r.err);
    assert.deepEqual(fs.readdirSync(dir).sort(), Object.values(REPORT_FILE_NAMES).sort());
    for (const name of fs.readdirSync(dir)) assert.ok(looksLikeReport(fs.readFileSync(path.join(dir, name), "utf8")), name);
    const sast = JSON.parse(fs.readFileSync(path.join(dir, "gl-sast-report.json"), "utf8"));
    const validate = sastValidator();
    assert.equal(validate(sast), true, JSON.stringify(validate.errors));
    assert.ok(sast.vulnerabilities.length > 0);
    assert.ok(sast.vulnerabilities.every((v: { identifiers: { value: string }[] }) => /^(sec|res)-/.test(v.identifiers[0].value)), "security needs only");
    // The Markdown comment points at the full report written beside it.
    assert.match(fs.readFileSync(path.join(dir, "cloud-de-confiance.md"), "utf8"), /\*\*Rapport complet\*\* : `[^`]*rapports\/cloud-de-confiance\.txt`/);
    // JUnit: resources each policy checked without a finding pass.
    const junit = fs.readFileSync(path.join(dir, "cloud-de-confiance.junit.xml"), "utf8");
    assert.match(junit, /<testcase classname="RES-01\.res-01-repartition-multi-zones" name="my:app:Service\$openstack:compute\/instance:Instance::web-vm" time="0"\/>/);
    assert.match(junit, /<testcase classname="RES-01\.res-01-repartition-multi-zones" name="\(stack\)" time="0"\/>/);
    // SEC-02 judges the region once, on the provider the resources use.
    assert.match(junit, /<testcase classname="SEC-02\.sec-02-localisation-des-donnees" name="pulumi:providers:openstack::[^"]+"[^>]*>\s*<failure/);
    assert.doesNotMatch(junit, /classname="SEC-02\.sec-02-localisation-des-donnees" name="\(stack\)"/, "a resource policy has no stack case");
    // The JSON report keeps what each policy checked.
    const json = JSON.parse(fs.readFileSync(path.join(dir, "cloud-de-confiance.json"), "utf8"));
    assert.ok(Array.isArray(json.checked["sec-02-localisation-des-donnees"]) && json.checked["sec-02-localisation-des-donnees"].length > 0);
    // --quiet: what fails, one line per root cause, then the summary by need.
    const lines = r.out.trimEnd().split("\n");
    // One provider setting, one line: SEC-02 on the provider the resources use.
    assert.ok(lines.some((l) => l.startsWith("  [obligatoire] sec-02-localisation-des-donnees  default_3_15_2  —")), r.out);
    assert.ok(!r.out.includes("[consultatif]"));
    assert.ok(lines.includes("Par besoin :"));
    assert.match(lines.at(-1)!, /^Bilan : \d+ ressources vérifiées, \d+ violations obligatoires/);

    // Again, over the reports of the first run; JSON on stdout, the summary on stderr.
    const again = cli("check", "--preview", PREVIEW, "--output-dir", dir, "--lang", "en", "--format", "json");
    assert.equal(again.code, 1, again.err);
    assert.match(fs.readFileSync(path.join(dir, "cloud-de-confiance.txt"), "utf8"), /^Policies: /);
    assert.equal(JSON.parse(again.out).format, "cloud-de-confiance/check@1");
    assert.match(again.err, /By need:\n/);
    assert.match(again.err.trimEnd().split("\n").at(-1)!, /^Summary: \d+ resources checked/);
});

test("reports never overwrite an input or a file that is not a report: one line, code 2, the file untouched", () => {
    const source = path.join(tmp, "index.ts");
    fs.writeFileSync(source, 'import * as pulumi from "@pulumi/pulumi";\n');
    assertRefused(cli("check", "--preview", PREVIEW, "--report", `json=${source}`), /report json=.*index\.ts: refusing to overwrite a file that is not a report/);
    assert.equal(fs.readFileSync(source, "utf8"), 'import * as pulumi from "@pulumi/pulumi";\n');
    const readme = path.join(tmp, "README.md");
    fs.writeFileSync(readme, "# Mon projet\n");
    assertRefused(cli("check", "--preview", PREVIEW, "--report", `markdown=${readme}`), /README\.md: refusing to overwrite a file that is not a report/);
    const config = path.join(tmp, "Pulumi.prod.yaml");
    fs.writeFileSync(config, "config:\n  a: b\n");
    assertRefused(cli("check", "--preview", PREVIEW, "--report", `text=${config}`), /Pulumi\.prod\.yaml: refusing to overwrite/);
    // An input, even under a report's usual name in --output-dir.
    const dir = path.join(tmp, "entrees");
    fs.mkdirSync(dir);
    const input = path.join(dir, "cloud-de-confiance.json");
    fs.copyFileSync(PREVIEW, input);
    assertRefused(cli("check", "--preview", input, "--output-dir", dir), /cloud-de-confiance\.json: refusing to overwrite an input file/);
    assertRefused(cli("check", "--preview", PREVIEW, "--report", `json=${PREVIEW}`), /refusing to overwrite an input file/);
    // Two reports to one file; a directory; exclusive modes.
    const twice = path.join(tmp, "r.json");
    assertRefused(cli("check", "--preview", PREVIEW, "--report", `json=${twice}`, "--report", `sarif=${twice}`), /the json report is written there too/);
    assertRefused(cli("check", "--preview", PREVIEW, "--report", `json=${tmp}`), /is a directory/);
    assertRefused(cli("check", "--preview", PREVIEW, "--compact", "--quiet"), /--compact and --quiet are exclusive/);
    // An empty file (made by mktemp) may be written over.
    const empty = path.join(tmp, "vide.sarif");
    fs.writeFileSync(empty, "");
    assert.equal(cli("check", "--preview", PREVIEW, "--report", `sarif=${empty}`, "--quiet").code, 1);
    assert.equal(JSON.parse(fs.readFileSync(empty, "utf8")).version, "2.1.0");
});
