/**
 * Every policy configuration the project ships or documents goes through the Pulumi CLI's own
 * steps (parse, reconcile with the pack's metadata, schema validation, Configure's level check) and
 * then the pack's Configure; and the pack works with CLIs that never call ConfigureStack.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck, parsePolicyConfig, parsePolicyConfigText, PolicyConfigError, reconcilePolicyConfig } from "../src/engine/engine";
import { AnalyzerInfo, EngineResource } from "../src/engine/types";
import { PACK_DIR, ROOT, startPack } from "./support/pack";

let pack: PolicyPackProcess;
let info: AnalyzerInfo;
before(async () => {
    pack = await startPack();
    info = await pack.getAnalyzerInfo();
});
after(async () => {
    await pack?.close();
});

const res = (type: string, name: string, properties: Record<string, unknown>): EngineResource => ({
    urn: `urn:pulumi:prod::portail::${type}::${name}`,
    type,
    name,
    properties,
});
const STACK = res("pulumi:pulumi:Stack", "portail-prod", {});
const VM = res("openstack:compute/instance:Instance", "vm", { flavorName: "b3-8", availabilityZone: "eu-west-par-a", tags: ["service=web"] });

/** The JSON objects of ```json fences in a Markdown file (fixtures, which are arrays, are left out). */
function jsonFences(file: string): { where: string; text: string }[] {
    const out: { where: string; text: string }[] = [];
    const lines = fs.readFileSync(file, "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
        if (lines[i].trim() !== "```json") continue;
        const start = i + 1;
        let j = start;
        while (j < lines.length && lines[j].trim() !== "```") j++;
        const text = lines.slice(start, j).join("\n");
        if (text.trim().startsWith("{")) out.push({ where: `${path.relative(ROOT, file)}:${start}`, text });
        i = j;
    }
    return out;
}

function shippedConfigurations(): { where: string; text: string }[] {
    const dir = path.join(ROOT, "examples/configurations");
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => ({ where: `examples/configurations/${f}`, text: fs.readFileSync(path.join(dir, f), "utf8") }));
    const docs = [path.join(ROOT, "README.md"), ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => path.join(ROOT, "docs", f))];
    return [...files, ...docs.flatMap(jsonFences)];
}

describe("configurations shipped and documented", () => {
    const all = shippedConfigurations();
    test("il y en a : exemples, README, référence", () => {
        assert.ok(all.some((c) => c.where.startsWith("examples/")));
        assert.ok(all.some((c) => c.where.startsWith("README.md")));
        assert.ok(all.some((c) => c.where.startsWith("docs/")));
    });
    for (const c of all) {
        test(`${c.where} : acceptée par la CLI et par Configure`, async () => {
            const given = parsePolicyConfigText(c.text, c.where);
            const config = reconcilePolicyConfig(info, given, "policies");
            for (const [k, v] of Object.entries(config)) assert.ok(["advisory", "mandatory", "remediate", "disabled"].includes(v.enforcementLevel!), k);
            const ev = await evaluate(pack, [STACK, VM], { config: given, stack: { project: "portail", stack: "prod" } });
            assert.ok(ev.diagnostics.every((d) => d.message.length > 0));
        });
    }
});

