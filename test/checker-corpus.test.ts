/**
 * The corpus of Pulumi programs (test/fixtures/programs, see test/support/corpus.ts): projects in the
 * shapes `pulumi new` gives today (TypeScript with `nodenext`, ES modules, components, configuration,
 * data sources, k8s.yaml.ConfigFile, plain JavaScript, a type error), each installed with its own
 * package.json and checked end to end with `cloud-de-confiance check DIR`.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { installProgram, ROOT } from "./support/corpus";

const CLI = path.join(ROOT, "dist", "src", "cli", "main.js");

interface CliRun {
    code: number | null;
    out: string;
    err: string;
}

/** At most two programs at a time (the suite runs on two cores). */
let running = 0;
const waiting: (() => void)[] = [];
async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    if (running >= 2) await new Promise<void>((r) => waiting.push(r));
    running++;
    try {
        return await new Promise<CliRun>((resolve) => {
            const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
            let out = "";
            let err = "";
            child.stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
            child.stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
            child.on("close", (code) => resolve({ code, out, err }));
        });
    } finally {
        running--;
        waiting.shift()?.();
    }
}

interface Location {
    file: string;
    line: number;
    column?: number;
}
interface Result {
    resources: { urn: string; type: string; name: string; source?: Location }[];
    findings: { policy: string; resource?: { urn: string; name: string; source?: Location }; location?: Location; status: string }[];
}

let tmp: string;
let repo: string;
const dirs = new Map<string, string>();
const runs = new Map<string, Promise<CliRun>>();

/** `check DIR --stack dev --format json` on a program of the corpus, from the repository's folder. */
function check(name: string): Promise<CliRun> {
    let run = runs.get(name);
    if (!run) {
        const dir = dirs.get(name)!;
        const stack = fs.existsSync(path.join(dir, "Pulumi.dev.yaml")) ? ["--stack", "dev"] : [];
        run = cli(["check", path.relative(repo, dir), ...stack, "--format", "json"], repo);
        runs.set(name, run);
    }
    return run;
}

function result(r: CliRun, name: string): Result {
    assert.ok(r.code === 0 || r.code === 1, `${name}: exit ${r.code}: ${r.err}`);
    return JSON.parse(r.out) as Result;
}

/** What each program declares (type::name), providers included. */
const EXPECTED: Record<string, string[]> = {
    "openstack-nodenext": ["pulumi:providers:openstack::default_3_15_2", "openstack:compute/instance:Instance::test"],
    "kubernetes-nodenext": [
        "pulumi:providers:kubernetes::default_4_34_2",
        "kubernetes:apps/v1:Deployment::nginx",
        "kubernetes:core/v1:Service::nginx",
    ],
    components: [
        "pulumi:providers:openstack::default_3_15_2",
        "openstack:networking/network:Network::app",
        "openstack:networking/subnet:Subnet::app-subnet",
        "acme:web:WebServer::web",
        "openstack:networking/secGroup:SecGroup::web-sg",
        "openstack:networking/secGroupRule:SecGroupRule::web-ssh",
        "openstack:compute/instance:Instance::web-0",
        "openstack:compute/instance:Instance::web-1",
        "openstack:blockstorage/volume:Volume::data",
    ],
    "esm-typescript": [
        "pulumi:providers:openstack::default_3_15_2",
        "pulumi:providers:kubernetes::default_4_34_2",
        "kubernetes:core/v1:Namespace::apps",
        "kubernetes:apps/v1:Deployment::api",
        "openstack:blockstorage/volume:Volume::cache",
    ],
    "mts-entry": [
        "pulumi:providers:openstack::default_3_15_2",
        "openstack:objectstorage/container:Container::backups",
        "openstack:compute/instance:Instance::worker",
    ],
    "k8s-yaml": [
        "pulumi:providers:kubernetes::cluster",
        "kubernetes:yaml:ConfigFile::app",
        "kubernetes:core/v1:ConfigMap::shop/settings",
        "kubernetes:apps/v1:Deployment::shop/web",
    ],
    javascript: [
        "pulumi:providers:openstack::default_3_15_2",
        "openstack:compute/instance:Instance::app",
        "openstack:networking/floatingIp:FloatingIp::app-ip",
        "openstack:compute/floatingIpAssociate:FloatingIpAssociate::app-ip",
    ],
    "bundler-esm": ["pulumi:providers:openstack::default_3_15_2", "openstack:blockstorage/volume:Volume::data"],
    "main-folder": [
        "pulumi:providers:openstack::default_3_15_2",
        "openstack:networking/network:Network::backend",
        "openstack:networking/subnet:Subnet::backend",
    ],
};

before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-corpus-"));
    repo = path.join(tmp, "repo");
    for (const name of [...Object.keys(EXPECTED), "type-error"]) {
        dirs.set(name, installProgram(name, { repo }));
    }
    // Start them all: they run two at a time while the tests wait for theirs.
    for (const name of dirs.keys()) void check(name);
});

