/**
 * PIL-03, PIL-04 and PIL-05 read the same estimate of the same stack: within one AnalyzeStack call
 * (call-scope.ts) it is computed once, for given options, and shared (rules only read it). Outside
 * a call (the checker, tests), each caller computes its own.
 */
import { stackCallToken } from "../call-scope";
import type { StackView } from "../rule";
import { PackSettings, stackConfiguration } from "../settings";
import { lazy } from "../lazy";
import type { EstimationSettings } from "./data";
import type { CostEstimate, EstimateOptions } from "./estimate";
import type * as Estimator from "./estimate";

// The estimator loads at the first AnalyzeStack call that asks for an estimate, not at start-up
// (lazy.ts).
const estimator = lazy(() => require("./estimate") as typeof Estimator);

const byCall = new WeakMap<object, Map<string, CostEstimate>>();

function keyOf(opts: EstimateOptions): string {
    return JSON.stringify(opts, (_k, v: unknown) => (v instanceof Map ? [...v] : v));
}

export function sharedEstimate(stack: StackView, opts: EstimateOptions): CostEstimate {
    const token = stackCallToken();
    if (!token) return estimator().estimate(stack, opts);
    let memo = byCall.get(token);
    if (!memo) {
        memo = new Map();
        byCall.set(token, memo);
    }
    const key = keyOf(opts);
    let est = memo.get(key);
    if (!est) {
        est = estimator().estimate(stack, opts);
        memo.set(key, est);
    }
    return est;
}

/** The estimate a stack rule reads: the pack's settings, the stack's tags and configuration. */
export function stackEstimate(stack: StackView, ctx: { settings: Readonly<PackSettings>; stackTags: ReadonlyMap<string, string> }): CostEstimate {
    const settings = { profil: ctx.settings.profil, estimation: ctx.settings.estimation as EstimationSettings };
    return sharedEstimate(stack, estimator().estimateOptions(settings, ctx.stackTags, stackConfiguration()));
}
