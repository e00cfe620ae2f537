/** Generated documents are up to date, and every need is covered. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { test } from "node:test";
import { NEEDS } from "@cloud-de-confiance/policies/dist/lib/catalogue";
import { LANGS } from "@cloud-de-confiance/policies/dist/lib/i18n";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { README, readmeWithTable, REFERENCE, referenceDoc } from "../src/docs/generate";

test("la liste des règles du README est à jour (npm run docs)", () => {
    const readme = fs.readFileSync(README, "utf8");
    assert.equal(readme, readmeWithTable(readme), "README.md est périmé : lancer `npm run docs`");
});

test("docs/regles.md est à jour (npm run docs)", () => {
    assert.ok(fs.existsSync(REFERENCE), "docs/regles.md absent : lancer `npm run docs`");
    assert.equal(fs.readFileSync(REFERENCE, "utf8"), referenceDoc(), "docs/regles.md est périmé : lancer `npm run docs`");
});

test("chaque règle a ses textes en français et en anglais", () => {
    for (const { rule } of ruleModules()) {
        for (const field of ["title", "description", "remediation"] as const) {
            for (const lang of LANGS) assert.ok(rule[field][lang]?.trim().length > 2, `${rule.name}.${field}.${lang} manquant`);
            assert.notEqual(rule[field].fr, rule[field].en, `${rule.name}.${field} : l'anglais recopie le français`);
        }
        for (const [k, p] of Object.entries(rule.config as unknown as Record<string, { description: Record<string, string>; default: unknown }>)) {
            for (const lang of LANGS) assert.ok(p.description[lang]?.trim(), `${rule.name}.config.${k}.description.${lang} manquant`);
            assert.ok(p.default !== undefined, `${rule.name}.config.${k} sans défaut`);
        }
    }
});

test("chaque politique nomme des besoins du catalogue ; chaque besoin du périmètre a une politique", () => {
    const ids = new Set(NEEDS.map((n) => n.id));
    const covered = new Set<string>();
    for (const { rule } of ruleModules()) {
        for (const n of rule.needs) {
            assert.ok(ids.has(n), `${rule.name} : besoin inconnu ${n}`);
            covered.add(n);
        }
    }
    const missing = NEEDS.map((n) => n.id).filter((id) => !covered.has(id));
    assert.deepEqual(missing, [], `besoins sans politique : ${missing.join(", ")}`);
});