after(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

function lineOf(file: string, line: number): string {
    return fs.readFileSync(path.join(repo, file), "utf8").split("\n")[line - 1] ?? "";
}

for (const [name, expected] of Object.entries(EXPECTED)) {
    test(`corpus: ${name} runs through check, every resource and finding at its declaration`, async () => {
        const r = result(await check(name), name);
        assert.deepEqual(r.resources.map((x) => `${x.type}::${x.name}`).sort(), [...expected].sort());
        for (const res of r.resources) {
            const src = res.source;
            assert.ok(src, `${name}: ${res.urn} has no source`);
            assert.ok(src.file.startsWith(`${name}/`), `${res.urn}: ${src.file}`);
            const text = lineOf(src.file, src.line);
            if (res.type.startsWith("pulumi:providers:") && res.name.startsWith("default")) {
                // A default provider: its package's first key of the stack configuration.
                assert.match(src.file, /Pulumi\.dev\.yaml$/);
                assert.match(text, new RegExp(`^\\s*${res.type.split(":")[2]}:`), `${res.urn}: ${text}`);
            } else {
                // The declaration: `new X(` at that line and column (a ConfigFile's objects: the ConfigFile's).
                assert.equal(text.slice((src.column ?? 1) - 1).startsWith("new "), true, `${res.urn}: ${src.file}:${src.line}:${src.column}: ${text}`);
            }
        }
        for (const f of r.findings) {
            const expectedLocation = f.resource ? f.resource.source : { file: `${name}/Pulumi.dev.yaml`, line: 1 };
            assert.deepEqual(f.location, expectedLocation, `${f.policy} ${f.resource?.urn ?? "(stack)"}`);
        }
    });
}

test("corpus: findings in three files each point at the right file and line", async () => {
    const r = result(await check("components"), "components");
    const declaration = (file: string, text: string): Location => {
        const lines = fs.readFileSync(path.join(repo, "components", file), "utf8").split("\n");
        const i = lines.findIndex((l) => l.includes(text));
        assert.ok(i >= 0, `${text} in ${file}`);
        return { file: `components/${file}`, line: i + 1, column: lines[i].indexOf("new ") + 1 };
    };
    const expected: Record<string, Location> = {
        app: declaration("network.ts", "new openstack.networking.Network("),
        "app-subnet": declaration("network.ts", "new openstack.networking.Subnet("),
        web: declaration("index.ts", "new WebServer("),
        data: declaration("index.ts", "new openstack.blockstorage.Volume("),
        "web-sg": declaration("components/web-server.ts", "new openstack.networking.SecGroup("),
        "web-ssh": declaration("components/web-server.ts", "new openstack.networking.SecGroupRule("),
        "web-0": declaration("components/web-server.ts", "new openstack.compute.Instance("),
        "web-1": declaration("components/web-server.ts", "new openstack.compute.Instance("),
    };
    const files = new Set<string>();
    for (const f of r.findings.filter((x) => x.resource && !x.resource.urn.includes("pulumi:providers:"))) {
        assert.deepEqual(f.location, expected[f.resource!.name], `${f.policy} on ${f.resource!.name}`);
        files.add(f.location!.file);
    }
    assert.deepEqual([...files].sort(), ["components/components/web-server.ts", "components/index.ts", "components/network.ts"]);
    // The SSH rule open to the world (SEC-06), declared in the component's file.
    assert.ok(r.findings.some((f) => f.policy.startsWith("sec-06") && f.resource?.name === "web-ssh"));
});

test("corpus: a type error stops check as it stops pulumi preview, with its file and line (exit 2)", async () => {
    const r = await check("type-error");
    assert.equal(r.code, 2, r.err);
    assert.equal(r.out, "");
    const lines = r.err.split("\n").filter(Boolean);
    assert.equal(lines.length, 1, r.err);
    assert.match(lines[0], /^cloud-de-confiance: type-error\/index\.ts:5:5: error TS2322: Type 'string' is not assignable to type 'Input<number>'\.$/);
    // Told not to type-check (as the language host is), the program runs.
    const transpiled = await cli(["check", "type-error", "--format", "json"], repo, { PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    assert.ok(transpiled.code === 0 || transpiled.code === 1, transpiled.err);
});

test("corpus: the program runs with its own @pulumi/pulumi, not the checker's", async () => {
    // A copy of the SDK in the program's node_modules: the mocks must be those of that copy, else
    // the program's resources would find no engine.
    const own = path.join(tmp, "own");
    const dir = installProgram("openstack-nodenext", { repo: own, copies: ["@pulumi/pulumi"] });
    assert.equal(fs.lstatSync(path.join(dir, "node_modules", "@pulumi", "pulumi")).isSymbolicLink(), false);
    const r = result(await cli(["check", dir, "--stack", "dev", "--format", "json"], own), "own sdk");
    assert.deepEqual(r.resources.map((x) => x.name).sort(), ["default_3_15_2", "test"]);
});
