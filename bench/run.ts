/**
 * `npm run bench`: figures and ratios against a baseline measured in the same run. Never a pass/fail.
 *
 * Start-up: the pack and an empty pack (one policy that reports nothing), each started as the CLI
 * starts them (run-policy-pack, pack folder as working directory) with a cold ts-node cache,
 * alternately, several times; median time from spawn to the port being printed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackProcess } from "../src/engine/driver";

const ROOT = path.resolve(__dirname, "../..");
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function startupMs(dir: string): Promise<number> {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-bench-ts-node-"));
    try {
        const p = await PolicyPackProcess.start(dir, { env: { ...process.env, TS_NODE_CACHE_DIRECTORY: cache } });
        const ms = p.startupMs;
        await p.close();
        return ms;
    } finally {
        fs.rmSync(cache, { recursive: true, force: true });
    }
}

async function startup(): Promise<void> {
    const pack = path.join(ROOT, "policies");
    const empty = path.join(ROOT, "bench/empty-pack");
    await startupMs(empty); // warm the OS file cache for both, outside the measure
    await startupMs(pack);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        b.push(await startupMs(empty));
        a.push(await startupMs(pack));
    }
    const ma = median(a);
    const mb = median(b);
    console.log(`start-up, spawn → port, median of ${RUNS} (cold ts-node cache):`);
    console.log(`  empty pack          ${mb.toFixed(0).padStart(6)} ms`);
    console.log(`  cloud-de-confiance  ${ma.toFixed(0).padStart(6)} ms`);
    console.log(`  ratio               ${(ma / mb).toFixed(3).padStart(6)}×   (target ≤ 1.15×)`);
}

async function main(): Promise<void> {
    await startup();
    const extra = path.join(__dirname, "check.js");
    if (fs.existsSync(extra)) await (require(extra) as { bench: () => Promise<void> }).bench();
}

main().catch((e) => {
    console.error(`bench: ${(e as Error).message}`);
    process.exit(1);
});
