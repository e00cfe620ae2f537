/**
 * Where reports go, and what they must never overwrite: the command line's side of the reports.
 *
 * - `--report FORMAT=FILE` (repeatable) and `--output-dir DIR` (every format, with the names of
 *   `REPORT_FILE_NAMES`: GitLab's `gl-code-quality-report.json` and `gl-sast-report.json`, …).
 * - A report never overwrites an input of the run (a file given to an option), nor a file that
 *   is not a report: an existing, non-empty target must look like an earlier output of this tool
 *   (or, for SARIF, JUnit, Code Quality and SAST, a report of that format by any tool). A source
 *   file, a README or a configuration file is refused, with a one-line error, before anything runs.
 * - The fallback location of findings without one: the stack configuration file
 *   (`Pulumi.<stack>.yaml`, where `stackConfigDir` puts it), else the project's `Pulumi.yaml`,
 *   relative to the repository root (the nearest directory with `.git`, else the working directory).
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { SourceLocation } from "../checker/model";
import { REPORT_FILE_NAMES, REPORT_FORMATS, ReportFormat } from "./index";

/** A report target refused; its message is one line. */
export class ReportTargetError extends Error {}

export interface ReportTarget {
    format: ReportFormat;
    file: string;
}

/** Parses `FORMAT=FILE`. */
export function parseReportSpec(spec: string): ReportTarget {
    const i = spec.indexOf("=");
    if (i <= 0 || i === spec.length - 1) {
        throw new ReportTargetError(`--report ${spec}: expected FORMAT=FILE, FORMAT one of ${REPORT_FORMATS.join(", ")}`);
    }
    const format = spec.slice(0, i) as ReportFormat;
    const file = spec.slice(i + 1);
    if (!REPORT_FORMATS.includes(format)) {
        throw new ReportTargetError(`--report ${spec}: unknown format "${format}" (one of ${REPORT_FORMATS.join(", ")})`);
    }
    return { format, file };
}

/** Every format, in `dir`, with its conventional name. */
export function outputDirTargets(dir: string): ReportTarget[] {
    return REPORT_FORMATS.map((format) => ({ format, file: path.join(dir, REPORT_FILE_NAMES[format]) }));
}

