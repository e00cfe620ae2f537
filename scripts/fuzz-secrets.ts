/**
 * The properties of test/secrets-property.test.ts run much longer: `npm run fuzz:secrets`.
 *
 *   node dist/scripts/fuzz-secrets.js [--runs N] [--seed S] [--no-exhaustive] [--replay FILE…]
 *
 * 1. Unless `--no-exhaustive`, every single-value "wrap" case: each string leaf, object and array
 *    of each fixture of each rule made secret in turn (a few thousand cases).
 * 2. Then N random cases (`--runs`, or the FUZZ_RUNS environment variable; 20000 by default),
 *    half "wrap" cases with 1 to 3 values of a fixture made secret at once, half "distinct" cases
 *    (see test/support/secrets-oracle.ts). The seed is printed; `--seed` draws the same cases.
 *
 * What was covered is printed at the end. Each failure is printed and written to
 * `out/fuzz/<generator>-<rule>-<fixture>-<n>.json`; `--replay FILE…` runs those cases again.
 * The exit code is 1 when a property failed.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { startPack } from "../test/support/pack";
import {
    allWrapCases,
    CaseFailure,
    caseKey,
    CaseSpec,
    distinctCases,
    entryOf,
    failureRecord,
    FixtureEntry,
    loadEntries,
    multiWrapCases,
    SecretsOracle,
} from "../test/support/secrets-oracle";

const ROOT = path.resolve(__dirname, "../..");
const OUT = path.join(ROOT, "out", "fuzz");
/** Failures written to files at most (the rest are counted). */
const MAX_FILES = 100;

interface Options {
    runs: number;
    seed: number;
    exhaustive: boolean;
    replay: string[];
}

function parseArgs(argv: string[]): Options {
    const o: Options = { runs: Number(process.env.FUZZ_RUNS ?? 20000), seed: Date.now() % 2 ** 31, exhaustive: true, replay: [] };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined) throw new Error(`${a}: value expected`);
            return v;
        };
        if (a === "--runs") o.runs = Number(value());
        else if (a === "--seed") o.seed = Number(value());
        else if (a === "--no-exhaustive") o.exhaustive = false;
        else if (a === "--replay") {
            o.replay.push(value());
            while (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) o.replay.push(argv[++i]);
        } else if (a === "--help" || a === "-h") {
            console.log("usage: fuzz-secrets [--runs N] [--seed S] [--no-exhaustive] [--replay FILE…]");
            process.exit(0);
        } else throw new Error(`unknown argument ${a}`);
    }
    if (!Number.isInteger(o.runs) || o.runs < 0) throw new Error(`--runs: a whole number expected`);
    if (!Number.isInteger(o.seed)) throw new Error(`--seed: a whole number expected`);
    return o;
}

class Failures {
    readonly all: CaseFailure[] = [];
    private files = 0;

    add(list: CaseFailure[]): void {
        for (const f of list) {
            this.all.push(f);
            console.log(`\nFAIL ${f.message}`);
        }
        if (list.length === 0) return;
        // One file per failing case, with all its failures.
        if (this.files >= MAX_FILES) return;
        this.files++;
        fs.mkdirSync(OUT, { recursive: true });
        const spec = list[0].spec;
        const base = `${spec.generator}-${spec.rule}-${spec.fixture}`;
        let n = 1;
        while (fs.existsSync(path.join(OUT, `${base}-${n}.json`))) n++;
        const file = path.join(OUT, `${base}-${n}.json`);
        const record = { ...failureRecord(list[0]), message: list.map((f) => f.message) };
        fs.writeFileSync(file, JSON.stringify(record, null, 2) + "\n");
        console.log(`  → ${path.relative(process.cwd(), file)} (replay: node dist/scripts/fuzz-secrets.js --replay ${path.relative(process.cwd(), file)})`);
    }
}

