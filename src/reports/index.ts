/**
 * The report writers, all rendering one CheckResult.
 */
import { CheckResult, SourceLocation } from "../checker/model";
import { SecretIndex, secretsOf } from "../checker/secrets";
import { renderCodeQuality } from "./codequality";
import { renderConformanceJson, renderConformanceMarkdown } from "./conformance";
import { CostDocument, costDocument, renderCostJson } from "./cost/document";
import { renderCostHtml } from "./cost/html";
import { renderCostMarkdown } from "./cost/markdown";
import { renderJson } from "./json";
import { renderJUnit } from "./junit";
import { renderMarkdown } from "./markdown";
import { renderSarif } from "./sarif";
import { renderSast } from "./sast";
import { scrubResult } from "./scrub";
import { summaryLines } from "./summary";
import { TextMode, renderText } from "./text";

export type ReportFormat =
    | "text"
    | "json"
    | "sarif"
    | "junit"
    | "codequality"
    | "sast"
    | "markdown"
    | "conformance-json"
    | "conformance-md"
    | "cost-md"
    | "cost-json"
    | "cost-html";

export const REPORT_FORMATS: readonly ReportFormat[] = [
    "text",
    "json",
    "sarif",
    "junit",
    "codequality",
    "sast",
    "markdown",
    "conformance-json",
    "conformance-md",
    "cost-md",
    "cost-json",
    "cost-html",
];

export interface ReportOptions {
    /** text: ANSI colours (default false). */
    color?: boolean;
    /** text: full (default), compact or quiet. */
    mode?: TextMode;
    /** junit, text (quiet): which findings fail the run (default mandatory), as `--fail-on`. */
    failOn?: "mandatory" | "advisory";
    /**
     * sarif, codequality, junit, sast: where a finding without a location of its own points: the
     * stack configuration file when known (default Pulumi.yaml line 1). A path means line 1.
     */
    fallback?: SourceLocation | string;
    /** @deprecated former name of `fallback` (a path). */
    path?: string;
    /** @deprecated former name of `fallback` (a path). */
    uri?: string;
    /** sarif: tool.driver.informationUri. */
    informationUri?: string;
    /** sarif, sast: URL of the generated reference docs/regles.md (rules link its anchors). */
    docsUrl?: string;
    /** markdown: where the full report is (URL or path). */
    reportUrl?: string;
    /** markdown: size the comment stays under (default 60,000 characters). */
    maxChars?: number;
    /** sast: when the scan started and ended (default: when this process started). */
    startTime?: Date;
    endTime?: Date;
    /**
     * The secrets of the input, masked in every text of the report (see scrub.ts). Default: those
     * `check` attached to the result.
     */
    secrets?: SecretIndex;
    /** cost-md, cost-json, cost-html: the cost report of an earlier check (`--baseline`), to show the change against it. */
    baseline?: CostDocument;
}

export function isReportFormat(s: string): s is ReportFormat {
    return (REPORT_FORMATS as readonly string[]).includes(s);
}

/** Conventional file name for a format, as `--output-dir` writes them (GitLab's names for its reports). */
export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
    text: "cloud-de-confiance.txt",
    json: "cloud-de-confiance.json",
    sarif: "cloud-de-confiance.sarif",
    junit: "cloud-de-confiance.junit.xml",
    codequality: "gl-code-quality-report.json",
    sast: "gl-sast-report.json",
    markdown: "cloud-de-confiance.md",
    "conformance-json": "conformance.json",
    "conformance-md": "conformance.md",
    "cost-md": "cout.md",
    "cost-json": "cout.json",
    "cost-html": "cout.html",
};

/**
 * Renders a report. Every format goes through here, after the report-level scrub of the input's
 * secrets (scrub.ts); the render functions exported below do not scrub.
 */
export function renderReport(format: ReportFormat, checked: CheckResult, options: ReportOptions = {}): string {
    const result = scrubResult(checked, options.secrets ?? secretsOf(checked));
    const fallback = options.fallback ?? options.path ?? options.uri;
    switch (format) {
        case "text":
            return renderText(result, { color: options.color, mode: options.mode, failOn: options.failOn });
        case "json":
            return renderJson(result);
        case "sarif":
            return renderSarif(result, { fallback, informationUri: options.informationUri, docsUrl: options.docsUrl });
        case "junit":
            return renderJUnit(result, { fallback, failOn: options.failOn });
        case "codequality":
            return renderCodeQuality(result, { fallback });
        case "sast":
            return renderSast(result, { fallback, docsUrl: options.docsUrl, startTime: options.startTime, endTime: options.endTime });
        case "markdown":
            return renderMarkdown(result, { reportUrl: options.reportUrl, maxChars: options.maxChars, fallback });
        case "conformance-json":
            return renderConformanceJson(result);
        case "conformance-md":
            return renderConformanceMarkdown(result);
        case "cost-md":
            return renderCostMarkdown(costDocument(result, options.baseline, options.secrets ?? secretsOf(checked)));
        case "cost-json":
            return renderCostJson(result, options.baseline, options.secrets ?? secretsOf(checked));
        case "cost-html":
            return renderCostHtml(costDocument(result, options.baseline, options.secrets ?? secretsOf(checked)));
        default: {
            const never: never = format;
            throw new Error(`unknown report format: ${String(never)} (expected one of ${REPORT_FORMATS.join(", ")})`);
        }
    }
}

/** The summary by need (summary.ts), scrubbed like every report: what the checker prints last. */
export function renderSummary(checked: CheckResult, options: Pick<ReportOptions, "secrets"> = {}): string {
    return summaryLines(scrubResult(checked, options.secrets ?? secretsOf(checked))).join("\n") + "\n";
}

export { renderText, TextOptions, TextMode, TEXT_MODES } from "./text";
export { renderJson, checkDocument, CHECK_FORMAT } from "./json";
export {
    renderSarif,
    sarifLog,
    SarifOptions,
    SECURITY_SEVERITY,
    FINGERPRINT_KEY,
    GITHUB_FINGERPRINT_KEY,
} from "./sarif";
export { renderJUnit, JUnitOptions, escapeXml, caseName, caseClass, STACK_CASE } from "./junit";
export { renderCodeQuality, codeQualityIssues, CodeQualityIssue, CodeQualityOptions } from "./codequality";
export { renderSast, sastReport, SastReport, SAST_SCHEMA_VERSION, SAST_LIMITS } from "./sast";
export { renderMarkdown, MarkdownOptions, COMMENT_LIMIT, MARKDOWN_BUDGET } from "./markdown";
export { fingerprints, fingerprintOf } from "./fingerprint";
export { groupFindings, FindingGroup } from "./groups";
export { locationOf, LAST_RESORT } from "./locations";
export { summaryLines } from "./summary";
export { scrubResult } from "./scrub";
export {
    conformanceMatrix,
    renderConformanceJson,
    renderConformanceMarkdown,
    ConformanceDocument,
    ConformanceNeed,
    CONFORMANCE_FORMAT,
    CONFORMANCE_SCHEMA_ID,
    CONFORMANCE_VERSION,
} from "./conformance";
export { COST_FORMAT, CostDocument, costDocument, parseCostDocument, renderCostJson } from "./cost/document";
export { renderCostMarkdown } from "./cost/markdown";
export { renderCostHtml } from "./cost/html";