describe("what the CLI refuses, refused here with its words", () => {
    test("une entrée sans niveau qui ne nomme aucune politique : Configure refuse", () => {
        assert.throws(() => reconcilePolicyConfig(info, parsePolicyConfig({ "reglages-du-pack": { langue: "en" } }), "policies"), (e: Error) =>
            e instanceof PolicyConfigError && e.message === 'configuring policy pack "cloud-de-confiance" at "policies": invalid enforcement level ""');
    });
    test("l'entrée des réglages du pack : remplie des défauts, avec un niveau, validée", () => {
        const c = reconcilePolicyConfig(info, parsePolicyConfig({ "cloud-de-confiance": { profil: "ovhcloud" } }));
        assert.equal(c["cloud-de-confiance"].enforcementLevel, "advisory");
        assert.deepEqual(c["cloud-de-confiance"].properties, {
            langue: "fr",
            profil: "ovhcloud",
            environnement: "production",
            imputation: {},
            niveaux: {},
            derogations: [],
            derogationsApprouvees: [],
            derogationsLibres: false,
            dureeMaxDerogationMois: 12,
            estimation: {},
        });
        assert.throws(() => reconcilePolicyConfig(info, parsePolicyConfig({ "cloud-de-confiance": { niveaux: { "RES-01": "bloquant" } } })), (e: Error) =>
            /cloud-de-confiance: niveaux\.RES-01: niveaux\.RES-01 must be one of the following: "advisory", "mandatory", "disabled"/.test(e.message));
    });
    test("« all » règle le niveau de chaque politique, puis chaque entrée", () => {
        const c = reconcilePolicyConfig(info, parsePolicyConfig({ all: "disabled", "sec-03-chiffrement-au-repos": "mandatory" }));
        assert.equal(c["res-01-repartition-multi-zones"].enforcementLevel, "disabled");
        assert.equal(c["sec-03-chiffrement-au-repos"].enforcementLevel, "mandatory");
        assert.equal(c["all"].enforcementLevel, "disabled");
    });
    test("fichier vide : aucune configuration ; JSON invalide, valeurs invalides : erreur d'une ligne", () => {
        assert.deepEqual(parsePolicyConfigText("  \n"), {});
        assert.throws(() => parsePolicyConfigText("{", "c.json"), (e: Error) => e instanceof PolicyConfigError && /^c\.json: invalid JSON/.test(e.message));
        assert.throws(() => parsePolicyConfig({ x: 3 }, "c.json"), /c\.json: parsing "x": 3 is not a valid value; must be a string or object/);
        assert.throws(() => parsePolicyConfig({ x: { enforcementLevel: 1 } }, "c.json"), /parsing enforcement level for "x": 1 is not a valid enforcement level; must be a string/);
        assert.throws(() => parsePolicyConfig([1], "c.json"), /cannot unmarshal array/);
        assert.deepEqual(parsePolicyConfig({ x: {} }), {});
    });
});

describe("without ConfigureStack (CLI before 3.221)", () => {
    test("les réglages s'appliquent, les règles de ressource jugent pareil, PIL-02 « ne peut pas être vérifié »", async () => {
        const old = await startPack();
        try {
            const resources = [STACK, VM, res("openstack:blockstorage/volume:Volume", "data", { size: 10 })];
            const config = parsePolicyConfig({ "cloud-de-confiance": { langue: "en" } });
            const without = await evaluate(old, resources, { config, noConfigureStack: true });
            const withStack = await evaluate(pack, resources, { config, stack: { project: "portail", stack: "prod" } });
            const key = (d: { policyName: string; urn: string; enforcementLevel: string }) => `${d.policyName}|${d.urn}|${d.enforcementLevel}`;
            const own = (ds: typeof without.diagnostics) => ds.filter((d) => d.policyName !== "pil-02-etiquettes-de-pile").map(key).sort();
            assert.deepEqual(own(without.diagnostics), own(withStack.diagnostics));
            assert.ok(without.diagnostics.some((d) => d.message.includes(" Fix: ")), "English messages");
            const pil02 = without.diagnostics.filter((d) => d.policyName === "pil-02-etiquettes-de-pile");
            assert.equal(pil02.length, 1);
            assert.ok(isCannotCheck(pil02[0]), pil02[0].message);
            assert.equal(pil02[0].enforcementLevel, "advisory");
            assert.match(pil02[0].message, /PIL-02 · the engine did not describe the stack/);
            const pil02With = withStack.diagnostics.filter((d) => d.policyName === "pil-02-etiquettes-de-pile");
            assert.equal(pil02With.length, 1);
            assert.equal(pil02With[0].enforcementLevel, "mandatory");
        } finally {
            await old.close();
        }
    });

    test("PIL-02 lit les clés de la configuration que la CLI passe au processus du pack (PULUMI_CONFIG)", async () => {
        const env = { ...process.env, PULUMI_CONFIG: JSON.stringify({ "portail:ministere": "interieur", "portail:application": "portail", "portail:environnement": "production", "portail:centre-de-cout": "CC-9" }) };
        const old = await PolicyPackProcess.start(PACK_DIR, { env });
        try {
            const ev = await evaluate(old, [STACK, VM], { noConfigureStack: true });
            assert.deepEqual(ev.diagnostics.filter((d) => d.policyName === "pil-02-etiquettes-de-pile"), []);
        } finally {
            await old.close();
        }
    });

    test("une clé de configuration secrète compte comme déclarée (sa valeur n'est jamais lue)", async () => {
        const ev = await evaluate(pack, [STACK, VM], {
            stack: {
                project: "portail",
                stack: "prod",
                config: { "portail:ministere": "interieur", "portail:application": "portail", "portail:environnement": "production", "portail:centre-de-cout": "[secret]" },
                secretKeys: ["portail:centre-de-cout"],
            },
        });
        assert.deepEqual(ev.diagnostics.filter((d) => d.policyName === "pil-02-etiquettes-de-pile"), []);
    });
});
