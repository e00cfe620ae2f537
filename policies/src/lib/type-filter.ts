/**
 * Policies that cannot apply to a resource's type, known without running them.
 *
 * A resource matters to a few of the pack's hundred policies. A rule (rule.ts) says « not
 * applicable » before reading the resource to a type outside its list, or that its `applies`
 * function refuses with its configuration, with a reason that depends on the rule only; a rule
 * the `niveaux` setting disables says it to every type. The rule framework declares it here; the pack's Analyze handler
 * (server/analyze.ts) then lists such a policy as « not applicable », with that reason and at its
 * place in the policies' order, without building its arguments or calling it.
 */

type Skip = (type: string, getConfig: () => Record<string, unknown>) => string | undefined;
const skips = new WeakMap<object, Skip>();

/**
 * Declares when `policy` says « not applicable » before reading the resource: `skip` gives the
 * reason for a type (and the policy's configuration, as `args.getConfig` gives it), or undefined
 * when the policy must run. It never reads the resource: it is asked once per type and
 * configuration.
 */
export function skippableWhen(policy: object, skip: Skip): void {
    skips.set(policy, skip);
}

/** The reason `policy` gives a resource of `type` without running, if it gives one. */
export function skipReason(policy: object, type: string, getConfig: () => Record<string, unknown>): string | undefined {
    return skips.get(policy)?.(type, getConfig);
}