/** Progress on a terminal; the last call of a phase (`final`) is printed everywhere. */
function progress(label: string, done: number, total: number, t0: number, final = false): void {
    const line = `${label}: ${done}/${total} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s`;
    if (final) process.stderr.write(process.stderr.isTTY ? `\r${line}   \n` : `${line}\n`);
    else if (process.stderr.isTTY) process.stderr.write(`\r${line}   `);
}

async function main(): Promise<number> {
    const o = parseArgs(process.argv.slice(2));
    const t0 = Date.now();
    const pack = await startPack();
    const failures = new Failures();
    try {
        const oracle = await SecretsOracle.create(pack);
        const entries = loadEntries();

        if (o.replay.length > 0) {
            for (const file of o.replay) {
                const record = JSON.parse(fs.readFileSync(file, "utf8")) as { case: CaseSpec };
                entryOf(record.case); // the rule and fixture still exist
                const list = await oracle.check(record.case);
                console.log(`${file}: ${list.length === 0 ? "passes" : `${list.length} failure(s)`}`);
                for (const f of list) console.log(`FAIL ${f.message}`);
                failures.all.push(...list);
            }
            return failures.all.length === 0 ? 0 : 1;
        }

        console.log(`seed ${o.seed}, ${o.runs} random cases${o.exhaustive ? ", after every single-value wrap" : ""}`);
        const done = new Set<string>();
        const run = async (spec: CaseSpec) => {
            const key = caseKey(spec);
            if (done.has(key)) return;
            done.add(key);
            failures.add(await oracle.check(spec));
        };

        if (o.exhaustive) {
            const all = allWrapCases(entries);
            const t1 = Date.now();
            for (let i = 0; i < all.length; i++) {
                await run(all[i]);
                if (i % 100 === 0) progress("every single-value wrap", i, all.length, t1);
            }
            progress("every single-value wrap", all.length, all.length, t1, true);
        }

        const wrapRuns = Math.ceil(o.runs / 2);
        const distinctRuns = o.runs - wrapRuns;
        let t1 = Date.now();
        let n = 0;
        if (wrapRuns > 0) {
            await fc.assert(
                fc.asyncProperty(multiWrapCases(entries, 3), async (spec) => {
                    await run(spec);
                    if (++n % 100 === 0) progress("random wraps", n, wrapRuns, t1);
                }),
                { seed: o.seed, numRuns: wrapRuns },
            );
            progress("random wraps", n, wrapRuns, t1, true);
        }
        if (distinctRuns > 0) {
            const ambient = new Map<FixtureEntry, Set<string>>();
            for (const e of entries) if (e.fixture.kind === "non-compliant" && e.leaves.length > 0) ambient.set(e, await oracle.ambientRuns(e));
            t1 = Date.now();
            n = 0;
            await fc.assert(
                fc.asyncProperty(distinctCases(entries, ambient), async (spec) => {
                    await run(spec);
                    if (++n % 100 === 0) progress("distinctive values", n, distinctRuns, t1);
                }),
                { seed: o.seed + 1, numRuns: distinctRuns },
            );
            progress("distinctive values", n, distinctRuns, t1, true);
        }

        const s = oracle.stats;
        const rules = new Set(entries.map((e) => e.rule.name));
        console.log(
            [
                "",
                `covered: ${s.rules.size}/${rules.size} rules, ${s.fixtures.size}/${entries.length} fixtures`,
                `cases: ${s.cases} (${s.wrap} wrap, ${s.distinct} distinct; ${done.size} distinct specs), ${s.secretsChecked} secret texts checked`,
                `time: ${((Date.now() - t0) / 1000).toFixed(1)} s`,
                failures.all.length === 0 ? "no failure" : `${failures.all.length} failure(s), written to ${path.relative(process.cwd(), OUT)}/`,
            ].join("\n"),
        );
        return failures.all.length === 0 ? 0 : 1;
    } finally {
        await pack.close();
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(e instanceof Error ? e.stack : e);
        process.exit(2);
    },
);
