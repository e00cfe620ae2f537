/**
 * The tool as a team installs it: `npm pack`, then the tarball installed into a project outside
 * the repository (`npm ci --omit=dev`, offline, from the npm cache the repository's install
 * filled), and `npx cloud-de-confiance …` run there. Also what the package declares: the pack's
 * version and dependencies, the files it ships, the licence, the Node versions.
 */
import { execFileSync } from "node:child_process";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { fromTarball, packTool, PackedTool, ROOT, run, writeConsumerProject } from "./support/consumer-project";

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const packPkg = JSON.parse(fs.readFileSync(path.join(ROOT, "policies/package.json"), "utf8"));

test("le pack suit la version du paquet, et le paquet déclare les dépendances du pack", () => {
    assert.equal(packPkg.version, pkg.version, "policies/package.json : même version que package.json (npm version les met à jour ensemble)");
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));
    assert.equal(lock.packages.policies.version, pkg.version, "package-lock.json : version du pack");
    // Installed from the tarball, the pack folder resolves its modules from the package's dependencies.
    for (const [name, spec] of Object.entries(packPkg.dependencies as Record<string, string>)) {
        assert.equal(pkg.dependencies[name], spec, `dépendance du pack ${name} : même version dans package.json`);
    }
    assert.ok(!(packPkg.name in pkg.dependencies), "le pack est livré dans le paquet, pas comme dépendance à télécharger");
    assert.equal(pkg.private, undefined, "le paquet est publiable");
    assert.deepEqual(packPkg.engines, pkg.engines, "mêmes versions de Node pour le pack et l'outil");
});

test("le pack se publie tel quel : PulumiPolicy.yaml, main compilé, fichiers livrés", () => {
    assert.ok(fs.existsSync(path.join(ROOT, "policies/PulumiPolicy.yaml")));
    assert.equal(packPkg.main, "dist/index.js");
    assert.ok(fs.existsSync(path.join(ROOT, "policies", packPkg.main)), "policies/dist construit");
    assert.ok(packPkg.files.includes("PulumiPolicy.yaml"));
    // What `pulumi policy publish` uploads (npm pack of the pack folder), and the CLI installs on
    // every run: the compiled rules and their data, never fixtures, sources, declarations or maps.
    const out = execFileSync("npm", ["pack", "--dry-run", "--json"], { cwd: path.join(ROOT, "policies"), encoding: "utf8" });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0].files.map((f) => f.path);
    for (const f of ["PulumiPolicy.yaml", "package.json", "tsconfig.json", "dist/index.js", "dist/registry.js", "dist/rules/SEC-06/sec-06-filtrage-reseau.js", "donnees/carbone.json"]) {
        assert.ok(files.includes(f), `${f} publié avec le pack`);
    }
    for (const f of files) {
        assert.ok(!f.endsWith(".fixtures.js") && !/\.(ts|map)$/.test(f) && !f.startsWith("src/"), `${f} ne doit pas être publié avec le pack`);
    }
});

test("licence : LICENSE est le texte anglais officiel de l'EUPL 1.2 déclarée, aussi dans le pack", () => {
    assert.equal(pkg.license, "EUPL-1.2");
    assert.equal(packPkg.license, "EUPL-1.2");
    const text = fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8");
    assert.match(text, /^European Union Public Licence v\. 1\.2\n\nEUPL © the European Union 2007, 2016/);
    for (const heading of ["1. Definitions", "5. Obligations of the Licensee", "15. Applicable Law", "Appendix"]) {
        assert.ok(text.includes(`\n${heading}\n`), heading);
    }
    assert.equal(fs.readFileSync(path.join(ROOT, "policies/LICENSE"), "utf8"), text, "policies/LICENSE identique");
});

test("engines : les versions majeures de Node testées", () => {
    const major = Number(process.versions.node.split(".")[0]);
    const ranges = (pkg.engines.node as string).split("||").map((r) => r.trim());
    assert.ok(ranges.includes(`^${major}.0.0`), `Node ${major}, qui fait tourner ces tests, est déclaré : ${pkg.engines.node}`);
});

