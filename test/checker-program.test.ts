import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EngineResource, UNKNOWN, isSecret, secret } from "../src/engine/types";
import { InputError } from "../src/checker/errors";
import { INVOKE_ANSWERS, ProgramRun, decodeKubernetesYaml, durationSeconds, runProgram } from "../src/checker/program";
import { uriPath } from "../src/checker/program/recorder";
import { splitArgs } from "../src/checker/program/run";
import { sovereignAppUrns } from "./support/sovereign-app";

const ROOT = path.resolve(__dirname, "..", "..");
const APP = path.join(ROOT, "test", "fixtures", "programs", "sovereign-app");

const { P, STACK, WEB, NET, SUBNET, SG, RULE, VM, VOLUME, OS_DEFAULT } = sovereignAppUrns("test");
const K8S_DEFAULT = `${P}pulumi:providers:kubernetes::default_4_34_2`;
const CLUSTER = `${P}pulumi:providers:kubernetes::cluster`;
const GROUP = `${P}kubernetes:yaml:ConfigGroup::manifests`;
const CONFIGMAP = `${P}kubernetes:yaml:ConfigGroup$kubernetes:core/v1:ConfigMap::prod/settings`;
const DEPLOYMENT = `${P}kubernetes:yaml:ConfigGroup$kubernetes:apps/v1:Deployment::prod/api`;
const DB = `${P}kubernetes:core/v1:Secret::db`;
const HIDDEN = secret("[secret]");

/** Ciphertexts of the fixture's stack configuration: they must never show up anywhere. */
const CIPHERTEXTS = ["mEyxgX6Yh4Xn9YzG1kqEdyq0m3DSBw==", "4e9Xx6h0p7dC2yQ6s8PZkA==", "v1:Ry6xT0cY5Hh2q1Gd"];

let shared: Promise<ProgramRun> | undefined;
/** The fixture run with `--stack test`, shared by the tests that only read it. */
function appRun(): Promise<ProgramRun> {
    shared ??= runProgram(APP, { stack: "test" });
    return shared;
}

function byUrn(run: { resources: EngineResource[] }, urn: string): EngineResource {
    const r = run.resources.find((x) => x.urn === urn);
    assert.ok(r, `no resource ${urn} in ${run.resources.map((x) => x.urn).join(", ")}`);
    return r;
}

const temporary: string[] = [];
after(() => {
    for (const dir of temporary) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});

/** A throw-away project (its node_modules links to the repository's, so the SDK resolves). */
function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-program-"));
    temporary.push(dir);
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

const NODE_PROJECT = "name: tmp\nruntime: nodejs\n";

async function assertRunError(dir: string, opts: Parameters<typeof runProgram>[1], pattern: RegExp): Promise<void> {
    await assert.rejects(runProgram(dir, opts), (e: unknown) => {
        assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
        assert.equal(e.message.includes("\n"), false, `message on several lines: ${e.message}`);
        assert.match(e.message, pattern);
        return true;
    });
}

test("program: every registered resource and the providers, without the root stack", async () => {
    const run = await appRun();
    assert.equal(run.project, "sovereign-app");
    assert.equal(run.stack, "test");
    assert.deepEqual(
        run.resources.map((r) => r.urn).sort(),
        [OS_DEFAULT, K8S_DEFAULT, CLUSTER, WEB, NET, SUBNET, SG, RULE, VM, VOLUME, GROUP, CONFIGMAP, DEPLOYMENT, DB].sort(),
    );
    assert.equal(run.resources.some((r) => r.urn === STACK), false);
});

test("program: providers are resources, registered before the resources that use them", async () => {
    const run = await appRun();
    const index = (urn: string) => run.resources.findIndex((r) => r.urn === urn);
    // The explicit provider, as the program registers it: its inputs (secrets in wire form), its version.
    const cluster = byUrn(run, CLUSTER);
    assert.equal(cluster.type, "pulumi:providers:kubernetes");
    assert.deepEqual(cluster.properties, { enableServerSideApply: "true", namespace: "prod", version: "4.34.2" });
    assert.equal(cluster.provider, undefined);
    assert.equal(cluster.parent, STACK);
    // The default providers, configured from the stack configuration, before their first user (the
    // openstack one before the getFlavor invoke that opens the program).
    const osDefault = byUrn(run, OS_DEFAULT);
    assert.deepEqual(osDefault.properties, {
        authUrl: "https://identity.cloud.example.fr:5000/v3",
        region: "fr-par-1",
        insecure: "false",
        password: HIDDEN,
        version: "3.15.2",
    });
    assert.equal(index(OS_DEFAULT), 0);
    assert.ok(index(K8S_DEFAULT) < index(DB));
    assert.ok(index(CLUSTER) < index(CONFIGMAP) && index(CLUSTER) < index(DEPLOYMENT));
    // Each resource keeps its provider reference, the provider resource's urn, type, name and inputs.
    for (const r of run.resources.filter((x) => x.provider)) {
        const p = byUrn(run, r.provider!.urn);
        assert.deepEqual(r.provider, { urn: p.urn, type: p.type, name: p.name, properties: p.properties }, r.urn);
    }
});

