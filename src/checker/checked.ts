/**
 * What each policy inspected, from the engine's record of the policies that applied to each
 * resource: a resource policy applied to a resource it was not "not applicable" for; a stack
 * policy sees every resource, and inspects those of its declared types (a stack policy with no
 * type is about the stack as a whole).
 */
import type { Rule } from "@cloud-de-confiance/policies/dist/lib/rule";
import { Evaluation } from "../engine/engine";

export function checkedByPolicy(ev: Pick<Evaluation, "applied" | "resources">, rules: ReadonlyMap<string, Rule>): Record<string, string[]> {
    const typeOf = new Map(ev.resources.map((r) => [r.urn, r.type]));
    const out: Record<string, string[]> = {};
    for (const policy of [...ev.applied.keys()].sort()) {
        const urns = [...(ev.applied.get(policy) ?? [])];
        if (urns.length === 0) continue;
        const rule = rules.get(policy);
        if (rule?.kind === "stack") {
            const types = new Set(rule.types);
            out[policy] = urns.filter((u) => types.has(typeOf.get(u) ?? "")).sort();
        } else {
            out[policy] = urns.sort();
        }
    }
    return out;
}
