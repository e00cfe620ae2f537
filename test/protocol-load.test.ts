/**
 * The protocol under load: an AnalyzeStack request over gRPC's default 4 MiB limit goes through the
 * driver to the real pack and comes back with the pack's findings, as with the Pulumi CLI, whose
 * analyzer client and the pack's server both accept 400 MiB (src/engine/limits.ts).
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { analyzeStackRequest, PolicyPackProcess } from "../src/engine/driver";
import { MAX_RPC_MESSAGE_SIZE } from "../src/engine/message-size";
import { reconcilePolicyConfig } from "../src/engine/engine";
import { generateStack } from "../bench/stack";
import { startPack } from "./support/pack";

const DEFAULT_GRPC_LIMIT = 4 * 1024 * 1024;

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

test("the driver sets the engine's limit: 400 MiB", () => {
    assert.equal(MAX_RPC_MESSAGE_SIZE, 400 * 1024 * 1024);
});

test("an AnalyzeStack request over 4 MiB reaches the pack and gets its findings", async () => {
    // 2,000 generated resources (the bench's shapes), each with a large property the rules ignore.
    const padding = "x".repeat(3000);
    const resources = generateStack(2000).map((r) => ({ ...r, properties: { ...r.properties, remarque: padding } }));
    const size = analyzeStackRequest(resources).serializeBinary().length;
    assert.ok(size > DEFAULT_GRPC_LIMIT, `request of ${size} bytes: not over the default limit`);

    const info = await pack.getAnalyzerInfo();
    await pack.configureStack({ project: "charge", stack: "production" });
    await pack.configure(reconcilePolicyConfig(info, {}, pack.packDir));
    const small = await pack.analyzeStack(resources.slice(0, 200));
    const large = await pack.analyzeStack(resources);
    assert.ok(large.diagnostics.length > 0, "the pack's stack rules report on the large stack");
    assert.ok(large.diagnostics.length >= small.diagnostics.length);
    const stackPolicies = new Set(info.policies.filter((p) => p.policyType === "stack").map((p) => p.name));
    for (const d of large.diagnostics) assert.ok(stackPolicies.has(d.policyName), d.policyName);
});
