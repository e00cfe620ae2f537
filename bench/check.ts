/**
 * `check` on the reference program against the same program run under Pulumi's mocks alone, in
 * the same run: what the pack and the protocol add to the program's own cost.
 */
import * as path from "path";
import { check } from "../src/checker/check";
import { runProgram } from "../src/checker/program";
import { parsePolicyConfig } from "../src/engine/engine";

const ROOT = path.resolve(__dirname, "../..");
const STACK = path.join(ROOT, "stacks/application-web");
const RUNS = Number(process.env.BENCH_RUNS ?? 9);

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timed(f: () => Promise<unknown>): Promise<number> {
    const t0 = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function bench(): Promise<void> {
    const config = parsePolicyConfig(require(path.join(ROOT, "examples/configurations/ovhcloud-production.json")));
    const mocks = () => runProgram(STACK, { stack: "ovhcloud", preview: true });
    const full = async () => {
        const run = await mocks();
        await check({
            source: { kind: "program", path: STACK },
            resources: run.resources,
            config,
            stack: { project: run.project, stack: run.stack, tags: run.stackTags, config: run.config },
        });
    };
    await mocks();
    await full();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        b.push(await timed(mocks));
        a.push(await timed(full));
    }
    const ma = median(a);
    const mb = median(b);
    console.log(`\ncheck on the reference program (stacks/application-web, ovhcloud), median of ${RUNS}:`);
    console.log(`  program under mocks alone   ${mb.toFixed(0).padStart(6)} ms`);
    console.log(`  check (mocks + pack)        ${ma.toFixed(0).padStart(6)} ms`);
    console.log(`  ratio                       ${(ma / mb).toFixed(3).padStart(6)}×`);
}
