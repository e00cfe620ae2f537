import { Lang } from "../i18n";
import { at, items, m, Message, msg, Template } from "../message";
import type { BudgetCheck } from "./budget";
import type { CostEstimate, Issue, KeyTotals } from "./estimate";
import { formatEur, formatKg, formatNumber, keyValueLabel, reasonText } from "./texts";

/**
 * The pack's summaries of an estimate (PIL-03, PIL-05) and its budget findings (PIL-04), written
 * as `m` templates: key values, names and property values are values, rendered by message.ts
 * (secrets hidden); figures are formatted here.
 */

/** Most values listed per key in a summary (the reports list them all). */
const MAX_VALUES = 4;

/**
 * A constant text of the pack (texts.ts: reasons, labels) as literal text of a template: it is the
 * pack's own wording, not a value, so it is never mistaken for one derived from a secret.
 */
function literal(text: string): Template {
    return m(Object.assign([text], { raw: [text] }) as unknown as TemplateStringsArray);
}

/** A key's value, or the literal "(non imputé)". */
function keyValue(value: string, lang: Lang): string | Template {
    return value === "" ? literal(keyValueLabel(value, lang)) : value;
}

function issueTemplate(i: Issue, lang: Lang): Template {
    const why = literal(reasonText(i.reason, lang));
    const shown = i.value !== undefined && i.property ? at(i.value, i.property, { urn: i.urn }) : undefined;
    if (lang === "fr") return shown !== undefined ? m`« ${i.name} » : ${why} (« ${shown} »)` : m`« ${i.name} » : ${why}`;
    return shown !== undefined ? m`"${i.name}": ${why} ("${shown}")` : m`"${i.name}": ${why}`;
}

function byKey(totals: readonly KeyTotals[], lang: Lang, amount: (v: KeyTotals["values"][number]) => string): Template[] {
    return totals.map((t) => {
        const values = t.values.map((v) => m`${keyValue(v.value, lang)} ${amount(v)}`);
        return lang === "fr" ? m` ; par ${t.key} : ${items(values, { max: MAX_VALUES })}` : m`; by ${t.key}: ${items(values, { max: MAX_VALUES })}`;
    });
}

/** PIL-03: the monthly cost, by key, and what is unpriced. */
export function costSummary(est: CostEstimate): Message {
    const make = (lang: Lang): Template => {
        const total = formatEur(est.totals.costEur, lang);
        const unpriced = est.issues.filter((i) => i.cost);
        const keys = items(byKey(est.byKey, lang, (v) => formatEur(v.costEur, lang)), { sep: "", max: est.byKey.length });
        const issues = items(unpriced.map((i) => issueTemplate(i, lang)));
        if (lang === "fr") {
            const head = unpriced.length ? m`au moins ${total}` : m`${total}`;
            const tail = unpriced.length ? m` ; non chiffré, jamais compté à zéro (${unpriced.length}) : ${issues}` : m``;
            return m`coût mensuel estimé : ${head} hors taxes (indicatif, profil ${est.profile}, ${est.totals.priced} ressource(s) chiffrée(s))${keys}${tail}.`;
        }
        const head = unpriced.length ? m`at least ${total}` : m`${total}`;
        const tail = unpriced.length ? m`; unpriced, never counted as zero (${unpriced.length}): ${issues}` : m``;
        return m`estimated monthly cost: ${head} excluding taxes (indicative, profile ${est.profile}, ${est.totals.priced} priced resource(s))${keys}${tail}.`;
    };
    return msg(make("fr"), make("en"));
}

