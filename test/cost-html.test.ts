/**
 * The HTML cost report in a real browser (Debian's `chromium`, headless): the page draws its charts
 * of cost and carbon by cost-attribution key and of the top resources from the data it embeds,
 * with the expected totals (the DOM after the page's script ran), and they show on a screenshot
 * (pixels of the bars' colours). The page loads nothing: no external reference, and a
 * Content-Security-Policy that forbids any load.
 *
 * Skipped, saying why, when /usr/bin/chromium is absent (`apt-get install chromium`); CI installs it.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { formatEur, formatKg } from "@cloud-de-confiance/policies/dist/lib/cost/texts";
import { check } from "../src/checker/check";
import { CheckResult } from "../src/checker/model";
import { runProgram } from "../src/checker/program";
import { stackContext, stackKnowledge } from "../src/checker/stack-description";
import { parsePolicyConfig } from "../src/engine/engine";
import { CostDocument, costDocument, renderReport } from "../src/reports";
import { CARBON_COLOUR, COST_COLOUR } from "../src/reports/cost/html";
import { ROOT } from "./support/pack";
import { countColour, readPng } from "./support/png";

const CHROMIUM = "/usr/bin/chromium";
const skip = fs.existsSync(CHROMIUM) ? false : `${CHROMIUM} absent : le navigateur sans tête n'est pas installé (apt-get install chromium)`;
if (skip) console.log(`# cost-html : test ignoré, ${skip}`);

let tmp: string;
let result: CheckResult;
let doc: CostDocument;
let page: string;

function chromium(...args: string[]): { out: string; code: number | null; err: string } {
    const r = spawnSync(
        CHROMIUM,
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check", "--hide-scrollbars", `--user-data-dir=${path.join(tmp, "profil")}`, ...args],
        { encoding: "utf8", timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return { out: r.stdout, code: r.status, err: r.stderr };
}

before(async () => {
    if (skip) return;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-html-"));
    const run = await runProgram(path.join(ROOT, "stacks/application-web"), { stack: "ovhcloud", preview: true });
    const known = stackKnowledge({ project: run.project, tags: run.stackTags, config: run.config, secretKeys: run.secretConfigKeys }, {});
    // Two cost centres, so that each chart has several bars: the Kubernetes part is charged to another one.
    const resources = run.resources.map((r) =>
        r.type.startsWith("kubernetes:") && (r.properties.metadata as { labels?: Record<string, string> } | undefined)?.labels
            ? { ...r, properties: { ...r.properties, metadata: { ...(r.properties.metadata as object), labels: { ...(r.properties.metadata as { labels: object }).labels, "centre-de-cout": "CC-KUBE" } } } }
            : r,
    );
    ({ result } = await check({
        source: { kind: "program", path: "stacks/application-web", stack: run.stack },
        resources,
        stack: stackContext({ project: run.project, stack: run.stack, dryRun: true }, known),
        config: parsePolicyConfig(JSON.parse(fs.readFileSync(path.join(ROOT, "examples/configurations/ovhcloud-production.json"), "utf8"))),
    }));
    doc = costDocument(result);
    page = path.join(tmp, "cout.html");
    fs.writeFileSync(page, renderReport("cost-html", result));
});
after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** The attributes and text of the elements `<tag …>text</tag>` inside `html`. */
function elements(html: string, tag: string): { attrs: Record<string, string>; text: string }[] {
    const out: { attrs: Record<string, string>; text: string }[] = [];
    const re = new RegExp(`<${tag}\\b([^>]*)>([\\s\\S]*?)</${tag}>`, "g");
    for (const m of html.matchAll(re)) {
        const attrs: Record<string, string> = {};
        for (const a of m[1].matchAll(/([\w:-]+)="([^"]*)"/g)) attrs[a[1]] = a[2];
        out.push({ attrs, text: m[2] });
    }
    return out;
}
const decode = (s: string) => s.replace(/&nbsp;/g, "\u00a0").replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"');

