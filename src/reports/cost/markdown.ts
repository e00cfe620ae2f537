/**
 * The cost report for a merge-request comment (`--report cost-md=…`): totals, the change against a
 * baseline estimate (`--baseline FILE`) as Infracost shows a diff, totals by cost-attribution key,
 * top resources, budgets, what is unpriced, and the assumptions with their sources.
 */
import { keyValueLabel } from "@cloud-de-confiance/policies/dist/lib/cost/texts";
import { md, mdCode } from "../common";
import { CostDocument } from "./document";
import { costLabels, eur, kg, kwh, partsText, shortType, signed } from "./labels";

/** Top resources listed. */
export const TOP_RESOURCES = 10;

export function renderCostMarkdown(doc: CostDocument): string {
    const lang = doc.lang;
    const l = costLabels(lang);
    const t = doc.totals;
    const out: string[] = [];
    const lowerCost = t.unpriced > 0 ? `${l.atLeast} ` : "";
    const lowerKg = t.carbonUnknown > 0 ? `${l.atLeast} ` : "";
    out.push(`## 💶 ${l.title} — ${lowerCost}${eur(t.costEur, lang)} · ${lowerKg}${kg(t.co2Kg, lang)}`, "");
    out.push(`_${md(l.intro(doc.profile, doc.hoursPerMonth))}_`, "");
    out.push(`${md(doc.tool.name)} ${md(doc.tool.version)} · ${mdCode(doc.source.path)}${doc.source.stack ? ` (${md(doc.source.stack)})` : ""}`, "");

    const base = doc.baseline;
    out.push(base ? `| | ${l.monthly} | ${l.vsBaseline} |` : `| | ${l.monthly} |`, base ? "|---|---:|---:|" : "|---|---:|");
    const row = (label: string, value: string, delta?: string) => out.push(base ? `| ${label} | ${value} | ${delta ?? ""} |` : `| ${label} | ${value} |`);
    row(l.cost, `${lowerCost}${eur(t.costEur, lang)}`, base ? `${signed(base.deltaCostEur, lang, "€")} (${eur(base.baseline.totals.costEur, lang)} → ${eur(t.costEur, lang)})` : undefined);
    row(l.footprint, `${lowerKg}${kg(t.co2Kg, lang)}`, base ? `${signed(base.deltaCo2Kg, lang, "kgCO2e")} (${kg(base.baseline.totals.co2Kg, lang)} → ${kg(t.co2Kg, lang)})` : undefined);
    row(`${l.energy} (${l.embodied} ${kg(t.embodiedKg, lang)})`, kwh(t.energyKwh, lang), base ? "" : undefined);
    if (t.unpriced + t.carbonUnknown > 0) row(`${l.unpriced} / ${l.carbonUnknown}`, `${t.unpriced} / ${t.carbonUnknown}`, base ? "" : undefined);

    if (base) {
        out.push("", `### ${l.changes}`, "");
        if (base.resources.length === 0) out.push(`_${l.noChange}_`);
        else {
            out.push(`| | ${l.resource} | ${l.type} | ${l.cost} | ${l.delta} | ${l.footprint} | ${l.delta} |`, "|---|---|---|---:|---:|---:|---:|");
            for (const c of base.resources) {
                const sign = c.change === "added" ? "➕" : c.change === "removed" ? "➖" : "🔁";
                const label = c.change === "added" ? l.added : c.change === "removed" ? l.removed : l.changed;
                out.push(
                    `| ${sign} ${label} | ${mdCode(c.name, true)} | ${md(shortType(c.type))} | ${eur(c.after?.costEur, lang)} | ${signed(c.deltaCostEur, lang, "€")} | ${kg(c.after?.co2Kg, lang)} | ${signed(c.deltaCo2Kg, lang, "kgCO2e")} |`,
                );
            }
        }
    }

    out.push("", `### ${l.byKey}`, "");
    for (const k of doc.byKey) {
        const deltas = new Map((base?.byKey ?? []).filter((d) => d.key === k.key).map((d) => [d.value, d]));
        out.push(`**${md(k.key)}**`, "");
        out.push(
            base ? `| ${l.value} | ${l.cost} | ${l.delta} | ${l.footprint} | ${l.resources} | ${l.unpriced} |` : `| ${l.value} | ${l.cost} | ${l.footprint} | ${l.resources} | ${l.unpriced} |`,
            base ? "|---|---:|---:|---:|---:|---:|" : "|---|---:|---:|---:|---:|",
        );
        for (const v of k.values) {
            const name = v.value === "" ? md(keyValueLabel("", lang)) : mdCode(v.value, true);
            const d = deltas.get(v.value);
            out.push(
                base
                    ? `| ${name} | ${eur(v.costEur, lang)} | ${d ? signed(d.deltaCostEur, lang, "€") : ""} | ${kg(v.co2Kg, lang)} | ${v.resources} | ${v.unpriced} |`
                    : `| ${name} | ${eur(v.costEur, lang)} | ${kg(v.co2Kg, lang)} | ${v.resources} | ${v.unpriced} |`,
            );
        }
        out.push("");
    }

    const priced = doc.resources.filter((r) => r.costEur !== undefined || r.co2Kg !== undefined);
    out.push(`### ${l.topResources} (${Math.min(TOP_RESOURCES, priced.length)}/${priced.length})`, "");
    if (priced.length === 0) out.push(`_${l.noResource}_`);
    else {
        out.push(`| ${l.resource} | ${l.type} | ${l.detail} | ${l.cost} | ${l.footprint} |`, "|---|---|---|---:|---:|");
        for (const r of priced.slice(0, TOP_RESOURCES)) {
            out.push(`| ${mdCode(r.name, true)} | ${md(shortType(r.type))} | ${md(partsText(r, lang))} | ${eur(r.costEur, lang)} | ${kg(r.co2Kg, lang)} |`);
        }
    }

    if (doc.budgets.length > 0) {
        out.push("", `### ${l.budgets}`, "", `| ${l.scope} | ${l.budget} | ${l.estimate} | ${l.status} |`, "|---|---:|---:|---|");
        for (const b of doc.budgets) {
            const scope = b.key === undefined ? md(l.wholeStack) : `${md(b.key)} = ${mdCode(b.value ?? "", true)}`;
            const amount = `${b.unpriced > 0 ? `${l.atLeast} ` : ""}${eur(b.amount, lang)}`;
            out.push(`| ${scope} | ${eur(b.budget, lang)} | ${amount} | ${l.budgetStatus[b.status]} |`);
        }
    }

    const issues = doc.resources.flatMap((r) => r.issues.map((i) => ({ r, i })));
    if (issues.length > 0) {
        out.push("", `### ${l.issues}`, "", `| ${l.resource} | ${l.type} | ${l.reason} | ${l.property} | ${l.cost} | ${l.footprint} |`, "|---|---|---|---|:-:|:-:|");
        for (const { r, i } of issues) {
            const prop = i.property ? `${mdCode(i.property, true)}${i.value !== undefined ? ` = ${mdCode(String(i.value), true)}` : ""}` : "";
            out.push(`| ${mdCode(r.name, true)} | ${md(shortType(r.type))} | ${md(i.text)} | ${prop} | ${i.cost ? "?" : "✓"} | ${i.carbon ? "?" : "✓"} |`);
        }
    }

    if (doc.outOfScope.length > 0) {
        out.push("", `${md(l.outOfScope)} : ${doc.outOfScope.map((o) => `${mdCode(o.package)} (${o.count})`).join(", ")}`);
    }

    out.push("", "<details>", `<summary>${l.assumptions}</summary>`, "", `| ${l.name} | ${l.value} | ${l.source} | ${l.date} |`, "|---|---:|---|---|");
    for (const a of doc.assumptions) {
        const src = doc.sources[a.source];
        const source = src ? (src.url.startsWith("http") ? `[${md(src.titre)}](${src.url})` : md(src.titre)) : md(a.source);
        out.push(`| ${mdCode(a.name, true)} | ${md(`${a.value}${a.unit ? ` ${a.unit}` : ""}`)} | ${source} | ${md(a.date)} |`);
    }
    out.push("", "</details>");
    return out.join("\n") + "\n";
}
