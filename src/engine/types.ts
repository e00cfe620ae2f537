/**
 * The data the Pulumi engine exchanges with a policy pack over the Analyzer protocol, in plain
 * JavaScript form. Property values use the engine's wire conventions: an unknown value (preview)
 * is the sentinel string `UNKNOWN`, a secret is `{ [SIG_KEY]: SECRET_SIG, value }`.
 */

/** Sentinel of an unknown value, as the engine marshals `resource.Computed` values. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Signature key and secret signature of Pulumi's property encoding. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function unknown(): string {
    return UNKNOWN;
}

export function secret<T>(value: T): { [SIG_KEY]: string; value: T } {
    return { [SIG_KEY]: SECRET_SIG, value };
}

export function isSecret(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";

export interface ResourceOptions {
    protect?: boolean;
    ignoreChanges?: string[];
    deleteBeforeReplace?: boolean;
    aliases?: string[];
    customTimeouts?: { create?: number; update?: number; delete?: number };
    additionalSecretOutputs?: string[];
    parent?: string;
}

export interface ProviderResource {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
}

/** One resource as the engine hands it to Analyze, Remediate and AnalyzeStack. */
export interface EngineResource {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
    options?: ResourceOptions;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: ProviderResource;
}

export interface PolicyFramework {
    name: string;
    version: string;
    reference: string;
    specification: string;
}

export interface PolicyInfo {
    name: string;
    displayName: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    severity?: Severity;
    policyType: "resource" | "stack" | "unknown";
    configSchema?: { properties: Record<string, Record<string, unknown>>; required?: string[] };
    framework?: PolicyFramework;
    tags: string[];
    remediationSteps: string;
    url: string;
}

export interface AnalyzerInfo {
    name: string;
    displayName: string;
    version: string;
    supportsConfig: boolean;
    description: string;
    policies: PolicyInfo[];
    initialConfig: Record<string, PolicyConfig>;
}

/** One policy's configuration as the engine sends it with Configure. */
export interface PolicyConfig {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** A diagnostic as the pack returns it from Analyze or AnalyzeStack. */
export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: EnforcementLevel;
    urn: string;
    severity?: Severity;
}

export interface NotApplicable {
    policyName: string;
    reason: string;
}

export interface AnalyzeResult {
    diagnostics: Diagnostic[];
    notApplicable: NotApplicable[];
}

export interface Remediation {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    properties?: Record<string, unknown>;
    diagnostic: string;
}

export interface RemediateResult {
    remediations: Remediation[];
    notApplicable: NotApplicable[];
}
