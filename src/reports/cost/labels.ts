/** Words of the cost reports (Markdown and HTML), in French and English. */
import { formatEur, formatKg, formatNumber, partKindText } from "@cloud-de-confiance/policies/dist/lib/cost/texts";
import { Lang } from "../../checker/model";
import { CostResource } from "./document";

export interface CostLabels {
    title: string;
    intro: (profile: string, hours: number) => string;
    monthly: string;
    vsBaseline: string;
    cost: string;
    footprint: string;
    energy: string;
    embodied: string;
    atLeast: string;
    changes: string;
    noChange: string;
    added: string;
    removed: string;
    changed: string;
    byKey: string;
    value: string;
    resources: string;
    unpriced: string;
    carbonUnknown: string;
    topResources: string;
    resource: string;
    type: string;
    detail: string;
    budgets: string;
    scope: string;
    wholeStack: string;
    budget: string;
    estimate: string;
    status: string;
    budgetStatus: Record<"within" | "over" | "unknown", string>;
    issues: string;
    reason: string;
    property: string;
    assumptions: string;
    name: string;
    source: string;
    date: string;
    outOfScope: string;
    baselineFrom: string;
    delta: string;
    chartCost: string;
    chartCarbon: string;
    noResource: string;
}

const FR: CostLabels = {
    title: "Coût et empreinte estimés",
    intro: (profile, hours) =>
        `Estimation indicative avant déploiement : profil ${profile}, euros hors taxes, ${hours} h par mois ; méthode et sources dans docs/methode-cout-carbone.md.`,
    monthly: "Par mois",
    vsBaseline: "Par rapport à la référence",
    cost: "Coût",
    footprint: "Empreinte",
    energy: "Énergie",
    embodied: "dont fabrication",
    atLeast: "au moins",
    changes: "Changements par rapport à la référence",
    noChange: "aucun changement de coût ni d'empreinte",
    added: "ajoutée",
    removed: "supprimée",
    changed: "modifiée",
    byKey: "Par clé d'imputation",
    value: "Valeur",
    resources: "Ressources",
    unpriced: "Non chiffrés",
    carbonUnknown: "Empreinte inconnue",
    topResources: "Ressources principales",
    resource: "Ressource",
    type: "Type",
    detail: "Détail",
    budgets: "Budgets (PIL-04)",
    scope: "Périmètre",
    wholeStack: "pile entière",
    budget: "Budget",
    estimate: "Estimation",
    status: "Statut",
    budgetStatus: { within: "✅ respecté", over: "❌ dépassé", unknown: "❔ invérifiable" },
    issues: "Non chiffré ou d'empreinte inconnue (jamais compté à zéro)",
    reason: "Raison",
    property: "Propriété",
    assumptions: "Hypothèses et sources",
    name: "Paramètre",
    source: "Source",
    date: "Date",
    outOfScope: "Hors périmètre (autres fournisseurs, non estimés)",
    baselineFrom: "référence",
    delta: "Écart",
    chartCost: "Coût mensuel (€ HT)",
    chartCarbon: "Empreinte mensuelle (kgCO2e)",
    noResource: "aucune ressource à estimer",
};

const EN: CostLabels = {
    title: "Estimated cost and footprint",
    intro: (profile, hours) =>
        `Indicative estimate before deployment: profile ${profile}, euros excluding taxes, ${hours} h a month; method and sources in docs/methode-cout-carbone.md.`,
    monthly: "Monthly",
    vsBaseline: "Against the baseline",
    cost: "Cost",
    footprint: "Footprint",
    energy: "Energy",
    embodied: "of which embodied",
    atLeast: "at least",
    changes: "Changes against the baseline",
    noChange: "no change in cost or footprint",
    added: "added",
    removed: "removed",
    changed: "changed",
    byKey: "By cost-attribution key",
    value: "Value",
    resources: "Resources",
    unpriced: "Unpriced",
    carbonUnknown: "Unknown footprint",
    topResources: "Top resources",
    resource: "Resource",
    type: "Type",
    detail: "Detail",
    budgets: "Budgets (PIL-04)",
    scope: "Scope",
    wholeStack: "whole stack",
    budget: "Budget",
    estimate: "Estimate",
    status: "Status",
    budgetStatus: { within: "✅ within", over: "❌ exceeded", unknown: "❔ cannot be checked" },
    issues: "Unpriced or unknown footprint (never counted as zero)",
    reason: "Reason",
    property: "Property",
    assumptions: "Assumptions and sources",
    name: "Parameter",
    source: "Source",
    date: "Date",
    outOfScope: "Out of scope (other providers, not estimated)",
    baselineFrom: "baseline",
    delta: "Change",
    chartCost: "Monthly cost (€ excl. taxes)",
    chartCarbon: "Monthly footprint (kgCO2e)",
    noResource: "no resource to estimate",
};

export function costLabels(lang: Lang): CostLabels {
    return lang === "fr" ? FR : EN;
}

/** `+12,00 €` / `−3,10 kgCO2e`: a signed change. */
export function signed(n: number, lang: Lang, unit: "€" | "kgCO2e"): string {
    const abs = unit === "€" ? formatEur(Math.abs(n), lang) : formatKg(Math.abs(n), lang);
    if (Math.abs(n) < 0.005) return unit === "€" ? formatEur(0, lang) : formatKg(0, lang);
    return `${n > 0 ? "+" : "−"}${abs}`;
}

export function eur(n: number | undefined, lang: Lang): string {
    return n === undefined ? "—" : formatEur(n, lang);
}

export function kg(n: number | undefined, lang: Lang): string {
    return n === undefined ? "—" : formatKg(n, lang);
}

export function kwh(n: number, lang: Lang): string {
    return `${formatNumber(n, lang)}\u00a0kWh`;
}

/** `b3-8, 20 Go high-speed-gen2-luks` with the kind of each part: `gabarit b3-8 ; volume de démarrage 20 Go …`. */
export function partsText(r: CostResource, lang: Lang): string {
    return r.parts.map((p) => `${partKindText(p.kind, lang)} ${p.count > 1 ? `${p.count} × ` : ""}${p.detail}`).join(" ; ");
}

/** `compute/Instance` for `openstack:compute/instance:Instance`. */
export function shortType(type: string): string {
    const m = /^([^:]+):([^:]*):(.+)$/.exec(type);
    if (!m) return type;
    const mod = m[2].split("/")[0];
    return mod ? `${mod}/${m[3]}` : m[3];
}
