/**
 * The pack answers Analyze, AnalyzeStack and Remediate with its own handlers
 * (policies/src/lib/server/): the same answers as `@pulumi/policy`'s, at a fraction of the cost.
 * « The same » is checked here byte for byte: both handlers get the same requests (every rule's
 * fixtures, malformed ones included; mutated fixtures; a generated stack), under every pack
 * configuration the robustness tests use, in the same process and state, and their responses
 * must encode to the same bytes, or fail with the same error. The pack's responses must also
 * encode, with its prepared « not applicable » entries, to the bytes google-protobuf gives them.
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import fc from "fast-check";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type { Fixture } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { analyzeRequest, analyzeStackRequest, PolicyPackProcess } from "../src/engine/driver";
import { parsePolicyConfig, reconcilePolicyConfig } from "../src/engine/engine";
import { EngineResource } from "../src/engine/types";
import { generateStack } from "../bench/stack";
import { engineResources } from "./support/fixtures";
import { inProcessHandlers, inProcessPack } from "./support/in-process-pack";
import { materialize, robustCases } from "./support/mutations";
import { configurations, RunConfiguration } from "./support/robustness";
import { loadEntries } from "./support/secrets-oracle";

type Handler = (call: { request: unknown }, callback: (err: unknown, resp?: any) => void) => unknown;

interface Answer {
    error?: string;
    bytes?: string;
    /** google-protobuf's own encoding of the response (differs from `bytes` only if the prepared encoding is wrong). */
    canonical?: string;
    notApplicable?: number;
    diagnostics?: number;
}

function answer(h: Handler, request: unknown, Response: { prototype: { serializeBinary(): Uint8Array } }): Promise<Answer> {
    return new Promise((resolve) => {
        h({ request }, (err: any, resp: any) => {
            if (err) {
                // The first line: what follows is a stack trace, which differs by construction.
                resolve({ error: String(err.details ?? err.message ?? err).split("\n")[0] });
                return;
            }
            resolve({
                bytes: Buffer.from(resp.serializeBinary()).toString("base64"),
                canonical: Buffer.from(Response.prototype.serializeBinary.call(resp)).toString("base64"),
                notApplicable: typeof resp.getNotApplicableList === "function" ? resp.getNotApplicableList().length : undefined,
                diagnostics: typeof resp.getDiagnosticsList === "function" ? resp.getDiagnosticsList().length : undefined,
            });
        });
    });
}

let pack: PolicyPackProcess;
let served: Record<string, Handler>;
let reference: Record<string, Handler>;
const reconciled = new Map<string, Awaited<ReturnType<typeof reconcilePolicyConfig>>>();

before(async () => {
    pack = inProcessPack();
    ({ served, reference } = inProcessHandlers() as unknown as { served: Record<string, Handler>; reference: Record<string, Handler> });
});

async function configure(c: RunConfiguration): Promise<void> {
    let config = reconciled.get(c.name);
    if (!config) {
        config = reconcilePolicyConfig(await pack.getAnalyzerInfo(), parsePolicyConfig(c.config, c.name), pack.packDir);
        reconciled.set(c.name, config);
    }
    await pack.configureStack({ project: "equivalence", stack: "production", tags: c.stackTags });
    await pack.configure(config);
}

/** Every rule's fixtures, all kinds (malformed ones too), as the engine would send them. */
function allFixtures(): EngineResource[][] {
    return ruleModules()
        .filter((m) => m.fixturesFile)
        .flatMap((m) => (require(m.fixturesFile!) as { default: Fixture[] }).default.map(engineResources))
        .filter((g) => g.length > 0);
}

interface Tally {
    resources: number;
    stacks: number;
    diagnostics: number;
    notApplicable: number;
    errors: number;
}

async function compare(resources: EngineResource[], label: string, tally: Tally): Promise<void> {
    for (const r of resources) {
        const req = analyzeRequest(r);
        const ours = await answer(served.analyze, req, analyzerpb.AnalyzeResponse);
        const theirs = await answer(reference.analyze, req, analyzerpb.AnalyzeResponse);
        assert.deepEqual({ error: ours.error, bytes: ours.bytes }, { error: theirs.error, bytes: theirs.bytes }, `Analyze of ${r.urn} (${label})`);
        assert.equal(ours.bytes, ours.canonical, `Analyze of ${r.urn} (${label}): the prepared encoding`);
        const rem = await answer(served.remediate, req, analyzerpb.RemediateResponse);
        const remRef = await answer(reference.remediate, req, analyzerpb.RemediateResponse);
        // Without a remediation configured, the pack answers without reading the resource: the
        // same empty response, where @pulumi/policy would have failed on an unreadable resource.
        if (!remRef.error) assert.deepEqual(rem, remRef, `Remediate of ${r.urn} (${label})`);
        tally.resources++;
        tally.diagnostics += ours.diagnostics ?? 0;
        tally.notApplicable += ours.notApplicable ?? 0;
        if (ours.error) tally.errors++;
    }
    const stackReq = analyzeStackRequest(resources);
    const ours = await answer(served.analyzeStack, stackReq, analyzerpb.AnalyzeResponse);
    const theirs = await answer(reference.analyzeStack, stackReq, analyzerpb.AnalyzeResponse);
    assert.deepEqual({ error: ours.error, bytes: ours.bytes }, { error: theirs.error, bytes: theirs.bytes }, `AnalyzeStack (${label})`);
    tally.stacks++;
    tally.diagnostics += ours.diagnostics ?? 0;
}

