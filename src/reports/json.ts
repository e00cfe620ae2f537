/**
 * The CheckResult as stable, pretty JSON: a `format` marker first, keys in a fixed order (fields
 * unknown to this writer follow in alphabetical order, so nothing is lost), arrays sorted so that
 * two runs over the same stack give the same bytes whatever order the engine reported in.
 */
import { AppliedRemediation, CheckResult, Finding, NeedConformance, ResourceRef } from "../checker/model";
import { cmp, compareFindings, compareNeeds } from "./common";

export const CHECK_FORMAT = "cloud-de-confiance/check@1";

export type CheckDocument = { format: typeof CHECK_FORMAT } & CheckResult;

const RESOURCE_KEYS = ["urn", "type", "name", "source"];
const LOCATION_KEYS = ["file", "line", "column"];
const FINDING_KEYS = [
    "needs",
    "policy",
    "title",
    "severity",
    "enforcementLevel",
    "status",
    "resource",
    "location",
    "message",
    "remediation",
    "derogation",
];
const DEROGATION_KEYS = ["reference", "justification", "expires"];
const REMEDIATION_KEYS = ["policy", "needs", "resource", "description"];
const CONFORMANCE_KEYS = ["need", "title", "priority", "status", "policies", "resources", "disabled", "derogations"];

/** Rebuilds `obj` with `keys` first, in that order, then any other key alphabetically; drops undefined values. */
export function ordered<T extends object>(obj: T, keys: readonly string[]): T {
    const src = obj as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
    for (const k of Object.keys(src).sort()) if (!(k in out) && src[k] !== undefined) out[k] = src[k];
    return out as T;
}

function resource(r: ResourceRef): ResourceRef {
    return ordered({ ...r, source: r.source ? ordered(r.source, LOCATION_KEYS) : undefined }, RESOURCE_KEYS);
}

function finding(f: Finding): Finding {
    return ordered(
        {
            ...f,
            resource: f.resource ? resource(f.resource) : undefined,
            location: f.location ? ordered(f.location, LOCATION_KEYS) : undefined,
            derogation: f.derogation ? ordered(f.derogation, DEROGATION_KEYS) : undefined,
        },
        FINDING_KEYS,
    );
}

function remediation(r: AppliedRemediation): AppliedRemediation {
    return ordered({ ...r, resource: resource(r.resource) }, REMEDIATION_KEYS);
}

function conformance(c: NeedConformance): NeedConformance {
    return ordered(
        {
            ...c,
            policies: [...c.policies].sort(),
            resources: [...c.resources].sort(),
            disabled: c.disabled ? [...c.disabled].sort() : undefined,
            derogations: c.derogations
                ?.map((d) => ordered({ ...d, resources: [...d.resources].sort() }, [...DEROGATION_KEYS, "resources"]))
                .sort((a, b) => cmp(a.reference, b.reference) || cmp(a.expires, b.expires) || cmp(a.justification, b.justification)),
        },
        CONFORMANCE_KEYS,
    );
}

/** The document `renderJson` serialises. */
export function checkDocument(result: CheckResult): CheckDocument {
    const doc = {
        ...result,
        format: CHECK_FORMAT,
        tool: ordered(result.tool, ["name", "version"]),
        pack: ordered(result.pack, ["name", "version"]),
        source: ordered(result.source, ["kind", "path", "stack"]),
        run: ordered(result.run, ["at", "profile", "environment", "configuration"]),
        summary: ordered(result.summary, ["resources", "mandatory", "advisory", "derogated", "unknown"]),
        resources: [...result.resources].sort((a, b) => cmp(a.urn, b.urn)).map(resource),
        findings: [...result.findings].sort(compareFindings).map(finding),
        remediations: [...result.remediations]
            .sort((a, b) => cmp(a.policy, b.policy) || cmp(a.resource.urn, b.resource.urn))
            .map(remediation),
        conformance: [...result.conformance].sort((a, b) => compareNeeds(a.need, b.need)).map(conformance),
        checked: result.checked
            ? Object.fromEntries(Object.keys(result.checked).sort().map((p) => [p, [...(result.checked?.[p] ?? [])].sort()]))
            : undefined,
    } as CheckDocument;
    return ordered(doc, [
        "format",
        "tool",
        "pack",
        "source",
        "run",
        "lang",
        "summary",
        "resources",
        "findings",
        "remediations",
        "conformance",
        "checked",
    ]);
}

export function renderJson(result: CheckResult): string {
    return JSON.stringify(checkDocument(result), null, 2) + "\n";
}
