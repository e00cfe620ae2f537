/**
 * The cost and carbon estimate of a check (PIL-03, PIL-04, PIL-05), as data.
 *
 * The pack's PIL-03 and PIL-05 report the estimate as one advisory summary on the stack, PIL-04 its
 * budget overruns. The checker does not read those messages back: it runs the pack's own estimator
 * (policies/src/lib/cost/estimate.ts) on the resources it analysed, with the configuration the pack
 * received (reconciled settings, PIL-04's budgets) and the stack it described with ConfigureStack,
 * so its figures are the pack's. They feed the conformance matrix (`figures` of the three needs)
 * and the cost reports (reports/cost/).
 */
import { BudgetConfig, checkBudgets } from "@cloud-de-confiance/policies/dist/lib/cost/budget";
import { EstimationSettings } from "@cloud-de-confiance/policies/dist/lib/cost/data";
import { CostEstimate, estimate, estimateOptions } from "@cloud-de-confiance/policies/dist/lib/cost/estimate";
import { policyResources } from "@cloud-de-confiance/policies/dist/lib/cost/resources";
import { StackView } from "@cloud-de-confiance/policies/dist/lib/rule";
import { SETTINGS_KEY } from "@cloud-de-confiance/policies/dist/lib/settings";
import { UNKNOWN_PARTS_TAG } from "@cloud-de-confiance/policies/dist/lib/stack-knowledge";
import { Evaluation, StackContext } from "../engine/engine";
import { CostResult, Lang, NeedConformance, NeedFigure } from "./model";

export const BUDGET_POLICY = "pil-04-plafond-budgetaire";

/** The estimate and budgets of an evaluation. */
export function costOf(ev: Evaluation, stack?: StackContext): CostResult {
    const settings = (ev.config[SETTINGS_KEY]?.properties ?? {}) as { profil?: string; estimation?: EstimationSettings };
    // What the pack knows of the stack: the tags and the non-secret configuration of ConfigureStack.
    const tags = new Map(Object.entries(stack?.tags ?? {}).filter(([k]) => k !== UNKNOWN_PARTS_TAG));
    const secret = new Set(stack?.secretKeys ?? []);
    const config = new Map(Object.entries(stack?.config ?? {}).filter(([k]) => !secret.has(k)));
    const resources = policyResources(ev.resources);
    const est = estimate(new StackView(resources, tags), estimateOptions(settings, tags, config));
    const budgetEntry = ev.config[BUDGET_POLICY];
    const budgets = budgetEntry && budgetEntry.enforcementLevel !== "disabled" ? checkBudgets(est, budgetConfig(budgetEntry.properties)) : [];
    return { estimate: est, budgets };
}

function budgetConfig(p: Record<string, unknown>): Partial<BudgetConfig> {
    const total = p["budgetMensuel"];
    const perKey = p["budgetsParCle"];
    return {
        budgetMensuel: typeof total === "number" ? total : 0,
        budgetsParCle: perKey && typeof perKey === "object" && !Array.isArray(perKey) ? (perKey as BudgetConfig["budgetsParCle"]) : {},
    };
}

/**
 * An estimate with items it could not price (PIL-03) or whose footprint is unknown (PIL-05) is a
 * minimum: the need is "cannot be checked" for those resources, never "respected" on a partial sum
 * (a stack none of whose items the price book knows would otherwise show 0 € respected).
 */
export function withEstimateStatus(c: NeedConformance, cost: CostResult): NeedConformance {
    if (c.status !== "respected") return c;
    const pick = c.need === "PIL-03" ? (i: { cost: boolean }) => i.cost : c.need === "PIL-05" ? (i: { carbon: boolean }) => i.carbon : undefined;
    if (!pick) return c;
    const urns = [...new Set(cost.estimate.resources.filter((r) => r.issues.some((i) => pick(i))).map((r) => r.urn))];
    return urns.length > 0 ? { ...c, status: "cannot-check", resources: urns } : c;
}

const LABELS = {
    fr: {
        cost: "coût mensuel estimé",
        unpriced: "éléments non chiffrés",
        co2: "empreinte mensuelle estimée",
        energy: "énergie",
        carbonUnknown: "éléments d'empreinte inconnue",
        budget: "budget de la pile",
        budgetOf: (k: string, v: string) => `budget ${k} = ${v}`,
        over: "budgets dépassés",
        undetermined: "budgets invérifiables",
    },
    en: {
        cost: "estimated monthly cost",
        unpriced: "unpriced items",
        co2: "estimated monthly footprint",
        energy: "energy",
        carbonUnknown: "items of unknown footprint",
        budget: "stack budget",
        budgetOf: (k: string, v: string) => `budget ${k} = ${v}`,
        over: "budgets exceeded",
        undetermined: "budgets that cannot be checked",
    },
};

/** The figures of PIL-03, PIL-04 and PIL-05 for the conformance matrix; none for other needs. */
export function needFigures(need: string, cost: CostResult, lang: Lang): NeedFigure[] | undefined {
    const l = LABELS[lang];
    const e: CostEstimate = cost.estimate;
    switch (need) {
        case "PIL-03":
            return [
                { label: l.cost, value: e.totals.costEur, unit: "€" },
                { label: l.unpriced, value: e.totals.unpriced, unit: "" },
            ];
        case "PIL-05":
            return [
                { label: l.co2, value: e.totals.co2Kg, unit: "kgCO2e" },
                { label: l.energy, value: e.totals.energyKwh, unit: "kWh" },
                { label: l.carbonUnknown, value: e.totals.carbonUnknown, unit: "" },
            ];
        case "PIL-04": {
            if (cost.budgets.length === 0) return undefined;
            return [
                ...cost.budgets.map((b) => ({ label: b.key === undefined ? l.budget : l.budgetOf(b.key, b.value ?? ""), value: b.budget, unit: "€" })),
                { label: l.over, value: cost.budgets.filter((b) => b.status === "over").length, unit: "" },
                { label: l.undetermined, value: cost.budgets.filter((b) => b.status === "unknown").length, unit: "" },
            ];
        }
        default:
            return undefined;
    }
}
