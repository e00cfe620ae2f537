/**
 * The figures of `npm run bench`: medians, ratios to the empty pack, growth from one size to the
 * next, printed as a table and written (with `--write`) between the markers of BENCHMARKS.md, whose
 * other sections (what the profiles showed, what each change bought) are kept as they are.
 */
import * as fs from "fs";
import type { InstallRun } from "./install";
import type { Machine } from "./proc";
import type { PackRun } from "./protocol";

export interface SizeResult {
    size: number;
    stack: Record<string, number>;
    empty: PackRun[];
    pack: PackRun[];
}

export interface Results {
    date: string;
    machine: Machine;
    runs: number;
    startup?: { empty: number[]; pack: number[] };
    sizes: SizeResult[];
    checker?: { mocksMs: number[]; checkMs: number[] };
    install?: { pack: InstallRun; awsguard: InstallRun };
}

/** Targets at 10,000 resources (ratio to the empty pack) and for growth from 10,000 to 50,000. */
export const TARGETS = { cpu: 1.3, analyzeStack: 1.5, memory: 1.3, startup: 1.05, growth: 5.5, checker: 2 };

export function median(xs: number[]): number {
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    const m = Math.floor(s.length / 2);
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

type Figure = { key: keyof PackRun; label: string; unit: string; digits: number; target?: number };
const FIGURES: Figure[] = [
    { key: "cpuPerResourceUs", label: "CPU per resource (Remediate + Analyze)", unit: "µs", digits: 0, target: TARGETS.cpu },
    { key: "analyzeStackMs", label: "AnalyzeStack", unit: "ms", digits: 0, target: TARGETS.analyzeStack },
    { key: "analyzeStackCpuMs", label: "AnalyzeStack CPU", unit: "ms", digits: 0 },
    { key: "peakRssMiB", label: "Peak memory (VmHWM)", unit: "MiB", digits: 0, target: TARGETS.memory },
    { key: "loopPeakRssMiB", label: "Peak memory before AnalyzeStack", unit: "MiB", digits: 0 },
    { key: "wallPerResourceUs", label: "Wall per resource (client included)", unit: "µs", digits: 0 },
];

const med = (runs: PackRun[], k: keyof PackRun) => median(runs.map((r) => r[k] as number));
const fmt = (x: number, d: number) => (Number.isFinite(x) ? x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d }) : "—");
const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);
const mark = (r: number, target?: number) => (target === undefined || !Number.isFinite(r) ? "" : r <= target ? " ✓" : " ✗");

/** Growth of a figure from one size to the next: totals (CPU of the whole loop), not per resource. */
function growthOf(a: SizeResult, b: SizeResult, which: "empty" | "pack", key: keyof PackRun): number {
    const total = (s: SizeResult) => med(s[which], key) * (key === "cpuPerResourceUs" || key === "wallPerResourceUs" ? s.size : 1);
    return ratio(total(b), total(a));
}

function table(rows: string[][]): string[] {
    const head = rows[0];
    return [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...rows.slice(1).map((r) => `| ${r.join(" | ")} |`)];
}

function header(res: Results): string {
    const m = res.machine;
    return `Measured ${res.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node.js ${m.node} (${m.os}); medians of ${res.runs} run(s).`;
}

