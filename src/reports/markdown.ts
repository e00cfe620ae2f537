/**
 * A merge-request comment (GitHub or GitLab flavoured Markdown): a headline verdict, a summary
 * table, a section per need id with its findings (mandatory ones in plain sight, advisory,
 * derogated and unverifiable ones collapsed), the remediations applied, then the conformance matrix.
 */
import { CheckResult, Finding } from "../checker/model";
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
    withNeeds,
} from "./common";
import { conformanceTable, escapeHtml } from "./conformance";

const KIND_EMOJI: Record<FindingKind, string> = {
    mandatory: "🔴",
    advisory: "🟠",
    derogated: "🔵",
    unknown: "❔",
};

export function renderMarkdown(result: CheckResult): string {
    const l = labels(result.lang);
    const c = colon(result.lang);
    const s = result.summary;
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

    const header = [`| ${l.status} | ${l.policy} | ${l.resource} | ${l.message} |`, "|---|---|---|---|"];
    for (const group of groupByNeed(result)) {
        out.push("", `### ${md(group.need)}${group.title ? ` — ${md(group.title)}` : ""}`, "");
        const shown = group.findings.filter((f) => findingKind(f) === "mandatory");
        const collapsed = group.findings.filter((f) => findingKind(f) !== "mandatory");
        if (shown.length > 0) out.push(...header, ...shown.map(row));
        if (collapsed.length > 0) {
            if (shown.length > 0) out.push("");
            out.push("<details>", `<summary>${collapsed.length} ${escapeHtml(l.otherFindings)}</summary>`, "");
            out.push(...header, ...collapsed.map(row), "", "</details>");
        }
    }

    if (result.remediations.length > 0) {
        out.push("", `### ${l.remediationsApplied}`, "");
        const sorted = [...result.remediations].sort(
            (a, b) => cmp(a.policy, b.policy) || cmp(a.resource.urn, b.resource.urn),
        );
        for (const r of sorted) {
            out.push(
                `- ${mdCode(r.policy)} (${md(r.needs.join(", "))}) — ${mdCode(r.resource.type)} ${md(r.resource.name)}${c} ${md(r.description)}`,
            );
        }
    }

    if (result.conformance.length > 0) {
        out.push("", `### ${l.conformance}`, "", ...conformanceTable(result));
    }
    return out.join("\n") + "\n";

    function row(f: Finding): string {
        const kind = findingKind(f);
        const resource = f.resource ? `${mdCode(f.resource.type, true)}<br>${md(f.resource.name)}` : md(l.stack);
        let message = md(withNeeds(f));
        if (kind === "unknown") message += `<br>*${md(l.cannotCheck)}*`;
        if (f.remediation.trim()) message += `<br>**${md(l.remediation)}${c}** ${md(f.remediation.trim())}`;
        if (f.derogation) {
            const d = f.derogation;
            message += `<br>**${md(l.derogation)}${c}** ${md(`${d.reference} (${l.expires} ${d.expires})`)}${c} ${md(d.justification)}`;
        }
        return `| ${KIND_EMOJI[kind]} ${md(l.kind[kind])} | ${mdCode(f.policy, true)} | ${resource} | ${message} |`;
    }
}
