/**
 * What the pack loads at start-up: the modules that registering its policies needs, not those that
 * only checks use (lib/lazy.ts). The engine starts a fresh pack process for each preview and waits
 * for it; a static import of, say, the cost estimator in a rule would bring it back at every start.
 * The modules are listed, not timed (BENCHMARKS.md has the figures).
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { test } from "node:test";
import { PACK_DIR } from "./support/pack";

/** Loaded by the first check that uses them. */
const CHECK_ONLY = [
    "lib/cost/estimate.js",
    "lib/cost/data.js",
    "lib/cost/summary.js",
    "lib/cost/budget.js",
    "lib/cloud-init.js",
    "lib/secret-scan.js",
    "lib/image-reference.js",
    "lib/net.js",
    "lib/secgroups.js",
    "lib/swift-acl.js",
    "lib/storage-classes.js",
    "lib/cinder.js",
    "lib/resilience.js",
    "lib/k8s-selectors.js",
    "lib/k8s-netpol.js",
    "lib/openstack-provider.js",
    "lib/os-security.js",
    // The pack's Analyze, AnalyzeStack and Remediate handlers: loaded by the first call.
    "lib/server/analyze.js",
    "lib/server/analyze-stack.js",
    "lib/server/analyze-response.js",
    "lib/server/remediate.js",
    "lib/server/encoded-response.js",
    "lib/server/outcome.js",
    "lib/server/resources.js",
    "lib/server/checking-proxy.js",
];

/** The pack's modules a fresh process holds after `script` (run with the pack folder as working directory). */
function packModules(script: string): string[] {
    const dist = path.join(PACK_DIR, "dist");
    const out = execFileSync(
        process.execPath,
        ["-e", `${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache)))`],
        { cwd: PACK_DIR, encoding: "utf8" },
    );
    return (JSON.parse(out) as string[]).filter((f) => f.startsWith(dist + path.sep)).map((f) => path.relative(dist, f).split(path.sep).join("/"));
}

test("au démarrage, le pack ne charge pas les modules que seules les vérifications utilisent", () => {
    const loaded = packModules(`require("./dist/lib/intercept").interceptConfiguration(); require("./dist/pack").policyPackArgs()`);
    assert.ok(loaded.includes("registry.js") && loaded.some((f) => f.startsWith("rules/")), `les règles sont chargées : ${loaded.join(", ")}`);
    for (const m of CHECK_ONLY) assert.ok(!loaded.includes(m), `${m} chargé au démarrage`);
});

test("une vérification charge à son premier usage ce qu'elle utilise", () => {
    // SEC-06 reads prefixes (net.js) and security group rules (secgroups.js) in its check only.
    const loaded = packModules(
        `const { ruleModules } = require("./dist/registry");
         const { StackView } = require("./dist/lib/rule");
         const rule = ruleModules().find((m) => m.rule.name === "sec-06-filtrage-reseau").rule;
         const r = { urn: "urn:pulumi:s::p::openstack:networking/secGroupRule:SecGroupRule::r", name: "r", type: "openstack:networking/secGroupRule:SecGroupRule",
             props: { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/0", securityGroupId: "g" },
             dependencies: [], propertyDependencies: {} };
         const found = [];
         rule.check(new StackView([r], new Map()), { config: { portsAdministration: [22], portsBasesDeDonnees: [] }, report: (v) => found.push(v), cannotCheck: () => { throw new Error("cannot check"); } });
         if (found.length !== 1) throw new Error("SEC-06: " + found.length + " finding(s)")`,
    );
    assert.ok(loaded.includes("lib/net.js") && loaded.includes("lib/secgroups.js"), loaded.join(", "));
});

/** Runs `script` in a fresh process in the pack folder and returns what it prints (JSON). */
function inPackProcess(script: string): any {
    return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: PACK_DIR, encoding: "utf8" }));
}

test("au démarrage, le pack ne charge pas l'index complet du SDK Pulumi, et @pulumi/policy y lit les mêmes objets", () => {
    const r = inPackProcess(
        `require("./dist/lib/sdk-index").lightSdkIndex();
         require("./dist/lib/intercept").interceptConfiguration();
         require("./dist/pack").policyPackArgs();
         require("@pulumi/policy");
         const files = Object.keys(require.cache);
         const sdk = require(require.resolve("@pulumi/pulumi", { paths: [require.resolve("@pulumi/policy")] }));
         const asset = require(require.resolve("@pulumi/pulumi/asset", { paths: [require.resolve("@pulumi/policy")] }));
         const sameAsset = sdk.asset === asset;
         const before = files.length;
         const output = typeof sdk.Output;            // any other export: the real index, loaded now
         const afterFiles = Object.keys(require.cache);
         process.stdout.write(JSON.stringify({
             automation: files.some((f) => /[\\\\/]@pulumi[\\\\/]pulumi[\\\\/]automation[\\\\/]/.test(f)),
             arborist: files.some((f) => /[\\\\/]@npmcli[\\\\/]arborist[\\\\/]/.test(f)),
             sameAsset, before, output,
             automationAfter: afterFiles.some((f) => /[\\\\/]@pulumi[\\\\/]pulumi[\\\\/]automation[\\\\/]/.test(f)),
             assetAfter: sdk.asset === asset,
         }))`,
    );
    assert.equal(r.automation, false, "automation API loaded at start-up");
    assert.equal(r.arborist, false, "npm's arborist loaded at start-up");
    assert.equal(r.sameAsset, true, "asset is the SDK's own module");
    // Reading anything else loads the real index, which then answers every read.
    assert.equal(r.output, "function");
    assert.equal(r.automationAfter, true);
    assert.equal(r.assetAfter, true);
});
