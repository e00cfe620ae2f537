/**
 * What the checker knows of the stack's tags and configuration, from its inputs and options, and
 * how it tells the pack what it does not know (ConfigureStack with the reserved tag): PIL-02 is a
 * violation only when both are known, « cannot be checked » otherwise.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { UNKNOWN_PARTS_TAG } from "@cloud-de-confiance/policies/dist/lib/stack-knowledge";
import { InputError } from "../src/checker/errors";
import { parsePreviewJson, parseStateJson } from "../src/checker/inputs";
import {
    givenStackTags,
    parseConfigPairs,
    parseStackTagPairs,
    readStackConfigFile,
    readStackTagsFile,
    stackContext,
    stackKnowledge,
    StackOptions,
} from "../src/checker/stack-description";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck } from "../src/engine/engine";
import { EngineResource } from "../src/engine/types";
import { ROOT, startPack } from "./support/pack";

const FX = path.join(ROOT, "test/fixtures");
const STACK_DIR = path.join(FX, "stack");
const PROD = path.join(STACK_DIR, "Pulumi.prod.yaml");
const TAGS = path.join(STACK_DIR, "tags.json");
let tmp: string;
let pack: PolicyPackProcess;

before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-stack-"));
    pack = await startPack();
});
after(async () => {
    fs.rmSync(tmp, { recursive: true, force: true });
    await pack?.close();
});

function write(name: string, text: string): string {
    const f = path.join(tmp, name);
    fs.writeFileSync(f, text);
    return f;
}

function assertOneLine(fn: () => unknown, pattern: RegExp) {
    assert.throws(fn, (e: unknown) => {
        assert.ok(e instanceof InputError, String(e));
        assert.ok(!e.message.includes("\n"), e.message);
        assert.match(e.message, pattern);
        return true;
    });
}

describe("options de pile", () => {
    test("--stack-tag : NOM=VALEUR, noms refusés par Pulumi refusés ici aussi", () => {
        assert.deepEqual(parseStackTagPairs(["ministere=interieur", "vide=", "a:b.c_d-e=x=y"]), { ministere: "interieur", vide: "", "a:b.c_d-e": "x=y" });
        assertOneLine(() => parseStackTagPairs(["ministere"]), /^--stack-tag ministere: expected NAME=VALUE$/);
        assertOneLine(() => parseStackTagPairs(["=x"]), /expected NAME=VALUE/);
        assertOneLine(() => parseStackTagPairs([`${UNKNOWN_PARTS_TAG}=etiquettes`]), /invalid stack tag name "cloud-de-confiance\/inconnu"/);
        assertOneLine(() => parseStackTagPairs([`${"x".repeat(41)}=1`]), /invalid stack tag name/);
        assertOneLine(() => parseStackTagPairs([`n=${"v".repeat(257)}`]), /value is too long \(max length 256 characters\)/);
    });

    test("--stack-tags : la sortie de `pulumi stack tag ls --json`", () => {
        const tags = readStackTagsFile(TAGS);
        assert.equal(tags["centre-de-cout"], "CC-4821");
        assert.equal(tags["pulumi:project"], "portail");
        assertOneLine(() => readStackTagsFile(path.join(tmp, "absent.json")), /absent\.json: cannot read the stack tags \(no such file\)/);
        assertOneLine(() => readStackTagsFile(write("liste.json", '["a"]')), /liste\.json: the stack tags are not a JSON object/);
        assertOneLine(() => readStackTagsFile(write("nombre.json", '{"a": 1}')), /nombre\.json: stack tag "a" is a number, expected a string/);
        assertOneLine(() => readStackTagsFile(write("casse.json", '{"a": ')), /casse\.json: invalid JSON in the stack tags/);
        assertOneLine(() => readStackTagsFile(write("nom.json", '{"a b": "x"}')), /nom\.json: invalid stack tag name "a b"/);
        // --stack-tag wins over the file; nothing given: the tags are unknown.
        assert.equal(givenStackTags(["centre-de-cout=CC-1"], TAGS)?.["centre-de-cout"], "CC-1");
        assert.deepEqual(givenStackTags(["a=b"]), { a: "b" });
        assert.equal(givenStackTags([], undefined), undefined);
    });

    test("--config : clé sans espace de noms dans celui du projet", () => {
        assert.deepEqual(parseConfigPairs(["ministere=interieur", "openstack:region=EU-WEST-PAR", "vide="], "portail"), {
            "portail:ministere": "interieur",
            "openstack:region": "EU-WEST-PAR",
            "portail:vide": "",
        });
        assertOneLine(() => parseConfigPairs(["ministere"], "p"), /^--config ministere: expected KEY=VALUE$/);
    });

    test("--stack-config : Pulumi.<pile>.yaml sur le Pulumi.yaml voisin, secure reste secret, environnements ESC", () => {
        const prod = readStackConfigFile(PROD, "autre");
        assert.deepEqual(prod.values, {
            "portail:environnement": "production",
            "openstack:region": "EU-WEST-PAR",
            "portail:ministere": "interieur",
            "portail:application": "portail",
            "portail:centre-de-cout": "[secret]",
            "openstack:authUrl": "https://auth.cloud.ovh.net/v3",
            "pulumi:tags": '{"proprietaire":"equipe-portail"}',
        });
        assert.deepEqual(prod.secretKeys, ["portail:centre-de-cout"]);
        assert.equal(prod.complete, true);
        assert.equal(JSON.stringify(prod).includes("U2FsdGVkX1"), false);
        assert.equal(readStackConfigFile(path.join(STACK_DIR, "Pulumi.recette.yaml"), "portail").complete, false, "environment: imports");
        // Without a project file beside it, bare keys take the given project's namespace.
        const alone = readStackConfigFile(write("Pulumi.dev.yaml", "config:\n  ministere: armees\n"), "portail");
        assert.deepEqual(alone.values, { "portail:ministere": "armees" });
        assert.deepEqual(readStackConfigFile(write("Pulumi.vide.yaml", ""), "p").values, {});
        assertOneLine(() => readStackConfigFile(path.join(STACK_DIR, "Pulumi.invalide.yaml"), "p"), /Pulumi\.invalide\.yaml:3:1: invalid YAML/);
        assertOneLine(() => readStackConfigFile(write("Pulumi.liste.yaml", "- a\n"), "p"), /expected a mapping/);
        assertOneLine(() => readStackConfigFile(write("Pulumi.cfg.yaml", "config: 3\n"), "p"), /'config' must be a mapping/);
        assertOneLine(() => readStackConfigFile(path.join(tmp, "Pulumi.absent.yaml"), "p"), /cannot read the stack configuration \(no such file\)/);
    });
});

describe("ce que le vérificateur sait de la pile", () => {
    const preview = parsePreviewJson(fs.readFileSync(path.join(FX, "preview/stack-config.json"), "utf8"), "stack-config.json");
    const exported = parseStateJson(fs.readFileSync(path.join(FX, "state/export-v3.json"), "utf8"), "export-v3.json");
    const fromPreview = { project: "portail", tags: preview.stackTags, config: preview.config, secretKeys: preview.secretKeys };
    const fromState = { project: "sovereign-app", tags: exported.stackTags, config: exported.config, secretKeys: exported.secretKeys };

    test("prévisualisation : configuration connue, étiquettes inconnues sauf options", () => {
        const k = stackKnowledge(fromPreview);
        assert.equal(k.config.complete, true);
        assert.equal(k.tags.complete, false);
        assert.deepEqual(k.tags.values, { proprietaire: "equipe-portail" });
        assert.deepEqual(k.config.secretKeys, ["openstack:password", "portail:centre-de-cout"]);
        const ctx = stackContext({ project: "portail", stack: "prod", dryRun: true }, k);
        assert.deepEqual(ctx.tags, { proprietaire: "equipe-portail", [UNKNOWN_PARTS_TAG]: "etiquettes" });
        const withTags = stackContext({ project: "portail", stack: "prod" }, stackKnowledge(fromPreview, { tags: { ministere: "interieur" } }));
        assert.deepEqual(withTags.tags, { proprietaire: "equipe-portail", ministere: "interieur" }, "no reserved tag: all is known");
        // --config over the preview's configuration; a value given is no longer secret.
        const over = stackKnowledge(fromPreview, { config: ["centre-de-cout=CC-9"] });
        assert.equal(over.config.values["portail:centre-de-cout"], "CC-9");
        assert.deepEqual(over.config.secretKeys, ["openstack:password"]);
    });

    test("état : ni étiquettes ni configuration, sauf options", () => {
        const none = stackKnowledge(fromState);
        assert.deepEqual({ tags: none.tags.complete, config: none.config.complete }, { tags: false, config: false });
        assert.equal(stackContext({ project: "p", stack: "s" }, none).tags?.[UNKNOWN_PARTS_TAG], "etiquettes,configuration");
        const cases: [StackOptions, { tags: boolean; config: boolean }][] = [
            [{ config: ["ministere=interieur"] }, { tags: false, config: true }],
            [{ stackConfig: PROD }, { tags: false, config: true }],
            [{ stackConfig: path.join(STACK_DIR, "Pulumi.recette.yaml") }, { tags: false, config: false }],
            [{ tags: {} }, { tags: true, config: false }],
            [{ tags: {}, stackConfig: PROD, config: ["x=y"] }, { tags: true, config: true }],
        ];
        for (const [opts, expected] of cases) {
            const k = stackKnowledge(fromState, opts);
            assert.deepEqual({ tags: k.tags.complete, config: k.config.complete }, expected, JSON.stringify(opts));
        }
        // pulumi:tags of a given configuration counts as tags, as the CLI merges them.
        assert.equal(stackKnowledge(fromState, { stackConfig: PROD }).tags.values.proprietaire, "equipe-portail");
    });

    test("une étiquette que Pulumi refuse n'est jamais transmise, et ne peut passer pour l'étiquette réservée", () => {
        const k = stackKnowledge({ project: "p", tags: { [UNKNOWN_PARTS_TAG]: "configuration", "a b": "x", ok: "1" }, config: {} }, { tags: {} });
        assert.deepEqual(stackContext({ project: "p", stack: "s" }, k).tags, { ok: "1" });
    });
});

describe("PIL-02 selon ce que le vérificateur sait", () => {
    const root: EngineResource = { urn: "urn:pulumi:prod::portail::pulumi:pulumi:Stack::portail-prod", type: "pulumi:pulumi:Stack", name: "portail-prod", properties: {} };
    async function pil02(input: Parameters<typeof stackKnowledge>[0], opts: StackOptions = {}) {
        const stack = stackContext({ project: input.project, stack: "prod", dryRun: true }, stackKnowledge(input, opts));
        const ev = await evaluate(pack, [root], { stack });
        return ev.diagnostics.filter((d) => d.policyName === "pil-02-etiquettes-de-pile");
    }

    test("ni étiquettes ni configuration : « ne peut pas être vérifié », jamais une violation", async () => {
        const ds = await pil02({ project: "portail" });
        assert.equal(ds.length, 1);
        assert.ok(isCannotCheck(ds[0]), ds[0].message);
        assert.equal(ds[0].enforcementLevel, "advisory");
        assert.match(ds[0].message, /PIL-02 · ni les étiquettes ni la configuration de la pile ne sont connues/);
    });

    test("étiquettes inconnues, configuration complète avec les quatre clés (une secrète) : conforme", async () => {
        const config = { "portail:ministere": "interieur", "portail:application": "portail", "portail:environnement": "production", "portail:centre-de-cout": "[secret]" };
        assert.deepEqual(await pil02({ project: "portail", config, secretKeys: ["portail:centre-de-cout"] }), []);
    });

    test("étiquettes connues par pulumi:tags seulement : conforme si elles suffisent, invérifiable sinon", async () => {
        const tags = JSON.stringify({ ministere: "interieur", application: "portail", environnement: "production", "centre-de-cout": "CC-1" });
        assert.deepEqual(await pil02({ project: "portail", config: { "pulumi:tags": tags } }), []);
        const ds = await pil02({ project: "portail", config: { "pulumi:tags": JSON.stringify({ ministere: "interieur" }) } });
        assert.equal(ds.length, 1);
        assert.ok(isCannotCheck(ds[0]));
        assert.match(ds[0].message, /les étiquettes de la pile ne sont pas connues .* application, environnement, centre-de-cout absent\(s\) de sa configuration/);
    });

    test("étiquettes données, configuration inconnue : invérifiable s'il manque une clé", async () => {
        const ds = await pil02({ project: "portail" }, { tags: { ministere: "interieur" } });
        assert.equal(ds.length, 1);
        assert.ok(isCannotCheck(ds[0]));
        assert.match(ds[0].message, /la configuration de la pile n'est pas connue/);
        assert.deepEqual(await pil02({ project: "portail" }, { tags: { ministere: "m", application: "a", environnement: "e", "centre-de-cout": "c" } }), []);
    });

    test("étiquettes et configuration connues : la clé manquante est une violation obligatoire", async () => {
        const ds = await pil02({ project: "portail" }, { tags: { ministere: "interieur" }, config: ["application=portail"] });
        assert.equal(ds.length, 1);
        assert.ok(!isCannotCheck(ds[0]), ds[0].message);
        assert.equal(ds[0].enforcementLevel, "mandatory");
        assert.match(ds[0].message, /la pile ne déclare pas : environnement, centre-de-cout/);
        assert.equal(ds[0].urn, root.urn);
    });
});