test("program: a component and its children, linked by parent", async () => {
    const run = await appRun();
    const web = byUrn(run, WEB);
    assert.equal(web.type, "my:app:Service");
    assert.equal(web.name, "web");
    assert.equal(web.parent, STACK);
    assert.equal(web.provider, undefined);
    for (const child of [NET, SUBNET, SG, RULE, VM]) {
        assert.equal(byUrn(run, child).parent, WEB, child);
        assert.equal(byUrn(run, child).options?.parent, WEB, child);
    }
    assert.equal(byUrn(run, VOLUME).parent, STACK);
});

test("program: inputs with invoke answers, secrets from secure config, options and graph", async () => {
    const vm = byUrn(await appRun(), VM);
    assert.equal(vm.name, "web-vm");
    assert.deepEqual(vm.properties, {
        flavorId: "s1.medium-id",
        imageId: "debian-12-hardened-id",
        metadata: { environment: "test" },
        networks: [{ uuid: "web-net-id" }],
        securityGroups: [null],
        userData: secret("#!/bin/sh\necho '[secret]' > /etc/app/db"),
    });
    assert.deepEqual(vm.options, {
        protect: true,
        ignoreChanges: ["imageId"],
        aliases: [],
        additionalSecretOutputs: ["adminPass"],
        customTimeouts: { create: 600, delete: 5400 },
        deleteBeforeReplace: true,
        parent: WEB,
    });
    assert.deepEqual([...(vm.dependencies ?? [])].sort(), [NET, SG, SUBNET].sort());
    assert.deepEqual(vm.propertyDependencies?.networks, [NET]);
    assert.deepEqual(vm.propertyDependencies?.securityGroups, [SG]);
    assert.deepEqual(vm.propertyDependencies?.flavorId, []);
    const rule = byUrn(await appRun(), RULE);
    assert.equal(rule.properties.securityGroupId, "web-sg-id");
    assert.equal(rule.properties.remoteIpPrefix, "0.0.0.0/0");
    assert.deepEqual(rule.dependencies, [SG]);
});

test("program: the default provider carries the stack configuration of its package", async () => {
    const run = await appRun();
    const expected = {
        urn: `${P}pulumi:providers:openstack::default_3_15_2`,
        type: "pulumi:providers:openstack",
        name: "default_3_15_2",
        properties: {
            authUrl: "https://identity.cloud.example.fr:5000/v3",
            region: "fr-par-1",
            insecure: "false",
            password: HIDDEN,
            version: "3.15.2",
        },
    };
    assert.deepEqual(byUrn(run, VM).provider, expected);
    assert.deepEqual(byUrn(run, VOLUME).provider, expected);
    assert.deepEqual(byUrn(run, DB).provider, {
        urn: `${P}pulumi:providers:kubernetes::default_4_34_2`,
        type: "pulumi:providers:kubernetes",
        name: "default_4_34_2",
        properties: { namespace: "apps", version: "4.34.2" },
    });
});

test("program: k8s.yaml.ConfigGroup is expanded through the real kubernetes:yaml:decode", async () => {
    const run = await appRun();
    const group = byUrn(run, GROUP);
    assert.equal(group.type, "kubernetes:yaml:ConfigGroup");
    assert.equal(group.provider, undefined);
    assert.deepEqual(
        run.resources.filter((r) => r.parent === GROUP).map((r) => r.urn).sort(),
        [CONFIGMAP, DEPLOYMENT].sort(),
    );
    const cluster = {
        urn: `${P}pulumi:providers:kubernetes::cluster`,
        type: "pulumi:providers:kubernetes",
        name: "cluster",
        properties: { enableServerSideApply: "true", namespace: "prod", version: "4.34.2" },
    };
    const configMap = byUrn(run, CONFIGMAP);
    assert.deepEqual(configMap.properties, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "settings", namespace: "prod" },
        data: { tls: "on", debug: "false" },
    });
    assert.deepEqual(configMap.provider, cluster);
    const deployment = byUrn(run, DEPLOYMENT);
    assert.deepEqual(deployment.provider, cluster);
    const container = (deployment.properties.spec as any).template.spec.containers[0];
    assert.deepEqual(container, {
        name: "api",
        image: "registry.example.fr/api:1.4.2",
        securityContext: { privileged: false, runAsNonRoot: true },
    });
});

