/**
 * One pack measured through the engine protocol, as the CLI drives it (engine.ts): GetAnalyzerInfo,
 * ConfigureStack, Configure, then Remediate and Analyze for each resource in order (the remediated
 * properties are what Analyze and AnalyzeStack see), then AnalyzeStack on the whole stack.
 *
 * CPU is the pack process's own (utime + stime from /proc), read before and after the per-resource
 * loop and around AnalyzeStack: the client's work (building and reading messages) never counts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PolicyPackProcess } from "../src/engine/driver";
import { reconcilePolicyConfig, StackContext } from "../src/engine/engine";
import { EngineResource, PolicyConfig } from "../src/engine/types";
import { cpuMs, peakRssMiB } from "./proc";

export interface PackRun {
    resources: number;
    /** Spawn to port (warm caches: the cold start-up is measured on its own). */
    startupMs: number;
    /** Pack CPU per resource for Remediate + Analyze, in microseconds. */
    cpuPerResourceUs: number;
    /** Wall time of the per-resource loop, per resource, in microseconds (client included). */
    wallPerResourceUs: number;
    /** Wall time of the AnalyzeStack call. */
    analyzeStackMs: number;
    /** Pack CPU during AnalyzeStack. */
    analyzeStackCpuMs: number;
    /** Peak resident memory of the pack process (VmHWM) at the end. */
    peakRssMiB: number;
    /** Peak resident memory before AnalyzeStack (the per-resource loop's). */
    loopPeakRssMiB: number;
    diagnostics: number;
    stackDiagnostics: number;
    remediations: number;
}

export interface MeasureOptions {
    /** Pack configuration (policy name → config); policies the pack does not have are dropped. */
    config?: Record<string, PolicyConfig>;
    /** Turn on the policies the pack disables by default. */
    everyRuleOn?: boolean;
    stack?: StackContext;
    /** Write a V8 CPU profile of the pack process to this folder. */
    cpuProfileDir?: string;
    /** Write a V8 heap profile of the pack process to this folder. */
    heapProfileDir?: string;
}

const EXIT_ON_TERM = path.resolve(__dirname, "../../bench/exit-on-term.js");

function hrMs(t0: bigint): number {
    return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function measurePack(packDir: string, resources: EngineResource[], opts: MeasureOptions = {}): Promise<PackRun> {
    const flags: string[] = [];
    if (opts.cpuProfileDir) flags.push("--cpu-prof", `--cpu-prof-dir=${opts.cpuProfileDir}`);
    if (opts.heapProfileDir) flags.push("--heap-prof", `--heap-prof-dir=${opts.heapProfileDir}`);
    // Profiles are written when the process exits normally: end it on SIGTERM (the driver's close).
    if (flags.length) flags.push(`--require=${EXIT_ON_TERM}`);
    const pack = await PolicyPackProcess.start(packDir, { nodeArgs: flags, timeoutMs: 120000 });
    try {
        const pid = pack.pid;
        if (pid === undefined) throw new Error(`${packDir}: no process id`);
        const info = await pack.getAnalyzerInfo();
        const known = new Set(info.policies.map((p) => p.name));
        const given: Record<string, PolicyConfig> = {};
        for (const [k, v] of Object.entries(opts.config ?? {})) if (known.has(k)) given[k] = v;
        if (opts.everyRuleOn) {
            for (const p of info.policies) if (p.enforcementLevel === "disabled" && !given[p.name]?.enforcementLevel) given[p.name] = { ...given[p.name], enforcementLevel: "advisory" };
        }
        const config = reconcilePolicyConfig(info, given, pack.packDir);
        const stack = opts.stack ?? { project: "bench", stack: "production" };
        await pack.configureStack(stack);
        await pack.configure(config);

        let diagnostics = 0;
        let remediations = 0;
        const analyzed: EngineResource[] = [];
        const cpu0 = cpuMs(pid);
        const t0 = process.hrtime.bigint();
        for (const r of resources) {
            let current = r;
            const rem = await pack.remediate(r);
            for (const x of rem.remediations) {
                remediations++;
                if (x.properties) current = { ...current, properties: x.properties };
            }
            analyzed.push(current);
            diagnostics += (await pack.analyze(current)).diagnostics.length;
        }
        const wall = hrMs(t0);
        const cpu1 = cpuMs(pid);
        const loopPeak = peakRssMiB(pid);
        const t1 = process.hrtime.bigint();
        const st = await pack.analyzeStack(analyzed);
        const stackMs = hrMs(t1);
        const cpu2 = cpuMs(pid);
        return {
            resources: resources.length,
            startupMs: pack.startupMs,
            cpuPerResourceUs: ((cpu1 - cpu0) * 1000) / Math.max(1, resources.length),
            wallPerResourceUs: (wall * 1000) / Math.max(1, resources.length),
            analyzeStackMs: stackMs,
            analyzeStackCpuMs: cpu2 - cpu1,
            peakRssMiB: peakRssMiB(pid),
            loopPeakRssMiB: loopPeak,
            diagnostics,
            stackDiagnostics: st.diagnostics.length,
            remediations,
        };
    } finally {
        await pack.close();
    }
}

/** Spawn to port with a cold ts-node cache (a fresh cache folder), as a first run after install. */
export async function coldStartupMs(packDir: string): Promise<number> {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-bench-ts-node-"));
    try {
        const p = await PolicyPackProcess.start(packDir, { env: { ...process.env, TS_NODE_CACHE_DIRECTORY: cache }, timeoutMs: 120000 });
        const ms = p.startupMs;
        await p.close();
        return ms;
    } finally {
        fs.rmSync(cache, { recursive: true, force: true });
    }
}
