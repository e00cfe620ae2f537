/**
 * Every rule against its fixtures, through the engine protocol: the built pack is started as the
 * CLI starts it, and each fixture goes through ConfigureStack, Configure, Remediate, Analyze and
 * AnalyzeStack.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Fixture } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck } from "../src/engine/engine";
import { engineResources, fixtureConfig, needsOf } from "./support/fixtures";
import { startPack } from "./support/pack";

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

const modules = ruleModules();

async function run(ruleName: string, f: Fixture, settings: Record<string, unknown> = {}) {
    return evaluate(pack, engineResources(f), {
        config: fixtureConfig(ruleName, f, settings),
        stack: { project: "fixtures", stack: "test", tags: f.stackTags ?? {} },
    });
}

for (const m of modules) {
    const { rule } = m;
    describe(`${rule.needs.join(", ")} ${rule.name}`, () => {
        test("a des fixtures de chaque sorte", () => {
            assert.ok(m.fixturesFile, `${rule.name} n'a pas de fichier de fixtures`);
            const kinds = new Set(((require(m.fixturesFile!) as { default: Fixture[] }).default).map((f) => f.kind));
            for (const k of ["compliant", "non-compliant", "unknown", "secret", "malformed"]) assert.ok(kinds.has(k as Fixture["kind"]), `${rule.name} : aucune fixture « ${k} »`);
        });
        const list: Fixture[] = m.fixturesFile ? (require(m.fixturesFile) as { default: Fixture[] }).default : [];
        for (const f of list) {
            test(`[${f.kind}] ${f.title}`, async () => {
                const ev = await run(rule.name, f);
                const own = ev.diagnostics.filter((d) => d.policyName === rule.name);
                const violations = own.filter((d) => !isCannotCheck(d));
                const raised = new Set(violations.flatMap((d) => needsOf(d.message)));
                for (const d of violations) assert.ok(needsOf(d.message).length > 0, `message sans besoin en tête : ${d.message}`);
                for (const id of f.expect.raises) assert.ok(raised.has(id), `${id} attendu, diagnostics : ${JSON.stringify(own, null, 1)}`);
                for (const id of f.expect.notRaises) assert.ok(!raised.has(id), `${id} inattendu : ${violations.map((d) => d.message).join("\n")}`);
                if (f.expect.violations !== undefined) {
                    assert.equal(violations.length, f.expect.violations, violations.map((d) => d.message).join("\n"));
                }
                const cannot = own.filter(isCannotCheck);
                if (f.expect.cannotCheck) {
                    assert.ok(cannot.length > 0, "le diagnostic « can't run policy … during preview » est attendu");
                    for (const d of cannot) assert.equal(d.enforcementLevel, "advisory");
                } else {
                    assert.equal(cannot.length, 0, cannot.map((d) => d.message).join("\n"));
                }
                for (const h of f.expect.hidden ?? []) {
                    for (const d of ev.diagnostics) {
                        assert.ok(!d.message.includes(h) && !d.description.includes(h), `valeur secrète affichée par ${d.policyName} : ${d.message}`);
                    }
                }
                for (const s of f.expect.mentions ?? []) {
                    for (const d of violations) assert.ok(d.message.includes(s), `« ${s} » absent de : ${d.message}`);
                }
                if (f.expect.remediated) {
                    const rem = ev.remediations.filter((r) => r.policyName === rule.name);
                    assert.ok(rem.length > 0, "remédiation attendue");
                    const props = rem[rem.length - 1].properties ?? {};
                    for (const [k, v] of Object.entries(f.expect.remediated)) assert.deepEqual(props[k], v);
                }
                if (f.kind === "non-compliant" && violations.length > 0) {
                    // The same fixture in English: English text, same need ids, same count.
                    const en = (await run(rule.name, f, { langue: "en" })).diagnostics.filter((d) => d.policyName === rule.name && !isCannotCheck(d));
                    assert.equal(en.length, violations.length);
                    for (const d of en) {
                        assert.ok(d.message.includes(" Fix: "), `message anglais attendu : ${d.message}`);
                        assert.ok(!d.message.includes("Correction :"), d.message);
                        assert.deepEqual(needsOf(d.message).sort(), needsOf(violations[0].message).sort());
                    }
                }
            });
        }
    });
}
