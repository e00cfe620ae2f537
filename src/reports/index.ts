/**
 * The report writers, all rendering one CheckResult.
 */
import { CheckResult } from "../checker/model";
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
import { scrubResult } from "./scrub";
import { renderText } from "./text";

export type ReportFormat =
    | "text"
    | "json"
    | "sarif"
    | "junit"
    | "codequality"
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
    /** sarif: artifact URI results are anchored on (default: `path`, then Pulumi.yaml). */
    uri?: string;
    /** codequality, junit (and sarif when `uri` is not given): file path findings are anchored on (default Pulumi.yaml). */
    path?: string;
    /** sarif: tool.driver.informationUri. */
    informationUri?: string;
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

/** Conventional file name for a format, e.g. for `--output-dir`. */
export const REPORT_FILE_NAMES: Readonly<Record<ReportFormat, string>> = {
    text: "cloud-de-confiance.txt",
    json: "cloud-de-confiance.json",
    sarif: "cloud-de-confiance.sarif",
    junit: "cloud-de-confiance.junit.xml",
    codequality: "gl-code-quality-report.json",
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
    switch (format) {
        case "text":
            return renderText(result, { color: options.color });
        case "json":
            return renderJson(result);
        case "sarif":
            return renderSarif(result, { uri: options.uri ?? options.path, informationUri: options.informationUri });
        case "junit":
            return renderJUnit(result, { path: options.path ?? options.uri });
        case "codequality":
            return renderCodeQuality(result, { path: options.path ?? options.uri });
        case "markdown":
            return renderMarkdown(result);
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

export { renderText, TextOptions } from "./text";
export { renderJson, checkDocument, CHECK_FORMAT } from "./json";
export { renderSarif, sarifLog, SarifOptions, SECURITY_SEVERITY, FINGERPRINT_KEY } from "./sarif";
export { renderJUnit, JUnitOptions, escapeXml } from "./junit";
export { renderCodeQuality, codeQualityIssues, CodeQualityIssue, CodeQualityOptions } from "./codequality";
export { renderMarkdown } from "./markdown";
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
