/**
 * Stack configuration as Pulumi writes it: `Pulumi.yaml` (`config:` declarations), stack files
 * `Pulumi.<stack>.yaml` and file-backend checkpoints (`config.Map`), where a secret value is a
 * `{secure: <ciphertext>}` leaf that the checker never decrypts.
 */
import * as fs from "fs";
import YAML from "yaml";
import { InputError, oneLine } from "./errors";

/** What the CLI writes in place of a secret it does not show, and what the checker shows for one. */
export const SECRET_PLACEHOLDER = "[secret]";

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads a YAML file; one-line InputError naming the file (and the place) otherwise. */
export function readYamlFile(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new InputError(`${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, { prettyErrors: false, lineCounter });
    if (doc.errors.length > 0) {
        const err = doc.errors[0];
        const pos = lineCounter.linePos(err.pos[0]);
        throw new InputError(`${file}:${pos.line}:${pos.col}: invalid YAML: ${oneLine(err.message)}`);
    }
    return doc.toJS() as unknown;
}

/** A configuration key as the CLI stores it: a bare key takes the project's namespace. */
export function namespaced(key: string, project: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/** Replaces `{secure: ...}` leaves by "[secret]"; tells whether there was one. */
export function blindSecure(v: unknown): { value: unknown; secret: boolean } {
    if (isObject(v)) {
        const keys = Object.keys(v);
        if (keys.length === 1 && keys[0] === "secure") {
            return { value: SECRET_PLACEHOLDER, secret: true };
        }
        let isSecret = false;
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) {
            const r = blindSecure(e);
            out[k] = r.value;
            isSecret = isSecret || r.secret;
        }
        return { value: out, secret: isSecret };
    }
    if (Array.isArray(v)) {
        let isSecret = false;
        const out = v.map((e) => {
            const r = blindSecure(e);
            isSecret = isSecret || r.secret;
            return r.value;
        });
        return { value: out, secret: isSecret };
    }
    return { value: v, secret: false };
}

/** Keys of a `Pulumi.yaml` configuration declaration (`{type, default, value, …}`), as opposed to a plain value. */
export const DECLARATION_KEYS = new Set(["type", "description", "default", "value", "secret", "items"]);

/** The value a `Pulumi.yaml` `config:` entry gives: `value`, else `default` of a declaration, else the entry itself. */
export function declaredValue(decl: unknown): unknown {
    if (isObject(decl) && Object.keys(decl).some((d) => DECLARATION_KEYS.has(d))) {
        return "value" in decl ? decl.value : decl.default;
    }
    return decl;
}

/** The string the language host gives the program for a config value. */
export function configString(v: unknown): string {
    if (v === null || v === undefined) {
        return "";
    }
    if (typeof v === "object") {
        return JSON.stringify(v);
    }
    return String(v);
}