/** How the first characters of an earlier output of this tool (or of a report of that format) look. */
const REPORT_SIGNATURES: RegExp[] = [
    // text
    /^(?:Politiques|Policies) ?: \S+@v/,
    // markdown: the verdict headline
    /^## (?:✅|❌|⚠️) (?:Cloud de confiance|Trusted cloud)/,
    // conformance-md
    /^# (?:Matrice de conformité|Conformance matrix) — /,
    // json, conformance-json, cost-json
    /^\{\s*"format":\s*"cloud-de-confiance\/(?:check|conformance|cout)@/,
    // cost-md: the totals headline
    /^## 💶 (?:Coût et empreinte estimés|Estimated cost and footprint) — /,
    // cost-html: the page names its generator in its head
    /^<!doctype html>\s*<html lang="\w+">\s*<head>\s*<meta charset="utf-8">\s*<meta name="generator" content="cloud-de-confiance cost-html">/i,
    // sarif (any tool)
    /^\{\s*"\$schema":\s*"[^"]*sarif[^"]*"/i,
    /^\{[\s\S]*"version":\s*"2\.1\.0",\s*"runs":/,
    // junit (any tool)
    /^(?:<\?xml[^>]*\?>\s*)?<testsuites?[\s>]/,
    // codequality (any tool): an array of issues, or none
    /^\[\s*(?:\]|\{\s*"(?:type|check_name|description|fingerprint)")/,
    // GitLab security report (any tool)
    /^\{\s*"(?:version|schema)":\s*"[^"]*",\s*"(?:schema|version|scan)"/,
];

/** Whether `text` (the start of a file) is an earlier report. */
export function looksLikeReport(text: string): boolean {
    const start = text.replace(/^\uFEFF/, "").trimStart();
    return REPORT_SIGNATURES.some((re) => re.test(start));
}

function realpathOr(file: string): string {
    try {
        return fs.realpathSync(file);
    } catch {
        return path.resolve(file);
    }
}

function head(file: string, n = 4096): string {
    const fd = fs.openSync(file, "r");
    try {
        const buf = Buffer.alloc(n);
        const read = fs.readSync(fd, buf, 0, n, 0);
        return buf.subarray(0, read).toString("utf8");
    } finally {
        fs.closeSync(fd);
    }
}

/**
 * Checks every target before the run: no two reports to one file, none over an input, none over a
 * file that is not a report. `inputs` are the files the run reads (empty strings ignored).
 */
export function checkTargets(targets: readonly ReportTarget[], inputs: readonly string[]): void {
    const taken = new Map<string, ReportTarget>();
    const inputSet = new Set(inputs.filter(Boolean).map(realpathOr));
    for (const t of targets) {
        const what = `report ${t.format}=${t.file}`;
        const abs = realpathOr(t.file);
        if (inputSet.has(abs)) throw new ReportTargetError(`${what}: refusing to overwrite an input file`);
        const other = taken.get(abs);
        if (other) throw new ReportTargetError(`${what}: the ${other.format} report is written there too`);
        taken.set(abs, t);
        let stat: fs.Stats | undefined;
        try {
            stat = fs.statSync(abs);
        } catch {
            continue;
        }
        if (stat.isDirectory()) throw new ReportTargetError(`${what}: is a directory`);
        if (!stat.isFile()) throw new ReportTargetError(`${what}: refusing to overwrite a file that is not a regular file`);
        if (stat.size === 0) continue;
        let text: string;
        try {
            text = head(abs);
        } catch (e) {
            throw new ReportTargetError(`${what}: cannot read the existing file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        }
        if (!looksLikeReport(text)) {
            throw new ReportTargetError(`${what}: refusing to overwrite a file that is not a report (a source or input file?)`);
        }
    }
}

/** Writes a report, creating its directory. */
export function writeReport(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, text);
}

/** The repository root: the nearest directory from `start` up that holds `.git`, else `start`. */
export function repositoryRoot(start: string = process.cwd()): string {
    let dir = path.resolve(start);
    for (;;) {
        if (fs.existsSync(path.join(dir, ".git"))) return dir;
        const parent = path.dirname(dir);
        if (parent === dir) return path.resolve(start);
        dir = parent;
    }
}

/** A path relative to the repository root, with forward slashes (an absolute path outside it stays as it is). */
export function repoRelative(file: string, root: string): string {
    const rel = path.relative(root, path.resolve(file));
    if (rel.startsWith("..") || path.isAbsolute(rel)) return path.resolve(file).split(path.sep).join("/");
    return rel.split(path.sep).join("/") || ".";
}

/**
 * Where a finding without a location of its own points: the stack configuration file of a program
 * (`Pulumi.<stack>.yaml`, in `stackConfigDir` when `Pulumi.yaml` sets one), the configuration file
 * given with `--stack-config`, else the project's `Pulumi.yaml`; line 1, relative to `root`.
 */
export function stackConfigFallback(opts: { programDir?: string; stack?: string; stackConfig?: string; root: string }): SourceLocation {
    if (opts.stackConfig) return { file: repoRelative(opts.stackConfig, opts.root), line: 1 };
    if (opts.programDir) {
        const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(opts.programDir as string, f)).find((f) => fs.existsSync(f));
        if (opts.stack) {
            let configDir = opts.programDir;
            try {
                const doc = projectFile ? (parseYaml(fs.readFileSync(projectFile, "utf8")) as Record<string, unknown> | null) : null;
                if (doc && typeof doc.stackConfigDir === "string") configDir = path.resolve(opts.programDir, doc.stackConfigDir);
            } catch {
                // An unreadable project file: the program run has said so already.
            }
            const short = opts.stack.split("/").pop() as string;
            const stackFile = [`Pulumi.${short}.yaml`, `Pulumi.${short}.yml`].map((f) => path.join(configDir, f)).find((f) => fs.existsSync(f));
            if (stackFile) return { file: repoRelative(stackFile, opts.root), line: 1 };
        }
        if (projectFile) return { file: repoRelative(projectFile, opts.root), line: 1 };
    }
    return { file: "Pulumi.yaml", line: 1 };
}
