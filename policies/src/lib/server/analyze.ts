/**
 * The pack's Analyze handler: `@pulumi/policy`'s (server.js `makeAnalyzeRpcFun`), with the same
 * answers, at a fraction of the cost.
 *
 * For each resource, `@pulumi/policy` walks all of the pack's policies and, for each one, builds its
 * arguments (properties, proxy, options, provider), awaits it and, for a policy of another type,
 * catches the « not applicable » error it throws. Here:
 * - what depends only on the configuration and the resource's type is prepared once per type and
 *   configuration (a plan): which policies are skipped (disabled, not resource policies), which
 *   are « not applicable » without running (a remediation-only policy, a type attached to the
 *   function, and the pack's rules of other types, type-filter.ts), each with its entry encoded
 *   once (encoded-response.ts), and which run;
 * - the resource is read once per call and shared by the policies that run;
 * - a policy that answers synchronously is not awaited.
 * The diagnostics, the « not applicable » entries (same reasons, same order), the errors and the
 * response's bytes are those of `@pulumi/policy`'s handler (test/analyze-handlers.test.ts compares
 * them on every rule's fixtures and on generated stacks).
 */
import { analyzeResponse } from "./analyze-response";
import { concatBytes, encodedEntry, prepareEntry } from "./encoded-response";
import { isThenable, notApplicableEntry, policyFrom, reportViolationFun, settle, throwNotApplicable } from "./outcome";
import { configGeneration, currentStackTags, getConfigFun, levelOf, servedPack } from "./pack-state";
import { resourceParts, ResourceParts } from "./resources";
import { Diagnostic, PolicyLike, upstream } from "./upstream";
import { skipReason } from "../type-filter";

type Callback = (err: unknown, resp?: unknown) => void;
type Validation = (args: Record<string, unknown>, report: unknown) => unknown;

type Step =
    /** Consecutive « not applicable » entries, with their encoding as one block. */
    | { entries: object[]; bytes: Uint8Array }
    | { policy: PolicyLike; level: string; validation: Validation; getConfig: () => Record<string, unknown> };

interface Plan {
    steps: Step[];
    /** The first policy `@pulumi/policy` would run: the one it names when the resource cannot be read. */
    firstRunner?: PolicyLike;
}

let plans = new Map<string, Plan>();
let plansGeneration = -1;

function planFor(type: string): Plan {
    if (plansGeneration !== configGeneration()) {
        plans = new Map();
        plansGeneration = configGeneration();
    }
    let plan = plans.get(type);
    if (!plan) {
        plan = makePlan(type);
        plans.set(type, plan);
    }
    return plan;
}

function makePlan(type: string): Plan {
    const up = upstream();
    const steps: Step[] = [];
    let firstRunner: PolicyLike | undefined;
    const entry = (p: PolicyLike, reason: string) => {
        const e = prepareEntry(notApplicableEntry(p.name, reason) as object);
        const last = steps[steps.length - 1];
        if (last && "entries" in last) {
            last.entries.push(e);
            last.bytes = concatBytes([last.bytes, encodedEntry(e)]);
        } else {
            steps.push({ entries: [e], bytes: encodedEntry(e) });
        }
    };
    for (const p of servedPack()?.policies ?? []) {
        let level = levelOf(p);
        if (level === "disabled" || !up.isResourcePolicy(p)) continue;
        if (!p.validateResource) {
            entry(p, "Policy does not implement validateResource");
            continue;
        }
        if (level === "remediate") level = "mandatory";
        if (!Array.isArray(p.validateResource)) {
            const pulumiType = up.getPulumiType(p.validateResource);
            if (pulumiType && type !== pulumiType) {
                entry(p, `Policy only applies to resources of type '${pulumiType}'`);
                continue;
            }
        }
        firstRunner ??= p;
        const getConfig = getConfigFun(p.name);
        // A rule that does not apply to the type says « not applicable » before reading the resource.
        const skipped = skipReason(p, type, getConfig);
        if (skipped !== undefined) {
            entry(p, skipped);
            continue;
        }
        const validations = (Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource]) as Validation[];
        for (const validation of validations) steps.push({ policy: p, level, validation, getConfig });
    }
    return { steps, firstRunner };
}

/**
 * Answers an Analyze request as `@pulumi/policy` does. What `@pulumi/policy` would leave as a
 * rejected promise (the response cannot be built) is thrown, or rejected when a policy was
 * asynchronous, for intercept.ts to answer.
 */
export function analyze(call: { request: any }, callback: Callback): void | Promise<void> {
    const req = call.request;
    const plan = planFor(req.getType());
    let parts: ResourceParts | undefined;
    if (plan.firstRunner) {
        // @pulumi/policy reads the resource in each policy it runs: the first one fails the call.
        try {
            parts = resourceParts(req);
        } catch (e) {
            callback(upstream().asGrpcError(e, `Error validating resource with ${policyFrom(plan.firstRunner)}`));
            return;
        }
    }
    const ds: Diagnostic[] = [];
    const na: unknown[] = [];
    /** The encoding of `na`, block by block, in its order. */
    const encoded: Uint8Array[] = [];
    const steps = plan.steps;
    const stackTags = currentStackTags();
    const resume = (from: number): void | Promise<void> => {
        for (let i = from; i < steps.length; i++) {
            const step = steps[i];
            if ("entries" in step) {
                for (const e of step.entries) na.push(e);
                encoded.push(step.bytes);
                continue;
            }
            let pending: unknown;
            try {
                const p = parts!;
                const args: Record<string, unknown> = {
                    type: p.type,
                    props: p.props,
                    urn: p.urn,
                    name: p.name,
                    opts: p.opts,
                    stackTags,
                    isType: p.isType,
                    asType: p.asType,
                    getConfig: step.getConfig,
                    notApplicable: throwNotApplicable,
                };
                if (p.provider) args.provider = p.provider;
                pending = step.validation(args, reportViolationFun(step.policy, step.level, ds));
            } catch (e) {
                const before = na.length;
                const err = settle(e, step.policy, "validateResource", ds, na);
                if (err) return callback(err);
                for (let k = before; k < na.length; k++) encoded.push(encodedEntry(na[k] as object));
                continue;
            }
            if (isThenable(pending)) {
                // An asynchronous policy: the next ones run once it has finished, as upstream.
                return Promise.resolve(pending).then(
                    () => resume(i + 1),
                    (e) => {
                        const before = na.length;
                        const err = settle(e, step.policy, "validateResource", ds, na);
                        if (err) return callback(err);
                        for (let k = before; k < na.length; k++) encoded.push(encodedEntry(na[k] as object));
                        return resume(i + 1);
                    },
                );
            }
        }
        callback(undefined, analyzeResponse(ds, na as object[], encoded));
    };
    return resume(0);
}
