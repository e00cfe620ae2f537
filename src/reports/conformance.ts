/**
 * The conformance matrix: for each need id of the catalogue, whether the checked stack delivers it.
 * This is what a cloud provider hands over to show which needs its offer delivers, as JSON (for
 * tools) or Markdown (for people).
 */
import { CheckResult, CheckSource, NeedConformance, NeedStatus } from "../checker/model";
import {
    NEED_STATUSES,
    NEED_STATUS_EMOJI,
    capitalize,
    cmp,
    colon,
    describeSource,
    labels,
    md,
    mdCode,
    sortedConformance,
} from "./common";
import { figuresText } from "./cost/figures";

export const CONFORMANCE_FORMAT = "cloud-de-confiance/conformance@1";

/** A need's row of the matrix: the checker's own conformance record. */
export type ConformanceNeed = NeedConformance;

export interface ConformanceDocument {
    format: typeof CONFORMANCE_FORMAT;
    tool: { name: string; version: string };
    pack: { name: string; version: string };
    source: CheckSource;
    lang: CheckResult["lang"];
    /** Number of needs per status; every status is present. */
    counts: Record<NeedStatus, number>;
    needs: ConformanceNeed[];
}

export function conformanceMatrix(result: CheckResult): ConformanceDocument {
    const needs = sortedConformance(result).map((c) => ({
        need: c.need,
        title: c.title,
        priority: c.priority,
        status: c.status,
        policies: [...c.policies].sort(cmp),
        resources: [...c.resources].sort(cmp),
        ...(c.figures ? { figures: c.figures } : {}),
    }));
    const counts = Object.fromEntries(
        NEED_STATUSES.map((s) => [s, needs.filter((n) => n.status === s).length]),
    ) as Record<NeedStatus, number>;
    const source: CheckSource = { kind: result.source.kind, path: result.source.path };
    if (result.source.stack !== undefined) source.stack = result.source.stack;
    return {
        format: CONFORMANCE_FORMAT,
        tool: { name: result.tool.name, version: result.tool.version },
        pack: { name: result.pack.name, version: result.pack.version },
        source,
        lang: result.lang,
        counts,
        needs,
    };
}

export function renderConformanceJson(result: CheckResult): string {
    return JSON.stringify(conformanceMatrix(result), null, 2) + "\n";
}

/** `✅ respected` / `✅ respecté`. */
export function statusCell(result: CheckResult, status: NeedStatus): string {
    return `${NEED_STATUS_EMOJI[status]} ${labels(result.lang).needStatus[status]}`;
}

/** The short matrix table (need, title, status, resources count), as the merge-request comment shows it. */
export function conformanceTable(result: CheckResult): string[] {
    const l = labels(result.lang);
    const lines = [`| ${l.need} | ${l.title} | ${l.status} | ${l.resourcesColumn} |`, "|---|---|---|---:|"];
    for (const n of conformanceMatrix(result).needs) {
        lines.push(`| ${md(n.need)} | ${md(n.title)} | ${statusCell(result, n.status)} | ${n.resources.length} |`);
    }
    return lines;
}

export function renderConformanceMarkdown(result: CheckResult): string {
    const l = labels(result.lang);
    const c = colon(result.lang);
    const doc = conformanceMatrix(result);
    const out: string[] = [];
    out.push(`# ${l.conformance} — ${md(doc.pack.name)} ${md(doc.pack.version)}`, "");
    out.push(`${md(describeSource(result))} · ${md(doc.tool.name)} ${md(doc.tool.version)}`, "");
    out.push(
        NEED_STATUSES.filter((s) => doc.counts[s] > 0)
            .map((s) => `${NEED_STATUS_EMOJI[s]} ${capitalize(l.needStatus[s])}${c} **${doc.counts[s]}**`)
            .join(" · "),
        "",
    );
    out.push(`| ${l.need} | ${l.title} | ${l.priority} | ${l.status} | ${l.policy} | ${l.resourcesColumn} |`);
    out.push("|---|---|---|---|---|---:|");
    for (const n of doc.needs) {
        const policies = n.policies.length > 0 ? n.policies.map((p) => mdCode(p, true)).join("<br>") : "—";
        const title = n.figures?.length ? `${md(n.title)}<br>${md(figuresText(n.figures, result.lang))}` : md(n.title);
        out.push(
            `| ${md(n.need)} | ${title} | ${md(n.priority)} | ${statusCell(result, n.status)} | ${policies} | ${n.resources.length} |`,
        );
    }
    const withResources = doc.needs.filter((n) => n.resources.length > 0);
    if (withResources.length > 0) {
        out.push("", `## ${l.resourcesPerNeed}`, "");
        for (const n of withResources) {
            out.push("<details>");
            out.push(
                `<summary>${escapeHtml(n.need)} — ${escapeHtml(l.needStatus[n.status])} (${n.resources.length})</summary>`,
                "",
            );
            for (const r of n.resources) out.push(`- ${mdCode(r)}`);
            out.push("", "</details>", "");
        }
    }
    return out.join("\n").replace(/\n+$/, "") + "\n";
}

export function escapeHtml(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
