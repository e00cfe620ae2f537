/**
 * Engine semantics on top of the protocol driver: the policy configuration as the CLI reconciles
 * it, the order of calls, remediations applied before analysis, and the CLI's "Policies" section.
 */
import { PolicyPackProcess } from "./driver";
import { PackCallError } from "./limits";
import { PolicyConfigError, reconcilePolicyConfig } from "./policy-config";
import { AnalyzerInfo, Diagnostic, EngineResource, NotApplicable, PolicyConfig, Remediation } from "./types";

export { parsePolicyConfig, parsePolicyConfigText, PolicyConfigError, reconcilePolicyConfig } from "./policy-config";

export interface StackContext {
    project: string;
    stack: string;
    organization?: string;
    dryRun?: boolean;
    tags?: Record<string, string>;
    config?: Record<string, string>;
    secretKeys?: string[];
}

export interface EvaluatedDiagnostic extends Diagnostic {
    /** Whether it came from AnalyzeStack. */
    stack: boolean;
}

export interface AppliedRemediation extends Remediation {
    urn: string;
}

export interface Evaluation {
    info: AnalyzerInfo;
    config: Record<string, PolicyConfig>;
    diagnostics: EvaluatedDiagnostic[];
    remediations: AppliedRemediation[];
    /** Resources after remediation, as analyzed. */
    resources: EngineResource[];
    /** For each policy, the URNs it applied to (was not reported "not applicable" for). */
    applied: Map<string, Set<string>>;
}

/**
 * Runs the engine's sequence on a running pack: ConfigureStack, Configure, then Remediate and
 * Analyze for each resource in order, then AnalyzeStack on the remediated resources.
 */
export async function evaluate(pack: PolicyPackProcess, resources: EngineResource[], opts: {
    config?: Record<string, PolicyConfig>;
    stack?: StackContext;
    info?: AnalyzerInfo;
    /** Leave out ConfigureStack, as CLIs before 3.221 do. */
    noConfigureStack?: boolean;
} = {}): Promise<Evaluation> {
    const info = opts.info ?? (await pack.getAnalyzerInfo());
    const config = reconcilePolicyConfig(info, opts.config ?? {}, pack.packDir);
    const stack = opts.stack ?? { project: "project", stack: "stack" };
    if (!opts.noConfigureStack) {
        try {
            await pack.configureStack(stack);
        } catch (e) {
            // Older packs do not implement ConfigureStack; the CLI ignores "unimplemented".
            if ((e as { code?: number }).code !== 12) throw e;
        }
    }
    try {
        await pack.configure(config);
    } catch (e) {
        // A pack that stopped or did not answer in time is no configuration error.
        if (e instanceof PackCallError) throw e;
        // The CLI stops the preview with the pack's answer to Configure.
        throw new PolicyConfigError(`configuring policy pack "${info.name}" at "${pack.packDir}": ${(e as Error).message}`);
    }

    const policyNames = info.policies.map((p) => p.name);
    const resourcePolicies = info.policies.filter((p) => p.policyType !== "stack").map((p) => p.name);
    const stackPolicies = info.policies.filter((p) => p.policyType === "stack").map((p) => p.name);
    const applied = new Map(policyNames.map((n) => [n, new Set<string>()]));
    const enabled = (n: string) => config[n]?.enforcementLevel !== "disabled";
    const markApplied = (urns: string[], names: string[], na: NotApplicable[]) => {
        const skip = new Set(na.map((n) => n.policyName));
        for (const n of names) if (enabled(n) && !skip.has(n)) for (const u of urns) applied.get(n)!.add(u);
    };

    const diagnostics: EvaluatedDiagnostic[] = [];
    const remediations: AppliedRemediation[] = [];
    const analyzed: EngineResource[] = [];
    for (const r of resources) {
        let current = r;
        const rem = await pack.remediate(r);
        for (const x of rem.remediations) {
            remediations.push({ ...x, urn: r.urn });
            if (x.properties) current = { ...current, properties: x.properties };
        }
        analyzed.push(current);
        const res = await pack.analyze(current);
        for (const d of res.diagnostics) diagnostics.push({ ...d, urn: d.urn || r.urn, stack: false });
        markApplied([r.urn], resourcePolicies, res.notApplicable);
    }
    const st = await pack.analyzeStack(analyzed);
    for (const d of st.diagnostics) diagnostics.push({ ...d, stack: true });
    markApplied(analyzed.map((r) => r.urn), stackPolicies, st.notApplicable);
    return { info, config, diagnostics, remediations, resources: analyzed, applied };
}

/** Whether a diagnostic is the engine's "cannot run during preview" report of an unknown value. */
export function isCannotCheck(d: Diagnostic): boolean {
    return /^can't run (policy|remediation) '.*' during preview/.test(d.message);
}

function resourceLabel(urn: string): string {
    const parts = urn.split("::");
    if (parts.length < 4) return urn;
    const type = parts[2].split("$").pop();
    return `${type}: ${parts.slice(3).join("::")}`;
}

/** The "Policies:" section of `pulumi preview`, as the CLI prints it. */
export function formatPolicies(ev: Evaluation, packLocation: string): string {
    const order: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };
    const diags = [...ev.diagnostics].sort((a, b) => (order[a.enforcementLevel] ?? 9) - (order[b.enforcementLevel] ?? 9));
    const failed = diags.some((d) => d.enforcementLevel === "mandatory");
    const lines = ["Policies:", `    ${failed ? "❌" : "✅"} ${ev.info.name}@v${ev.info.version} (local: ${packLocation})`];
    for (const d of diags) {
        const where = d.urn ? `  (${resourceLabel(d.urn)})` : "";
        lines.push(`        - [${d.enforcementLevel}]  ${d.policyName}${where}`);
        lines.push(...`${d.description}\n${d.message}`.split("\n").map((l) => `          ${l}`));
    }
    for (const r of ev.remediations) {
        lines.push(`        - [remediate]  ${r.policyName}  (${resourceLabel(r.urn)})`);
        lines.push(`          ${r.diagnostic || r.description}`);
    }
    return lines.join("\n");
}
