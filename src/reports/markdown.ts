/**
 * A merge-request comment (GitHub or GitLab flavoured Markdown), bounded in size: GitHub refuses a
 * comment over 65,536 characters, and a long comment is not read anyway. It holds:
 * - a headline verdict and the source;
 * - a summary per need (counts of mandatory, advisory, derogated and unverifiable findings);
 * - per need, its first root-cause groups (groups.ts: one row for the findings that differ only by
 *   their resource, with its count and first resources, each with the file and line it is declared
 *   at), mandatory ones in plain sight, the others collapsed, and a count of the rest;
 * - the remediations applied (the first ones), the conformance matrix;
 * - a link or path to the full report (option `reportUrl`).
 * It is rendered with decreasing detail until it fits in `maxChars` (default 60,000, under
 * GitHub's limit with room for a bot's own header); the summary, the verdict and the link always
 * stay.
 */
import { CheckResult, Finding, SourceLocation } from "../checker/model";
import {
    FindingKind,
    capitalize,
    cmp,
    colon,
    describeSource,
    findingKind,
    groupByNeed,
    labels,
    md,
    mdCode,
    truncate,
    shownName,
    withNeeds,
} from "./common";
import { conformanceTable, escapeHtml } from "./conformance";
import { FindingGroup, groupFindings } from "./groups";
import { formatLocation, hasOwnLocation, locationOf, toFallback } from "./locations";
import { summaryRows } from "./summary";

/** GitHub's limit on a comment's body, in characters. */
export const COMMENT_LIMIT = 65_536;
/** The default size the comment stays under. */
export const MARKDOWN_BUDGET = 60_000;

export interface MarkdownOptions {
    /** Where the full report is (a URL, or a path in the job's artifacts). */
    reportUrl?: string;
    /** Size the comment stays under, in characters (UTF-16 code units; default 60,000). */
    maxChars?: number;
    /** Where a finding without a location points; only findings with a location show one. */
    fallback?: SourceLocation | string;
}

const KIND_EMOJI: Record<FindingKind, string> = {
    mandatory: "🔴",
    advisory: "🟠",
    derogated: "🔵",
    unknown: "❔",
};

interface Detail {
    /** Groups shown per need. */
    groups: number;
    /** Resources listed per group. */
    resources: number;
    /** Longest message in a cell. */
    message: number;
    remediations: number;
    matrix: boolean;
}

/** From the most detailed to the least: the first that fits is rendered. */
const DETAILS: Detail[] = [
    { groups: 10, resources: 3, message: 700, remediations: 20, matrix: true },
    { groups: 5, resources: 3, message: 400, remediations: 10, matrix: true },
    { groups: 3, resources: 2, message: 250, remediations: 5, matrix: true },
    { groups: 1, resources: 1, message: 160, remediations: 0, matrix: true },
    { groups: 0, resources: 0, message: 0, remediations: 0, matrix: true },
    { groups: 0, resources: 0, message: 0, remediations: 0, matrix: false },
];

export function renderMarkdown(result: CheckResult, options: MarkdownOptions = {}): string {
    const budget = Math.min(options.maxChars ?? MARKDOWN_BUDGET, COMMENT_LIMIT - 1);
    const needs = groupByNeed(result).map((n) => ({ ...n, groups: groupFindings(n.findings) }));
    for (const [i, detail] of DETAILS.entries()) {
        const text = render(result, needs, options, detail, i > 0);
        if (text.length <= budget) return text;
    }
    // Only the verdict, the summary and the link do not fit: cut, never exceed.
    return truncate(render(result, needs, options, DETAILS[DETAILS.length - 1], true), budget - 1) + "\n";
}

type NeedGroups = ReturnType<typeof groupByNeed>[number] & { groups: FindingGroup[] };

