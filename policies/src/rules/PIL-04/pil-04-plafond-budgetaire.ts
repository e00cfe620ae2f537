import type { BudgetConfig } from "../../lib/cost/budget";
import type * as Budget from "../../lib/cost/budget";
// One estimate per AnalyzeStack call, shared by PIL-03, PIL-04 and PIL-05.
import { stackEstimate } from "../../lib/cost/shared-estimate";
import type * as Summary from "../../lib/cost/summary";
import { txt } from "../../lib/i18n";
import { defineStackRule } from "../../lib/rule";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const budgets = lazy(() => require("../../lib/cost/budget") as typeof Budget);
const summaries = lazy(() => require("../../lib/cost/summary") as typeof Summary);

const STACK_TYPE = "pulumi:pulumi:Stack";

export default defineStackRule<BudgetConfig>({
    name: "pil-04-plafond-budgetaire",
    needs: ["PIL-04"],
    title: txt("Plafond budgétaire", "Budget ceiling"),
    description: txt(
        "Le coût mensuel estimé par PIL-03 (même estimation, mêmes données) reste dans le budget configuré : `budgetMensuel` pour la pile entière (0 = aucun), et `budgetsParCle` par valeur d'une clé de regroupement (par exemple `{\"centre-de-cout\": {\"CC-2024-117\": 500}}`). La règle ne s'applique que si un budget est configuré ; elle est alors obligatoire (niveau par défaut ; `niveaux` du pack ou le niveau de la politique le changent). Les montants sont comparés au budget au centime près : un montant égal au budget le respecte, un montant supérieur est une violation, une par budget dépassé, portée par la ressource racine de la pile quand elle est présente (ce qui permet d'y déroger). Quand des éléments du périmètre d'un budget ne sont pas chiffrés (gabarit absent du barème, valeur inconnue avant déploiement…), le montant est un minimum : au-dessus du budget, c'est un dépassement certain ; en dessous, le budget est invérifiable (« ne peut pas être vérifié », jamais un succès silencieux).",
        "The monthly cost estimated by PIL-03 (same estimate, same data) stays within the configured budget: `budgetMensuel` for the whole stack (0 = none), and `budgetsParCle` per value of a grouping key (for example `{\"centre-de-cout\": {\"CC-2024-117\": 500}}`). The rule only applies when a budget is configured; it is then mandatory (default level; the pack's `niveaux` or the policy's level change it). Amounts are compared to the budget to the cent: an amount equal to the budget stays within it, a higher amount is a violation, one per budget exceeded, carried by the stack's root resource when present (so that a derogation can name it). When items in a budget's scope are unpriced (flavor missing from the price book, value unknown until the update…), the amount is a minimum: over the budget, the overrun is certain; under it, the budget cannot be checked (\"cannot be checked\", never a silent pass).",
    ),
    remediation: txt(
        "Réduire les ressources (gabarits, tailles de volume, réplicas) ou relever le budget dans la configuration de la politique.",
        "Reduce the resources (flavors, volume sizes, replicas) or raise the budget in the policy's configuration.",
    ),
    severity: "medium",
    enforcementLevel: "mandatory",
    config: {
        budgetMensuel: {
            type: "number",
            minimum: 0,
            default: 0,
            description: txt("Budget mensuel de la pile en € hors taxes ; 0 = aucun.", "Monthly budget of the stack in € excluding taxes; 0 = none."),
        },
        budgetsParCle: {
            type: "object",
            additionalProperties: { type: "object", additionalProperties: { type: "number", minimum: 0 } },
            default: {},
            description: txt(
                "Budgets mensuels par clé de regroupement puis par valeur, en € hors taxes.",
                "Monthly budgets per grouping key then per value, in € excluding taxes.",
            ),
        },
    },
    types: [],
    appliesWhen: (config) => budgets().hasBudget(config),
    check(stack, ctx) {
        const est = stackEstimate(stack, ctx);
        const root = stack.ofType(STACK_TYPE)[0];
        const checks = budgets().checkBudgets(est, ctx.config);
        for (const b of checks.filter((x) => x.status === "over")) {
            const { problem, fix } = summaries().overBudget(b);
            ctx.report({ ...(root ? { resource: root } : {}), problem, fix });
        }
        const undetermined = checks.filter((x) => x.status === "unknown");
        if (undetermined.length > 0) ctx.cannotCheck(summaries().undeterminedBudgets(undetermined));
    },
});
