/**
 * SARIF 2.1.0 for GitHub code scanning. One run; one rule per policy that appears in the findings;
 * one result per finding. GitHub requires a physical location: every result points at the program
 * file (`uri` option, default Pulumi.yaml), and names its resource by URN in a logical location.
 */
import type { Location, Log, ReportingDescriptor, Result, Run } from "sarif";
import { CheckResult, Finding } from "../checker/model";
import { Severity } from "../engine/types";
import {
    DEFAULT_ARTIFACT,
    cmp,
    compareNeeds,
    findingKind,
    labels,
    needTitle,
    sha256,
    sortedFindings,
    subjectKey,
    withNeeds,
} from "./common";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** Where the tool's driver points for more information; override with the project's own page. */
export const DEFAULT_INFORMATION_URI = "https://www.numerique.gouv.fr/services/cloud/doctrine/";
/** Key of the partial fingerprint, versioned so that a change of its computation is not read as new alerts. */
export const FINGERPRINT_KEY = "cloudDeConfiance/v1";

export interface SarifOptions {
    /** The artifact every result is anchored on, relative to the repository root (default Pulumi.yaml). */
    uri?: string;
    /** informationUri of tool.driver. */
    informationUri?: string;
}

/** GitHub's security-severity scale: > 9 critical, 7–8.9 high, 4–6.9 medium, 0.1–3.9 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
    critical: "9.5",
    high: "8.0",
    medium: "5.5",
    low: "2.0",
};

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export function sarifLevel(f: Finding): Result.level {
    switch (findingKind(f)) {
        case "mandatory":
            return "error";
        case "advisory":
            return "warning";
        default:
            return "note";
    }
}

/** Stable per (policy, resource): GitHub matches alerts across runs with it. */
export function sarifFingerprint(result: CheckResult, f: Finding): string {
    return sha256(f.policy, subjectKey(result, f));
}

export function sarifLog(result: CheckResult, options: SarifOptions = {}): Log {
    const uri = options.uri ?? DEFAULT_ARTIFACT;
    const l = labels(result.lang);
    const findings = sortedFindings(result);

    const byPolicy = new Map<string, Finding[]>();
    for (const f of findings) {
        let list = byPolicy.get(f.policy);
        if (!list) byPolicy.set(f.policy, (list = []));
        list.push(f);
    }
    const policies = [...byPolicy.keys()].sort(cmp);
    const ruleIndex = new Map(policies.map((p, i) => [p, i]));

    const rules: ReportingDescriptor[] = policies.map((policy) => {
        const fs = byPolicy.get(policy) ?? [];
        const first = fs[0];
        const needs = [...new Set(fs.flatMap((f) => f.needs))].sort(compareNeeds);
        const severity = fs.reduce<Severity>(
            (max, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[max] ? f.severity : max),
            first.severity,
        );
        const mandatory = fs.some((f) => f.enforcementLevel === "mandatory");
        const needDescr = needs.map((n) => (needTitle(result, n) ? `${n} (${needTitle(result, n)})` : n)).join(", ");
        const remediation = fs.find((f) => f.remediation.trim())?.remediation.trim() ?? first.title;
        return {
            id: policy,
            name: pascalCase(policy),
            shortDescription: { text: first.title },
            fullDescription: { text: `${needDescr}: ${first.title}` },
            help: { text: remediation },
            defaultConfiguration: { level: mandatory ? "error" : "warning" },
            properties: {
                tags: ["security", ...needs],
                "security-severity": SECURITY_SEVERITY[severity],
                severity,
                enforcementLevel: mandatory ? "mandatory" : "advisory",
            },
        };
    });

    const results: Result[] = findings.map((f) => {
        const location: Location = {
            physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
            logicalLocations: f.resource
                ? [{ name: f.resource.name, fullyQualifiedName: f.resource.urn, kind: "resource" }]
                : [{ name: result.source.stack ?? l.stack, kind: "module" }],
        };
        const kind = findingKind(f);
        let text = withNeeds(f);
        if (kind === "unknown") text += ` (${l.cannotCheck})`;
        const r: Result = {
            ruleId: f.policy,
            ruleIndex: ruleIndex.get(f.policy),
            level: sarifLevel(f),
            message: { text },
            locations: [location],
            partialFingerprints: { [FINGERPRINT_KEY]: sarifFingerprint(result, f) },
            properties: {
                needs: f.needs,
                status: f.status,
                severity: f.severity,
                enforcementLevel: f.enforcementLevel,
                remediation: f.remediation,
                ...(f.resource ? { resourceType: f.resource.type } : {}),
            },
        };
        if (f.derogation) {
            r.properties = { ...r.properties, derogation: f.derogation };
        }
        if (f.status === "derogated") {
            const d = f.derogation;
            r.suppressions = [
                {
                    kind: "external",
                    status: "accepted",
                    justification: d
                        ? `${d.reference} (${l.expires} ${d.expires}): ${d.justification}`
                        : l.kind.derogated,
                },
            ];
        }
        return r;
    });

    const run: Run = {
        tool: {
            driver: {
                name: result.tool.name,
                version: result.tool.version,
                ...(/^\d+\.\d+\.\d+/.test(result.tool.version) ? { semanticVersion: result.tool.version } : {}),
                informationUri: options.informationUri ?? DEFAULT_INFORMATION_URI,
                rules,
            },
        },
        language: result.lang,
        columnKind: "utf16CodeUnits",
        results,
        properties: {
            pack: result.pack,
            source: result.source,
            summary: result.summary,
        },
    };
    return { $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] };
}

export function renderSarif(result: CheckResult, options: SarifOptions = {}): string {
    return JSON.stringify(sarifLog(result, options), null, 2) + "\n";
}

function pascalCase(id: string): string {
    return id
        .split(/[^A-Za-z0-9]+/)
        .filter(Boolean)
        .map((w) => w[0].toUpperCase() + w.slice(1))
        .join("");
}
