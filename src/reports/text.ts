/**
 * Human-readable report, in the spirit of the "Policies:" section the Pulumi CLI prints: one header
 * per need id, one entry per root cause (groups.ts: findings that differ only by their resource
 * are shown once, with their count and first resources), each with where it is declared
 * (`file:line:column`, as editors link it). It always ends with the summary by need (summary.ts).
 *
 * Modes:
 * - `full` (default): every group, its message, remediation and derogation, and every one of its
 *   resources, one line each (the full report a merge-request comment links to);
 * - `compact`: one line per group (kind, policy, first resource and count, location, problem);
 * - `quiet`: only the groups that fail the run (mandatory, and advisory with `--fail-on
 *   advisory`), one line each; then the summary.
 */
import { CheckResult, Finding } from "../checker/model";
import {
    FindingKind,
    cmp,
    colon,
    describeSource,
    findingKind,
    groupByNeed,
    isGating,
    labels,
    mapStrings,
    truncate,
    visibleControls,
    shownName,
    withNeeds,
} from "./common";
import { FindingGroup, groupFindings } from "./groups";
import { formatLocation, hasOwnLocation, locationOf } from "./locations";
import { problemText } from "./messages";
import { summaryLines } from "./summary";

export type TextMode = "full" | "compact" | "quiet";
export const TEXT_MODES: readonly TextMode[] = ["full", "compact", "quiet"];

export interface TextOptions {
    /** ANSI colours (default false: CI logs and files get plain text). */
    color?: boolean;
    /** full (default), compact or quiet. */
    mode?: TextMode;
    /** quiet: which findings fail the run (default mandatory). */
    failOn?: "mandatory" | "advisory";
}

const ANSI = {
    reset: "\u001b[0m",
    bold: "\u001b[1m",
    dim: "\u001b[2m",
    red: "\u001b[31m",
    yellow: "\u001b[33m",
    cyan: "\u001b[36m",
    magenta: "\u001b[35m",
};

const KIND_COLOR: Record<FindingKind, string> = {
    mandatory: ANSI.red,
    advisory: ANSI.yellow,
    derogated: ANSI.cyan,
    unknown: ANSI.magenta,
};

/** Longest problem text on a compact line. */
const COMPACT_PROBLEM = 160;

export function renderText(checked: CheckResult, options: TextOptions = {}): string {
    const result = mapStrings(checked, visibleControls);
    const color = options.color ?? false;
    const mode = options.mode ?? "full";
    const paint = (style: string, s: string) => (color ? `${style}${s}${ANSI.reset}` : s);
    const bold = (s: string) => paint(ANSI.bold, s);
    const l = labels(result.lang);
    const c = colon(result.lang);
    const out: string[] = [];

    out.push(bold(`${l.policies}${c}`) + ` ${result.pack.name}@v${result.pack.version} — ${describeSource(result)}`);
    if (mode === "full") {
        for (const group of groupByNeed(result)) {
            out.push("");
            out.push("    " + bold(group.title ? `${group.need} — ${oneLine(group.title)}` : group.need));
            for (const g of groupFindings(group.findings)) out.push(...renderGroup(g));
        }
    } else {
        const groups = groupByNeed(result).flatMap((g) => groupFindings(g.findings));
        const shown = mode === "quiet" ? groups.filter((g) => isGating(g.findings[0], options.failOn)) : groups;
        if (shown.length > 0) out.push("");
        for (const g of shown) out.push(compactLine(g));
    }

    if (result.remediations.length > 0 && mode !== "quiet") {
        out.push("", bold(`${l.remediationsApplied}${c}`) + (mode === "compact" ? ` ${result.remediations.length}` : ""));
        if (mode === "full") {
            const sorted = [...result.remediations].sort(
                (a, b) => cmp(a.policy, b.policy) || cmp(a.resource.urn, b.resource.urn),
            );
            for (const r of sorted) {
                out.push(`    - ${r.policy}  (${r.resource.type}: ${shownName(r.resource.name)})  [${r.needs.join(", ")}]`);
                out.push(...indent(r.description, 6));
            }
        }
    }

    out.push("", ...summaryLines(result, bold));
    return out.join("\n") + "\n";

    function subject(f: Finding): string {
        return f.resource ? `${f.resource.type}: ${shownName(f.resource.name)}` : l.stack;
    }

    function where(f: Finding): string {
        return hasOwnLocation(f) ? formatLocation(locationOf(f)) : "";
    }

    function renderGroup(g: FindingGroup): string[] {
        const f = g.findings[0];
        const kind = findingKind(f);
        const others = f.needs.slice(1);
        const also = others.length > 0 ? `  [${l.alsoNeeds}${c} ${others.join(", ")}]` : "";
        const tag = paint(KIND_COLOR[kind], `[${l.kind[kind]}]`);
        const lines: string[] = [];
        if (g.findings.length === 1) {
            const loc = where(f);
            lines.push(`        - ${tag}  ${f.policy}  (${subject(f)})${also}${loc ? `  ${loc}` : ""}`);
            lines.push(...indent(withNeeds(f), 10));
        } else {
            lines.push(`        - ${tag}  ${f.policy}  ×${g.findings.length}${also}`);
            lines.push(...indent(withNeeds({ ...f, message: g.text }), 10));
        }
        if (kind === "unknown") lines.push(...indent(`(${l.cannotCheck})`, 10));
        // Pack messages already end with their fix: repeat the remediation only when it adds to it.
        if (f.remediation.trim() && !f.message.includes(f.remediation.trim())) {
            lines.push(...indent(`${paint(ANSI.dim, `${l.remediation}${c}`)} ${f.remediation.trim()}`, 10));
        }
        if (f.derogation) {
            const d = f.derogation;
            lines.push(
                ...indent(`${l.derogation}${c} ${d.reference} (${l.expires} ${d.expires})${c} ${d.justification}`, 10),
            );
        }
        if (g.findings.length > 1) {
            for (const x of g.findings) {
                const loc = where(x);
                lines.push(`          - ${subject(x)}${loc ? `  ${loc}` : ""}`);
            }
        }
        return lines;
    }

    function compactLine(g: FindingGroup): string {
        const f = g.findings[0];
        const kind = findingKind(f);
        const tag = paint(KIND_COLOR[kind], `[${l.kind[kind]}]`);
        const who = (f.resource ? shownName(f.resource.name) : l.stack) + (g.findings.length > 1 ? ` (+${g.findings.length - 1})` : "");
        const loc = where(f);
        const problem = truncate(oneLine(problemText(f)), COMPACT_PROBLEM);
        return `  ${tag} ${f.policy}  ${who}${loc ? `  ${loc}` : ""}  — ${problem}`;
    }
}

function indent(text: string, n: number): string[] {
    const pad = " ".repeat(n);
    return text.split(/\r?\n/).map((line) => (line ? pad + line : ""));
}

function oneLine(s: string): string {
    return s.replace(/\s*\r?\n\s*/g, " ");
}
