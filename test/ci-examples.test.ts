/**
 * The CI examples (examples/ci) as GitLab and GitHub read them: valid YAML with the keys each CI
 * expects, reports wired to the formats the checker writes, command lines the CLI accepts, the
 * pack path and configuration the installed package ships, a self-managed Pulumi backend with
 * passphrase secrets, and credentials that come from CI variables only.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { Command } from "commander";
import { parse } from "yaml";
import { buildProgram } from "../src/cli/main";
import { REPORT_FORMATS } from "../src/reports";
import { ROOT } from "./support/pack";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const INSTALLED = "node_modules/cloud-de-confiance/";

function load(file: string): { text: string; doc: Doc } {
    const text = fs.readFileSync(path.join(ROOT, "examples/ci", file), "utf8");
    return { text, doc: parse(text) as Doc };
}

/** Shell words of a command line (quotes removed; enough for these examples). */
function words(line: string): string[] {
    return (line.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ""));
}

/** The `cloud-de-confiance check …` command lines of a list of shell lines. */
function checkCommands(lines: string[]): string[][] {
    return lines.map((l) => words(l)).filter((w) => w[0] === "npx" && w[1] === "cloud-de-confiance" && w[2] === "check").map((w) => w.slice(3));
}

function checkCommand(): Command {
    const cmd = buildProgram("en").commands.find((c) => c.name() === "check");
    assert.ok(cmd);
    return cmd;
}

/** Reports written by a check command line: format → file. */
function reportsOf(args: string[]): Map<string, string> {
    const out = new Map<string, string>();
    args.forEach((a, i) => {
        if (a === "--report" || a === "-r") {
            const [format, file] = args[i + 1].split("=");
            out.set(format, file);
        }
    });
    return out;
}

/** What every example must get right about the checker's command line. */
function assertCheckLine(args: string[], where: string, env: Record<string, string>): Map<string, string> {
    const parsed = checkCommand().parseOptions(args);
    assert.deepEqual(parsed.unknown, [], `${where} : options inconnues de cloud-de-confiance check`);
    const reports = reportsOf(args);
    for (const f of reports.keys()) assert.ok((REPORT_FORMATS as readonly string[]).includes(f), `${where} : format de rapport ${f}`);
    const config = args[args.indexOf("--policy-pack-config") + 1];
    assert.equal(config, '$CONFIG_PACK');
    assertShipped(env.CONFIG_PACK, where);
    return reports;
}

/** A path under the installed package that the package ships. */
function assertShipped(p: string, where: string) {
    assert.ok(p.startsWith(INSTALLED), `${where} : ${p} est dans le paquet installé`);
    const inRepo = p.slice(INSTALLED.length);
    assert.ok(fs.existsSync(path.join(ROOT, inRepo)), `${where} : ${inRepo} existe`);
    const files = PKG.files as string[];
    const shipped = files.some((f) => {
        const re = new RegExp("^" + f.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "(?:.*/)?").replace(/\*/g, "[^/]*") + "(?:/.*)?$");
        return re.test(inRepo);
    });
    assert.ok(shipped, `${where} : ${inRepo} est livré (files de package.json)`);
}

