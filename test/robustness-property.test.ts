/**
 * Robustness as properties of the whole pack: the rules' fixtures, mutated (missing, null,
 * wrongly typed, huge and deeply nested values; unknowns, secrets, assets, archives, references
 * and outputs at any depth; derogation markers; properties sent under another type the pack
 * knows), run through every rule and every stack rule, under several pack configurations. See
 * test/support/mutations.ts for the cases and test/support/robustness.ts for what must hold: no
 * crash, no hang, no planted secret shown anywhere, every secret still secret in a remediation,
 * assets and archives given back as sent, the same verdicts when values are made secret.
 *
 * Cases are drawn by fast-check with fixed seeds. Most run in this process, on the very handlers
 * the pack serves (test/support/in-process-pack.ts); a sample runs through the real gRPC protocol.
 * `npm run fuzz` runs the same properties much longer, through the protocol only.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import fc from "fast-check";
import { PolicyPackProcess } from "../src/engine/driver";
import { inProcessPack } from "./support/in-process-pack";
import { EngineResource, secret, SIG_KEY } from "../src/engine/types";
import { ASSET_FORMS, knownTypes, materialize, Materialized, MUTATION_KINDS, robustCases, typesWithoutFixture } from "./support/mutations";
import { configurations, Failure, RobustnessRunner } from "./support/robustness";
import { loadEntries } from "./support/secrets-oracle";
import { startPack } from "./support/pack";

const SEED = 20261130;
const BATCH = 10;
/** Batches run in this process, and through the protocol. */
const IN_PROCESS_BATCHES = 200;
const PROTOCOL_BATCHES = 24;

const entries = loadEntries();
const CONFIGS = configurations();

let spawned: PolicyPackProcess | undefined;
after(async () => {
    await spawned?.close();
});

function report(failures: Failure[]): string {
    const shown = failures.slice(0, 10).map((f) => `[${f.kind}] ${f.configuration} · ${f.items.map((i) => i.label).join(" | ").slice(0, 400)}\n  ${f.message.slice(0, 1200)}`);
    return `${failures.length} failure(s):\n\n${shown.join("\n\n")}`;
}

/** Runs `batches` batches of cases drawn from `seed`, each under a configuration drawn with it. */
async function runBatches(runner: RobustnessRunner, batches: number, seed: number): Promise<Failure[]> {
    const failures: Failure[] = [];
    let n = 0;
    const batch = fc.tuple(fc.array(robustCases(entries), { minLength: BATCH, maxLength: BATCH }), fc.nat({ max: CONFIGS.length - 1 }));
    await fc.assert(
        fc.asyncProperty(batch, async ([cases, ci]) => {
            const b = n++;
            const items: Materialized[] = cases.map((c, i) => materialize(c, `b${b}c${i}`, entries));
            failures.push(...(await runner.run(CONFIGS[(b + ci) % CONFIGS.length], items)));
        }),
        { seed, numRuns: batches, endOnFailure: true },
    );
    return failures;
}

test("the cases reach every resource type the pack knows, with every kind of mutation", () => {
    const types = knownTypes(entries);
    assert.ok(types.length >= 80, `${types.length} types`);
    assert.ok(typesWithoutFixture(entries).length > 0, "types without a fixture of their own are reached by retyping");
    const seen = new Set<string>();
    const kinds = new Set<string>();
    for (const c of fc.sample(robustCases(entries), { seed: SEED, numRuns: IN_PROCESS_BATCHES * BATCH })) {
        const m = materialize(c, "p", entries);
        for (const r of m.resources) {
            seen.add(r.type);
            if (r.provider) seen.add(r.provider.type);
        }
        m.kinds.forEach((k) => kinds.add(k));
    }
    assert.deepEqual(types.filter((t) => !seen.has(t)), [], "types never generated");
    assert.deepEqual(MUTATION_KINDS.filter((k) => !kinds.has(k)), [], "kinds never generated");
});