test("la page ne charge rien : aucune référence externe, CSP default-src 'none'", { skip }, () => {
    const html = fs.readFileSync(page, "utf8");
    assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    assert.doesNotMatch(html, /\b(src|href)\s*=|url\(|@import/i);
});

test("chromium dessine les graphiques par clé et des ressources principales, avec les totaux attendus", { skip }, () => {
    const dom = chromium("--virtual-time-budget=5000", "--dump-dom", `file://${page}`);
    assert.equal(dom.code, 0, dom.err);
    assert.match(dom.out, /<html lang="fr" data-graphes="dessines">/, "the page's script ran");
    const svgs = elements(dom.out, "svg");
    const total = doc.totals;
    for (const k of doc.byKey) {
        for (const [kind, amount, unit] of [["cout", (v: { costEur: number }) => v.costEur, "€"], ["carbone", (v: { co2Kg: number }) => v.co2Kg, "kg"]] as const) {
            const svg = svgs.find((s) => s.attrs["data-graphe"] === kind && s.text.includes(`— ${k.key}</text>`));
            assert.ok(svg, `${kind} chart for ${k.key}`);
            const bars = elements(svg.text.replace(/<rect\b([^>]*)><\/rect>/g, "<rect$1>x</rect>"), "rect").filter((r) => r.attrs["class"] === "barre");
            assert.equal(bars.length, k.values.length, `${kind} ${k.key}: one bar per value`);
            const sum = bars.reduce((a, b) => a + Number(b.attrs["data-valeur"]), 0);
            const expected = unit === "€" ? total.costEur : total.co2Kg;
            assert.ok(Math.abs(sum - expected) < 1e-6, `${kind} ${k.key}: bars sum to ${sum}, total ${expected}`);
            for (const [i, v] of k.values.entries()) assert.ok(Math.abs(Number(bars[i].attrs["data-valeur"]) - amount(v as never)) < 1e-9);
            assert.ok(bars.every((b) => b.attrs["fill"] === (unit === "€" ? COST_COLOUR : CARBON_COLOUR)));
            const label = elements(svg.text, "text").find((t) => t.attrs["class"] === "total");
            assert.equal(decode(label!.text), `Total : ${unit === "€" ? formatEur(total.costEur, "fr") : formatKg(total.co2Kg, "fr")}`);
        }
    }
    assert.ok(doc.byKey.find((k) => k.key === "centre-de-cout")!.values.length >= 2, "several cost centres");
    const top = svgs.find((s) => s.attrs["data-graphe"] === "cout-ressources")!;
    const topBars = (top.text.match(/class="barre"/g) ?? []).length;
    assert.equal(topBars, Math.min(10, doc.resources.filter((r) => r.costEur !== undefined).length));
    const first = doc.resources[0];
    assert.ok(decode(top.text).includes(formatEur(first.costEur!, "fr")), "the top resource's amount is drawn");
    // The totals shown in the page's cards.
    assert.ok(decode(dom.out).includes(`id="total-cout" data-valeur="${total.costEur}">${formatEur(total.costEur, "fr")}<`));
});

test("la capture d'écran montre les barres de coût et d'empreinte", { skip }, () => {
    const png = path.join(tmp, "cout.png");
    const shot = chromium("--window-size=1280,2000", `--screenshot=${png}`, `file://${page}`);
    assert.equal(shot.code, 0, shot.err);
    const buf = fs.readFileSync(png);
    assert.ok(buf.length > 20_000, `${buf.length} bytes`);
    const img = readPng(buf);
    assert.equal(img.width, 1280);
    assert.ok(img.height >= 1000);
    const blue = countColour(img, COST_COLOUR);
    const green = countColour(img, CARBON_COLOUR);
    assert.ok(blue > 2000, `${blue} pixels of the cost colour`);
    assert.ok(green > 2000, `${green} pixels of the carbon colour`);
});
