/**
 * The cost report as data (`--report cost-json=…`): the estimate behind PIL-03, PIL-04 and PIL-05,
 * with the budgets, the assumptions and their sources, and, given a baseline (`--baseline FILE`, a
 * cost-json of an earlier check), the change against it, as Infracost shows a diff. The Markdown
 * and HTML reports render this document.
 *
 * Secrets: key values, item details and the values quoted by unpriced items may come from the
 * input; they are scrubbed with the input's secrets (as reports/scrub.ts does for findings). URNs,
 * names and types are left as they are (see scrub.ts).
 */
import { BudgetStatus } from "@cloud-de-confiance/policies/dist/lib/cost/budget";
import { Assumption, CostEstimate, KeyTotals, Part, Reason } from "@cloud-de-confiance/policies/dist/lib/cost/estimate";
import { reasonText } from "@cloud-de-confiance/policies/dist/lib/cost/texts";
import { CheckResult, CheckSource, Lang } from "../../checker/model";
import { SecretIndex, scrubText, secretsOf } from "../../checker/secrets";

export const COST_FORMAT = "cloud-de-confiance/cout@1";

export interface CostItemIssue {
    reason: Reason;
    /** The reason in the report's language. */
    text: string;
    cost: boolean;
    carbon: boolean;
    property?: string;
    value?: string | number;
}

export interface CostResource {
    urn: string;
    name: string;
    type: string;
    costEur?: number;
    co2Kg?: number;
    energyKwh: number;
    parts: Part[];
    keys: Record<string, string>;
    attribution: Record<string, string>;
    issues: CostItemIssue[];
}

export interface CostBudget {
    key?: string;
    value?: string;
    budget: number;
    amount: number;
    status: BudgetStatus;
    unpriced: number;
}

export interface CostTotals {
    costEur: number;
    co2Kg: number;
    energyKwh: number;
    embodiedKg: number;
    unpriced: number;
    carbonUnknown: number;
}

export interface CostChange {
    urn: string;
    name: string;
    type: string;
    change: "added" | "removed" | "changed";
    before?: { costEur: number; co2Kg: number };
    after?: { costEur: number; co2Kg: number };
    deltaCostEur: number;
    deltaCo2Kg: number;
}

export interface CostDiff {
    baseline: { source: CheckSource; totals: CostTotals };
    deltaCostEur: number;
    deltaCo2Kg: number;
    resources: CostChange[];
    byKey: { key: string; value: string; beforeEur: number; afterEur: number; deltaCostEur: number; beforeKg: number; afterKg: number; deltaCo2Kg: number }[];
}

export interface CostDocument {
    format: typeof COST_FORMAT;
    tool: { name: string; version: string };
    pack: { name: string; version: string };
    source: CheckSource;
    lang: Lang;
    /** Every figure is an indicative estimate. */
    nature: "indicatif";
    profile: string;
    currency: string;
    taxes: "HT";
    hoursPerMonth: number;
    keys: string[];
    totals: CostTotals;
    byKey: KeyTotals[];
    /** Resources with a priced part or an issue, by decreasing cost. */
    resources: CostResource[];
    budgets: CostBudget[];
    /** Resources of other providers, not estimated. */
    outOfScope: { package: string; count: number }[];
    assumptions: Assumption[];
    sources: Record<string, { titre: string; url: string }>;
    baseline?: CostDiff;
}

const EMPTY: CostEstimate = {
    profile: "",
    currency: "EUR",
    hoursPerMonth: 730,
    keys: [],
    resources: [],
    totals: { costEur: 0, co2Kg: 0, energyKwh: 0, embodiedKg: 0, priced: 0, unpriced: 0, carbonUnknown: 0 },
    byKey: [],
    issues: [],
    outOfScope: [],
    assumptions: [],
    sources: {},
};

