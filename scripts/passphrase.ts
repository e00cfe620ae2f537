/**
 * The Pulumi CLI's passphrase secrets provider, reimplemented so that the reference stacks ship
 * configuration files a real CLI decrypts (pulumi/pulumi: pkg/secrets/passphrase/manager.go and
 * sdk/go/common/resource/config/crypt.go):
 *
 * - key: PBKDF2-HMAC-SHA256 of the passphrase, salt of 8 random bytes, 1,000,000 iterations, 32 bytes;
 * - a value: AES-256-GCM with a random 12-byte nonce, no additional data, the 16-byte tag appended
 *   to the ciphertext (Go's `gcm.Seal`), written `v1:<base64 nonce>:<base64 ciphertext+tag>`;
 * - the stack's `encryptionsalt`: `v1:<base64 salt>:` followed by the encryption of "pulumi" with
 *   that key, which is how the CLI checks a passphrase (`symmetricCrypterFromPhraseAndState`).
 */
import * as crypto from "crypto";

export const ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const SALT_BYTES = 8;
const CHECK = "pulumi";

export class PassphraseError extends Error {}

export interface Crypter {
    /** The stack file's `encryptionsalt`. */
    readonly encryptionSalt: string;
    encrypt(plaintext: string): string;
    decrypt(ciphertext: string): string;
}

export function keyFromPassphrase(passphrase: string, salt: Buffer): Buffer {
    return crypto.pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, ITERATIONS, KEY_BYTES, "sha256");
}

export function encryptWithKey(key: Buffer, plaintext: string, nonce: Buffer = crypto.randomBytes(NONCE_BYTES)): string {
    const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${body.toString("base64")}`;
}

export function decryptWithKey(key: Buffer, value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3) throw new PassphraseError("bad value");
    if (parts[0] !== "v1") throw new PassphraseError("unknown value version");
    const nonce = Buffer.from(parts[1], "base64");
    const body = Buffer.from(parts[2], "base64");
    if (nonce.length !== NONCE_BYTES) throw new PassphraseError("bad value: nonce size is incorrect");
    if (body.length < TAG_BYTES) throw new PassphraseError("bad value: too short");
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, nonce);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    try {
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
        throw new PassphraseError("cipher: message authentication failed");
    }
}

function crypter(key: Buffer, encryptionSalt: string): Crypter {
    return {
        encryptionSalt,
        encrypt: (p) => encryptWithKey(key, p),
        decrypt: (c) => decryptWithKey(key, c),
    };
}

/** A new `encryptionsalt` and its crypter, as `pulumi stack init --secrets-provider passphrase` makes them. */
export function newPassphraseCrypter(passphrase: string, salt: Buffer = crypto.randomBytes(SALT_BYTES)): Crypter {
    const key = keyFromPassphrase(passphrase, salt);
    return crypter(key, `v1:${salt.toString("base64")}:${encryptWithKey(key, CHECK)}`);
}

/** The crypter of an existing `encryptionsalt`; throws "incorrect passphrase" as the CLI does. */
export function passphraseCrypter(passphrase: string, encryptionSalt: string): Crypter {
    const first = encryptionSalt.indexOf(":");
    const second = encryptionSalt.indexOf(":", first + 1);
    if (first < 0 || second < 0) throw new PassphraseError("malformed state value");
    if (encryptionSalt.slice(0, first) !== "v1") throw new PassphraseError("unknown state version");
    const salt = Buffer.from(encryptionSalt.slice(first + 1, second), "base64");
    const key = keyFromPassphrase(passphrase, salt);
    let check: string;
    try {
        check = decryptWithKey(key, encryptionSalt.slice(second + 1));
    } catch {
        throw new PassphraseError("incorrect passphrase");
    }
    if (check !== CHECK) throw new PassphraseError("incorrect passphrase");
    return crypter(key, encryptionSalt);
}
