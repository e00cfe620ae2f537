/**
 * Human-readable report, in the spirit of the "Policies:" section the Pulumi CLI prints: one header
 * per need id, one entry per finding, then the needs' statuses and a summary line.
 */
import { CheckResult, Finding } from "../checker/model";
import {
    FindingKind,
    cmp,
    colon,
    describeSource,
    findingKind,
    groupByNeed,
    labels,
    mapStrings,
    needsSentence,
    summarySentence,
    visibleControls,
    withNeeds,
} from "./common";

export interface TextOptions {
    /** ANSI colours (default false: CI logs and files get plain text). */
    color?: boolean;
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

export function renderText(checked: CheckResult, options: TextOptions = {}): string {
    const result = mapStrings(checked, visibleControls);
    const color = options.color ?? false;
    const paint = (style: string, s: string) => (color ? `${style}${s}${ANSI.reset}` : s);
    const l = labels(result.lang);
    const c = colon(result.lang);
    const out: string[] = [];

    out.push(
        paint(ANSI.bold, `${l.policies}${c}`) +
            ` ${result.pack.name}@v${result.pack.version} — ${describeSource(result)}`,
    );
    for (const group of groupByNeed(result)) {
        out.push("");
        out.push("    " + paint(ANSI.bold, group.title ? `${group.need} — ${oneLine(group.title)}` : group.need));
        for (const f of group.findings) out.push(...renderFinding(f));
    }

    if (result.remediations.length > 0) {
        out.push("", paint(ANSI.bold, `${l.remediationsApplied}${c}`));
        const sorted = [...result.remediations].sort(
            (a, b) => cmp(a.policy, b.policy) || cmp(a.resource.urn, b.resource.urn),
        );
        for (const r of sorted) {
            out.push(`    - ${r.policy}  (${r.resource.type}: ${r.resource.name})  [${r.needs.join(", ")}]`);
            out.push(...indent(r.description, 6));
        }
    }

    out.push("");
    const needs = needsSentence(result);
    if (needs) out.push(`${l.needs}${c} ${needs}`);
    out.push(paint(ANSI.bold, `${l.summary}${c}`) + ` ${summarySentence(result)}`);
    return out.join("\n") + "\n";

    function renderFinding(f: Finding): string[] {
        const kind = findingKind(f);
        const subject = f.resource ? `${f.resource.type}: ${f.resource.name}` : l.stack;
        const others = f.needs.slice(1);
        const also = others.length > 0 ? `  [${l.alsoNeeds}${c} ${others.join(", ")}]` : "";
        const lines = [`        - ${paint(KIND_COLOR[kind], `[${l.kind[kind]}]`)}  ${f.policy}  (${subject})${also}`];
        lines.push(...indent(withNeeds(f), 10));
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
        return lines;
    }
}

function indent(text: string, n: number): string[] {
    const pad = " ".repeat(n);
    return text.split(/\r?\n/).map((line) => (line ? pad + line : ""));
}

function oneLine(s: string): string {
    return s.replace(/\s*\r?\n\s*/g, " ");
}