/** The cost document of a check; `baseline` (a cost document of an earlier check) adds the change against it. */
export function costDocument(result: CheckResult, baseline?: CostDocument, secrets: SecretIndex | undefined = secretsOf(result)): CostDocument {
    const est = result.cost?.estimate ?? EMPTY;
    const lang = result.lang;
    const s = (t: string) => scrubText(secrets, t);
    const sv = (v: string | number | undefined) => (typeof v === "string" ? s(v) : v);
    const keys = (k: Record<string, string>) => Object.fromEntries(Object.entries(k).map(([a, b]) => [a, s(b)]));
    const resources: CostResource[] = est.resources
        .map((r) => ({
            urn: r.urn,
            name: r.name,
            type: r.type,
            ...(r.costEur !== undefined ? { costEur: r.costEur } : {}),
            ...(r.co2Kg !== undefined ? { co2Kg: r.co2Kg } : {}),
            energyKwh: r.energyKwh,
            parts: r.parts.map((p) => ({ ...p, detail: s(p.detail) })),
            keys: keys(r.keys),
            attribution: { ...r.attribution },
            issues: r.issues.map((i) => ({
                reason: i.reason,
                text: reasonText(i.reason, lang),
                cost: i.cost,
                carbon: i.carbon,
                ...(i.property !== undefined ? { property: i.property } : {}),
                ...(i.value !== undefined ? { value: sv(i.value) } : {}),
            })),
        }))
        .sort((a, b) => (b.costEur ?? 0) - (a.costEur ?? 0) || (b.co2Kg ?? 0) - (a.co2Kg ?? 0) || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
    const doc: CostDocument = {
        format: COST_FORMAT,
        tool: { ...result.tool },
        pack: { ...result.pack },
        source: { ...result.source },
        lang,
        nature: "indicatif",
        profile: est.profile,
        currency: est.currency,
        taxes: "HT",
        hoursPerMonth: est.hoursPerMonth,
        keys: [...est.keys],
        totals: {
            costEur: est.totals.costEur,
            co2Kg: est.totals.co2Kg,
            energyKwh: est.totals.energyKwh,
            embodiedKg: est.totals.embodiedKg,
            unpriced: est.totals.unpriced,
            carbonUnknown: est.totals.carbonUnknown,
        },
        byKey: est.byKey.map((k) => ({ key: k.key, values: k.values.map((v) => ({ ...v, value: s(v.value) })) })),
        resources,
        budgets: (result.cost?.budgets ?? []).map((b) => ({
            ...(b.key !== undefined ? { key: b.key, value: s(b.value ?? "") } : {}),
            budget: b.budget,
            amount: b.amount,
            status: b.status,
            unpriced: b.unpriced.length,
        })),
        outOfScope: est.outOfScope.map((o) => ({ ...o })),
        assumptions: est.assumptions.map((a) => ({ ...a })),
        sources: structuredClone(est.sources),
    };
    if (baseline) doc.baseline = diff(baseline, doc);
    return doc;
}

export function renderCostJson(result: CheckResult, baseline?: CostDocument, secrets?: SecretIndex): string {
    return JSON.stringify(costDocument(result, baseline, secrets ?? secretsOf(result)), null, 2) + "\n";
}

/** The change from `before` to `after`: totals, resources added, removed or changed (by URN), key values. */
export function diff(before: CostDocument, after: CostDocument): CostDiff {
    const amount = (r: CostResource | undefined) => ({ costEur: r?.costEur ?? 0, co2Kg: r?.co2Kg ?? 0 });
    const was = new Map(before.resources.map((r) => [r.urn, r]));
    const now = new Map(after.resources.map((r) => [r.urn, r]));
    const changes: CostChange[] = [];
    for (const r of after.resources) {
        const b = was.get(r.urn);
        const a = amount(r);
        if (!b) changes.push({ urn: r.urn, name: r.name, type: r.type, change: "added", after: a, deltaCostEur: a.costEur, deltaCo2Kg: a.co2Kg });
        else {
            const p = amount(b);
            const dc = a.costEur - p.costEur;
            const dk = a.co2Kg - p.co2Kg;
            if (Math.abs(dc) >= 0.005 || Math.abs(dk) >= 0.005) changes.push({ urn: r.urn, name: r.name, type: r.type, change: "changed", before: p, after: a, deltaCostEur: dc, deltaCo2Kg: dk });
        }
    }
    for (const r of before.resources) {
        if (now.has(r.urn)) continue;
        const p = amount(r);
        changes.push({ urn: r.urn, name: r.name, type: r.type, change: "removed", before: p, deltaCostEur: -p.costEur, deltaCo2Kg: -p.co2Kg });
    }
    changes.sort((x, y) => Math.abs(y.deltaCostEur) - Math.abs(x.deltaCostEur) || Math.abs(y.deltaCo2Kg) - Math.abs(x.deltaCo2Kg) || (x.urn < y.urn ? -1 : 1));
    const byKey: CostDiff["byKey"] = [];
    const keys = new Set([...before.byKey.map((k) => k.key), ...after.byKey.map((k) => k.key)]);
    for (const key of keys) {
        const b = new Map((before.byKey.find((k) => k.key === key)?.values ?? []).map((v) => [v.value, v]));
        const a = new Map((after.byKey.find((k) => k.key === key)?.values ?? []).map((v) => [v.value, v]));
        for (const value of new Set([...b.keys(), ...a.keys()])) {
            const x = b.get(value);
            const y = a.get(value);
            const beforeEur = x?.costEur ?? 0;
            const afterEur = y?.costEur ?? 0;
            const beforeKg = x?.co2Kg ?? 0;
            const afterKg = y?.co2Kg ?? 0;
            if (Math.abs(afterEur - beforeEur) < 0.005 && Math.abs(afterKg - beforeKg) < 0.005) continue;
            byKey.push({ key, value, beforeEur, afterEur, deltaCostEur: afterEur - beforeEur, beforeKg, afterKg, deltaCo2Kg: afterKg - beforeKg });
        }
    }
    return {
        baseline: { source: before.source, totals: before.totals },
        deltaCostEur: after.totals.costEur - before.totals.costEur,
        deltaCo2Kg: after.totals.co2Kg - before.totals.co2Kg,
        resources: changes,
        byKey,
    };
}

/** Reads a baseline: a cost document (`--report cost-json`) of an earlier check. Throws with a one-line reason. */
export function parseCostDocument(text: string): CostDocument {
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new Error(`invalid JSON (${(e as Error).message.split("\n")[0]})`);
    }
    const d = json as Partial<CostDocument> | null;
    if (!d || typeof d !== "object" || d.format !== COST_FORMAT) {
        throw new Error(`not a cost report: expected "format": "${COST_FORMAT}" (written by --report cost-json=FILE)`);
    }
    if (!d.totals || typeof d.totals.costEur !== "number" || !Array.isArray(d.resources) || !Array.isArray(d.byKey)) {
        throw new Error("cost report without totals, resources or byKey");
    }
    return d as CostDocument;
}
