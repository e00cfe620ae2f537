/**
 * The estimate in the checker (PIL-03, PIL-04, PIL-05): the same figures as the pack's summaries,
 * the conformance matrix's figures, and the cost reports (Markdown, JSON, change against a
 * baseline), through `check` and through the CLI.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { formatEur, formatKg } from "@cloud-de-confiance/policies/dist/lib/cost/texts";
import { check } from "../src/checker/check";
import { CheckResult } from "../src/checker/model";
import { runProgram } from "../src/checker/program";
import { stackContext, stackKnowledge } from "../src/checker/stack-description";
import { Evaluation, parsePolicyConfig } from "../src/engine/engine";
import { secret } from "../src/engine/types";
import { COST_FORMAT, CostDocument, costDocument, parseCostDocument, renderReport } from "../src/reports";
import { ROOT } from "./support/pack";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
const STACK = path.join(ROOT, "stacks/application-web");
const CONFIG = path.join(ROOT, "examples/configurations/ovhcloud-production.json");
let tmp: string;
let result: CheckResult;
let evaluation: Evaluation;

function cli(...args: string[]) {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-cout-"));
    const run = await runProgram(STACK, { stack: "ovhcloud", preview: true });
    const known = stackKnowledge({ project: run.project, tags: run.stackTags, config: run.config, secretKeys: run.secretConfigKeys }, {});
    const stack = stackContext({ project: run.project, stack: run.stack, dryRun: true }, known);
    ({ result, evaluation } = await check({
        source: { kind: "program", path: "stacks/application-web", stack: run.stack },
        resources: run.resources,
        stack,
        config: parsePolicyConfig(JSON.parse(fs.readFileSync(CONFIG, "utf8"))),
    }));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the checker and the pack give the same figures", () => {
    test("pile de référence : le total du vérificateur est celui du résumé du pack", () => {
        const est = result.cost!.estimate;
        assert.ok(est.totals.costEur > 100 && est.totals.co2Kg > 1, JSON.stringify(est.totals));
        assert.equal(est.totals.unpriced, 0, JSON.stringify(est.issues));
        const pil03 = evaluation.diagnostics.filter((d) => d.policyName === "pil-03-cout-estime");
        const pil05 = evaluation.diagnostics.filter((d) => d.policyName === "pil-05-empreinte-environnementale");
        assert.equal(pil03.length, 1);
        assert.equal(pil05.length, 1);
        assert.ok(pil03[0].message.includes(`estimé : ${formatEur(est.totals.costEur, "fr")} hors taxes`), pil03[0].message);
        assert.ok(pil05[0].message.includes(`estimée : ${formatKg(est.totals.co2Kg, "fr")}`), pil05[0].message);
        for (const k of est.byKey) for (const v of k.values) assert.ok(pil03[0].message.includes(`${v.value} ${formatEur(v.costEur, "fr")}`), `${k.key}=${v.value}`);
    });

    test("les résumés sont des chiffres, pas des constats : ni violation, ni avertissement", () => {
        assert.deepEqual(result.findings.filter((f) => ["PIL-03", "PIL-05"].includes(f.needs[0])), []);
        assert.equal(result.summary.advisory, 0);
        assert.equal(result.summary.mandatory, 0);
    });

    test("la matrice de conformité montre PIL-03, PIL-04 et PIL-05 avec leurs chiffres, vérifiés par le pack", () => {
        const row = (need: string) => result.conformance.find((c) => c.need === need)!;
        for (const need of ["PIL-03", "PIL-04", "PIL-05"]) {
            assert.equal(row(need).status, "respected", need);
            assert.ok(row(need).policies.length > 0, `${need} has a policy`);
            assert.ok((row(need).figures ?? []).length > 0, `${need} figures`);
        }
        const est = result.cost!.estimate;
        assert.deepEqual(row("PIL-03").figures![0], { label: "coût mensuel estimé", value: est.totals.costEur, unit: "€" });
        assert.deepEqual(row("PIL-05").figures![0], { label: "empreinte mensuelle estimée", value: est.totals.co2Kg, unit: "kgCO2e" });
        assert.deepEqual(row("PIL-04").figures!.map((f) => f.label), ["budget de la pile", "budget centre-de-cout = CC-2024-117", "budgets dépassés", "budgets invérifiables"]);
        const md = renderReport("conformance-md", result);
        assert.match(md, /\| PIL-03 \| Coût estimé<br>coût mensuel estimé \d+,\d\d\u00a0€/);
        const json = JSON.parse(renderReport("conformance-json", result));
        assert.deepEqual(json.needs.find((n: { need: string }) => n.need === "PIL-05").figures[0].unit, "kgCO2e");
    });
});

describe("cost reports", () => {
    test("cost-json : le document de l'estimation, trié par coût, avec budgets, hypothèses et sources", () => {
        const doc = JSON.parse(renderReport("cost-json", result)) as CostDocument;
        assert.equal(doc.format, COST_FORMAT);
        assert.equal(doc.nature, "indicatif");
        assert.equal(doc.profile, "ovhcloud");
        assert.equal(doc.totals.costEur, result.cost!.estimate.totals.costEur);
        const costs = doc.resources.map((r) => r.costEur ?? 0);
        assert.deepEqual(costs, [...costs].sort((a, b) => b - a));
        assert.deepEqual(doc.budgets.map((b) => b.status), ["within", "within"]);
        for (const a of doc.assumptions) assert.ok(a.source, a.name);
        assert.deepEqual(parseCostDocument(JSON.stringify(doc)).totals, doc.totals);
    });

    test("cost-md : totaux, par clé, ressources principales, budgets, hypothèses", () => {
        const md = renderReport("cost-md", result);
        const t = result.cost!.estimate.totals;
        assert.ok(md.startsWith(`## 💶 Coût et empreinte estimés — ${formatEur(t.costEur, "fr")} · ${formatKg(t.co2Kg, "fr")}`), md.slice(0, 200));
        for (const s of ["### Par clé d'imputation", "**centre-de-cout**", "`CC-2024-117`", "### Ressources principales", "### Budgets (PIL-04)", "✅ respecté", "<summary>Hypothèses et sources</summary>", "intensiteReseau"]) {
            assert.ok(md.includes(s), s);
        }
        assert.ok(!md.includes("Changements par rapport à la référence"), "no baseline given");
        const en = renderReport("cost-md", { ...result, lang: "en" });
        assert.ok(en.includes("Estimated cost and footprint") && en.includes(formatEur(t.costEur, "en")));
    });

    test("--baseline : l'écart par rapport à une estimation antérieure, ressource par ressource, comme Infracost", () => {
        const base = JSON.parse(renderReport("cost-json", result)) as CostDocument;
        // The earlier estimate had one instance less and a smaller data volume.
        const web3 = base.resources.find((r) => r.name.endsWith("web-3"))!;
        const vol = base.resources.find((r) => r.name.endsWith("web-1-donnees"))!;
        const earlier: CostDocument = {
            ...base,
            resources: base.resources.filter((r) => r !== web3).map((r) => (r === vol ? { ...r, costEur: r.costEur! / 2, co2Kg: r.co2Kg! / 2 } : r)),
            totals: { ...base.totals, costEur: base.totals.costEur - web3.costEur! - vol.costEur! / 2, co2Kg: base.totals.co2Kg - web3.co2Kg! - vol.co2Kg! / 2 },
            byKey: [],
        };
        const doc = costDocument(result, earlier);
        assert.ok(Math.abs(doc.baseline!.deltaCostEur - (web3.costEur! + vol.costEur! / 2)) < 1e-9);
        assert.deepEqual(doc.baseline!.resources.map((c) => [c.name, c.change]), [
            [web3.name, "added"],
            [vol.name, "changed"],
        ]);
        const md = renderReport("cost-md", result, { baseline: earlier });
        assert.ok(md.includes("### Changements par rapport à la référence"));
        assert.ok(md.includes(`| ➕ ajoutée | \`${web3.name}\``), md);
        assert.ok(md.includes(`+${formatEur(web3.costEur!, "fr")}`));
        assert.ok(md.includes(`${formatEur(earlier.totals.costEur, "fr")} → ${formatEur(base.totals.costEur, "fr")}`));
        // A resource gone from the stack is shown as removed.
        const gone = costDocument(result, { ...base, resources: [...base.resources, { ...vol, urn: "urn:x", name: "ancien" }] });
        assert.deepEqual(gone.baseline!.resources.map((c) => [c.name, c.change, c.deltaCostEur]), [["ancien", "removed", -vol.costEur!]]);
    });

    test("CLI : --baseline (un cost-json de la pile) avec une instance de plus ; baseline invalide : code 2", () => {
        const base = path.join(tmp, "base.json");
        fs.writeFileSync(base, renderReport("cost-json", result));
        const md = path.join(tmp, "cout.md");
        const second = cli("check", "--stack", "ovhcloud", "-c", CONFIG, "--config", "instances=4", "--baseline", base, "--report", `cost-md=${md}`, "--report", `cost-html=${path.join(tmp, "cout.html")}`);
        assert.equal(second.code, 0, second.err);
        const text = fs.readFileSync(md, "utf8");
        assert.match(text, /\| ➕ ajoutée \| `portail-usagers-production-web-4` \| compute\/Instance \| 42,44\u00a0€ \| \+42,44\u00a0€ \|/);
        assert.match(text, /\| ➕ ajoutée \| `portail-usagers-production-web-4-donnees` \| blockstorage\/Volume \| 5,00\u00a0€ \| \+5,00\u00a0€ \|/);
        const bad = path.join(tmp, "pas-un-rapport.json");
        fs.writeFileSync(bad, JSON.stringify({ format: "cloud-de-confiance/check@1" }));
        const refused = cli("check", "--stack", "ovhcloud", "--baseline", bad);
        assert.equal(refused.code, 2);
        assert.match(refused.err.trim(), /^cloud-de-confiance: .*pas-un-rapport\.json: not a cost report: expected "format": "cloud-de-confiance\/cout@1"/);
        assert.equal(refused.err.trim().split("\n").length, 1);
    });
});

describe("secrets in the estimate", () => {
    test("a flavor, a volume type and a cost-attribution value read from secrets show in no cost report", async () => {
        const probes = ["Zq8Kx4Wm2Rv6", "Jh5Tp9Lw3Qc7", "Bn6Vr2Xs8Md4"];
        const res = (type: string, name: string, properties: Record<string, unknown>) =>
            ({ urn: `urn:pulumi:prod::portail::${type}::${name}`, type, name, properties });
        const { result: r } = await check({
            source: { kind: "state", path: "etat.json", stack: "prod" },
            resources: [
                res("openstack:compute/instance:Instance", "api", { flavorName: secret(probes[0]), availabilityZone: "eu-west-par-a", tags: ["application=portail"] }),
                res("openstack:blockstorage/volume:Volume", "data", { size: 10, volumeType: secret(probes[1]), availabilityZone: "eu-west-par-a", metadata: { application: "portail" } }),
                res("openstack:blockstorage/volume:Volume", "logs", { size: 10, volumeType: "classic-luks", availabilityZone: "eu-west-par-a", metadata: secret({ application: probes[2] }) }),
            ],
            stack: { project: "portail", stack: "prod" },
            config: parsePolicyConfig(JSON.parse(fs.readFileSync(CONFIG, "utf8"))),
        });
        assert.ok((r.cost?.estimate.totals.unpriced ?? 0) >= 2, "the secret flavor and type are unpriced, listed");
        for (const format of ["cost-md", "cost-json", "cost-html"] as const) {
            const out = renderReport(format, r);
            for (const p of probes) assert.ok(!out.includes(p), `${format} shows ${p}`);
        }
    });
});
