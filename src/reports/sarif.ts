/**
 * SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer). One run; one rule per policy that
 * appears in the findings; one result per finding.
 *
 * - Location: the file and line where the resource is declared (`physicalLocation`, a path
 *   relative to the repository root, `%SRCROOT%`), and the resource's URN as a logical location;
 *   a finding without a location points at the stack configuration file, else `Pulumi.yaml`
 *   (locations.ts). GitHub annotates a pull request at that line.
 * - Identity: `partialFingerprints` carries the finding's fingerprint (fingerprint.ts) under
 *   `primaryLocationLineHash`, the only key GitHub reads, and under this tool's versioned key. It
 *   does not depend on the line: an alert stays the same alert when unrelated code moves it. (The
 *   `upload-sarif` action, which computes a line hash of its own, logs that it found an
 *   "inconsistent fingerprint" and keeps ours: expected.)
 * - Rules: `help.text` and `help.markdown` quote the rule's interpretation and remediation;
 *   `helpUri` links its section of `docs/regles.md` when the reference's URL is given
 *   (rule-docs.ts). Rules of security needs (the catalogue's P1 needs) are tagged `security` and
 *   get a `security-severity`; the others (P2 productivity, P3 steering) are quality rules with a
 *   `problem.severity`.
 */
import type { Location, Log, ReportingDescriptor, Result, Run } from "sarif";
import { CheckResult, Finding, SourceLocation } from "../checker/model";
import { Severity } from "../engine/types";
import {
    cmp,
    colon,
    compareNeeds,
    findingKind,
    isSecurityNeed,
    labels,
    needPriority,
    needTitle,
    sortedFindings,
    withNeeds,
} from "./common";
import { fingerprints } from "./fingerprint";
import { locationOf, toFallback } from "./locations";
import { REFERENCE_PATH, ruleDoc, ruleUrl } from "./rule-docs";

export const SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/** Where the tool's driver points for more information; override with the project's own page. */
export const DEFAULT_INFORMATION_URI = "https://www.numerique.gouv.fr/services/cloud/doctrine/";
/** This tool's key of the partial fingerprint, versioned so that a change of its computation is not read as new alerts. */
export const FINGERPRINT_KEY = "cloudDeConfiance/v1";
/** The key GitHub code scanning matches alerts with. */
export const GITHUB_FINGERPRINT_KEY = "primaryLocationLineHash";
/** The base of every artifact URI: the repository root. */
export const SRCROOT = "%SRCROOT%";

export interface SarifOptions {
    /** Where a finding without a location points (default Pulumi.yaml line 1); a path means line 1. */
    fallback?: SourceLocation | string;
    /** @deprecated the former name of `fallback` (a path). */
    uri?: string;
    /** informationUri of tool.driver. */
    informationUri?: string;
    /** URL of the generated reference `docs/regles.md` (rules' `helpUri` is its anchor for the policy). */
    docsUrl?: string;
}

/** GitHub's security-severity scale: > 9 critical, 7–8.9 high, 4–6.9 medium, 0.1–3.9 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
    critical: "9.5",
    high: "8.0",
    medium: "5.5",
    low: "2.0",
};

const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** The tags of a rule's family, beside its need ids. */
const PRIORITY_TAG: Record<string, string> = { P1: "security", P2: "productivity", P3: "steering" };

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

export function sarifLog(result: CheckResult, options: SarifOptions = {}): Log {
    const fallback = toFallback(options.fallback ?? options.uri);
    const l = labels(result.lang);
    const c = colon(result.lang);
    const findings = sortedFindings(result);
    const prints = fingerprints(result);

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
        const security = needs.some((n) => isSecurityNeed(result, n));
        const needDescr = needs.map((n) => (needTitle(result, n) ? `${n} (${needTitle(result, n)})` : n)).join(", ");
        const doc = ruleDoc(policy, result.lang);
        const remediation = (doc?.remediation ?? fs.find((f) => f.remediation.trim())?.remediation ?? "").trim();
        const url = ruleUrl(policy, options.docsUrl);
        const reference = url ?? `${REFERENCE_PATH}#${policy}`;
        const helpText = [
            `${first.title} — ${needDescr}`,
            doc?.description ?? "",
            remediation ? `${l.remediation}${c} ${remediation}` : "",
            reference,
        ].filter(Boolean).join("\n\n");
        // The rule's texts are the pack's own Markdown, as docs/regles.md renders them.
        const helpMarkdown = [
            `**${first.title}** — ${needDescr}`,
            doc?.description ?? "",
            remediation ? `**${l.remediation}**${c} ${remediation}` : "",
            url ? `[${REFERENCE_PATH}#${policy}](${url})` : `\`${REFERENCE_PATH}#${policy}\``,
        ].filter(Boolean).join("\n\n");
        const priorities = [...new Set(needs.map((n) => needPriority(result, n)))].sort();
        const tags = [...new Set(priorities.map((p) => PRIORITY_TAG[p] ?? "quality")), ...needs];
        const properties: Record<string, unknown> = {
            tags: security ? ["security", ...tags.filter((t) => t !== "security")] : tags.filter((t) => t !== "security"),
            precision: "high",
            severity,
            enforcementLevel: mandatory ? "mandatory" : "advisory",
        };
        if (security) properties["security-severity"] = SECURITY_SEVERITY[severity];
        else properties["problem.severity"] = mandatory ? "error" : "warning";
        return {
            id: policy,
            name: pascalCase(policy),
            shortDescription: { text: first.title },
            fullDescription: { text: `${needDescr}: ${first.title}` },
            ...(url ? { helpUri: url } : {}),
            help: { text: helpText, markdown: helpMarkdown },
            defaultConfiguration: { level: mandatory ? "error" : "warning" },
            properties,
        };
    });

    const results: Result[] = findings.map((f) => {
        const loc = locationOf(f, fallback);
        const region: { startLine: number; startColumn?: number } = { startLine: loc.line };
        if (loc.column !== undefined) region.startColumn = loc.column;
        const location: Location = {
            physicalLocation: { artifactLocation: { uri: encodePath(loc.file), uriBaseId: SRCROOT }, region },
            logicalLocations: f.resource
                ? [{ name: f.resource.name, fullyQualifiedName: f.resource.urn, kind: "resource" }]
                : [{ name: result.source.stack ?? l.stack, kind: "module" }],
        };
        const kind = findingKind(f);
        let text = withNeeds(f);
        if (kind === "unknown") text += ` (${l.cannotCheck})`;
        const fingerprint = prints.get(f) ?? "";
        const r: Result = {
            ruleId: f.policy,
            ruleIndex: ruleIndex.get(f.policy),
            level: sarifLevel(f),
            message: { text },
            locations: [location],
            partialFingerprints: { [GITHUB_FINGERPRINT_KEY]: fingerprint, [FINGERPRINT_KEY]: fingerprint },
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
        originalUriBaseIds: {
            [SRCROOT]: { description: { text: "Repository root: every artifact path is relative to it." } },
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

/** A relative path as a URI reference: each segment percent-encoded, slashes kept. */
function encodePath(file: string): string {
    return file.split("/").map((s) => encodeURIComponent(s)).join("/");
}