test("program: secure values stay secrets and are never decrypted", async () => {
    const run = await appRun();
    const db = byUrn(run, DB);
    assert.ok(isSecret(db.properties.stringData));
    assert.deepEqual(db.properties.stringData, secret({ password: "[secret]" }));
    assert.deepEqual(db.options?.additionalSecretOutputs, ["data", "stringData"]);
    assert.equal(run.config["sovereign-app:dbPassword"], "[secret]");
    assert.equal(run.config["openstack:password"], "[secret]");
    assert.deepEqual([...run.secretConfigKeys].sort(), ["openstack:password", "sovereign-app:dbPassword"]);
    const text = JSON.stringify(run);
    for (const c of CIPHERTEXTS) {
        assert.equal(text.includes(c), false, `ciphertext ${c} leaked`);
    }
});

test("program: project configuration, aliases, stack tags and source positions", async () => {
    const run = await appRun();
    assert.equal(run.config["sovereign-app:environment"], "qualification");
    assert.equal(run.config["sovereign-app:replicas"], "2");
    assert.equal(run.config["sovereign-app:owner"], "equipe-socle");
    assert.equal(run.config["sovereign-app:imageName"], "debian-12-hardened");
    assert.deepEqual(byUrn(run, VOLUME).options?.aliases, [`${P}openstack:blockstorage/volume:Volume::old-data`]);
    assert.deepEqual(run.stackTags, {
        "pulumi:project": "sovereign-app",
        "pulumi:runtime": "nodejs",
        "pulumi:description": "Fixture program of the cloud-de-confiance checker (OpenStack + Kubernetes)",
        owner: "equipe-socle",
        classification: "DR",
    });
    const service = fs.readFileSync(path.join(APP, "service.ts"), "utf8").split("\n");
    const line = service.findIndex((l) => l.includes("new openstack.compute.Instance(")) + 1;
    const index = fs.readFileSync(path.join(APP, "index.ts"), "utf8").split("\n");
    const groupLine = index.findIndex((l) => l.includes("new k8s.yaml.ConfigGroup(")) + 1;
    // Relative to the repository root; a component's child at its own declaration; the objects of a
    // ConfigGroup at the group's; a default provider at its package's first key of the stack file.
    assert.deepEqual(run.sources[GROUP], { file: "test/fixtures/programs/sovereign-app/index.ts", line: groupLine, column: 5 });
    assert.deepEqual(run.sources[OS_DEFAULT], { file: "test/fixtures/programs/sovereign-app/config/Pulumi.test.yaml", line: 6 });
    assert.deepEqual(run.stackLocation, { file: "test/fixtures/programs/sovereign-app/config/Pulumi.test.yaml", line: 1 });
    assert.deepEqual(run.sources[VM], { file: "test/fixtures/programs/sovereign-app/service.ts", line, column: 25 });
    assert.equal(run.sources[CONFIGMAP], run.sources[GROUP], "a ConfigGroup child points at the group");
});

test("program: each run is a process of its own: runs go at once and leave the checker's process as it was", async () => {
    const cwd = process.cwd();
    const tsHook = require.extensions[".ts"];
    const listeners = process.listenerCount("unhandledRejection");
    const [first, second] = await Promise.all([appRun(), runProgram(APP, { stack: "test" })]);
    assert.deepEqual(second.resources, first.resources);
    assert.deepEqual(second.sources, first.sources);
    assert.equal(process.cwd(), cwd);
    assert.equal(require.extensions[".ts"], tsHook);
    assert.equal(process.listenerCount("unhandledRejection"), listeners);
    assert.equal(
        Object.keys(require.cache).some((f) => f.startsWith(APP + path.sep) || f.includes(`${path.sep}@pulumi${path.sep}pulumi${path.sep}`)),
        false,
        "the program or the SDK was loaded in the checker's process",
    );
});