/** A team's Pulumi TypeScript program (as `pulumi new typescript` lays it out), with two stacks. */
function writeTeamProgram(dir: string): void {
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: projet-equipe\nruntime:\n  name: nodejs\n  options:\n    typescript: true\ndescription: Projet d'une équipe\n");
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  openstack:region: GRA9\n  projet-equipe:service: web\n");
    fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  openstack:region: SBG5\n  projet-equipe:service: web\n");
    fs.writeFileSync(
        path.join(dir, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", skipLibCheck: true }, files: ["index.ts"] }),
    );
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        [
            'import * as pulumi from "@pulumi/pulumi";',
            'import * as openstack from "@pulumi/openstack";',
            "",
            'const service = new pulumi.Config().require("service");',
            'const sg = new openstack.networking.SecGroup(service, { description: "serveur web" });',
            'new openstack.networking.SecGroupRule("ssh-monde", {',
            '    securityGroupId: sg.id, direction: "ingress", ethertype: "IPv4", protocol: "tcp",',
            '    portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/0",',
            "});",
            "",
        ].join("\n"),
    );
}

let tmp: string;
let tool: PackedTool;
let project: string;

before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-paquet-"));
    assert.ok(path.relative(ROOT, tmp).startsWith(".."), "hors du dépôt");
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test("npm pack : dist/ et le pack compilés, sans tests ni sources", () => {
    tool = packTool(tmp);
    const files = new Set(tool.files);
    for (const f of ["package.json", "LICENSE", "README.md", "dist/src/cli/main.js", "policies/package.json", "policies/PulumiPolicy.yaml", "policies/tsconfig.json", "policies/dist/index.js", "policies/dist/registry.js"]) {
        assert.ok(files.has(f), `${f} livré`);
    }
    for (const f of tool.files) {
        assert.ok(!/^(src|test|bench|stacks|policies\/src|dist\/test|node_modules)\//.test(f), `${f} ne doit pas être livré`);
        assert.ok(!/\.(ts|map)$/.test(f), `${f} : ni source TypeScript, ni déclaration, ni carte`);
        assert.ok(!f.endsWith(".fixtures.js"), `${f} : les fixtures restent dans le dépôt`);
    }
    // The built checker loads the pack from the folder shipped beside it, never by package name.
    for (const f of tool.files.filter((x) => x.startsWith("dist/src/") && x.endsWith(".js"))) {
        assert.ok(!fs.readFileSync(path.join(ROOT, f), "utf8").includes("@cloud-de-confiance/policies"), `${f} importe le pack par son nom`);
    }
});

test("installé depuis l'archive dans un projet d'équipe hors du dépôt (npm ci --omit=dev, hors ligne)", () => {
    assert.ok(tool, "archive produite");
    project = path.join(tmp, "projet-equipe");
    fs.mkdirSync(project);
    writeConsumerProject(project, fromTarball(project, tool), ["@pulumi/pulumi", "@pulumi/openstack"], ["typescript", "@types/node"]);
    writeTeamProgram(project);
    const install = run("npm", ["ci", "--omit=dev", "--offline", "--no-audit", "--no-fund"], project);
    assert.equal(install.status, 0, `npm ci --omit=dev --offline : ${install.stderr}`);
    const installed = fs.realpathSync(path.join(project, "node_modules/cloud-de-confiance"));
    assert.ok(installed.startsWith(fs.realpathSync(project)), "une copie installée, pas un lien vers le dépôt");
    assert.ok(fs.existsSync(path.join(project, "node_modules/.bin/cloud-de-confiance")), "commande installée");
    assert.ok(!fs.existsSync(path.join(project, "node_modules/@cloud-de-confiance")), "aucun autre paquet à publier");
});

function npx(...args: string[]) {
    return run("npx", ["--offline", "--no-install", "cloud-de-confiance", ...args], project, { LANG: "C", NO_COLOR: "" });
}

test("npx cloud-de-confiance dans le projet : --version, rules, check", () => {
    assert.ok(project, "projet installé");
    const version = npx("--version");
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), pkg.version);

    const rules = npx("rules", "--format", "json");
    assert.equal(rules.status, 0, rules.stderr);
    const listed = JSON.parse(rules.stdout) as { policy: string }[];
    assert.ok(listed.some((r) => r.policy === "sec-06-filtrage-reseau"), "les règles du pack installé");

    const sarif = path.join(project, "rapports/resultats.sarif");
    const r = npx("check", "--stack", "dev", "--format", "json", "--report", `sarif=${sarif}`);
    assert.equal(r.status, 1, `violations obligatoires attendues : ${r.stderr}`);
    const result = JSON.parse(r.stdout);
    assert.equal(result.pack.version, pkg.version);
    // The program's two resources, and the default provider the engine would create for them.
    assert.equal(result.resources.filter((r: { type: string }) => !r.type.startsWith("pulumi:providers:")).length, 2);
    assert.ok(result.resources.some((r: { type: string }) => r.type === "pulumi:providers:openstack"));
    assert.ok(result.findings.some((f: { policy: string }) => f.policy === "sec-06-filtrage-reseau"), "SEC-06 : SSH ouvert à Internet");
    assert.ok(fs.existsSync(sarif), "rapport SARIF écrit dans le projet");

    const bare = npx("check");
    assert.equal(bare.status, 2, bare.stderr);
    assert.match(bare.stderr, /dev, prod/, `sans --stack, les piles du projet sont nommées : ${bare.stderr}`);
});

