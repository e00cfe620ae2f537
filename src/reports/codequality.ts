/**
 * GitLab Code Quality report (a subset of the Code Climate issue format): one issue per finding,
 * at the file and line where its resource is declared (`location.path`, `location.lines.begin`;
 * locations.ts), so that the merge-request diff shows it at that line. GitLab compares
 * fingerprints between the base and head pipelines: each issue's is the finding's fingerprint
 * (fingerprint.ts), unique within the report and unchanged when unrelated code moves the finding.
 */
import { CheckResult, Finding, SourceLocation } from "../checker/model";
import { Severity } from "../engine/types";
import { colon, findingKind, labels, shownName, sortedFindings, withNeeds } from "./common";
import { fingerprints } from "./fingerprint";
import { locationOf, toFallback } from "./locations";

export type CodeQualitySeverity = "info" | "minor" | "major" | "critical" | "blocker";

export interface CodeQualityIssue {
    type: "issue";
    check_name: string;
    description: string;
    content: { body: string };
    categories: string[];
    fingerprint: string;
    severity: CodeQualitySeverity;
    location: { path: string; lines: { begin: number } };
}

export interface CodeQualityOptions {
    /** Where a finding without a location points (default Pulumi.yaml line 1); a path means line 1. */
    fallback?: SourceLocation | string;
}

const MANDATORY: Record<Severity, CodeQualitySeverity> = {
    critical: "blocker",
    high: "critical",
    medium: "major",
    low: "minor",
};
const ADVISORY: Record<Severity, CodeQualitySeverity> = {
    critical: "major",
    high: "major",
    medium: "minor",
    low: "minor",
};

/** Code Climate category per need family (GitLab ignores it; other Code Climate consumers read it). */
const CATEGORY: Record<string, string> = { RES: "Bug Risk", SEC: "Security", PROD: "Compatibility", PIL: "Performance" };

export function codeQualitySeverity(f: Finding): CodeQualitySeverity {
    switch (findingKind(f)) {
        case "mandatory":
            return MANDATORY[f.severity] ?? "major";
        case "advisory":
            return ADVISORY[f.severity] ?? "minor";
        default:
            return "info";
    }
}

export function codeQualityIssues(result: CheckResult, options: CodeQualityOptions = {}): CodeQualityIssue[] {
    const fallback = toFallback(options.fallback);
    const l = labels(result.lang);
    const c = colon(result.lang);
    const prints = fingerprints(result);
    return sortedFindings(result).map((f) => {
        const kind = findingKind(f);
        const loc = locationOf(f, fallback);
        const subject = f.resource ? `${f.resource.type} ${shownName(f.resource.name)}` : l.stack;
        let description = `${withNeeds(f)} [${subject}]`;
        if (kind === "unknown") description += ` (${l.cannotCheck})`;
        if (kind === "derogated" && f.derogation) description += ` (${l.derogation} ${f.derogation.reference})`;
        const body = [
            f.resource ? f.resource.urn : l.stack,
            f.remediation.trim() ? `${l.remediation}${c} ${f.remediation.trim()}` : "",
            f.derogation
                ? `${l.derogation}${c} ${f.derogation.reference} (${l.expires} ${f.derogation.expires})${c} ${f.derogation.justification}`
                : "",
        ]
            .filter(Boolean)
            .join("\n\n");
        return {
            type: "issue",
            check_name: f.policy,
            description,
            content: { body },
            categories: [CATEGORY[(f.needs[0] ?? "").split("-")[0]] ?? "Security"],
            fingerprint: prints.get(f) ?? "",
            severity: codeQualitySeverity(f),
            location: { path: loc.file, lines: { begin: loc.line } },
        };
    });
}

export function renderCodeQuality(result: CheckResult, options: CodeQualityOptions = {}): string {
    return JSON.stringify(codeQualityIssues(result, options), null, 2) + "\n";
}
