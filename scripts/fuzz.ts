/**
 * Long runs of the robustness properties (test/robustness-property.test.ts), through the real
 * gRPC protocol: `npm run fuzz`. `--jobs N` pack processes (2 by default) take the batches in turn
 * as they are free; the cases and the configuration of each batch depend on the seed only.
 *
 *   npm run fuzz -- [--resources N] [--seed S] [--time SECONDS] [--batch N] [--jobs N] [--replay FILE…]
 *   npm run fuzz -- --secrets [its options]     (the secret properties, scripts/fuzz-secrets.ts)
 *
 * Mutated cases (test/support/mutations.ts, with the long-run sizes: strings up to 100,000
 * characters, lists and maps up to 1,000 entries, values nested up to 300 levels) are sent to one
 * pack process in batches, as the engine sends a preview: Remediate then Analyze for each resource,
 * AnalyzeStack once per batch. The batches take the pack configurations of
 * test/support/robustness.ts in turn (default, each provider profile, remediation, derogations,
 * levels). It runs until N resources have been sent (200,000 by default, `--resources` or
 * FUZZ_RESOURCES) or the time budget is spent. The seed is printed; `--seed` draws the same cases.
 *
 * At the end it prints what was covered (resources per type, per mutation kind and per
 * configuration, calls, twins) and every failure, each written to `out/fuzz/` as a file that
 * `--replay FILE` runs again (a file of either mode). The exit code is 1 when a property failed,
 * 2 on a usage error.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import { startPack } from "../test/support/pack";
import { FUZZ_SIZES, materialize, Materialized, robustCases } from "../test/support/mutations";
import { addCoverage, configurations, Coverage, emptyCoverage, Failure, failureRecord, RobustnessRunner } from "../test/support/robustness";
import { loadEntries } from "../test/support/secrets-oracle";
import { runSecretsFuzz } from "./fuzz-secrets";

const ROOT = path.resolve(__dirname, "../..");
const OUT = path.join(ROOT, "out", "fuzz");
/** Failure files written at most; the same failure (kind and first line) is written once. */
const MAX_FILES = 100;

class UsageError extends Error {}

interface Options {
    resources: number;
    seed: number;
    timeS: number;
    batch: number;
    jobs: number;
    replay: string[];
}

function parseArgs(argv: string[]): Options {
    const o: Options = { resources: Number(process.env.FUZZ_RESOURCES ?? 200_000), seed: Date.now() % 2 ** 31, timeS: Infinity, batch: 20, jobs: 2, replay: [] };
    const whole = (a: string, v: string, min: number) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < min) throw new UsageError(`${a}: a whole number of at least ${min} expected, not ${JSON.stringify(v)}`);
        return n;
    };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const value = () => {
            const v = argv[++i];
            if (v === undefined) throw new UsageError(`${a}: value expected`);
            return v;
        };
        if (a === "--resources") o.resources = whole(a, value(), 1);
        else if (a === "--seed") o.seed = whole(a, value(), 0);
        else if (a === "--time") o.timeS = whole(a, value(), 1);
        else if (a === "--batch") o.batch = whole(a, value(), 1);
        else if (a === "--jobs") o.jobs = whole(a, value(), 1);
        else if (a === "--replay") {
            o.replay.push(value());
            while (argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) o.replay.push(argv[++i]);
        } else if (a === "--help" || a === "-h") {
            console.log("usage: npm run fuzz -- [--resources N] [--seed S] [--time SECONDS] [--batch N] [--jobs N] [--replay FILE…]\n       npm run fuzz -- --secrets [--runs N] [--seed S] [--no-exhaustive] [--replay FILE…]");
            process.exit(0);
        } else throw new UsageError(`unknown argument ${a}`);
    }
    if (!Number.isInteger(o.resources) || o.resources < 1) throw new UsageError("FUZZ_RESOURCES: a whole number expected");
    return o;
}

class Failures {
    readonly all: Failure[] = [];
    private readonly written = new Map<string, string>();

    add(list: Failure[], seed: number): void {
        for (const f of list) {
            this.all.push(f);
            const key = `${f.kind} ${f.message.split("\n")[0].replace(/urn:pulumi:[^ ]*/g, "URN").replace(/\bb\d+c\d+\b/g, "")}`;
            let file = this.written.get(key);
            if (file === undefined && this.written.size < MAX_FILES) {
                fs.mkdirSync(OUT, { recursive: true });
                let n = 1;
                while (fs.existsSync(path.join(OUT, `robustness-${f.kind}-${n}.json`))) n++;
                file = path.relative(process.cwd(), path.join(OUT, `robustness-${f.kind}-${n}.json`));
                fs.writeFileSync(file, JSON.stringify(failureRecord(f, seed), null, 2) + "\n");
                this.written.set(key, file);
            }
            console.log(`\nFAIL [${f.kind}] ${f.configuration} · ${f.items.map((i) => i.label).join(" | ").slice(0, 500)}\n  ${f.message.slice(0, 2000)}${file ? `\n  → ${file} (replay: npm run fuzz -- --replay ${file})` : ""}`);
        }
    }
}

function sorted(m: Map<string, number>): string {
    return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k, n]) => `    ${String(n).padStart(8)}  ${k}`).join("\n");
}

