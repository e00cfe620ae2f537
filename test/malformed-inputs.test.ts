/**
 * Malformed inputs, continued: error lines never echo raw control bytes from the file; duplicate
 * URNs in a state are refused; a resource whose provider reference points nowhere is reported
 * « cannot be checked » for the rules that judge providers, never silently left out.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { check } from "../src/checker/check";
import { InputError } from "../src/checker/errors";
import { parsePreviewJson, parseStateJson } from "../src/checker/inputs";
import { stackContext, stackKnowledge } from "../src/checker/stack-description";
import { ROOT } from "./support/pack";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
const P = "urn:pulumi:prod::portail::";
const DEFAULT_OS = `${P}pulumi:providers:openstack::default_3_15_2`;
let tmp: string;
before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-entrees-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A file as `pulumi stack export` writes it: version 3, manifest, secrets provider, resources. */
function exported(resources: unknown[]): string {
    return JSON.stringify(
        {
            version: 3,
            deployment: {
                manifest: { time: "2026-11-02T10:00:00Z", magic: "0", version: "v3.190.0" },
                secrets_providers: { type: "passphrase", state: { salt: "v1:abc" } },
                resources: [{ urn: `${P}pulumi:pulumi:Stack::portail-prod`, custom: false, type: "pulumi:pulumi:Stack", outputs: {} }, ...resources],
            },
        },
        null,
        4,
    );
}

const provider = { urn: DEFAULT_OS, custom: true, id: "p-1", type: "pulumi:providers:openstack", inputs: { region: "EU-WEST-PAR", authUrl: "https://auth.cloud.ovh.net/v3" }, outputs: { region: "EU-WEST-PAR", authUrl: "https://auth.cloud.ovh.net/v3" } };
const instance = (name: string, providerRef?: string) => ({
    urn: `${P}openstack:compute/instance:Instance::${name}`,
    custom: true,
    id: `i-${name}`,
    type: "openstack:compute/instance:Instance",
    outputs: { name, flavorName: "b3-8", availabilityZone: "eu-west-par-a", region: "EU-WEST-PAR" },
    ...(providerRef !== undefined ? { provider: providerRef } : {}),
});

function inputError(f: () => unknown): InputError {
    try {
        f();
    } catch (e) {
        assert.ok(e instanceof InputError, String(e));
        return e;
    }
    assert.fail("InputError attendue");
}

/** No C0/C1 control character, no bidirectional override, in a line printed to a terminal. */
function assertNoControls(text: string) {
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(text), `caractère de contrôle brut : ${JSON.stringify(text)}`);
}

