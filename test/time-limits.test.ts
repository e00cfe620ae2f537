/**
 * Never hang: every call to the pack and every run of the checker has a time limit. A pack that
 * never answers, or that dies in the middle of a call, is reported in one line with exit code 2.
 * The packs of test/fixtures/packs are started exactly as the real one.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { PolicyPackProcess } from "../src/engine/driver";
import { PackCallError, parseSeconds, withTimeLimit } from "../src/engine/limits";
import { ROOT } from "./support/pack";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
const SILENT = path.join(ROOT, "test/fixtures/packs/muet");
const CRASHING = path.join(ROOT, "test/fixtures/packs/arret");
let tmp: string;
let state: string;

before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-delais-"));
    state = path.join(tmp, "etat.json");
    const P = "urn:pulumi:dev::app::";
    fs.writeFileSync(
        state,
        JSON.stringify({
            version: 3,
            deployment: {
                resources: [
                    { urn: `${P}pulumi:pulumi:Stack::app-dev`, type: "pulumi:pulumi:Stack", custom: false },
                    { urn: `${P}openstack:networking/network:Network::a`, type: "openstack:networking/network:Network", custom: true, id: "a", outputs: { name: "a" } },
                ],
            },
        }),
    );
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[], env: Record<string, string> = {}) {
    // The test's own limit is far above the checker's: a hang fails the test instead of blocking it.
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 150_000, env: { ...process.env, LC_ALL: "C", ...env } });
    return { code: r.status, signal: r.signal, err: r.stderr };
}

function assertOneLine(r: ReturnType<typeof cli>, pattern: RegExp) {
    assert.equal(r.signal, null, "le vérificateur n'a pas fini de lui-même");
    assert.equal(r.code, 2, `code ${r.code}, stderr: ${r.err}`);
    const lines = r.err.trim().split("\n");
    assert.equal(lines.length, 1, `une seule ligne attendue : ${r.err}`);
    assert.match(lines[0], pattern);
    assert.ok(!/\n\s+at /.test(r.err), "pas de pile d'appels");
}

test("un pack qui ne répond jamais : l'appel échoue à sa limite, code 2, une ligne", () => {
    assertOneLine(
        cli(["check", "--state", state, "--pack", SILENT, "--call-timeout", "1"]),
        /^cloud-de-confiance: policy pack .*muet: (Remediate|Analyze) of urn:pulumi:dev::app::openstack:networking\/network:Network::a did not answer within 1 s \(call time limit\)$/,
    );
    // The same limit from the environment; the option wins over the variable.
    assertOneLine(cli(["check", "--state", state, "--pack", SILENT], { CLOUD_DE_CONFIANCE_CALL_TIMEOUT: "1.5" }), /did not answer within 1\.5 s/);
    assertOneLine(cli(["check", "--state", state, "--pack", SILENT, "--call-timeout", "1"], { CLOUD_DE_CONFIANCE_CALL_TIMEOUT: "600" }), /did not answer within 1 s/);
});

test("la durée de toute la vérification est bornée, même quand chaque appel a le temps", () => {
    // The pack may start slowly on a loaded machine: either the start-up or the evaluation hits the limit.
    assertOneLine(
        cli(["check", "--state", state, "--pack", SILENT, "--timeout", "12", "--call-timeout", "600"]),
        /(the policy pack's evaluation of 1 resource\(s\) did not finish within 12 s \(time limit of the run\)|did not print its port within)/,
    );
});

test("un pack qui s'arrête pendant un appel : code 2, une ligne qui le dit", () => {
    assertOneLine(cli(["check", "--state", state, "--pack", CRASHING]), /^cloud-de-confiance: policy pack .*arret (exited \(code 7\)|stopped answering) during Analyze of urn:pulumi:dev::app::openstack:networking\/network:Network::a/);
    // In French too.
    const fr = cli(["check", "--state", state, "--pack", CRASHING, "--lang", "fr"]);
    assert.equal(fr.code, 2);
});

test("une limite mal écrite : erreur d'usage d'une ligne", () => {
    assertOneLine(cli(["check", "--state", state, "--timeout", "abc"]), /--timeout "abc": expected a number of seconds greater than 0/);
    assertOneLine(cli(["check", "--state", state, "--call-timeout", "0"]), /--call-timeout "0": expected a number of seconds greater than 0/);
    assertOneLine(cli(["check", "--state", state], { CLOUD_DE_CONFIANCE_TIMEOUT: "-5" }), /CLOUD_DE_CONFIANCE_TIMEOUT "-5": expected a number/);
    assert.equal(parseSeconds(undefined, "x"), undefined);
    assert.equal(parseSeconds("2.5", "x"), 2500);
});

test("le pilote : chaque appel a une échéance ; une promesse sans fin est coupée", async () => {
    const pack = await PolicyPackProcess.start(SILENT, { callTimeoutMs: 500 });
    try {
        const info = await pack.getAnalyzerInfo();
        assert.equal(info.name, "pack-muet");
        await assert.rejects(
            pack.analyze({ urn: "urn:pulumi:s::p::t:m:R::r", type: "t:m:R", name: "r", properties: {} }),
            (e: Error) => e instanceof PackCallError && /Analyze of urn:pulumi:s::p::t:m:R::r did not answer within 0\.5 s/.test(e.message),
        );
    } finally {
        await pack.close();
    }
    let stopped = false;
    await assert.rejects(
        withTimeLimit(new Promise(() => undefined), 50, { what: "l'attente", onExpire: () => (stopped = true) }),
        (e: Error) => e instanceof PackCallError && /l'attente did not finish within 0\.05 s/.test(e.message),
    );
    assert.ok(stopped, "ce qui était attendu est arrêté");
});