function assertSelfManagedPulumi(text: string, lines: string[], where: string) {
    assert.ok(!/PULUMI_ACCESS_TOKEN|app\.pulumi\.com|api\.pulumi\.com/.test(text), `${where} : aucun service Pulumi Cloud`);
    assert.ok(lines.some((l) => /^pulumi login "\$PULUMI_BACKEND_URL"$/.test(l.trim())), `${where} : pulumi login vers le backend de l'équipe`);
    assert.match(text, /PULUMI_CONFIG_PASSPHRASE/, `${where} : fournisseur de secrets par phrase secrète`);
    assert.match(text, /s3:\/\/[^\s]*endpoint=/, `${where} : exemple de stockage objet compatible S3`);
    assert.match(text, /file:\/\//, `${where} : ou un dossier`);
    const preview = lines.map(words).find((w) => w[0] === "pulumi" && w[1] === "preview");
    assert.ok(preview, `${where} : pulumi preview`);
    const pack = preview[preview.indexOf("--policy-pack") + 1];
    assert.equal(pack, `${INSTALLED}policies`, `${where} : le pack livré avec l'outil`);
    assert.ok(fs.existsSync(path.join(ROOT, "policies/PulumiPolicy.yaml")));
    assert.ok((PKG.files as string[]).includes("policies/PulumiPolicy.yaml"));
    assert.equal(preview[preview.indexOf("--policy-pack-config") + 1], "$CONFIG_PACK");
    assert.ok(preview.includes("--non-interactive"));
}

/** Secrets are never written in an example: a key that sets one reads it from the CI's secrets. */
function assertNoCredentialValues(text: string, where: string) {
    for (const v of ["OS_APPLICATION_CREDENTIAL_SECRET", "OS_PASSWORD", "PULUMI_CONFIG_PASSPHRASE", "AWS_SECRET_ACCESS_KEY"]) {
        for (const m of text.matchAll(new RegExp(`^\\s*${v}:\\s*(.*)$`, "gm"))) {
            assert.equal(m[1], `\${{ secrets.${v} }}`, `${where} : ${v} vient des secrets de la CI`);
        }
    }
}

test("GitLab CI : clés attendues, rapports branchés, sauvegarde d'état auto-hébergée, identifiants en variables", () => {
    const { text, doc } = load("gitlab-ci.yml");
    const where = "gitlab-ci.yml";
    assert.ok(Array.isArray(doc.stages));
    assert.ok(Array.isArray(doc.workflow?.rules), "workflow:rules");
    assert.equal(doc.default.image, "node:lts", "Node LTS courante");
    assert.deepEqual(doc.default.cache.key.files, ["package-lock.json"], "cache npm indexé par le verrou");
    assert.deepEqual(doc.default.cache.paths, [".npm/"]);
    assert.equal(doc.variables.npm_config_cache, "$CI_PROJECT_DIR/.npm", "npm écrit son cache dans le dossier mis en cache");
    assert.ok(doc.default.before_script.some((l: string) => /^npm ci\b/.test(l)), "l'outil vient du package-lock.json du projet");

    const jobs = Object.entries(doc).filter(([, v]) => v && typeof v === "object" && "script" in (v as Doc)) as [string, Doc][];
    for (const [name, job] of jobs) {
        assert.ok(Array.isArray(job.script) && job.script.length, `${name}: script`);
        assert.ok(doc.stages.includes(job.stage), `${name}: stage déclaré`);
    }
    const checker = doc["cloud-de-confiance"];
    const [args] = checkCommands(checker.script);
    assert.ok(args, "npx cloud-de-confiance check");
    const reports = assertCheckLine(args, where, doc.variables);
    assert.equal(checker.artifacts.when, "always", "rapports gardés quand le job échoue");
    assert.equal(checker.artifacts.reports.junit, reports.get("junit"), "artifacts:reports:junit = --report junit");
    assert.equal(checker.artifacts.reports.codequality, reports.get("codequality"), "artifacts:reports:codequality = --report codequality");
    const sast = REPORT_FORMATS.find((f) => /sast/.test(f));
    if (sast) assert.equal(checker.artifacts.reports.sast, reports.get(sast), "artifacts:reports:sast = le rapport SAST du vérificateur");
    for (const file of reports.values()) assert.ok(checker.artifacts.paths.some((p: string) => file.startsWith(p)), `${file} dans artifacts:paths`);

    const preview = doc["pulumi-preview"];
    assert.ok(Array.isArray(preview.rules) && preview.rules.some((r: Doc) => /\$PULUMI_BACKEND_URL/.test(r.if) && /\$OS_APPLICATION_CREDENTIAL_ID/.test(r.if)), "pulumi-preview:rules : seulement avec les variables");
    assert.equal(preview.variables.OS_AUTH_TYPE, "v3applicationcredential");
    assertSelfManagedPulumi(text, preview.script, where);
    for (const v of ["OS_AUTH_URL", "OS_REGION_NAME", "OS_APPLICATION_CREDENTIAL_ID", "OS_APPLICATION_CREDENTIAL_SECRET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
        assert.ok(text.includes(v), `${v} documentée comme variable CI/CD`);
        assert.ok(!(v in (doc.variables ?? {})) && !(v in (preview.variables ?? {})), `${v} : pas de valeur dans le fichier`);
    }
    assertNoCredentialValues(text, where);
});

test("GitHub Actions : jobs.<id>.steps, setup-node avec cache, upload-sarif, Pulumi auto-hébergé, identifiants en secrets", () => {
    const { text, doc } = load("github-actions.yml");
    const where = "github-actions.yml";
    assert.ok(doc.on, "déclencheurs");
    for (const [id, job] of Object.entries(doc.jobs as Record<string, Doc>)) {
        assert.ok(job["runs-on"], `jobs.${id}.runs-on`);
        assert.ok(Array.isArray(job.steps) && job.steps.length, `jobs.${id}.steps`);
        for (const s of job.steps) assert.ok(("uses" in s) !== ("run" in s), `jobs.${id} : chaque étape a uses ou run`);
        const node = job.steps.find((s: Doc) => /^actions\/setup-node@v4$/.test(s.uses));
        assert.ok(node, `jobs.${id} : actions/setup-node@v4`);
        assert.equal(node.with["node-version"], "lts/*", "Node LTS courante");
        assert.equal(node.with.cache, "npm", "cache npm");
        const install = job.steps.findIndex((s: Doc) => /^npm ci\b/.test(s.run ?? ""));
        assert.ok(install > job.steps.indexOf(node), `jobs.${id} : npm ci après setup-node`);
    }
    const checker = doc.jobs.conformite;
    const runs = checker.steps.map((s: Doc) => s.run).filter(Boolean) as string[];
    const [args] = checkCommands(runs);
    assert.ok(args, "npx cloud-de-confiance check");
    const reports = assertCheckLine(args, where, doc.env);
    const upload = checker.steps.find((s: Doc) => /^github\/codeql-action\/upload-sarif@v\d+$/.test(s.uses));
    assert.ok(upload, "github/codeql-action/upload-sarif");
    assert.equal(upload.with.sarif_file, reports.get("sarif"), "le SARIF écrit par le vérificateur");
    assert.match(upload.if, /!cancelled\(\)/, "envoyé aussi quand la vérification échoue");
    assert.equal(checker.permissions["security-events"], "write");

    const preview = doc.jobs["pulumi-preview"];
    assert.ok(preview.steps.some((s: Doc) => /^pulumi\/actions@v\d+$/.test(s.uses)), "CLI Pulumi installée");
    const lines = preview.steps.map((s: Doc) => s.run).filter(Boolean) as string[];
    assertSelfManagedPulumi(text, lines, where);
    for (const v of ["OS_APPLICATION_CREDENTIAL_ID", "OS_APPLICATION_CREDENTIAL_SECRET", "PULUMI_CONFIG_PASSPHRASE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
        assert.equal(preview.env[v], `\${{ secrets.${v} }}`, `${v} : secret du dépôt`);
    }
    for (const v of ["OS_AUTH_URL", "OS_REGION_NAME", "PULUMI_BACKEND_URL"]) assert.equal(preview.env[v], `\${{ vars.${v} }}`, `${v} : variable du dépôt`);
    assertNoCredentialValues(text, where);
});

test("exemples : l'outil s'installe depuis l'archive, git ou un registre", () => {
    for (const file of ["gitlab-ci.yml", "github-actions.yml"]) {
        const { text } = load(file);
        assert.match(text, /npm install --save-dev \.\/[^\s]*cloud-de-confiance-[\d.]+\.tgz/, `${file} : archive`);
        assert.match(text, /npm install --save-dev "git\+https:\/\/[^"]+cloud-de-confiance\.git#v[\d.]+"/, `${file} : git`);
        assert.match(text, /npm install --save-dev cloud-de-confiance@[\d.]+/, `${file} : registre`);
    }
});