function protocolSection(res: Results): string[] {
    const out: string[] = [header(res) + " Ratios are to the empty pack (one resource policy and one stack policy that report nothing) measured in the same run, alternately; ✓/✗ against the targets (at 10,000 resources, and for growth from 10,000 to 50,000)."];
    if (res.startup) {
        const e = median(res.startup.empty);
        const p = median(res.startup.pack);
        out.push("", "### Start-up (spawn → port, cold ts-node cache)", "");
        out.push(...table([["", "empty pack", "cloud-de-confiance", "ratio"], ["start-up", `${fmt(e, 0)} ms`, `${fmt(p, 0)} ms`, `${fmt(ratio(p, e), 3)}×${mark(ratio(p, e), TARGETS.startup)}`]]));
    }
    for (const s of res.sizes) {
        out.push("", `### ${s.size.toLocaleString("en-US")} resources`, "");
        out.push(`Stack: ${Object.entries(s.stack).map(([k, v]) => `${k} ${v}`).join(", ")}. Pack findings: ${med(s.pack, "diagnostics")} from Analyze, ${med(s.pack, "stackDiagnostics")} from AnalyzeStack, ${med(s.pack, "remediations")} remediations.`, "");
        const rows = [["", "empty pack", "cloud-de-confiance", "ratio"]];
        for (const f of FIGURES) {
            const e = med(s.empty, f.key);
            const p = med(s.pack, f.key);
            rows.push([f.label, `${fmt(e, f.digits)} ${f.unit}`, `${fmt(p, f.digits)} ${f.unit}`, `${fmt(ratio(p, e), 2)}×${s.size === 10000 ? mark(ratio(p, e), f.target) : ""}`]);
        }
        out.push(...table(rows));
    }
    for (let i = 1; i < res.sizes.length; i++) {
        const a = res.sizes[i - 1];
        const b = res.sizes[i];
        const target = a.size === 10000 && b.size === 50000 ? TARGETS.growth : undefined;
        out.push("", `### Growth ${a.size.toLocaleString("en-US")} → ${b.size.toLocaleString("en-US")} (×${fmt(b.size / a.size, 0)} resources)`, "");
        const rows = [["", "empty pack", "cloud-de-confiance"]];
        const keys: [keyof PackRun, string][] = [["cpuPerResourceUs", "CPU of the Remediate + Analyze loop"], ["analyzeStackMs", "AnalyzeStack"], ["peakRssMiB", "Peak memory"]];
        for (const [k, label] of keys) rows.push([label, `${fmt(growthOf(a, b, "empty", k), 2)}×`, `${fmt(growthOf(a, b, "pack", k), 2)}×${mark(growthOf(a, b, "pack", k), target)}`]);
        out.push(...table(rows));
    }
    return out;
}

function checkerSection(res: Results, c: NonNullable<Results["checker"]>): string[] {
    const e = median(c.mocksMs);
    const p = median(c.checkMs);
    const m = res.machine;
    return [
        `Measured ${res.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node.js ${m.node}; medians of ${c.checkMs.length} run(s), the two alternating.`,
        "",
        ...table([["", "program under mocks", "`cloud-de-confiance check`", "ratio"], ["wall time", `${fmt(e, 0)} ms`, `${fmt(p, 0)} ms`, `${fmt(ratio(p, e), 2)}×${mark(ratio(p, e), TARGETS.checker)}`]]),
    ];
}

function installSection(res: Results, i: NonNullable<Results["install"]>): string[] {
    const { pack, awsguard } = i;
    const row = (r: InstallRun) => [`${r.name}@${r.version}`, `${fmt(r.tarballKB, 0)} kB`, `${fmt(r.megabytes, 1)} MB`, `${r.packages}`, `${fmt(r.seconds, 1)} s`];
    return [
        `Measured ${res.date} on the same machine; one run each (network bound: the npm registry).`,
        "",
        ...table([["pack", "tarball", "installed", "packages", "install time"], row(pack), row(awsguard)]),
        "",
        `Ratio to @pulumi/awsguard: size ${fmt(ratio(pack.megabytes, awsguard.megabytes), 2)}×, time ${fmt(ratio(pack.seconds, awsguard.seconds), 2)}×.`,
    ];
}

/** The generated sections of BENCHMARKS.md, by name; only those measured in this run. */
export function renderSections(res: Results): Record<string, string> {
    const out: Record<string, string> = {};
    if (res.sizes.length || res.startup) out.protocol = protocolSection(res).join("\n");
    if (res.checker) out.checker = checkerSection(res, res.checker).join("\n");
    if (res.install) out.install = installSection(res, res.install).join("\n");
    return out;
}

/** Everything measured, as printed on the terminal. */
export function renderResults(res: Results): string {
    return Object.values(renderSections(res)).join("\n\n");
}

const begin = (name: string) => `<!-- bench:${name} begin (written by \`npm run bench -- --write\`) -->`;
const end = (name: string) => `<!-- bench:${name} end -->`;

/** Replaces each section measured in this run between its markers of BENCHMARKS.md (appended when missing), keeping everything else. */
export function writeBenchmarks(file: string, res: Results): void {
    let text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "# Benchmarks\n";
    for (const [name, body] of Object.entries(renderSections(res))) {
        const section = `${begin(name)}\n${body}\n${end(name)}`;
        const a = text.indexOf(begin(name));
        const b = text.indexOf(end(name));
        text = a >= 0 && b > a ? text.slice(0, a) + section + text.slice(b + end(name).length) : `${text.trimEnd()}\n\n${section}\n`;
    }
    fs.writeFileSync(file, text);
}
