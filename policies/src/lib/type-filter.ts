/**
 * Policies that cannot apply to a resource's type, known without running them.
 *
 * A resource matters to a few of the pack's hundred policies. A rule with a list of types and no
 * `applies` function (rule.ts) says « not applicable » to any other type before anything else,
 * with a reason that depends on the rule only. The rule framework declares it here; the pack's
 * Analyze handler (server/analyze.ts) then lists such a policy as « not applicable », with that
 * reason and at its place in the policies' order, without building its arguments or calling it.
 */

const skippable = new WeakMap<object, { types: ReadonlySet<string>; reason: string }>();

/** Declares that `policy` says « not applicable » (with `reason`) to every type outside `types`. */
export function skippableOutside(policy: object, types: readonly string[], reason: string): void {
    skippable.set(policy, { types: new Set(types), reason });
}

/** The reason `policy` gives a resource of `type` without running, if it gives one. */
export function skipReason(policy: object, type: string): string | undefined {
    const s = skippable.get(policy);
    return s && !s.types.has(type) ? s.reason : undefined;
}
