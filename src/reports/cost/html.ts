/**
 * The cost report as one self-contained HTML page (`--report cost-html=…`): totals, charts of cost
 * and carbon by cost-attribution key, top resources, budgets and what is unpriced. Nothing is
 * fetched when it is opened: styles and the drawing script are inline, the data is embedded as
 * JSON, and the page's Content-Security-Policy forbids any load (`default-src 'none'`). The charts
 * are SVG drawn by the inline script from the embedded data; the tables are in the page itself,
 * so the figures stay readable without script.
 */
import { formatEur, formatKg, keyValueLabel } from "@cloud-de-confiance/policies/dist/lib/cost/texts";
import { CostDocument } from "./document";
import { costLabels, eur, kg, kwh, partsText, shortType, signed } from "./labels";
import { TOP_RESOURCES } from "./markdown";

/** Colours of the bars (also checked on the screenshot by the tests). */
export const COST_COLOUR = "#1f5fbf";
export const CARBON_COLOUR = "#2e8b57";

function esc(s: string): string {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** JSON safe inside a <script> element: no `</script>`, no HTML comment, no line separators. */
function scriptJson(v: unknown): string {
    return JSON.stringify(v).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

export function renderCostHtml(doc: CostDocument): string {
    const lang = doc.lang;
    const l = costLabels(lang);
    const t = doc.totals;
    const priced = doc.resources.filter((r) => r.costEur !== undefined || r.co2Kg !== undefined);
    const top = priced.slice(0, TOP_RESOURCES);
    const charts = {
        lang,
        labels: {
            cost: l.chartCost,
            carbon: l.chartCarbon,
            total: "Total",
            subtotal: lang === "fr" ? `Sous-total (${top.length} premières ressources)` : `Subtotal (top ${top.length} resources)`,
            unattributed: keyValueLabel("", lang),
        },
        colours: { cost: COST_COLOUR, carbon: CARBON_COLOUR },
        keys: doc.byKey.map((k) => ({ key: k.key, values: k.values.map((v) => ({ label: v.value, cost: v.costEur, carbon: v.co2Kg })) })),
        top: top.map((r) => ({ label: r.name, cost: r.costEur ?? 0, carbon: r.co2Kg ?? 0 })),
    };
    const atLeast = (n: number) => (n > 0 ? `${l.atLeast} ` : "");
    const base = doc.baseline;
    const body: string[] = [];
    body.push(`<header><h1>${esc(l.title)}</h1><p class="intro">${esc(l.intro(doc.profile, doc.hoursPerMonth))}</p>`);
    body.push(`<p class="source">${esc(doc.tool.name)} ${esc(doc.tool.version)} · ${esc(doc.source.path)}${doc.source.stack ? ` (${esc(doc.source.stack)})` : ""}</p></header>`);
    body.push(`<section class="totaux">`);
    body.push(
        `<div class="carte"><h2>${esc(l.cost)}</h2><p id="total-cout" data-valeur="${t.costEur}">${esc(atLeast(t.unpriced) + formatEur(t.costEur, lang))}</p>${base ? `<p class="ecart">${esc(signed(base.deltaCostEur, lang, "€"))}</p>` : ""}</div>`,
    );
    body.push(
        `<div class="carte"><h2>${esc(l.footprint)}</h2><p id="total-empreinte" data-valeur="${t.co2Kg}">${esc(atLeast(t.carbonUnknown) + formatKg(t.co2Kg, lang))}</p>${base ? `<p class="ecart">${esc(signed(base.deltaCo2Kg, lang, "kgCO2e"))}</p>` : ""}</div>`,
    );
    body.push(`<div class="carte"><h2>${esc(l.energy)}</h2><p>${esc(kwh(t.energyKwh, lang))}</p><p class="ecart">${esc(`${l.embodied} ${formatKg(t.embodiedKg, lang)}`)}</p></div>`);
    body.push(`<div class="carte"><h2>${esc(l.unpriced)} / ${esc(l.carbonUnknown)}</h2><p>${t.unpriced} / ${t.carbonUnknown}</p></div>`);
    body.push(`</section>`);

    body.push(`<section><h2>${esc(l.byKey)}</h2>`);
    doc.byKey.forEach((k, i) => {
        body.push(
            `<div class="cle" data-cle="${esc(k.key)}"><h3>${esc(k.key)}</h3><div class="graphes">` +
                `<svg role="img" aria-label="${esc(`${l.chartCost} — ${k.key}`)}" data-graphe="cout" data-index="${i}"></svg>` +
                `<svg role="img" aria-label="${esc(`${l.chartCarbon} — ${k.key}`)}" data-graphe="carbone" data-index="${i}"></svg></div></div>`,
        );
    });
    body.push(`</section>`);

    body.push(`<section><h2>${esc(l.topResources)} (${top.length}/${priced.length})</h2>`);
    body.push(`<div class="graphes"><svg role="img" aria-label="${esc(l.chartCost)}" data-graphe="cout-ressources"></svg><svg role="img" aria-label="${esc(l.chartCarbon)}" data-graphe="carbone-ressources"></svg></div>`);
    body.push(`<table><thead><tr><th>${esc(l.resource)}</th><th>${esc(l.type)}</th><th>${esc(l.detail)}</th><th>${esc(l.cost)}</th><th>${esc(l.footprint)}</th></tr></thead><tbody>`);
    for (const r of top) {
        body.push(`<tr><td><code>${esc(r.name)}</code></td><td>${esc(shortType(r.type))}</td><td>${esc(partsText(r, lang))}</td><td class="n">${esc(eur(r.costEur, lang))}</td><td class="n">${esc(kg(r.co2Kg, lang))}</td></tr>`);
    }
    body.push(`</tbody></table></section>`);

    if (base && base.resources.length > 0) {
        body.push(`<section><h2>${esc(l.changes)}</h2><table><thead><tr><th></th><th>${esc(l.resource)}</th><th>${esc(l.type)}</th><th>${esc(l.delta)} ${esc(l.cost)}</th><th>${esc(l.delta)} ${esc(l.footprint)}</th></tr></thead><tbody>`);
        for (const c of base.resources) {
            const label = c.change === "added" ? l.added : c.change === "removed" ? l.removed : l.changed;
            body.push(`<tr><td>${esc(label)}</td><td><code>${esc(c.name)}</code></td><td>${esc(shortType(c.type))}</td><td class="n">${esc(signed(c.deltaCostEur, lang, "€"))}</td><td class="n">${esc(signed(c.deltaCo2Kg, lang, "kgCO2e"))}</td></tr>`);
        }
        body.push(`</tbody></table></section>`);
    }

    if (doc.budgets.length > 0) {
        body.push(`<section><h2>${esc(l.budgets)}</h2><table><thead><tr><th>${esc(l.scope)}</th><th>${esc(l.budget)}</th><th>${esc(l.estimate)}</th><th>${esc(l.status)}</th></tr></thead><tbody>`);
        for (const b of doc.budgets) {
            const scope = b.key === undefined ? l.wholeStack : `${b.key} = ${b.value ?? ""}`;
            body.push(`<tr><td>${esc(scope)}</td><td class="n">${esc(eur(b.budget, lang))}</td><td class="n">${esc(atLeast(b.unpriced) + eur(b.amount, lang))}</td><td>${esc(l.budgetStatus[b.status])}</td></tr>`);
        }
        body.push(`</tbody></table></section>`);
    }

    const issues = doc.resources.flatMap((r) => r.issues.map((i) => ({ r, i })));
    if (issues.length > 0) {
        body.push(`<section><h2>${esc(l.issues)}</h2><table><thead><tr><th>${esc(l.resource)}</th><th>${esc(l.type)}</th><th>${esc(l.reason)}</th><th>${esc(l.property)}</th></tr></thead><tbody>`);
        for (const { r, i } of issues) {
            const prop = i.property ? `${i.property}${i.value !== undefined ? ` = ${String(i.value)}` : ""}` : "";
            body.push(`<tr><td><code>${esc(r.name)}</code></td><td>${esc(shortType(r.type))}</td><td>${esc(i.text)}</td><td><code>${esc(prop)}</code></td></tr>`);
        }
        body.push(`</tbody></table></section>`);
    }

    body.push(`<section><h2>${esc(l.assumptions)}</h2><table><thead><tr><th>${esc(l.name)}</th><th>${esc(l.value)}</th><th>${esc(l.source)}</th><th>${esc(l.date)}</th></tr></thead><tbody>`);
    for (const a of doc.assumptions) {
        const src = doc.sources[a.source];
        body.push(`<tr><td><code>${esc(a.name)}</code></td><td class="n">${esc(`${a.value}${a.unit ? ` ${a.unit}` : ""}`)}</td><td>${esc(src ? `${src.titre}${src.url ? ` — ${src.url}` : ""}` : a.source)}</td><td>${esc(a.date)}</td></tr>`);
    }
    body.push(`</tbody></table></section>`);

    return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="generator" content="cloud-de-confiance cost-html">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${l.title} — ${doc.source.stack ?? doc.source.path}`)}</title>
<style>
body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 2rem; color: #1b1f24; background: #fff; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { font-size: 1.2rem; margin: 1.6rem 0 .6rem; } h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
.intro, .source { color: #57606a; margin: .2rem 0; }
.totaux { display: flex; flex-wrap: wrap; gap: 1rem; margin-top: 1rem; }
.carte { border: 1px solid #d0d7de; border-radius: 8px; padding: .6rem 1rem; min-width: 12rem; }
.carte h2 { font-size: .9rem; color: #57606a; margin: 0; } .carte p { font-size: 1.4rem; margin: .2rem 0; } .carte p.ecart { font-size: .9rem; color: #57606a; }
.graphes { display: flex; flex-wrap: wrap; gap: 1.5rem; }
svg { width: 560px; max-width: 100%; height: auto; }
svg text { font-size: 12px; fill: #1b1f24; } svg text.total { font-weight: bold; } svg text.titre { font-size: 13px; font-weight: bold; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { border: 1px solid #d0d7de; padding: .25rem .5rem; text-align: left; vertical-align: top; } td.n { text-align: right; white-space: nowrap; }
code { font-size: .9em; }
</style>
</head>
<body>
${body.join("\n")}
<script type="application/json" id="donnees">${scriptJson(charts)}</script>
<script>
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("donnees").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  function number(n) {
    var fixed = Math.abs(n).toFixed(2), parts = fixed.split(".");
    var sep = data.lang === "fr" ? "\\u00a0" : ",";
    var grouped = parts[0].replace(/\\B(?=(\\d{3})+(?!\\d))/g, sep);
    return (n < 0 && Number(fixed) !== 0 ? "-" : "") + grouped + (data.lang === "fr" ? "," : ".") + parts[1];
  }
  function amount(n, unit) {
    if (unit === "€") return data.lang === "fr" ? number(n) + "\\u00a0€" : "€" + number(n);
    return number(n) + "\\u00a0kgCO2e";
  }
  function el(name, attrs, text) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function chart(svg, title, rows, unit, colour, totalLabel) {
    var W = 560, top = 26, rowH = 26, left = 190, right = 120;
    var max = 0, total = 0;
    rows.forEach(function (r) { max = Math.max(max, r.value); total += r.value; });
    var H = top + rows.length * rowH + 30;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    svg.setAttribute("data-total", String(total));
    svg.appendChild(el("text", { x: 0, y: 16, "class": "titre" }, title));
    rows.forEach(function (r, i) {
      var y = top + i * rowH;
      var w = max > 0 ? (W - left - right) * r.value / max : 0;
      svg.appendChild(el("text", { x: left - 8, y: y + 17, "text-anchor": "end", "class": "etiquette" }, r.label.length > 28 ? "…" + r.label.slice(r.label.length - 27) : r.label));
      svg.appendChild(el("rect", { x: left, y: y + 4, width: Math.max(w, r.value > 0 ? 2 : 0).toFixed(2), height: rowH - 8, fill: colour, "class": "barre", "data-valeur": String(r.value) }));
      svg.appendChild(el("text", { x: left + w + 6, y: y + 17, "class": "valeur" }, amount(r.value, unit)));
    });
    svg.appendChild(el("text", { x: 0, y: H - 8, "class": "total", "data-valeur": String(total) }, (totalLabel || data.labels.total) + (data.lang === "fr" ? " : " : ": ") + amount(total, unit)));
  }
  function label(v) { return v === "" ? data.labels.unattributed : v; }
  document.querySelectorAll("svg[data-graphe=cout], svg[data-graphe=carbone]").forEach(function (svg) {
    var k = data.keys[Number(svg.getAttribute("data-index"))];
    var cost = svg.getAttribute("data-graphe") === "cout";
    var rows = k.values.map(function (v) { return { label: label(v.label), value: cost ? v.cost : v.carbon }; });
    chart(svg, (cost ? data.labels.cost : data.labels.carbon) + " — " + k.key, rows, cost ? "€" : "kg", cost ? data.colours.cost : data.colours.carbon);
  });
  var rc = document.querySelector("svg[data-graphe=cout-ressources]");
  if (rc) chart(rc, data.labels.cost, data.top.map(function (r) { return { label: r.label, value: r.cost }; }), "€", data.colours.cost, data.labels.subtotal);
  var rk = document.querySelector("svg[data-graphe=carbone-ressources]");
  if (rk) chart(rk, data.labels.carbon, data.top.map(function (r) { return { label: r.label, value: r.carbon }; }).sort(function (a, b) { return b.value - a.value; }), "kg", data.colours.carbon, data.labels.subtotal);
  document.documentElement.setAttribute("data-graphes", "dessines");
})();
</script>
</body>
</html>
`;
}