test("in this process: no crash, no leak, the same verdicts when values are made secret", async (t) => {
    const runner = new RobustnessRunner(inProcessPack());
    const failures = await runBatches(runner, IN_PROCESS_BATCHES, SEED);
    const c = runner.coverage;
    t.diagnostic(`${c.cases} cases (${c.twins} with a twin), ${c.resources} resources of ${c.byType.size} types, ${c.calls.remediate + c.calls.analyze + c.calls.analyzeStack} calls, ${c.diagnostics} diagnostics`);
    assert.equal(c.cases, IN_PROCESS_BATCHES * BATCH);
    assert.ok(c.twins >= c.cases * 0.2, `${c.twins} twins`);
    assert.equal(c.byConfiguration.size, CONFIGS.length, "every configuration");
    assert.equal(failures.length, 0, report(failures));
});

test("through the gRPC protocol: the same properties on a sample", async (t) => {
    spawned = await startPack();
    const runner = new RobustnessRunner(spawned);
    const failures = await runBatches(runner, PROTOCOL_BATCHES, SEED + 1);
    const c = runner.coverage;
    t.diagnostic(`${c.cases} cases, ${c.resources} resources, ${c.calls.remediate + c.calls.analyze + c.calls.analyzeStack} calls`);
    assert.equal(c.cases, PROTOCOL_BATCHES * BATCH);
    assert.equal(failures.length, 0, report(failures));
});

test("the oracle sees a crash, a leak, a changed verdict, a secret or an asset lost by a remediation", async () => {
    const token = "Zqabcdefghijklmn";
    const resource = (props: Record<string, unknown>): EngineResource => ({ urn: "urn:pulumi:fuzz::x::openstack:compute/instance:Instance::vm", type: "openstack:compute/instance:Instance", name: "vm", properties: props });
    const props = { flavorName: "b3-8", fichier: ASSET_FORMS[2], motDePasse: secret(token) };
    const item: Materialized = { label: "hand-made", resources: [resource(props)], twin: [resource({ ...props, flavorName: secret("b3-8") })], distinct: [token], kinds: ["secret", "asset"] };
    const secretText = (r: EngineResource) => JSON.stringify(r.properties.flavorName).includes(SIG_KEY);
    const diag = (urn: string, message: string) => ({ policyName: "p", policyPackName: "x", policyPackVersion: "0", description: "d", message, enforcementLevel: "mandatory" as const, urn });
    type Behaviour = "crash" | "leak" | "variant" | "unwrap" | "asset";
    const stub = (b: Behaviour) =>
        ({
            packDir: "policies",
            getAnalyzerInfo: async () => ({ name: "x", displayName: "x", version: "0", supportsConfig: false, description: "", initialConfig: {}, policies: [] }),
            configureStack: async () => undefined,
            configure: async () => undefined,
            remediate: async (r: EngineResource) => {
                const changed = b === "unwrap" ? { ...r.properties, motDePasse: token } : b === "asset" ? { ...r.properties, fichier: ASSET_FORMS[0] } : undefined;
                return { remediations: changed ? [{ policyName: "p", policyPackName: "x", policyPackVersion: "0", description: "d", properties: changed, diagnostic: "" }] : [], notApplicable: [] };
            },
            analyze: async (r: EngineResource) => {
                if (b === "crash") throw new Error("Error validating resource with policy 'p': TypeError: x is not a function");
                if (b === "leak") return { diagnostics: [diag(r.urn, "valeur ZQABCDEFGHIJKLMN")], notApplicable: [] };
                return { diagnostics: b === "variant" && secretText(r) ? [] : [diag(r.urn, "m")], notApplicable: [] };
            },
            analyzeStack: async () => ({ diagnostics: [], notApplicable: [] }),
        }) as unknown as PolicyPackProcess;
    const kinds = async (b: Behaviour) => new Set((await new RobustnessRunner(stub(b)).run(CONFIGS[0], [item])).map((f) => f.kind));
    assert.deepEqual([...(await kinds("crash"))], ["crash"]);
    assert.deepEqual([...(await kinds("leak"))], ["leak"]);
    assert.deepEqual([...(await kinds("variant"))], ["invariance"]);
    assert.ok((await kinds("unwrap")).has("secret-kept"));
    assert.deepEqual([...(await kinds("asset"))], ["assets"]);
});