function render(result: CheckResult, needs: NeedGroups[], options: MarkdownOptions, detail: Detail, shortened: boolean): string {
    const l = labels(result.lang);
    const c = colon(result.lang);
    const s = result.summary;
    const fallback = toFallback(options.fallback);
    const out: string[] = [];

    const verdict =
        s.mandatory > 0
            ? `❌ ${l.verdictFail}`
            : s.advisory + s.derogated + s.unknown > 0
              ? `⚠️ ${l.verdictWarn}`
              : `✅ ${l.verdictPass}`;
    out.push(`## ${verdict}`, "");
    out.push(
        `${mdCode(`${result.pack.name}@${result.pack.version}`)} · ${md(describeSource(result))} · ` +
            `${md(result.tool.name)} ${md(result.tool.version)}`,
        "",
    );

    out.push(`| ${l.summary} | ${l.count} |`, "|---|---:|");
    const rows: [string, number][] = [
        [capitalize(l.resources[1]), s.resources],
        [`${KIND_EMOJI.mandatory} ${capitalize(l.mandatory[1])}`, s.mandatory],
        [`${KIND_EMOJI.advisory} ${capitalize(l.advisory[1])}`, s.advisory],
        [`${KIND_EMOJI.derogated} ${capitalize(l.derogated[1])}`, s.derogated],
        [`${KIND_EMOJI.unknown} ${capitalize(l.unknown[1])}`, s.unknown],
    ];
    for (const [label, n] of rows) out.push(`| ${label} | ${n} |`);

    const needRows = summaryRows(result);
    if (needRows.length > 0) {
        out.push("", `### ${md(l.byNeed)}`, "");
        out.push(`| ${l.need} | ${l.title} | ${KIND_EMOJI.mandatory} | ${KIND_EMOJI.advisory} | ${KIND_EMOJI.derogated} | ${KIND_EMOJI.unknown} |`);
        out.push("|---|---|---:|---:|---:|---:|");
        for (const r of needRows) {
            const n = r.counts;
            out.push(`| ${md(r.need)} | ${md(truncate(r.title, 120))} | ${n.mandatory} | ${n.advisory} | ${n.derogated} | ${n.unknown} |`);
        }
    }

    const header = [`| ${l.status} | ${l.policy} | ${l.resource} | ${l.message} |`, "|---|---|---|---|"];
    if (detail.groups > 0) {
        for (const need of needs) {
            const groups = need.groups;
            const shown = groups.slice(0, detail.groups);
            const rest = groups.slice(detail.groups).reduce((n, g) => n + g.findings.length, 0);
            out.push("", `### ${md(need.need)}${need.title ? ` — ${md(need.title)}` : ""}`, "");
            const plain = shown.filter((g) => g.kind === "mandatory");
            const collapsed = shown.filter((g) => g.kind !== "mandatory");
            if (plain.length > 0) out.push(...header, ...plain.map(row));
            if (collapsed.length > 0) {
                if (plain.length > 0) out.push("");
                const count = collapsed.reduce((n, g) => n + g.findings.length, 0);
                out.push("<details>", `<summary>${count} ${escapeHtml(l.otherFindings)}</summary>`, "");
                out.push(...header, ...collapsed.map(row), "", "</details>");
            }
            if (rest > 0) out.push("", `*${md(l.moreFindings(rest))}*`);
        }
    }

    if (result.remediations.length > 0 && detail.remediations > 0) {
        out.push("", `### ${l.remediationsApplied}`, "");
        const sorted = [...result.remediations].sort(
            (a, b) => cmp(a.policy, b.policy) || cmp(a.resource.urn, b.resource.urn),
        );
        for (const r of sorted.slice(0, detail.remediations)) {
            out.push(
                `- ${mdCode(r.policy)} (${md(r.needs.join(", "))}) — ${mdCode(r.resource.type)} ${md(shownName(r.resource.name))}${c} ${md(truncate(r.description, detail.message))}`,
            );
        }
        if (sorted.length > detail.remediations) out.push(`- ${md(l.moreResources(sorted.length - detail.remediations))}`);
    }

    if (result.conformance.length > 0 && detail.matrix) {
        out.push("", `### ${l.conformance}`, "", ...conformanceTable(result));
    }

    const footer: string[] = [];
    if (shortened) footer.push(`*${md(l.shortened)}.*`);
    if (options.reportUrl) {
        const link = /^https?:\/\/\S+$/i.test(options.reportUrl)
            ? `[${md(options.reportUrl)}](${options.reportUrl})`
            : mdCode(options.reportUrl);
        footer.push(`**${md(l.fullReport)}**${c} ${link}`);
    }
    if (footer.length > 0) out.push("", ...footer.flatMap((x, i) => (i > 0 ? ["", x] : [x])));
    return out.join("\n") + "\n";

    function row(g: FindingGroup): string {
        const f = g.findings[0];
        const kind = findingKind(f);
        const resources = g.findings.slice(0, Math.max(1, detail.resources)).map(resourceCell);
        if (g.findings.length > resources.length) resources.push(md(l.moreResources(g.findings.length - resources.length)));
        const text = g.findings.length > 1 ? withNeeds({ ...f, message: g.text }) : withNeeds(f);
        let message = md(truncate(text, detail.message));
        if (kind === "unknown") message += `<br>*${md(l.cannotCheck)}*`;
        if (f.remediation.trim() && !f.message.includes(f.remediation.trim())) {
            message += `<br>**${md(l.remediation)}${c}** ${md(truncate(f.remediation.trim(), detail.message))}`;
        }
        if (f.derogation) {
            const d = f.derogation;
            message += `<br>**${md(l.derogation)}${c}** ${md(`${d.reference} (${l.expires} ${d.expires})`)}${c} ${md(truncate(d.justification, detail.message))}`;
        }
        const count = g.findings.length > 1 ? ` ×${g.findings.length}` : "";
        return `| ${KIND_EMOJI[kind]} ${md(l.kind[kind])}${count} | ${mdCode(f.policy, true)} | ${resources.join("<br>")} | ${message} |`;
    }

    function resourceCell(f: Finding): string {
        const where = hasOwnLocation(f) ? ` (${mdCode(formatLocation(locationOf(f, fallback)), true)})` : "";
        return f.resource ? `${mdCode(f.resource.type, true)} ${md(shownName(f.resource.name))}${where}` : `${md(l.stack)}${where}`;
    }
}