const tally = (): Tally => ({ resources: 0, stacks: 0, diagnostics: 0, notApplicable: 0, errors: 0 });

test("every rule's fixtures, under every configuration: the same bytes as @pulumi/policy's handlers", async () => {
    const groups = allFixtures();
    const t = tally();
    for (const c of configurations()) {
        await configure(c);
        for (const [i, g] of groups.entries()) await compare(g, `${c.name}, fixture group ${i}`, t);
    }
    // The comparison is not vacuous: findings, « not applicable » entries and both handlers ran.
    assert.ok(t.resources > 1000, `${t.resources} resources`);
    assert.ok(t.diagnostics > 1000, `${t.diagnostics} diagnostics`);
    assert.ok(t.notApplicable > 20 * t.resources, `${t.notApplicable} « not applicable » entries for ${t.resources} resources`);
});

test("mutated fixtures (unknowns, secrets, assets, wrong types, other types): the same bytes", async () => {
    const entries = loadEntries();
    const configs = configurations();
    const t = tally();
    const cases = fc.sample(robustCases(entries), { seed: 20261201, numRuns: 1000 });
    for (const [i, c] of cases.entries()) {
        if (i % 100 === 0) await configure(configs[(i / 100) % configs.length]);
        const m = materialize(c, `m${i}`, entries);
        await compare(m.resources, m.label, t);
    }
    assert.ok(t.resources >= 1000 && t.diagnostics > 300, JSON.stringify(t));
});

test("a generated stack of 2,000 resources: the same AnalyzeStack bytes", async () => {
    await configure(configurations()[1]);
    const stack = generateStack(2000);
    const req = analyzeStackRequest(stack);
    const ours = await answer(served.analyzeStack, req, analyzerpb.AnalyzeResponse);
    const theirs = await answer(reference.analyzeStack, req, analyzerpb.AnalyzeResponse);
    assert.equal(ours.error, undefined);
    assert.ok((ours.diagnostics ?? 0) > 50, `${ours.diagnostics} diagnostics`);
    assert.equal(ours.bytes, theirs.bytes);
});

test("a request @pulumi/policy cannot read fails the same way, naming the same policy", async () => {
    await configure(configurations()[0]);
    const volume: EngineResource = {
        urn: "urn:pulumi:production::equivalence::openstack:blockstorage/volume:Volume::v",
        type: "openstack:blockstorage/volume:Volume",
        name: "v",
        properties: { size: 10 },
    };
    const req = analyzeRequest(volume);
    req.clearOptions(); // as an engine older than the analyzer options sends it
    const ours = await answer(served.analyze, req, analyzerpb.AnalyzeResponse);
    const theirs = await answer(reference.analyze, req, analyzerpb.AnalyzeResponse);
    assert.match(ours.error ?? "", /^Error validating resource with policy '[^']+' from policy pack 'cloud-de-confiance@v/);
    assert.equal(ours.error, theirs.error);
    const stackReq = analyzeStackRequest([volume]);
    stackReq.getResourcesList()[0].clearOptions();
    const s1 = await answer(served.analyzeStack, stackReq, analyzerpb.AnalyzeResponse);
    const s2 = await answer(reference.analyzeStack, stackReq, analyzerpb.AnalyzeResponse);
    assert.ok(s1.error, "AnalyzeStack fails");
    assert.equal(s1.error, s2.error);
});

test("texts that are not well-formed UTF-16 are encoded as google-protobuf encodes them", async () => {
    await configure(configurations()[1]);
    for (const name of ["v\uD800", "v\uDC00x", "« é »\uD83D", "ok-\uD83D\uDE00"]) {
        const volume: EngineResource = {
            urn: `urn:pulumi:production::equivalence::openstack:blockstorage/volume:Volume::${name}`,
            type: "openstack:blockstorage/volume:Volume",
            name,
            properties: { size: 10, volumeType: `type-${name}` },
        };
        const req = analyzeRequest(volume);
        const ours = await answer(served.analyze, req, analyzerpb.AnalyzeResponse);
        const theirs = await answer(reference.analyze, req, analyzerpb.AnalyzeResponse);
        assert.ok((ours.diagnostics ?? 0) > 0, `findings name ${JSON.stringify(name)}`);
        assert.equal(ours.bytes, theirs.bytes, JSON.stringify(name));
        assert.equal(ours.bytes, ours.canonical, JSON.stringify(name));
    }
});
