/**
 * What a check produces, independent of its source (program, preview, state) and of the report
 * format. Every finding and every row of the conformance matrix names its need id(s).
 */
import { Severity } from "../engine/types";

export type Lang = "fr" | "en";

/** violation: the rule failed; derogated: it failed under a valid derogation (reported as advisory);
 *  unknown: the rule could not run because a value is unknown until the update (preview). */
export type FindingStatus = "violation" | "derogated" | "unknown";

/**
 * Where something is declared: a path relative to the repository root (forward slashes), a 1-based
 * line and, when known, a 1-based column. For a resource, where the program registers it (for a
 * component's child, the child's own declaration); for a stack-level finding, the stack
 * configuration file and key.
 */
export interface SourceLocation {
    file: string;
    line: number;
    column?: number;
}

export interface ResourceRef {
    urn: string;
    type: string;
    name: string;
    /** Where the resource is declared, when the input tells it (program runs). */
    source?: SourceLocation;
}

export interface Derogation {
    reference: string;
    justification: string;
    expires: string;
}

export interface Finding {
    /** Need ids of the catalogue, first one is the policy's framework reference. */
    needs: string[];
    policy: string;
    /** Title of the policy in the report's language. */
    title: string;
    severity: Severity;
    enforcementLevel: "advisory" | "mandatory";
    status: FindingStatus;
    /** The resource at fault; undefined for a finding about the whole stack. */
    resource?: ResourceRef;
    /** Where to point a reader (the resource's declaration, or the stack configuration file). */
    location?: SourceLocation;
    message: string;
    remediation: string;
    derogation?: Derogation;
}

export interface AppliedRemediation {
    policy: string;
    needs: string[];
    resource: ResourceRef;
    description: string;
}

export type NeedStatus = "respected" | "violated" | "derogated" | "not-exercised" | "cannot-check";

export interface NeedConformance {
    need: string;
    title: string;
    priority: string;
    status: NeedStatus;
    policies: string[];
    /** URNs of the resources behind the status: at fault, derogated, unknown, or checked when respected. */
    resources: string[];
}

export interface CheckSource {
    kind: "program" | "preview" | "state" | "resources" | "manifests";
    path: string;
    stack?: string;
}

export interface CheckResult {
    tool: { name: string; version: string };
    pack: { name: string; version: string };
    source: CheckSource;
    lang: Lang;
    resources: ResourceRef[];
    findings: Finding[];
    remediations: AppliedRemediation[];
    conformance: NeedConformance[];
    summary: {
        resources: number;
        mandatory: number;
        advisory: number;
        derogated: number;
        unknown: number;
    };
}
