/**
 * The estimate's texts that may come from the input (cost-attribution values, item details such as
 * flavor and volume type names, values quoted by unpriced items), scrubbed with the input's
 * secrets like the findings' (reports/scrub.ts). URNs, names and types are kept (see scrub.ts).
 */
import type { Issue } from "@cloud-de-confiance/policies/dist/lib/cost/estimate";
import { CostResult } from "../../checker/model";

export function scrubCost(cost: CostResult, s: (text: string) => string): CostResult {
    const issue = (i: Issue): Issue => (typeof i.value === "string" ? { ...i, value: s(i.value) } : { ...i });
    const keys = (k: Record<string, string>) => Object.fromEntries(Object.entries(k).map(([a, b]) => [a, s(b)]));
    const e = cost.estimate;
    return {
        estimate: {
            ...e,
            resources: e.resources.map((r) => ({ ...r, keys: keys(r.keys), parts: r.parts.map((p) => ({ ...p, detail: s(p.detail) })), issues: r.issues.map(issue) })),
            byKey: e.byKey.map((k) => ({ ...k, values: k.values.map((v) => ({ ...v, value: s(v.value) })) })),
            issues: e.issues.map(issue),
        },
        budgets: cost.budgets.map((b) => ({ ...b, ...(b.value !== undefined ? { value: s(b.value) } : {}), unpriced: b.unpriced.map(issue) })),
    };
}
