import type { CostEstimate, Issue } from "./estimate";
import { cents } from "./texts";

/**
 * Budgets (PIL-04): a monthly budget for the whole stack and per value of a cost-attribution key,
 * compared to the estimate to the cent. An amount equal to its budget stays within it. When items
 * of the scope are unpriced, the estimate is a lower bound: over the budget it is a certain
 * overrun; within it, the budget cannot be checked.
 */
export interface BudgetConfig {
    /** Monthly budget of the stack in €, 0 = none. */
    budgetMensuel: number;
    /** Per key, per value: the monthly budget in €. */
    budgetsParCle: Record<string, Record<string, number>>;
}

export type BudgetStatus = "within" | "over" | "unknown";

export interface BudgetCheck {
    /** undefined for the stack's total. */
    key?: string;
    value?: string;
    budget: number;
    amount: number;
    status: BudgetStatus;
    /** Unpriced items of the scope. */
    unpriced: Issue[];
}

/** Whether any budget is configured. */
export function hasBudget(c: Partial<BudgetConfig>): boolean {
    if (typeof c.budgetMensuel === "number" && c.budgetMensuel > 0) return true;
    return Object.values(c.budgetsParCle ?? {}).some((m) => m && typeof m === "object" && Object.values(m).some((v) => typeof v === "number"));
}

export function checkBudgets(est: CostEstimate, c: Partial<BudgetConfig>): BudgetCheck[] {
    const out: BudgetCheck[] = [];
    const judge = (budget: number, amount: number, unpriced: Issue[]): BudgetStatus =>
        cents(amount) > cents(budget) ? "over" : unpriced.length > 0 ? "unknown" : "within";
    if (typeof c.budgetMensuel === "number" && c.budgetMensuel > 0) {
        const unpriced = est.issues.filter((i) => i.cost);
        out.push({ budget: c.budgetMensuel, amount: est.totals.costEur, status: judge(c.budgetMensuel, est.totals.costEur, unpriced), unpriced });
    }
    for (const [key, budgets] of Object.entries(c.budgetsParCle ?? {})) {
        if (!budgets || typeof budgets !== "object") continue;
        for (const [value, budget] of Object.entries(budgets)) {
            if (typeof budget !== "number" || !Number.isFinite(budget)) continue;
            const inScope = est.resources.filter((r) => (r.keys[key] ?? "") === value);
            const amount = inScope.reduce((a, r) => a + (r.costEur ?? 0), 0);
            const unpriced = inScope.flatMap((r) => r.issues.filter((i) => i.cost));
            out.push({ key, value, budget, amount, status: judge(budget, amount, unpriced), unpriced });
        }
    }
    return out;
}
