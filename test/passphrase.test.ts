/**
 * The passphrase secrets provider of scripts/passphrase.ts is the Pulumi CLI's: it opens the state
 * of Pulumi's own tests with their passphrase and refuses a wrong one, reads back what it writes in
 * the CLI's format, and opens every encrypted value of the reference stacks with the documented
 * demonstration passphrase.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import YAML from "yaml";
import { decryptWithKey, encryptWithKey, newPassphraseCrypter, passphraseCrypter } from "../scripts/passphrase";
import { REFERENCE_STACKS } from "../src/docs/matrices";
import { ROOT } from "./support/pack";

/** The demonstration passphrase the README and every stack file document. */
const DEMO = "demonstration-cloud-de-confiance";
/** State and passphrase of pulumi/pulumi pkg/secrets/passphrase/manager_test.go, written by the Go implementation. */
const PULUMI_STATE = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";

test("l'état des tests de Pulumi s'ouvre avec sa phrase de passe, pas avec une autre", () => {
    const c = passphraseCrypter("password", PULUMI_STATE);
    assert.equal(c.decrypt(c.encrypt("valeur")), "valeur");
    assert.throws(() => passphraseCrypter("password123", PULUMI_STATE), /incorrect passphrase/);
    assert.throws(() => passphraseCrypter("password", "fozI5u6B030=:v1:F+6ZduL:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ=="), /unknown state version|malformed/);
});

test("ce que le script chiffre, il le déchiffre, au format de la CLI", () => {
    const c = newPassphraseCrypter("une phrase de passe", Buffer.from("0123456789abcdef", "hex"));
    // v1:<sel de 8 octets>:v1:<nonce de 12 octets>:<« pulumi » chiffré + étiquette de 16 octets>
    assert.match(c.encryptionSalt, /^v1:ASNFZ4mrze8=:v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{30}==$/);
    assert.equal(passphraseCrypter("une phrase de passe", c.encryptionSalt).decrypt(c.encrypt("é secret ✓")), "é secret ✓");
    const v = c.encrypt("kubeconfig");
    const [, nonce, body] = v.split(":");
    assert.equal(Buffer.from(nonce, "base64").length, 12);
    assert.equal(Buffer.from(body, "base64").length, "kubeconfig".length + 16);
    assert.notEqual(c.encrypt("kubeconfig"), v, "un nonce neuf à chaque valeur");
    const key = Buffer.alloc(32, 7);
    const fixed = encryptWithKey(key, "abc", Buffer.alloc(12, 1));
    assert.equal(decryptWithKey(key, fixed), "abc");
    const tampered = fixed.slice(0, -4) + (fixed.slice(-4, -3) === "A" ? "B" : "A") + fixed.slice(-3);
    assert.throws(() => decryptWithKey(key, tampered), /authentication failed/);
    assert.throws(() => passphraseCrypter("autre", c.encryptionSalt), /incorrect passphrase/);
});

test("chaque valeur chiffrée des piles de référence s'ouvre avec la phrase de passe de démonstration documentée", () => {
    assert.ok(fs.readFileSync(path.join(ROOT, "README.md"), "utf8").includes(`PULUMI_CONFIG_PASSPHRASE=${DEMO}`));
    let values = 0;
    for (const s of REFERENCE_STACKS) {
        const file = path.join(ROOT, "stacks", s.pile, `Pulumi.${s.stack}.yaml`);
        const text = fs.readFileSync(file, "utf8");
        assert.ok(text.includes(DEMO), `${s.pile}/Pulumi.${s.stack}.yaml ne documente pas la phrase de passe`);
        const doc = YAML.parse(text) as { encryptionsalt?: string; config: Record<string, unknown> };
        const secure = Object.entries(doc.config).filter(([, v]) => typeof v === "object" && v !== null && "secure" in v);
        if (secure.length === 0) continue;
        assert.ok(doc.encryptionsalt, `${s.pile}/Pulumi.${s.stack}.yaml : encryptionsalt absent`);
        const c = passphraseCrypter(DEMO, doc.encryptionsalt);
        for (const [k, v] of secure) {
            assert.ok(c.decrypt((v as { secure: string }).secure).length > 8, `${s.pile}/${s.stack} ${k}`);
            values++;
        }
    }
    assert.ok(values >= 6, `${values} valeurs chiffrées`);
});

test("secret-de-pile écrit une valeur que secret-de-pile (et la CLI) relit, sans toucher au reste du fichier", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secret-de-pile-"));
    try {
        const file = path.join(dir, "Pulumi.essai.yaml");
        fs.writeFileSync(file, "# commentaire gardé\nconfig:\n  projet:cle: valeur\n");
        const script = path.join(ROOT, "dist/scripts/secret-de-pile.js");
        const env = { ...process.env, PULUMI_CONFIG_PASSPHRASE: "phrase d'essai" };
        const set = spawnSync(process.execPath, [script, "set", file, "projet:motDePasse"], { env, input: "s3cr3t-d-essai", encoding: "utf8" });
        assert.equal(set.status, 0, set.stderr);
        const text = fs.readFileSync(file, "utf8");
        assert.ok(text.startsWith("# commentaire gardé\n") && text.includes("projet:cle: valeur") && !text.includes("s3cr3t-d-essai"), text);
        const get = spawnSync(process.execPath, [script, "get", file, "projet:motDePasse"], { env, encoding: "utf8" });
        assert.equal(get.stdout, "s3cr3t-d-essai", get.stderr);
        const doc = YAML.parse(text) as { encryptionsalt: string; config: Record<string, { secure: string }> };
        assert.equal(passphraseCrypter("phrase d'essai", doc.encryptionsalt).decrypt(doc.config["projet:motDePasse"].secure), "s3cr3t-d-essai");
        const wrong = spawnSync(process.execPath, [script, "get", file, "projet:motDePasse"], { env: { ...env, PULUMI_CONFIG_PASSPHRASE: "autre" }, encoding: "utf8" });
        assert.equal(wrong.status, 2);
        assert.match(wrong.stderr, /incorrect passphrase/);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
