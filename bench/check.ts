/**
 * `check` on the reference program against the same program run under Pulumi's mocks alone, in
 * the same run: what the pack and the protocol add to the program's own cost.
 *
 * The check is the CLI as a user runs it (its own process, reports on stdout thrown away); the
 * program's own run is `runProgram`, which starts the program's process as the language host
 * would, under the mocks, and records what it declares.
 */
import { spawn } from "child_process";
import * as path from "path";
import { runProgram } from "../src/checker/program";

const ROOT = path.resolve(__dirname, "../..");
export const REFERENCE_STACK = "stacks/application-web";
const CONFIG = "examples/configurations/ovhcloud-production.json";
const CLI = path.join(ROOT, "dist/src/cli/main.js");

export interface CheckerRuns {
    mocksMs: number[];
    checkMs: number[];
}

async function timed(f: () => Promise<unknown>): Promise<number> {
    const t0 = process.hrtime.bigint();
    await f();
    return Number(process.hrtime.bigint() - t0) / 1e6;
}

function cli(): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, "check", REFERENCE_STACK, "--stack", "ovhcloud", "-c", CONFIG, "--format", "json"], {
            cwd: ROOT,
            stdio: ["ignore", "ignore", "pipe"],
        });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("error", reject);
        child.on("exit", (code) => (code === 0 || code === 1 ? resolve() : reject(new Error(`check exited with ${code}: ${err.trim().split("\n").pop()}`))));
    });
}

export async function measureChecker(runs: number): Promise<CheckerRuns> {
    const mocks = () => runProgram(path.join(ROOT, REFERENCE_STACK), { stack: "ovhcloud", preview: true });
    await mocks(); // warm the OS file cache and the program's compilation cache, outside the measure
    await cli();
    const out: CheckerRuns = { mocksMs: [], checkMs: [] };
    for (let i = 0; i < runs; i++) {
        out.mocksMs.push(await timed(mocks));
        out.checkMs.push(await timed(cli));
    }
    return out;
}