/** PIL-05: the monthly emissions, by key, with the assumptions that weigh most, and what is unknown. */
export function carbonSummary(est: CostEstimate): Message {
    const assumption = (name: string) => est.assumptions.find((a) => a.name === name);
    const make = (lang: Lang): Template => {
        const total = formatKg(est.totals.co2Kg, lang);
        const unknown = est.issues.filter((i) => i.carbon);
        const keys = items(byKey(est.byKey, lang, (v) => formatKg(v.co2Kg, lang)), { sep: "", max: est.byKey.length });
        const issues = items(unknown.map((i) => issueTemplate(i, lang)));
        const grid = assumption("intensiteReseau");
        const gridText = grid && typeof grid.value === "number" ? `${formatNumber(grid.value, lang)} ${grid.unit}` : "?";
        const pue = formatNumber(Number(assumption("pue")?.value ?? 0), lang);
        const util = formatNumber(Number(assumption("tauxUtilisation")?.value ?? 0) * 100, lang, 0);
        const energy = formatNumber(est.totals.energyKwh, lang);
        const embodied = formatKg(est.totals.embodiedKg, lang);
        if (lang === "fr") {
            const head = unknown.length ? m`au moins ${total}` : m`${total}`;
            const tail = unknown.length ? m` ; empreinte inconnue, jamais comptée à zéro (${unknown.length}) : ${issues}` : m``;
            return m`empreinte mensuelle estimée : ${head} (indicatif ; dont fabrication ${embodied} ; énergie ${energy} kWh ; réseau ${gridText}, PUE ${pue}, utilisation ${util} %)${keys}${tail}.`;
        }
        const head = unknown.length ? m`at least ${total}` : m`${total}`;
        const tail = unknown.length ? m`; footprint unknown, never counted as zero (${unknown.length}): ${issues}` : m``;
        return m`estimated monthly footprint: ${head} (indicative; embodied ${embodied}; energy ${energy} kWh; grid ${gridText}, PUE ${pue}, utilisation ${util} %)${keys}${tail}.`;
    };
    return msg(make("fr"), make("en"));
}

function scope(b: BudgetCheck, lang: Lang): Template {
    if (b.key === undefined) return lang === "fr" ? m`pile entière` : m`whole stack`;
    return lang === "fr" ? m`${b.key} = « ${keyValue(b.value ?? "", lang)} »` : m`${b.key} = "${keyValue(b.value ?? "", lang)}"`;
}

/** PIL-04: an estimate over its budget. */
export function overBudget(b: BudgetCheck): { problem: Message; fix: Message } {
    const make = (lang: Lang) => {
        const amount = formatEur(b.amount, lang);
        const budget = formatEur(b.budget, lang);
        const over = formatEur(b.amount - b.budget, lang);
        const n = b.unpriced.length;
        if (lang === "fr") {
            const more = n ? m` ; ${n} élément(s) non chiffré(s) s'y ajoutent` : m``;
            return m`${scope(b, lang)} : coût mensuel estimé ${amount} au-dessus du budget de ${budget} (dépassement de ${over})${more}.`;
        }
        const more = n ? m`; ${n} unpriced item(s) come on top` : m``;
        return m`${scope(b, lang)}: estimated monthly cost ${amount} over the budget of ${budget} (overrun of ${over})${more}.`;
    };
    return {
        problem: msg(make("fr"), make("en")),
        fix:
            b.key === undefined
                ? msg(m`réduire les ressources de la pile (gabarits, tailles, réplicas) ou relever le budget.`, m`reduce the stack's resources (flavors, sizes, replicas) or raise the budget.`)
                : msg(
                      m`réduire les ressources imputées à ${scope(b, "fr")} (gabarits, tailles, réplicas) ou relever son budget.`,
                      m`reduce the resources attributed to ${scope(b, "en")} (flavors, sizes, replicas) or raise its budget.`,
                  ),
    };
}

/** PIL-04: budgets the estimate stays within only as a lower bound. */
export function undeterminedBudgets(list: readonly BudgetCheck[]): Message {
    const make = (lang: Lang): Template => {
        const scopes = items(
            list.map((b) =>
                lang === "fr"
                    ? m`${scope(b, lang)} : au moins ${formatEur(b.amount, lang)} pour un budget de ${formatEur(b.budget, lang)}, ${items(b.unpriced.map((i) => issueTemplate(i, lang)), { max: 3 })}`
                    : m`${scope(b, lang)}: at least ${formatEur(b.amount, lang)} for a budget of ${formatEur(b.budget, lang)}, ${items(b.unpriced.map((i) => issueTemplate(i, lang)), { max: 3 })}`,
            ),
            { sep: " ; " },
        );
        return lang === "fr"
            ? m`budget invérifiable : des éléments ne sont pas chiffrés (${scopes}).`
            : m`budget cannot be checked: items are unpriced (${scopes}).`;
    };
    return msg(make("fr"), make("en"));
}