test("npm ci --omit=dev : prepare garde la construction existante, ou dit comment construire", () => {
    const clone = path.join(tmp, "sans-dev");
    fs.mkdirSync(path.join(clone, "scripts"), { recursive: true });
    for (const f of ["package.json", "scripts/prepare.js", "scripts/pack-imports.js"]) fs.copyFileSync(path.join(ROOT, f), path.join(clone, f));
    // As `npm ci --omit=dev` leaves it: runtime dependencies only (here: none of the development ones).
    const bare = run(process.execPath, ["scripts/prepare.js"], clone);
    assert.equal(bare.status, 0, bare.stderr);
    assert.match(bare.stderr, /development dependencies omitted \(.*typescript.*\) and no build: run `npm ci`/);
    for (const f of ["dist/src/cli/main.js", "policies/dist/index.js"]) {
        fs.mkdirSync(path.dirname(path.join(clone, f)), { recursive: true });
        fs.writeFileSync(path.join(clone, f), "");
    }
    const built = run(process.execPath, ["scripts/prepare.js"], clone);
    assert.equal(built.status, 0, built.stderr);
    assert.match(built.stderr, /development dependencies omitted .*: the existing build is kept\n$/);
});

/**
 * `npm install git+…` of a clone: npm clones it, installs its dependencies (development ones
 * included) and runs `prepare`, which builds, then packs it. A full install and build of the
 * repository: run when CDC_TEST_GIT_DEPENDENCY=1 (the CI sets it). The committed state (HEAD) is
 * what is cloned.
 */
test("dépendance git : npm ci --omit=dev d'un projet qui dépend d'un clone (prepare construit)", { skip: !process.env.CDC_TEST_GIT_DEPENDENCY && "CDC_TEST_GIT_DEPENDENCY=1 pour l'exécuter" }, () => {
    const repo = path.join(tmp, "depot");
    const clone = run("git", ["clone", "--quiet", "--no-hardlinks", ROOT, repo], tmp);
    assert.equal(clone.status, 0, clone.stderr);
    const sha = run("git", ["rev-parse", "HEAD"], repo).stdout.trim();
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as PackedTool["manifest"];
    const dir = path.join(tmp, "projet-git");
    fs.mkdirSync(dir);
    const url = `git+file://${repo}`;
    writeConsumerProject(dir, { manifest, spec: url, resolved: `${url}#${sha}` }, ["@pulumi/pulumi", "@pulumi/openstack"], ["typescript", "@types/node"]);
    writeTeamProgram(dir);
    const install = run("npm", ["ci", "--omit=dev", "--offline", "--no-audit", "--no-fund"], dir);
    assert.equal(install.status, 0, `npm ci d'une dépendance git : ${install.stderr}`);
    const npx = (...args: string[]) => run("npx", ["--offline", "--no-install", "cloud-de-confiance", ...args], dir, { LANG: "C", NO_COLOR: "" });
    assert.equal(npx("--version").stdout.trim(), manifest.version);
    const r = npx("check", "--stack", "dev", "--format", "json");
    assert.equal(r.status, 1, r.stderr);
    assert.ok(JSON.parse(r.stdout).findings.some((f: { policy: string }) => f.policy === "sec-06-filtrage-reseau"));
});
