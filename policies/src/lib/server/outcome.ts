/**
 * What a policy's run turns into, as `@pulumi/policy`'s server decides it: the violations it
 * reports become diagnostics (`makeReportViolationFun`), a value unknown at preview becomes the
 * advisory « can't run policy … during preview » diagnostic, « not applicable » becomes an entry of
 * the response's list, and any other error fails the call with the policy named.
 */
import { prepareEntry } from "./encoded-response";
import { servedPack } from "./pack-state";
import { Diagnostic, PolicyLike, upstream } from "./upstream";

/**
 * « Not applicable », as the pack's handlers give `args.notApplicable`: a plain object, not an
 * Error, so that throwing it captures no stack trace (most policies say it of most resources).
 */
export class NotApplicableSignal {
    constructor(readonly reason: string | undefined) {}
}

export function throwNotApplicable(reason?: string): never {
    throw new NotApplicableSignal(reason);
}

export type ReportViolation = (message?: string | Record<string, any>, urn?: string) => void;

/** `@pulumi/policy`'s `makeReportViolationFun`. */
export function reportViolationFun(p: PolicyLike, enforcementLevel: string, ds: Diagnostic[]): ReportViolation {
    const pack = servedPack()!;
    const { name: policyName, description, severity } = p;
    return (message, urn) => {
        if (typeof message === "object") {
            const info = message as Record<string, any>;
            ds.push({
                policyName: info.name || policyName,
                policyPackName: pack.name,
                policyPackVersion: pack.version,
                message: info.message || info.description || description,
                urn: info.urn,
                description: info.description || description,
                enforcementLevel: info.enforcementLevel || enforcementLevel,
                severity: info.severity || severity,
            });
        } else {
            let violationMessage = description as string;
            if (message) violationMessage += `\n${message}`;
            ds.push({
                policyName,
                policyPackName: pack.name,
                policyPackVersion: pack.version,
                message: violationMessage,
                urn,
                description,
                enforcementLevel,
                severity,
            } as Diagnostic);
        }
    };
}

/** « policy 'x' from policy pack 'pack@vversion' », as `@pulumi/policy` names a policy. */
export function policyFrom(p: PolicyLike): string {
    const pack = servedPack()!;
    return `policy '${p.name}' from policy pack '${pack.name}@v${pack.version}'`;
}

/** A new « not applicable » entry of the response. */
export function notApplicableEntry(policyName: string, reason: string | undefined): unknown {
    const na = new (upstream().analyzerProto.PolicyNotApplicable)();
    na.setPolicyName(policyName);
    if (reason) na.setReason(reason);
    return na;
}

/**
 * The entry for a reason a policy gave while running, made and encoded once: a rule gives the same
 * few reasons for many resources. Bounded, whatever the reasons.
 */
const shared = new Map<string, object>();

function sharedEntry(policyName: string, reason: string | undefined): object {
    const key = `${policyName}\u0000${reason ?? ""}\u0000${reason === undefined ? 0 : 1}`;
    let entry = shared.get(key);
    if (!entry) {
        if (shared.size >= 10_000) shared.clear();
        entry = prepareEntry(notApplicableEntry(policyName, reason) as object);
        shared.set(key, entry);
    }
    return entry;
}

/**
 * Handles what a policy threw: an unknown value adds the advisory diagnostic, « not applicable »
 * adds an entry; anything else is returned as the error that fails the call.
 */
export function settle(e: unknown, p: PolicyLike, functionKey: "validateResource" | "validateStack", ds: Diagnostic[], na: unknown[]): Error | undefined {
    const up = upstream();
    if (e instanceof NotApplicableSignal) {
        na.push(sharedEntry(p.name, e.reason));
        return undefined;
    }
    if (e instanceof up.UnknownValueError) {
        const pack = servedPack()!;
        // `{ validateResource, name, ...diag } = p`, as @pulumi/policy spreads the policy.
        const diag: Record<string, unknown> = {};
        for (const k of Object.keys(p)) if (k !== functionKey && k !== "name") diag[k] = (p as unknown as Record<string, unknown>)[k];
        ds.push(Object.assign(
            { policyName: p.name, policyPackName: pack.name, policyPackVersion: pack.version, message: `can't run ${policyFrom(p)} during preview: ${e.message}` },
            diag,
            { enforcementLevel: "advisory" },
        ) as Diagnostic);
        return undefined;
    }
    return up.asGrpcError(e, `Error validating resource with ${policyFrom(p)}`);
}

export function isThenable(v: unknown): v is PromiseLike<unknown> {
    return typeof v === "object" && v !== null && typeof (v as PromiseLike<unknown>).then === "function";
}
