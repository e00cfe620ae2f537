/**
 * The conformance matrix: for each need id of the catalogue, whether the checked stack delivers it.
 * This is what a cloud provider hands over to show which needs its offer delivers, as JSON (for
 * tools) or Markdown (for people). A header says when the check ran, on what input, with which
 * pack, profile, environment and configuration (its digest).
 *
 * The JSON form follows `docs/schemas/conformance-v1.schema.json` (`CONFORMANCE_SCHEMA_ID`): a
 * change that removes or renames a field, or changes its meaning, is a new version.
 */
import { CheckResult, CheckRun, CheckSource, ConformanceDerogation, NeedConformance, NeedStatus } from "../checker/model";
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
/** The version of the document's schema (`version` field). */
export const CONFORMANCE_VERSION = 1;
/** The `$id` of the document's JSON schema (docs/schemas/conformance-v1.schema.json). */
export const CONFORMANCE_SCHEMA_ID = "urn:cloud-de-confiance:schema:conformance:1";

/** A need's row of the matrix: the checker's own conformance record. */
export type ConformanceNeed = NeedConformance;

export interface ConformanceDocument {
    format: typeof CONFORMANCE_FORMAT;
    version: typeof CONFORMANCE_VERSION;
    /** When the check ran: ISO 8601, UTC. */
    checkedAt: string;
    tool: { name: string; version: string };
    pack: { name: string; version: string };
    /** The input: a program, a preview or a state, with its file or folder. */
    source: CheckSource;
    profile: string;
    environment: string;
    /** The configuration the pack received: the SHA-256 of the reconciled configuration (canonical JSON). */
    configuration: CheckRun["configuration"];
    lang: CheckResult["lang"];
    /** Number of needs per status; every status is present. */
    counts: Record<NeedStatus, number>;
    needs: ConformanceNeed[];
}

function derogation(d: ConformanceDerogation): ConformanceDerogation {
    return { reference: d.reference, expires: d.expires, justification: d.justification, resources: [...d.resources].sort(cmp) };
}

export function conformanceMatrix(result: CheckResult): ConformanceDocument {
    const needs = sortedConformance(result).map((c) => {
        const row: ConformanceNeed = {
            need: c.need,
            title: c.title,
            priority: c.priority,
            status: c.status,
            policies: [...c.policies].sort(cmp),
            resources: [...c.resources].sort(cmp),
        };
        if (c.disabled?.length) row.disabled = [...c.disabled].sort(cmp);
        if (c.figures?.length) row.figures = c.figures.map((f) => ({ ...f }));
        if (c.derogations?.length) {
            row.derogations = c.derogations
                .map(derogation)
                .sort((a, b) => cmp(a.reference, b.reference) || cmp(a.expires, b.expires) || cmp(a.justification, b.justification));
        }
        return row;
    });
    const counts = Object.fromEntries(
        NEED_STATUSES.map((s) => [s, needs.filter((n) => n.status === s).length]),
    ) as Record<NeedStatus, number>;
    const source: CheckSource = { kind: result.source.kind, path: result.source.path };
    if (result.source.stack !== undefined) source.stack = result.source.stack;
    return {
        format: CONFORMANCE_FORMAT,
        version: CONFORMANCE_VERSION,
        checkedAt: result.run.at,
        tool: { name: result.tool.name, version: result.tool.version },
        pack: { name: result.pack.name, version: result.pack.version },
        source,
        profile: result.run.profile,
        environment: result.run.environment,
        configuration: { sha256: result.run.configuration.sha256 },
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

/** The header's lines: date, input, pack, profile and environment, configuration digest. */
function headerLines(result: CheckResult, doc: ConformanceDocument): string[] {
    const fr = result.lang === "fr";
    const c = colon(result.lang);
    return [
        `- Date${c} ${md(doc.checkedAt)}`,
        `- ${fr ? "Entrée" : "Input"}${c} ${md(describeSource(result))}`,
        `- Pack${c} ${md(`${doc.pack.name} ${doc.pack.version}`)} (${fr ? "vérificateur" : "checker"} ${md(`${doc.tool.name} ${doc.tool.version}`)})`,
        `- ${fr ? "Profil" : "Profile"}${c} ${mdCode(doc.profile)} · ${fr ? "environnement" : "environment"}${c} ${mdCode(doc.environment)}`,
        `- Configuration (SHA-256)${c} ${mdCode(doc.configuration.sha256)}`,
    ];
}

export function renderConformanceMarkdown(result: CheckResult): string {
    const l = labels(result.lang);
    const c = colon(result.lang);
    const fr = result.lang === "fr";
    const doc = conformanceMatrix(result);
    const out: string[] = [];
    out.push(`# ${l.conformance} — ${md(doc.pack.name)} ${md(doc.pack.version)}`, "");
    out.push(...headerLines(result, doc), "");
    out.push(
        NEED_STATUSES.filter((s) => doc.counts[s] > 0)
            .map((s) => `${NEED_STATUS_EMOJI[s]} ${capitalize(l.needStatus[s])}${c} **${doc.counts[s]}**`)
            .join(" · "),
        "",
    );
    const off = fr ? "désactivée" : "disabled";
    out.push(`| ${l.need} | ${l.title} | ${l.priority} | ${l.status} | ${l.policy} | ${l.resourcesColumn} |`);
    out.push("|---|---|---|---|---|---:|");
    for (const n of doc.needs) {
        const policies =
            n.policies.length > 0
                ? n.policies.map((p) => `${mdCode(p, true)}${n.disabled?.includes(p) ? ` (${off})` : ""}`).join("<br>")
                : "—";
        const title = n.figures?.length ? `${md(n.title)}<br>${md(figuresText(n.figures, result.lang))}` : md(n.title);
        out.push(
            `| ${md(n.need)} | ${title} | ${md(n.priority)} | ${statusCell(result, n.status)} | ${policies} | ${n.resources.length} |`,
        );
    }
    const derogated = doc.needs.filter((n) => n.derogations?.length);
    if (derogated.length > 0) {
        out.push("", `## ${fr ? "Dérogations" : "Derogations"}`, "");
        out.push(`| ${l.need} | ${fr ? "Référence" : "Reference"} | ${fr ? "Échéance" : "Expiry"} | Justification | ${l.resourcesColumn} |`);
        out.push("|---|---|---|---|---:|");
        for (const n of derogated) {
            for (const d of n.derogations ?? []) {
                out.push(`| ${md(n.need)} | ${md(d.reference)} | ${md(d.expires)} | ${md(d.justification)} | ${d.resources.length} |`);
            }
        }
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
