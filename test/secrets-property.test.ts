/**
 * Secrets by construction, as properties of the whole pack: every rule's fixtures are sent again
 * through the engine protocol with values made secret, and the pack's answer must show nothing of
 * them and, when only the secrecy changed, state the same verdicts.
 *
 * Two generators, sampled by fast-check with fixed seeds (see test/support/secrets-oracle.ts for
 * the oracle, and `npm run fuzz:secrets` for the same properties run much longer):
 *
 * 1. "wrap": for every rule and every fixture (all kinds), one value of a resource's properties, or
 *    of its provider's, is wrapped in the engine's wire form of a secret
 *    (`{ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value }`): a
 *    string leaf, an object or an array. Each fixture gets one such case (its target drawn from the
 *    seed), then (rule, fixture, target) triples are drawn uniformly.
 *    - Same verdicts: the multiset of (policy, URN, level, cannot-check or not) of the diagnostics
 *      and the number of remediations are those of the fixture as written.
 *    - No leak: for each secret text longer than 6 characters (the wrapped string, or each string
 *      under the wrapped object or array, and the secrets the fixture already had), no run of 4
 *      characters of it (case-insensitive, accents folded) appears in a diagnostic's message or
 *      description, in a remediation's description or diagnostic, or in a value a remediation
 *      writes in clear. Runs that also appear in public text cannot be told apart from it and are
 *      skipped: the fixture's resource names, URNs, type tokens and property names, the rule's
 *      static texts (name, title, description, remediation in both languages, configuration
 *      descriptions and defaults, the literal text of its module, which holds its message
 *      templates), the pack's message frame, and the configuration, settings and stack tags the
 *      fixture gives. In a resource's own Analyze or Remediate call, the pack cannot know the
 *      secrets of other resources: runs of those found in what that resource sends in clear are
 *      that resource's own text and are skipped too.
 *    - Remediations keep secrets: a property that was secret in the request is still secret (in
 *      wire form) in the properties a remediation returns.
 * 2. "distinct": string leaves of non-compliant fixtures are replaced by a distinctive value
 *    (`Zq` and 8 to 20 letters and digits, with no run in common with any public text, any value
 *    of the fixture, or the fixture's own diagnostics) as a secret, and by transformed copies of it
 *    (upper-cased, surrounded by spaces, after a `key=` prefix), as secrets too. Verdicts may
 *    change; no run of 4 characters of the distinctive value may appear anywhere in the answer,
 *    with no exception. Remediations keep secrets, as above.
 *
 * One pack process serves the whole file.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { PolicyPackProcess } from "../src/engine/driver";
import {
    CaseFailure,
    caseKey,
    CaseSpec,
    distinctCases,
    FixtureEntry,
    loadEntries,
    oneWrapCasePerFixture,
    SecretsOracle,
    wrapCases,
} from "./support/secrets-oracle";
import { startPack } from "./support/pack";

const SEED = 20260501;
/** Random draws of "wrap" cases beyond the one per fixture (a case drawn twice runs once). */
const WRAP_RUNS = 1700;
/** "distinct" cases. */
const DISTINCT_RUNS = 500;

let pack: PolicyPackProcess;
let oracle: SecretsOracle;
const entries = loadEntries();

before(async () => {
    pack = await startPack();
    oracle = await SecretsOracle.create(pack);
});
after(async () => {
    await pack?.close();
});

function report(failures: CaseFailure[]): string {
    const shown = failures.slice(0, 20).map((f) => f.message);
    return `${failures.length} failure(s):\n\n${shown.join("\n\n")}${failures.length > shown.length ? `\n\n… and ${failures.length - shown.length} more` : ""}`;
}

/** Runs each case once (the generators may draw one twice) and gathers every failure. */
async function runAll(arb: fc.Arbitrary<CaseSpec>, numRuns: number, seed: number, examples: CaseSpec[] = []): Promise<{ failures: CaseFailure[]; cases: number }> {
    const failures: CaseFailure[] = [];
    const done = new Set<string>();
    await fc.assert(
        fc.asyncProperty(arb, async (spec) => {
            const key = caseKey(spec);
            if (done.has(key)) return;
            done.add(key);
            failures.push(...(await oracle.check(spec)));
        }),
        { seed, numRuns: examples.length + numRuns, examples: examples.map((e) => [e] as [CaseSpec]) },
    );
    return { failures, cases: done.size };
}

test("every rule has fixtures with values to make secret", () => {
    const rules = new Set(entries.map((e) => e.rule.name));
    assert.ok(rules.size >= 30, `${rules.size} rules`);
    // A fixture whose properties hold no string, object or array outside a secret (a stack
    // without properties, a "secret" fixture where all is secret already) has nothing to wrap.
    const withTargets = entries.filter((e) => e.targets.length > 0);
    assert.ok(withTargets.length >= entries.length * 0.9, `${entries.length - withTargets.length} fixtures without targets`);
    for (const r of rules) assert.ok(withTargets.some((e) => e.rule.name === r), `${r}: no fixture with a value to make secret`);
});

test("a value made secret changes no verdict and shows nowhere (every fixture, then sampled)", async (t) => {
    const examples = oneWrapCasePerFixture(entries, SEED);
    const { failures, cases } = await runAll(wrapCases(entries), WRAP_RUNS, SEED, examples);
    t.diagnostic(`${cases} cases over ${new Set(examples.map((e) => e.rule)).size} rules and ${examples.length} fixtures`);
    assert.ok(cases >= examples.length + WRAP_RUNS / 2, `${cases} cases`);
    assert.equal(failures.length, 0, report(failures));
});

test("a distinctive secret, and copies of it transformed, show nowhere", async (t) => {
    const ambient = new Map<FixtureEntry, Set<string>>();
    for (const e of entries) if (e.fixture.kind === "non-compliant" && e.leaves.length > 0) ambient.set(e, await oracle.ambientRuns(e));
    const { failures, cases } = await runAll(distinctCases(entries, ambient), DISTINCT_RUNS, SEED + 1);
    t.diagnostic(`${cases} cases over ${ambient.size} non-compliant fixtures`);
    assert.ok(cases >= DISTINCT_RUNS * 0.9, `${cases} cases`);
    assert.equal(failures.length, 0, report(failures));
});
