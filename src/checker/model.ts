/**
 * What a check produces, independent of its source (program, preview, state) and of the report
 * format. Every finding and every row of the conformance matrix names its need id(s).
 */
import type { BudgetCheck } from "@cloud-de-confiance/policies/dist/lib/cost/budget";
import type { CostEstimate } from "@cloud-de-confiance/policies/dist/lib/cost/estimate";
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

/**
 * A need's status in the conformance matrix (see conformance.ts): `disabled` when one of its
 * policies is off by configuration, `outside-pack` when no policy of the pack checks it.
 */
export type NeedStatus = "respected" | "violated" | "derogated" | "not-exercised" | "cannot-check" | "disabled" | "outside-pack";

/** A derogation behind a need's findings, with the resources it covers. */
export interface ConformanceDerogation extends Derogation {
    resources: string[];
}

export interface NeedConformance {
    need: string;
    title: string;
    priority: string;
    status: NeedStatus;
    policies: string[];
    /** URNs of the resources behind the status: at fault, derogated, unknown, or examined when respected. */
    resources: string[];
    /** The need's policies that are off by configuration; absent when none is. */
    disabled?: string[];
    /** The derogations of the need's derogated findings; absent when there is none. */
    derogations?: ConformanceDerogation[];
    /** Figures the need reports (PIL-03 cost, PIL-04 budgets, PIL-05 emissions), in the report's language. */
    figures?: NeedFigure[];
}

/** A figure of a need: `label` (in the report's language), `value` in `unit` (€, kgCO2e, kWh, or "" for a count). */
export interface NeedFigure {
    label: string;
    value: number;
    unit: string;
}

/** The monthly cost and emissions estimate of the checked resources (the pack's estimator), and the budgets (PIL-04). */
export interface CostResult {
    estimate: CostEstimate;
    budgets: BudgetCheck[];
}

/** The facts of a run that a report states in its header (see conformance.ts). */
export interface CheckRun {
    /** When the check ran: ISO 8601, UTC. */
    at: string;
    /** The pack's provider profile and environment settings. */
    profile: string;
    environment: string;
    /** The SHA-256 of the reconciled policy-pack configuration (canonical JSON). */
    configuration: { sha256: string };
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
    run: CheckRun;
    lang: Lang;
    resources: ResourceRef[];
    findings: Finding[];
    remediations: AppliedRemediation[];
    conformance: NeedConformance[];
    /** The estimate behind PIL-03, PIL-04 and PIL-05 (see checker/cost.ts). */
    cost?: CostResult;
    /**
     * For each policy that ran, the URNs of the resources it inspected (a stack policy: those of
     * its resource types; none for a policy about the stack as a whole), when known. Reports use it
     * to show what passed (a JUnit test case per policy and resource, so a fix pairs with its
     * earlier failure).
     */
    checked?: Record<string, string[]>;
    summary: {
        resources: number;
        mandatory: number;
        advisory: number;
        derogated: number;
        unknown: number;
    };
}