test("les lignes d'erreur échappent les caractères de contrôle du fichier et coupent les valeurs longues", () => {
    const evil = `urn:\u001b[2J\u001b]0;titre\u0007${"x".repeat(5000)}`;
    const e1 = inputError(() => parseStateJson(exported([{ urn: evil, type: "t:m:R" }]), "etat.json"));
    assertNoControls(e1.message);
    assert.match(e1.message, /^etat\.json: resource #2 has a malformed urn 'urn:\\x1b\[2J\\x1b\]0;titre\\x07x+…' \(expected/);
    assert.ok(e1.message.length < 300, `${e1.message.length} caractères`);
    const e2 = inputError(() => parsePreviewJson(JSON.stringify({ config: {}, steps: [], diagnostics: [{ severity: "error", message: "error: \u001b[31mboom\u001b[0m\n  second line\u202e" }] }), "p.json"));
    assertNoControls(e2.message);
    assert.match(e2.message, /the preview failed and lists no resources: \\x1b\[31mboom\\x1b\[0m second line\\u202e$/);
    const e3 = inputError(() => parsePreviewJson(JSON.stringify({ steps: [{ op: "cre\u001bate", urn: "urn:pulumi:s::p::t:m:R::\u0000r", newState: { urn: "urn:pulumi:s::p::t:m:R::\u0000r", type: 3 } }] }), "p.json"));
    assertNoControls(e3.message);
    assert.equal(e3.message, "p.json: resource urn:pulumi:s::p::t:m:R::\\x00r has no 'type'");
    const e4 = inputError(() => parsePreviewJson(JSON.stringify({ steps: [{ op: "cre\u001bate", urn: "urn:pulumi:s::p::t:m:R::\u0000r", newState: 3 }] }), "p.json"));
    assertNoControls(e4.message);
    assert.ok(e4.message.includes("(cre\\x1bate urn:pulumi:s::p::t:m:R::\\x00r)"), e4.message);
    // Through the command line: one line, no raw escape byte on standard error.
    const file = path.join(tmp, "controle.json");
    fs.writeFileSync(file, exported([{ urn: evil, type: "t:m:R" }]));
    const r = spawnSync(process.execPath, [CLI, "check", "--state", file], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, LC_ALL: "C" } });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    assertNoControls(r.stderr.trimEnd());
});

test("URN en double dans un état : refusé, en nommant l'URN et les deux positions ; une copie à supprimer est admise", () => {
    const vm = instance("web-1", `${DEFAULT_OS}::p-1`);
    const e = inputError(() => parseStateJson(exported([provider, vm, instance("web-2", `${DEFAULT_OS}::p-1`), { ...vm, id: "i-autre" }]), "etat.json"));
    assert.equal(
        e.message,
        `etat.json: duplicate resource ${P}openstack:compute/instance:Instance::web-1 (resources #3 and #5, neither marked for deletion): not a consistent stack state`,
    );
    // A replacement leaves the old copy marked for deletion: one resource, counted once.
    const s = parseStateJson(exported([provider, { ...vm, id: "i-ancien", delete: true }, vm]), "etat.json");
    assert.deepEqual(s.resources.map((r) => r.name), ["default_3_15_2", "web-1"]);
    // A preview's steps of one URN (replacement) give one resource, the last state: never two.
    const step = (op: string, id: string) => ({ op, urn: vm.urn, newState: { ...vm, id, inputs: vm.outputs } });
    const pv = parsePreviewJson(JSON.stringify({ config: {}, steps: [step("create", "a"), step("create", "b")] }), "p.json");
    assert.equal(pv.resources.filter((r) => r.urn === vm.urn).length, 1);
});

test("référence de fournisseur qui ne désigne rien (état de `pulumi stack export`) : signalée, SEC-01 invérifiable, jamais respecté", async () => {
    const text = exported([
        provider,
        instance("ok", `${DEFAULT_OS}::p-1`),
        // Not `<urn>::<id>`.
        instance("illisible", "default_3_15_2"),
        // The URN of a resource that is no provider.
        instance("pas-un-fournisseur", `${P}openstack:compute/instance:Instance::ok::i-ok`),
        // A custom resource without a reference.
        instance("sans"),
        instance("sans-2"),
    ]);
    const s = parseStateJson(text, "etat.json");
    assert.deepEqual(
        s.unseenProviders?.map((u) => [u.reason, u.name, u.usedBy.length, u.reference]),
        [
            ["malformed", "illisible", 1, "default_3_15_2"],
            ["not-a-provider", "pas-un-fournisseur", 1, `${P}openstack:compute/instance:Instance::ok`],
            ["missing", "sans", 2, ""],
        ],
    );
    // No resource gets a resource that is no provider as its provider.
    assert.equal(s.resources.find((r) => r.name === "pas-un-fournisseur")?.provider, undefined);

    const stack = stackContext({ project: "portail", stack: "prod", dryRun: false }, stackKnowledge({ project: "portail" }));
    const { result } = await check({ source: { kind: "state", path: "etat.json" }, resources: s.resources, stack, unseenProviders: s.unseenProviders });
    const sec01 = result.findings.filter((f) => f.policy === "sec-01-offre-qualifiee" && f.status === "unknown");
    assert.deepEqual(sec01.map((f) => f.resource?.name).sort(), ["illisible", "pas-un-fournisseur", "sans"]);
    assert.ok(sec01.find((f) => f.resource?.name === "sans")?.message.includes("ressource sans référence de fournisseur, pour 2 ressource(s) (sans, sans-2)"));
    assert.ok(sec01.find((f) => f.resource?.name === "illisible")?.message.includes("référence de fournisseur illisible « default_3_15_2 »"));
    const need = result.conformance.find((n) => n.need === "SEC-01");
    assert.ok(need && need.status !== "respected" && need.status !== "not-exercised", `SEC-01 : ${need?.status}`);
});
