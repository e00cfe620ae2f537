/**
 * GitLab security report, SAST format (report schema 15.0.6: the newest version every GitLab
 * since 15.x accepts; GitLab 16 refuses 15.1.x), for `artifacts:reports:sast`. GitLab shows its
 * vulnerabilities in the merge-request security widget, the pipeline's Security tab and the
 * vulnerability report. Infrastructure-as-code scanners report there in this format.
 *
 * What fits: violations (mandatory and advisory) of security needs (the catalogue's P1 needs:
 * security, availability, resilience; common.ts). Left out: findings of P2 and P3 needs (quality,
 * in the Code Quality report), findings that cannot be checked at preview (not a vulnerability,
 * only an unknown), and derogated ones (an accepted risk, decided and dated outside GitLab; when
 * the derogation expires the violation comes back).
 *
 * Each vulnerability: `identifiers` (primary: the policy; then the need), `location` (the file and
 * line where the resource is declared, locations.ts), `severity` (the rule's), `solution` (the
 * remediation), `id` (a UUID derived from the finding's fingerprint), and `tracking` with the
 * fingerprint as a `hash` signature, which GitLab's vulnerability tracking uses rather than the
 * line when it is enabled. Texts are cut to the schema's maximum lengths.
 */
import { CheckResult, Finding, SourceLocation } from "../checker/model";
import { Severity } from "../engine/types";
import { colon, findingKind, isSecurityFinding, labels, needTitle, sortedFindings, truncate, withNeeds } from "./common";
import { fingerprints, uuidOf } from "./fingerprint";
import { locationOf, toFallback } from "./locations";
import { ruleUrl } from "./rule-docs";

export const SAST_SCHEMA_VERSION = "15.0.6";
export const SAST_SCHEMA_URL = `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${SAST_SCHEMA_VERSION}/dist/sast-report-format.json`;

/** The schema's limits on a vulnerability's texts. */
export const SAST_LIMITS = { name: 255, description: 1_048_576, solution: 7_000 } as const;

export type SastSeverity = "Info" | "Unknown" | "Low" | "Medium" | "High" | "Critical";

export interface SastIdentifier {
    type: string;
    name: string;
    value: string;
    url?: string;
}

export interface SastVulnerability {
    id: string;
    name: string;
    description: string;
    severity: SastSeverity;
    solution?: string;
    identifiers: SastIdentifier[];
    location: { file: string; start_line: number; end_line: number };
    tracking: {
        type: "source";
        items: { file: string; start_line: number; end_line: number; signatures: { algorithm: "hash"; value: string }[] }[];
    };
    details: Record<string, { name: string; type: "text"; value: string }>;
}

export interface SastReport {
    version: string;
    schema: string;
    scan: {
        analyzer: { id: string; name: string; version: string; vendor: { name: string } };
        scanner: { id: string; name: string; version: string; vendor: { name: string } };
        type: "sast";
        start_time: string;
        end_time: string;
        status: "success";
    };
    vulnerabilities: SastVulnerability[];
}

export interface SastOptions {
    /** Where a finding without a location points (default Pulumi.yaml line 1); a path means line 1. */
    fallback?: SourceLocation | string;
    /** URL of the generated reference `docs/regles.md` (the policy identifier's link). */
    docsUrl?: string;
    /** When the scan ran (default: when this process started). */
    startTime?: Date;
    endTime?: Date;
}

const SEVERITY: Record<Severity, SastSeverity> = { critical: "Critical", high: "High", medium: "Medium", low: "Low" };

/** When this process started: the default time of the scan, the same for every report of one run. */
const PROCESS_START = new Date();

/** `yyyy-mm-ddThh:mm:ss` in UTC, as the schema wants it. */
export function sastTime(d: Date): string {
    return d.toISOString().slice(0, 19);
}

/** Whether a finding goes to the security report. */
export function isSastFinding(result: CheckResult, f: Finding): boolean {
    return f.status === "violation" && isSecurityFinding(result, f);
}

export function sastReport(result: CheckResult, options: SastOptions = {}): SastReport {
    const fallback = toFallback(options.fallback);
    const l = labels(result.lang);
    const c = colon(result.lang);
    const prints = fingerprints(result);
    const component = {
        id: result.tool.name,
        name: result.tool.name,
        version: result.tool.version || "0.0.0",
        vendor: { name: result.tool.name },
    };
    const vulnerabilities = sortedFindings(result)
        .filter((f) => isSastFinding(result, f))
        .map((f): SastVulnerability => {
            const loc = locationOf(f, fallback);
            const fingerprint = prints.get(f) ?? "";
            const need = f.needs[0] ?? "";
            const url = ruleUrl(f.policy, options.docsUrl);
            const identifiers: SastIdentifier[] = [
                { type: "cloud_de_confiance_policy", name: f.policy, value: f.policy, ...(url ? { url } : {}) },
                ...f.needs.map((n) => ({
                    type: "cloud_de_confiance_need",
                    name: needTitle(result, n) ? `${n} — ${needTitle(result, n)}` : n,
                    value: n,
                })),
            ];
            const description = [
                withNeeds(f),
                `${l.resource}${c} ${f.resource ? f.resource.urn : l.stack}`,
                `[${l.kind[findingKind(f)]}] ${f.policy} (${f.severity})`,
            ].join("\n\n");
            const details: SastVulnerability["details"] = {
                need: { name: l.need, type: "text", value: f.needs.join(", ") || need },
                level: { name: l.status, type: "text", value: l.kind[findingKind(f)] },
            };
            if (f.resource) {
                details.resource = { name: l.resource, type: "text", value: f.resource.urn };
                details.resource_type = { name: "type", type: "text", value: f.resource.type };
            }
            return {
                id: uuidOf(fingerprint),
                // The schema: the name "must not include the finding's specific information".
                name: truncate(f.title, SAST_LIMITS.name),
                description: truncate(description, SAST_LIMITS.description),
                severity: SEVERITY[f.severity] ?? "Unknown",
                ...(f.remediation.trim() ? { solution: truncate(f.remediation.trim(), SAST_LIMITS.solution) } : {}),
                identifiers,
                location: { file: loc.file, start_line: loc.line, end_line: loc.line },
                tracking: {
                    type: "source",
                    items: [
                        {
                            file: loc.file,
                            start_line: loc.line,
                            end_line: loc.line,
                            signatures: [{ algorithm: "hash", value: fingerprint }],
                        },
                    ],
                },
                details,
            };
        });
    return {
        version: SAST_SCHEMA_VERSION,
        schema: SAST_SCHEMA_URL,
        scan: {
            analyzer: component,
            scanner: component,
            type: "sast",
            start_time: sastTime(options.startTime ?? PROCESS_START),
            end_time: sastTime(options.endTime ?? options.startTime ?? PROCESS_START),
            status: "success",
        },
        vulnerabilities,
    };
}

export function renderSast(result: CheckResult, options: SastOptions = {}): string {
    return JSON.stringify(sastReport(result, options), null, 2) + "\n";
}