function summary(c: Coverage, seconds: number, failures: Failure[], seed: number): string {
    const byKind = new Map<string, number>();
    for (const f of failures) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
    const calls = c.calls.remediate + c.calls.analyze + c.calls.analyzeStack;
    return [
        "",
        `seed ${seed} · ${seconds.toFixed(0)} s`,
        `resources: ${c.resources} in ${c.cases} cases (${c.twins} also sent with values made secret), ${c.batches} batches`,
        `calls: ${calls} (Remediate ${c.calls.remediate}, Analyze ${c.calls.analyze}, AnalyzeStack ${c.calls.analyzeStack}; Configure ${c.calls.configure})`,
        `answers: ${c.diagnostics} diagnostics (${c.cannotCheck} « cannot be checked »), ${c.remediations} remediations`,
        `configurations (cases):\n${sorted(c.byConfiguration)}`,
        `mutation kinds (times made):\n${sorted(c.byKind as Map<string, number>)}`,
        `resource types (resources and providers sent): ${c.byType.size}\n${sorted(c.byType)}`,
        failures.length === 0 ? "no failure" : `${failures.length} failure(s): ${[...byKind].map(([k, n]) => `${k} ${n}`).join(", ")}; files in ${path.relative(process.cwd(), OUT)}/`,
    ].join("\n");
}

async function replay(files: string[]): Promise<number> {
    const records = files.map((file) => {
        let r: Record<string, unknown>;
        try {
            r = JSON.parse(fs.readFileSync(file, "utf8"));
        } catch (e) {
            throw new UsageError(`${file}: cannot read a fuzz failure file (${(e as Error).message.split("\n")[0]})`);
        }
        return { file, r };
    });
    const secrets = records.filter((x) => x.r.mode === "secrets" || (x.r.mode === undefined && "case" in x.r)).map((x) => x.file);
    const robust = records.filter((x) => x.r.mode === "robustness");
    const unknown = records.filter((x) => !secrets.includes(x.file) && x.r.mode !== "robustness");
    if (unknown.length > 0) throw new UsageError(`${unknown[0].file}: not a fuzz failure file`);
    let code = 0;
    if (secrets.length > 0) code = Math.max(code, await runSecretsFuzz(["--replay", ...secrets]));
    if (robust.length > 0) {
        const pack = await startPack();
        try {
            const runner = new RobustnessRunner(pack);
            const configs = new Map(configurations().map((c) => [c.name, c]));
            for (const { file, r } of robust) {
                const config = configs.get(String(r.configuration));
                if (!config) throw new UsageError(`${file}: unknown configuration ${JSON.stringify(r.configuration)}`);
                const list = await runner.run(config, r.items as Materialized[]);
                console.log(`${file}: ${list.length === 0 ? "passes" : `${list.length} failure(s)`}`);
                for (const f of list) console.log(`FAIL [${f.kind}] ${f.message}`);
                if (list.length > 0) code = 1;
            }
        } finally {
            await pack.close();
        }
    }
    return code;
}

async function main(argv: string[]): Promise<number> {
    if (argv.includes("--secrets")) return runSecretsFuzz(argv.filter((a) => a !== "--secrets"));
    const o = parseArgs(argv);
    if (o.replay.length > 0) return replay(o.replay);

    const entries = loadEntries();
    const configs = configurations();
    const arb = robustCases(entries, { twin: 0.2, retype: 0.2, maxMutations: 4, sizes: FUZZ_SIZES });
    const t0 = Date.now();
    const deadline = t0 + o.timeS * 1000;
    console.log(`seed ${o.seed}: ${o.resources} resources${Number.isFinite(o.timeS) ? ` or ${o.timeS} s` : ""}, batches of ${o.batch} cases, ${configs.length} configurations`);
    const packs = await Promise.all(Array.from({ length: o.jobs }, () => startPack()));
    const runners = packs.map((p) => new RobustnessRunner(p));
    const covered = () => {
        const c = emptyCoverage();
        for (const r of runners) addCoverage(c, r.coverage);
        return c;
    };
    const failures = new Failures();
    let lastReport = Date.now();
    // One fast-check stream, drawn batch after batch from the seed.
    const stream = fc.sample(fc.infiniteStream(arb), { seed: o.seed, numRuns: 1 })[0];
    let b = 0;
    let sent = 0;
    const next = (): { b: number; items: Materialized[] } | undefined => {
        if (sent >= o.resources || Date.now() >= deadline) return undefined;
        const items: Materialized[] = [];
        for (let i = 0; i < o.batch; i++) items.push(materialize(stream.next().value, `b${b}c${i}`, entries));
        sent += items.reduce((n, it) => n + it.resources.length, 0);
        return { b: b++, items };
    };
    try {
        await Promise.all(
            runners.map(async (runner) => {
                for (let job = next(); job; job = next()) {
                    failures.add(await runner.run(configs[job.b % configs.length], job.items), o.seed);
                    if (Date.now() - lastReport > 30_000) {
                        lastReport = Date.now();
                        const c = covered();
                        process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(0)} s: ${c.resources}/${o.resources} resources, ${c.cases} cases, ${failures.all.length} failure(s)\n`);
                    }
                }
            }),
        );
    } finally {
        await Promise.all(packs.map((p) => p.close()));
    }
    console.log(summary(covered(), (Date.now() - t0) / 1000, failures.all, o.seed));
    return failures.all.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        if (e instanceof UsageError) {
            console.error(`fuzz: ${e.message}`);
            process.exit(2);
        }
        console.error(e instanceof Error ? e.stack : e);
        process.exit(2);
    },
);
