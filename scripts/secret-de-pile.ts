#!/usr/bin/env node
/**
 * Writes or reads an encrypted value of a stack configuration file (Pulumi.<stack>.yaml) with the
 * passphrase secrets provider, exactly as `pulumi config set --secret` and `pulumi config get` do,
 * without the Pulumi CLI (see scripts/passphrase.ts). The passphrase is read from
 * PULUMI_CONFIG_PASSPHRASE, as the CLI reads it.
 *
 *   node dist/scripts/secret-de-pile.js set  stacks/application-web/Pulumi.ovhcloud.yaml application-web:kubeconfig < kubeconfig
 *   node dist/scripts/secret-de-pile.js get  stacks/application-web/Pulumi.ovhcloud.yaml application-web:kubeconfig
 *
 * `set` creates the file's `encryptionsalt` when it has none, and keeps the file's comments.
 */
import * as fs from "fs";
import YAML from "yaml";
import { newPassphraseCrypter, passphraseCrypter } from "./passphrase";

function main(argv: string[]): number {
    const [command, file, key, value] = argv;
    const passphrase = process.env.PULUMI_CONFIG_PASSPHRASE;
    if (!["set", "get"].includes(command ?? "") || !file || !key) {
        process.stderr.write("usage: secret-de-pile set|get Pulumi.<pile>.yaml clé [valeur] (valeur lue sur l'entrée standard si absente)\n");
        return 2;
    }
    if (passphrase === undefined) {
        process.stderr.write("secret-de-pile: PULUMI_CONFIG_PASSPHRASE n'est pas définie\n");
        return 2;
    }
    const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
    const salt = doc.get("encryptionsalt");
    if (command === "get") {
        if (typeof salt !== "string") throw new Error(`${file}: pas d'encryptionsalt`);
        const secure = doc.getIn(["config", key, "secure"]);
        if (typeof secure !== "string") throw new Error(`${file}: ${key} n'est pas une valeur chiffrée`);
        process.stdout.write(passphraseCrypter(passphrase, salt).decrypt(secure));
        return 0;
    }
    const crypter = typeof salt === "string" ? passphraseCrypter(passphrase, salt) : newPassphraseCrypter(passphrase);
    if (typeof salt !== "string") doc.set("encryptionsalt", crypter.encryptionSalt);
    const plaintext = value ?? fs.readFileSync(0, "utf8");
    doc.setIn(["config", key], doc.createNode({ secure: crypter.encrypt(plaintext) }));
    fs.writeFileSync(file, doc.toString({ lineWidth: 0 }));
    return 0;
}

if (require.main === module) {
    try {
        process.exitCode = main(process.argv.slice(2));
    } catch (e) {
        process.stderr.write(`secret-de-pile: ${(e as Error).message}\n`);
        process.exitCode = 2;
    }
}
