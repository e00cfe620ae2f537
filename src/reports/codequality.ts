/**
 * GitLab Code Quality report (a subset of the Code Climate issue format): one issue per finding,
 * anchored on the program file. GitLab compares fingerprints between the base and head pipelines,
 * so they are stable per (policy, resource), made unique by occurrence when one resource breaks a
 * policy more than once.
 */
import { CheckResult, Finding } from "../checker/model";
import { Severity } from "../engine/types";
import { DEFAULT_ARTIFACT, colon, findingKind, labels, sha256, sortedFindings, subjectKey, withNeeds } from "./common";

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
    /** Path of the file issues are anchored on, relative to the repository root (default Pulumi.yaml). */
    path?: string;
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
    const path = options.path ?? DEFAULT_ARTIFACT;
    const l = labels(result.lang);
    const c = colon(result.lang);
    const seen = new Map<string, number>();
    return sortedFindings(result).map((f) => {
        const key = `${f.policy}\u0000${subjectKey(result, f)}`;
        const occurrence = seen.get(key) ?? 0;
        seen.set(key, occurrence + 1);
        const kind = findingKind(f);
        const subject = f.resource ? `${f.resource.type} ${f.resource.name}` : l.stack;
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
            fingerprint: sha256(f.policy, subjectKey(result, f), String(occurrence)),
            severity: codeQualitySeverity(f),
            location: { path, lines: { begin: 1 } },
        };
    });
}

export function renderCodeQuality(result: CheckResult, options: CodeQualityOptions = {}): string {
    return JSON.stringify(codeQualityIssues(result, options), null, 2) + "\n";
}
