/**
 * Remediate, only when a policy remediates. The engine calls Remediate for every resource, before
 * Analyze; `@pulumi/policy` then reads the resource (its properties with their secrets, its
 * options) and walks every policy, to run those whose level is `remediate`. When the configuration
 * sets none (the usual case: only PIL-01 can remediate, and only when asked), the answer is the
 * empty response `@pulumi/policy` would give, without reading the resource. When one does, the call
 * goes to `@pulumi/policy`'s handler as before.
 */
import { configGeneration, levelOf, servedPack } from "./pack-state";
import { upstream } from "./upstream";

type Handler = (call: { request: any }, callback: (err: unknown, resp?: unknown) => void) => unknown;

let known: { generation: number; any: boolean } | undefined;

/** Whether a resource policy runs at the `remediate` level with the current configuration. */
export function anyRemediation(): boolean {
    if (known?.generation !== configGeneration()) {
        const up = upstream();
        const any = (servedPack()?.policies ?? []).some((p) => levelOf(p) === "remediate" && up.isResourcePolicy(p));
        known = { generation: configGeneration(), any };
    }
    return known.any;
}

export function remediateOnlyWhenEnabled(next: Handler): Handler {
    return (call, callback) => {
        if (anyRemediation()) return next(call, callback);
        callback(undefined, upstream().makeRemediateResponse([], undefined));
    };
}
