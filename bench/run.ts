/**
 * `npm run bench`: the pack's cost against an empty pack's, measured in the same run, through the
 * engine protocol. Figures and ratios, never a pass/fail. See BENCHMARKS.md.
 *
 *   npm run bench                         start-up, 1,000 / 10,000 / 50,000 resources, checker
 *   npm run bench -- --write              … and writes the figures into BENCHMARKS.md
 *   npm run bench -- --install            … and the install footprint against @pulumi/awsguard
 *   npm run bench -- --profile=DIR        CPU and heap profiles of the pack process (largest size)
 *
 * Environment: BENCH_SIZES (default 1000,10000,50000), BENCH_RUNS (runs per size, default 3),
 * BENCH_STARTUP_RUNS (default 9), BENCH_CHECK_RUNS (default 5); BENCH_SKIP=startup,checker,protocol
 * leaves parts out.
 */
import * as fs from "fs";
import * as path from "path";
import { measureChecker } from "./check";
import { measureInstall } from "./install";
import { machine } from "./proc";
import { coldStartupMs, measurePack, MeasureOptions, PackRun } from "./protocol";
import { renderResults, Results, writeBenchmarks } from "./report";
import { describeStack, generateStack } from "./stack";

export const ROOT = path.resolve(__dirname, "../..");
export const PACK_DIR = path.join(ROOT, "policies");
export const EMPTY_PACK_DIR = path.join(ROOT, "bench/empty-pack");

function numbers(v: string | undefined, dflt: number[]): number[] {
    if (!v) return dflt;
    const xs = v.split(",").map((x) => Number(x.trim()));
    if (xs.some((x) => !Number.isInteger(x) || x <= 0)) throw new Error(`expected positive integers separated by commas, got "${v}"`);
    return xs;
}

/** The configuration the bench runs the pack with: the OVHcloud production example, every rule on. */
export function benchOptions(): MeasureOptions {
    const raw = JSON.parse(fs.readFileSync(path.join(ROOT, "examples/configurations/ovhcloud-production.json"), "utf8")) as Record<string, Record<string, unknown>>;
    const config = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, { properties: v }]));
    return {
        config,
        everyRuleOn: true,
        stack: { project: "bench", stack: "production", tags: { ministere: "interieur", application: "bench", environnement: "production", "centre-de-cout": "cc-42" } },
    };
}

/** One size: the empty pack and the pack, alternately, `runs` times each. */
export async function measureSize(size: number, runs: number, log: (s: string) => void = () => undefined, extra: MeasureOptions = {}): Promise<{ stack: Record<string, number>; empty: PackRun[]; pack: PackRun[] }> {
    const resources = generateStack(size);
    const stack = describeStack(resources);
    const opts = { ...benchOptions(), ...extra };
    const empty: PackRun[] = [];
    const pack: PackRun[] = [];
    for (let i = 0; i < runs; i++) {
        empty.push(await measurePack(EMPTY_PACK_DIR, resources, { ...opts, cpuProfileDir: undefined, heapProfileDir: undefined }));
        log(`  ${size} resources, run ${i + 1}/${runs}: empty pack ${empty[i].cpuPerResourceUs.toFixed(0)} µs/resource, AnalyzeStack ${empty[i].analyzeStackMs.toFixed(0)} ms, ${empty[i].peakRssMiB.toFixed(0)} MiB`);
        pack.push(await measurePack(PACK_DIR, resources, i === runs - 1 ? opts : { ...opts, cpuProfileDir: undefined, heapProfileDir: undefined }));
        log(`  ${size} resources, run ${i + 1}/${runs}: pack       ${pack[i].cpuPerResourceUs.toFixed(0)} µs/resource, AnalyzeStack ${pack[i].analyzeStackMs.toFixed(0)} ms, ${pack[i].peakRssMiB.toFixed(0)} MiB`);
    }
    return { stack, empty, pack };
}

async function main(argv: string[]): Promise<void> {
    const write = argv.includes("--write");
    const install = argv.includes("--install");
    const profile = argv.find((a) => a.startsWith("--profile="))?.slice("--profile=".length);
    const skip = new Set((process.env.BENCH_SKIP ?? "").split(",").map((s) => s.trim()).filter(Boolean));
    const sizes = numbers(process.env.BENCH_SIZES, [1000, 10000, 50000]);
    const runs = numbers(process.env.BENCH_RUNS, [3])[0];
    const startupRuns = numbers(process.env.BENCH_STARTUP_RUNS, [9])[0];
    const checkRuns = numbers(process.env.BENCH_CHECK_RUNS, [5])[0];
    const log = (s: string) => process.stderr.write(s + "\n");
    const res: Results = { date: new Date().toISOString().slice(0, 10), machine: machine(), runs, sizes: [] };

    if (!skip.has("startup")) {
        log(`start-up, ${startupRuns} runs each…`);
        await coldStartupMs(EMPTY_PACK_DIR); // warm the OS file cache for both, outside the measure
        await coldStartupMs(PACK_DIR);
        res.startup = { empty: [], pack: [] };
        for (let i = 0; i < startupRuns; i++) {
            res.startup.empty.push(await coldStartupMs(EMPTY_PACK_DIR));
            res.startup.pack.push(await coldStartupMs(PACK_DIR));
        }
    }
    if (!skip.has("protocol")) {
        for (const size of sizes) {
            log(`${size} resources, ${runs} run(s) each…`);
            const largest = size === Math.max(...sizes);
            if (profile) fs.mkdirSync(profile, { recursive: true });
            const extra: MeasureOptions = profile && largest ? { cpuProfileDir: path.resolve(profile, `cpu-${size}`), heapProfileDir: path.resolve(profile, `heap-${size}`) } : {};
            res.sizes.push({ size, ...(await measureSize(size, runs, log, extra)) });
        }
    }
    if (!skip.has("checker")) {
        log(`checker on the reference program, ${checkRuns} runs…`);
        res.checker = await measureChecker(checkRuns);
    }
    if (install) {
        log("install footprint (npm pack, npm install with an empty cache; network)…");
        res.install = measureInstall();
    }
    console.log(renderResults(res));
    if (write) {
        const file = path.join(ROOT, "BENCHMARKS.md");
        writeBenchmarks(file, res);
        log(`written to ${file}`);
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e) => {
        console.error(`bench: ${(e as Error).message}`);
        process.exit(1);
    });
}
