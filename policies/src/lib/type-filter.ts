/**
 * Policies that cannot apply to a resource's type, known without running them.
 *
 * A resource matters to a few of the pack's hundred policies. A rule with a list of types and no
 * `applies` function (rule.ts) says « not applicable » to any other type before anything else,
 * with a reason that depends on the rule only; a rule the `niveaux` setting disables says it to
 * every type. The rule framework declares it here; the pack's Analyze handler
 * (server/analyze.ts) then lists such a policy as « not applicable », with that reason and at its
 * place in the policies' order, without building its arguments or calling it.
 */

type Skip = (type: string) => string | undefined;
const skips = new WeakMap<object, Skip>();

/**
 * Declares when `policy` says « not applicable » before anything else: `skip` gives the reason for
 * a type, or undefined when the policy must run. It may read the configuration (the pack's
 * settings), never the resource: it is asked once per type and configuration.
 */
export function skippableWhen(policy: object, skip: Skip): void {
    skips.set(policy, skip);
}

/** The reason `policy` gives a resource of `type` without running, if it gives one. */
export function skipReason(policy: object, type: string): string | undefined {
    return skips.get(policy)?.(type);
}
