/**
 * The pack's AnalyzeStack handler: `@pulumi/policy`'s (server.js `makeAnalyzeStackRpcFun`), with
 * the same answers, the stack read once.
 *
 * For each of the pack's stack policies, `@pulumi/policy` reads the whole stack again: each
 * resource's properties, proxy, options and provider, then the parents, dependencies and
 * property dependencies as objects. With twenty stack policies, that was most of AnalyzeStack's
 * time and its peak memory (see BENCHMARKS.md). Here the stack is read once, when the first
 * policy runs (so that a stack that cannot be read fails the call naming the same policy), and
 * every policy receives the same resources. The pack's stack rules only read them (the rule
 * convention, rule.ts), and StackView indexes them once for all (rule.ts).
 * The diagnostics, the « not applicable » entries, their order and the errors are those of
 * `@pulumi/policy`'s handler (test/analyze-handlers.test.ts).
 */
import { isThenable, notApplicableEntry, reportViolationFun, settle, throwNotApplicable } from "./outcome";
import { currentStackTags, getConfigFun, levelOf, servedPack } from "./pack-state";
import { propertyDependencies, resourceParts } from "./resources";
import { Diagnostic, upstream } from "./upstream";

type Callback = (err: unknown, resp?: unknown) => void;
type ValidateStack = (args: Record<string, unknown>, report: unknown) => unknown;

interface StackResource extends Record<string, unknown> {
    urn: string;
    dependencies: StackResource[];
    propertyDependencies: Record<string, StackResource[]>;
    parent?: StackResource;
}

/** The stack's resources with their relations, as `@pulumi/policy` builds them for a policy. */
function readStack(resources: any[]): StackResource[] {
    const intermediates = resources.map((r) => {
        const parts = resourceParts(r);
        const resource: StackResource = {
            type: parts.type,
            props: parts.props,
            urn: parts.urn,
            name: parts.name,
            opts: parts.opts,
            dependencies: [],
            propertyDependencies: {},
            isType: parts.isType,
            asType: parts.asType,
        };
        if (parts.provider) resource.provider = parts.provider;
        return { resource, parent: r.getParent() as string, dependencies: r.getDependenciesList() as string[], propertyDependencies: propertyDependencies(r) };
    });
    const byUrn = new Map<string, StackResource>();
    for (const i of intermediates) byUrn.set(i.resource.urn, i.resource);
    const resolve = (urns: string[]) => urns.map((u) => byUrn.get(u)).filter((d): d is StackResource => !!d);
    for (const i of intermediates) {
        if (i.parent) {
            const parent = byUrn.get(i.parent);
            if (parent) i.resource.parent = parent;
        }
        i.resource.dependencies = resolve(i.dependencies);
        for (const k of Object.keys(i.propertyDependencies)) i.resource.propertyDependencies[k] = resolve(i.propertyDependencies[k]);
    }
    return intermediates.map((i) => i.resource);
}

/** Answers an AnalyzeStack request as `@pulumi/policy` does (errors: see analyze.ts). */
export function analyzeStack(call: { request: any }, callback: Callback): void | Promise<void> {
    const up = upstream();
    const resources: any[] = call.request.getResourcesList();
    const policies = servedPack()?.policies ?? [];
    const stackTags = currentStackTags();
    const ds: Diagnostic[] = [];
    const na: unknown[] = [];
    let stack: StackResource[] | undefined;
    const resume = (from: number): void | Promise<void> => {
        for (let i = from; i < policies.length; i++) {
            const p = policies[i];
            let level = levelOf(p);
            if (level === "disabled" || !up.isStackPolicy(p)) continue;
            if (level === "remediate") level = "mandatory";
            const pulumiType = up.getPulumiType(p.validateStack);
            if (pulumiType && !resources.some((r) => r.getType() === pulumiType)) {
                na.push(notApplicableEntry(p.name, `Policy only applies to resources of type '${pulumiType}'`));
                continue;
            }
            const report = reportViolationFun(p, level, ds);
            let pending: unknown;
            try {
                stack ??= readStack(resources);
                const args = { resources: stack, getConfig: getConfigFun(p.name), stackTags, notApplicable: throwNotApplicable };
                pending = (p.validateStack as ValidateStack)(args, report);
            } catch (e) {
                const err = settle(e, p, "validateStack", ds, na);
                if (err) return callback(err);
                continue;
            }
            if (isThenable(pending)) {
                return Promise.resolve(pending).then(
                    () => resume(i + 1),
                    (e) => {
                        const err = settle(e, p, "validateStack", ds, na);
                        if (err) callback(err);
                        else return resume(i + 1);
                    },
                );
            }
        }
        callback(undefined, up.makeAnalyzeResponse(ds, na));
    };
    return resume(0);
}