test("program: config overrides, preview mode and a stack without configuration file", async () => {
    const overridden = await runProgram(APP, { stack: "test", configOverrides: { imageName: "rocky-9", "openstack:region": "fr-sud-1" } });
    assert.equal(byUrn(overridden, VM).properties.imageId, "rocky-9-id");
    assert.equal((byUrn(overridden, VM).provider?.properties as Record<string, unknown>).region, "fr-sud-1");
    // In preview mode an output the mock cannot know (the security group's name) is unknown.
    const previewed = await runProgram(APP, { stack: "test", preview: true });
    assert.deepEqual(byUrn(previewed, VM).properties.securityGroups, [UNKNOWN]);
    // Without --stack no stack file is read: the program misses its required secret.
    await assertRunError(APP, {}, /the program failed: Missing required configuration variable 'sovereign-app:dbPassword'/);
});

test("program: a top-level JavaScript program and a duplicate URN", async () => {
    const dir = project({
        "Pulumi.yaml": `${NODE_PROJECT}main: src/app.js\n`,
        "src/app.js": [
            'const pulumi = require("@pulumi/pulumi");',
            'class Bucket extends pulumi.CustomResource { constructor(n, a, o) { super("test:index:Bucket", n, a, o); } }',
            'new Bucket("b", { acl: "private", tags: pulumi.secret({ owner: "me" }) });',
        ].join("\n"),
    });
    const run = await runProgram(dir, {});
    assert.equal(run.stack, "dev");
    assert.deepEqual(run.resources.map((r) => [r.urn, r.properties]), [
        ["urn:pulumi:dev::tmp::pulumi:providers:test::default", {}],
        ["urn:pulumi:dev::tmp::test:index:Bucket::b", { acl: "private", tags: secret({ owner: "me" }) }],
    ]);
    assert.deepEqual(run.resources[1].provider, {
        urn: "urn:pulumi:dev::tmp::pulumi:providers:test::default",
        type: "pulumi:providers:test",
        name: "default",
        properties: {},
    });
    // Not in git: locations are relative to the project directory.
    assert.deepEqual(run.sources["urn:pulumi:dev::tmp::test:index:Bucket::b"], { file: "src/app.js", line: 3, column: 1 });
    const dup = project({
        "Pulumi.yaml": NODE_PROJECT,
        "index.js": [
            'const pulumi = require("@pulumi/pulumi");',
            'new pulumi.ComponentResource("my:x:C", "same");',
            'new pulumi.ComponentResource("my:x:C", "same");',
        ].join("\n"),
    });
    await assertRunError(dup, {}, /index\.js: the program failed: .*Duplicate resource URN 'urn:pulumi:dev::tmp::my:x:C::same'/);
});

test("program: failures are one-line InputErrors and leave the process usable", async () => {
    const throws = project({ "Pulumi.yaml": NODE_PROJECT, "index.ts": 'throw new Error("boom\\n  at somewhere (x.ts:1:1)");\n' });
    await assertRunError(throws, {}, /index\.ts: the program failed: boom$/);
    const syntax = project({ "Pulumi.yaml": NODE_PROJECT, "index.ts": "const x: number = ;\n" });
    await assertRunError(syntax, {}, /index\.ts:1:19: error TS1109: Expression expected\.$/);
    const missing = project({ "Pulumi.yaml": NODE_PROJECT, "index.ts": 'import "@pulumi/does-not-exist";\n' });
    await assertRunError(missing, {}, /the program failed: Cannot find module '@pulumi\/does-not-exist'/);
    const rejected = project({
        "Pulumi.yaml": NODE_PROJECT,
        "index.ts": [
            'import * as pulumi from "@pulumi/pulumi";',
            'pulumi.output("x").apply(() => { throw new Error("late failure"); });',
        ].join("\n"),
    });
    await assertRunError(rejected, {}, /index\.ts: the program failed: late failure$/);
    const python = project({ "Pulumi.yaml": "name: py\nruntime: python\n" });
    await assertRunError(python, {}, /Pulumi\.yaml: runtime 'python' is not supported/);
    await assertRunError(path.join(os.tmpdir(), "cdc-no-such-dir"), {}, /no such directory/);
    const noProject = project({ "index.js": "" });
    await assertRunError(noProject, {}, /no Pulumi\.yaml in this directory/);
    await assertRunError(APP, { stack: "prod" }, /config\/Pulumi\.prod\.yaml: no configuration file for stack 'prod'$/);
    const badStack = project({ "Pulumi.yaml": NODE_PROJECT, "index.js": "", "Pulumi.dev.yaml": "config:\n  a: [1,\n" });
    await assertRunError(badStack, { stack: "dev" }, /Pulumi\.dev\.yaml:\d+:\d+: invalid YAML/);
    const exits = project({ "Pulumi.yaml": NODE_PROJECT, "index.js": 'console.error("bye"); process.exit(3);\n' });
    await assertRunError(exits, {}, /cdc-program-\w+: the program exited with code 3 before it finished: bye$/);
    const loops = project({ "Pulumi.yaml": NODE_PROJECT, "index.js": "module.exports = () => new Promise(() => setInterval(() => undefined, 1000));\n" });
    await assertRunError(loops, { timeoutMs: 3000 }, /cdc-program-\w+: the program did not finish within 3 s$/);
});

