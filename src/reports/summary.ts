/**
 * The summary by need that every text output ends with (and that the checker prints on the error
 * output when the standard output carries another format): one line per need with findings, its
 * counts by kind, then the needs' statuses and the totals. It fits on one screen: past
 * `MAX_NEED_ROWS` needs with findings, the lines are per family (RES, SEC, PROD, PIL).
 */
import { CheckResult } from "../checker/model";
import {
    FindingKind,
    colon,
    compareNeeds,
    findingKind,
    labels,
    needTitle,
    needsSentence,
    primaryNeed,
    summarySentence,
    truncate,
} from "./common";

export interface NeedCount {
    need: string;
    title: string;
    counts: Record<FindingKind, number>;
}

const KINDS: FindingKind[] = ["mandatory", "advisory", "derogated", "unknown"];

/** Most lines of the per-need table; more needs with findings are summed by family. */
export const MAX_NEED_ROWS = 16;

/** Counts of findings by primary need, in catalogue order; needs without findings are left out. */
export function countsByNeed(result: CheckResult): NeedCount[] {
    const byNeed = new Map<string, NeedCount>();
    for (const f of result.findings) {
        const need = primaryNeed(f);
        let c = byNeed.get(need);
        if (!c) {
            c = { need, title: needTitle(result, need), counts: { mandatory: 0, advisory: 0, derogated: 0, unknown: 0 } };
            byNeed.set(need, c);
        }
        c.counts[findingKind(f)]++;
    }
    return [...byNeed.values()].sort((a, b) => compareNeeds(a.need, b.need));
}

/** The same counts summed by family (`SEC` with the list of its needs as title). */
export function countsByFamily(result: CheckResult): NeedCount[] {
    const l = labels(result.lang);
    const byFamily = new Map<string, { needs: string[]; counts: Record<FindingKind, number> }>();
    for (const c of countsByNeed(result)) {
        const family = c.need.split("-")[0];
        let g = byFamily.get(family);
        if (!g) byFamily.set(family, (g = { needs: [], counts: { mandatory: 0, advisory: 0, derogated: 0, unknown: 0 } }));
        g.needs.push(c.need);
        for (const k of KINDS) g.counts[k] += c.counts[k];
    }
    return [...byFamily.entries()].map(([family, g]) => ({
        need: family,
        title: `${g.needs.length} ${g.needs.length === 1 ? l.needsWord[0] : l.needsWord[1]}${colon(result.lang)} ${g.needs.join(", ")}`,
        counts: g.counts,
    }));
}

/** The rows the summary shows: per need, or per family when there are too many needs. */
export function summaryRows(result: CheckResult): NeedCount[] {
    const rows = countsByNeed(result);
    return rows.length > MAX_NEED_ROWS ? countsByFamily(result) : rows;
}

/**
 * The summary lines: a table of counts by need (when there are findings), the needs' statuses,
 * the totals. `bold` styles the headings (colours on a terminal).
 */
export function summaryLines(result: CheckResult, bold: (s: string) => string = (s) => s): string[] {
    const l = labels(result.lang);
    const c = colon(result.lang);
    const out: string[] = [];
    const rows = summaryRows(result);
    if (rows.length > 0) {
        const needWidth = Math.max(7, ...rows.map((r) => r.need.length));
        const widths = l.columns.map((h) => Math.max(h.length, 3));
        const cell = (n: number, w: number) => (n === 0 ? "-" : String(n)).padStart(w);
        out.push(bold(`${l.byNeed}${c}`));
        out.push(`  ${"".padEnd(needWidth)}  ${l.columns.map((h, i) => h.padStart(widths[i])).join("  ")}`);
        for (const r of rows) {
            const counts = KINDS.map((k, i) => cell(r.counts[k], widths[i])).join("  ");
            out.push(`  ${r.need.padEnd(needWidth)}  ${counts}  ${truncate(r.title.replace(/\s*\r?\n\s*/g, " "), 48)}`.trimEnd());
        }
    }
    const needs = needsSentence(result);
    if (needs) out.push(`${l.needs}${c} ${needs}`);
    out.push(bold(`${l.summary}${c}`) + ` ${summarySentence(result)}`);
    return out;
}