const TSCONFIG_NODENEXT = JSON.stringify({
    compilerOptions: { strict: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", types: ["node"] },
});
const BUCKET_TS = [
    'import * as pulumi from "@pulumi/pulumi";',
    "class Bucket extends pulumi.CustomResource {",
    '    constructor(n: string, a: { size: number }) { super("test:index:Bucket", n, a); }',
    "}",
];

test("program: TypeScript as the language host compiles it: nodenext, type errors, transpile-only, tsconfig option", async () => {
    // module/moduleResolution nodenext (current `pulumi new` templates): runs, type-checked.
    const ok = project({ "Pulumi.yaml": NODE_PROJECT, "tsconfig.json": TSCONFIG_NODENEXT, "index.ts": [...BUCKET_TS, 'new Bucket("b", { size: 1 });'].join("\n") });
    assert.deepEqual((await runProgram(ok, {})).resources.map((r) => r.name), ["default", "b"]);
    // A type error stops the run, with its file and line, as it stops `pulumi preview`.
    const files = { "Pulumi.yaml": NODE_PROJECT, "tsconfig.json": TSCONFIG_NODENEXT, "index.ts": [...BUCKET_TS, 'new Bucket("b", { size: "1" });'].join("\n") };
    const typeError = project(files);
    await assertRunError(typeError, {}, /index\.ts:5:19: error TS2322: Type 'string' is not assignable to type 'number'\.$/);
    // ... unless told not to: PULUMI_NODEJS_TRANSPILE_ONLY, or noCheck in the tsconfig file.
    process.env.PULUMI_NODEJS_TRANSPILE_ONLY = "true";
    try {
        assert.equal((await runProgram(typeError, {})).resources.length, 2);
    } finally {
        delete process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    }
    const noCheck = project({ ...files, "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, noCheck: true } }) });
    assert.equal((await runProgram(noCheck, {})).resources.length, 2);
    // runtime.options.tsconfig names the file; a missing one is an error, as for the language host.
    const options = project({
        ...files,
        "Pulumi.yaml": `${NODE_PROJECT}runtime:\n  name: nodejs\n  options:\n    tsconfig: tsconfig.build.json\n`.replace("runtime: nodejs\n", ""),
        "tsconfig.build.json": JSON.stringify({ compilerOptions: { noCheck: true } }),
    });
    assert.equal((await runProgram(options, {})).resources.length, 2);
    fs.rmSync(path.join(options, "tsconfig.build.json"));
    await assertRunError(options, {}, /tsconfig path was set to tsconfig\.build\.json but the file was not found/);
    const noTs = project({ "Pulumi.yaml": "name: tmp\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n", "index.ts": "export const a = 1;\n" });
    await assertRunError(noTs, {}, /index\.ts: a TypeScript program, but runtime\.options\.typescript is false in Pulumi\.yaml$/);
    const badOption = project({ "Pulumi.yaml": "name: tmp\nruntime:\n  name: nodejs\n  options:\n    typescript: yes please\n", "index.js": "" });
    await assertRunError(badOption, {}, /Pulumi\.yaml: runtime option 'typescript' must be a boolean/);
});

test("program: ES modules, top-level await, main naming a folder, package.json main, nodeargs", async () => {
    const esm = project({
        "Pulumi.yaml": NODE_PROJECT,
        "package.json": JSON.stringify({ type: "module", main: "src/main.js" }),
        "src/main.js": [
            'import * as pulumi from "@pulumi/pulumi";',
            'import { size } from "./size.js";',
            "await new Promise((r) => setTimeout(r, 10));",
            'new pulumi.CustomResource("test:index:Bucket", "b", { size });',
        ].join("\n"),
        "src/size.js": "export const size = 3;\n",
    });
    const run = await runProgram(esm, {});
    assert.deepEqual(byUrn(run, "urn:pulumi:dev::tmp::test:index:Bucket::b").properties, { size: 3 });
    // An ES module's frames ("at file:///...") give its positions too.
    assert.deepEqual(run.sources["urn:pulumi:dev::tmp::test:index:Bucket::b"], { file: "src/main.js", line: 4, column: 1 });
    // main naming a folder: the program runs there, with the tsconfig file found there.
    const folder = project({
        "Pulumi.yaml": `${NODE_PROJECT}main: infra/\nruntime:\n  name: nodejs\n  options:\n    nodeargs: "--max-old-space-size=512 --no-warnings"\n`.replace("runtime: nodejs\n", ""),
        "infra/tsconfig.json": TSCONFIG_NODENEXT,
        "infra/index.ts": [...BUCKET_TS, 'new Bucket(process.cwd().endsWith("infra") ? "in-infra" : "elsewhere", { size: 1 });'].join("\n"),
    });
    assert.deepEqual((await runProgram(folder, {})).resources.map((r) => r.name), ["default", "in-infra"]);
    const badArgs = project({ "Pulumi.yaml": "name: tmp\nruntime:\n  name: nodejs\n  options:\n    nodeargs: --no-such-node-flag\n", "index.js": "" });
    await assertRunError(badArgs, {}, /the program exited with code \d+ before it finished: .*--no-such-node-flag/);
});

test("program: positions from the registration call when the SDK reports none", async () => {
    const dir = project({
        "Pulumi.yaml": NODE_PROJECT,
        "index.js": [
            'const pulumi = require("@pulumi/pulumi");',
            "// As an SDK from before source positions: no stack, no position in the request.",
            "pulumi.Resource.stackTrace = () => [];",
            "function declare() {",
            '    return new pulumi.CustomResource("test:index:Bucket", "b", {});',
            "}",
            "declare();",
        ].join("\n"),
    });
    const run = await runProgram(dir, {});
    assert.deepEqual(run.sources["urn:pulumi:dev::tmp::test:index:Bucket::b"], { file: "index.js", line: 5, column: 12 });
});

test("program: helpers (node arguments, positions of ES module frames)", () => {
    assert.deepEqual(splitArgs(" --a  'b c' \"d \\\" e\" f\\ g "), ["--a", "b c", 'd " e', "f g"]);
    assert.deepEqual(splitArgs(""), []);
    assert.throws(() => splitArgs("'open"), /unterminated ' quote/);
    assert.equal(uriPath("file:///srv/app/index.ts"), "/srv/app/index.ts");
    assert.equal(uriPath("file:///work/dir/file:/srv/app/index.ts"), "/srv/app/index.ts");
    assert.equal(uriPath("/srv/app/index.ts"), "/srv/app/index.ts");
});

test("mock answers: documented invokes and a real YAML decoding", () => {
    assert.deepEqual(INVOKE_ANSWERS["openstack:compute/getFlavor:getFlavor"].answer({ name: "s1.large" }, { config: {} }), {
        name: "s1.large",
        id: "s1.large-id",
    });
    assert.deepEqual(
        INVOKE_ANSWERS["openstack:networking/getNetwork:getNetwork"].answer({ networkId: "n-1" }, { config: {} }),
        { networkId: "n-1", id: "n-1", name: "network" },
    );
    const decoded = INVOKE_ANSWERS["kubernetes:yaml:decode"].answer(
        { text: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\nkind: Pod\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s\n" },
        { config: { "kubernetes:namespace": "apps" } },
    );
    assert.deepEqual(decoded, {
        result: [
            { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
            { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "apps" } },
        ],
    });
    assert.throws(() => decodeKubernetesYaml("a: [1,\n"), /kubernetes:yaml:decode: invalid YAML/);
    assert.equal(durationSeconds("1h30m"), 5400);
    assert.equal(durationSeconds("90s"), 90);
    assert.equal(durationSeconds("1.5m"), 90);
    assert.equal(durationSeconds("soon"), undefined);
});
