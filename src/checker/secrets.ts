/**
 * The secrets of what the checker was given, gathered once, so that nothing the checker writes
 * (reports, standard output, error lines) shows them.
 *
 * The pack hides the secrets of the resource it is looking at (policies/src/lib/secrets.ts), but an
 * Analyze call only carries one resource and its provider: a value that is secret in one resource
 * and in plaintext in another, a secret stack output or a secret configuration value is unknown
 * to it. The checker knows the whole input, so it indexes every secret value of it, with the
 * pack's own `SecretIndex` (the same matching: runs of 4 characters, case and accents ignored,
 * short secrets as whole words), and the reports scrub their text with it (reports/scrub.ts).
 *
 * Where secrets come from:
 * - resources and their providers: properties in the engine's wire form (`secret()`);
 * - `SecretSource`s: other wire-form values of the input — every state entry's inputs and outputs
 *   (the root stack's outputs, providers, deleted resources), the outputs a program registers,
 *   and secret configuration values known in plaintext (`configSources`).
 *
 * "[secret]", the placeholder the Pulumi CLI writes for a secret it does not show, is no secret.
 */
import { SecretIndex, SECRET_PLACEHOLDER } from "@cloud-de-confiance/policies/dist/lib/secrets";
import { EngineResource, isSecret, secret } from "../engine/types";
import { CheckResult } from "./model";

export { SecretIndex };

/** What the checker writes in place of a secret. */
export const SECRET_MASK = SECRET_PLACEHOLDER;

/** A value of the input where secrets may be, in the engine's wire form, with where it comes from. */
export interface SecretSource {
    /** A URN, or a label such as `config:<key>`. */
    key: string;
    value: unknown;
}

/**
 * The index of every secret of the resources, of their providers and of the other sources.
 *
 * Secret booleans are left out: "true" and "false" are in every report (`protect: true`), a text
 * cannot be told to come from one, and masking them everywhere would only damage the reports. The
 * pack still hides a secret boolean where it shows the property (by its path).
 */
export function inputSecrets(resources: readonly EngineResource[], sources: readonly SecretSource[] = []): SecretIndex {
    const index = new SecretIndex();
    for (const r of resources) {
        index.add(r.urn, withoutBooleans(r.properties));
        if (r.provider) index.add(r.provider.urn, withoutBooleans(r.provider.properties));
    }
    for (const s of sources) index.add(s.key, withoutBooleans(s.value));
    return index;
}

function withoutBooleans(v: unknown): unknown {
    if (typeof v === "boolean") return null;
    if (Array.isArray(v)) return v.map(withoutBooleans);
    if (v !== null && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, e] of Object.entries(v)) out[k] = withoutBooleans(e);
        return out;
    }
    return v;
}

/**
 * The secret values found anywhere in a wire-form document, each as a source named after where it
 * is (`<key>:<path>`): a whole state or preview is kept as its secrets only.
 */
export function secretsIn(key: string, wire: unknown): SecretSource[] {
    const out: SecretSource[] = [];
    const walk = (v: unknown, at: string): void => {
        if (isSecret(v)) {
            out.push({ key: `${key}:${at}`, value: v });
        } else if (Array.isArray(v)) {
            v.forEach((e, i) => walk(e, `${at}[${i}]`));
        } else if (v !== null && typeof v === "object") {
            for (const [k, e] of Object.entries(v)) walk(e, at ? `${at}.${k}` : k);
        }
    };
    walk(wire, "");
    return out;
}

/**
 * Secret configuration values, as sources. A key is secret as a whole (Pulumi's `secretKeys`): an
 * object with one `secure` leaf makes all its leaves secret. The program sees such a value as a
 * string (JSON for an object); the "[secret]" of a value the checker cannot decrypt is skipped.
 */
export function configSources(config: Readonly<Record<string, string>>, secretKeys: readonly string[]): SecretSource[] {
    const out: SecretSource[] = [];
    for (const key of secretKeys) {
        const text = config[key];
        if (text === undefined || text === SECRET_PLACEHOLDER) continue;
        let value: unknown = text;
        if (/^\s*[[{]/.test(text)) {
            try {
                value = JSON.parse(text);
            } catch {
                value = text;
            }
        }
        out.push({ key: `config:${key}`, value: secret(value) });
    }
    return out;
}

/** The text with every run it shares with a secret masked as "[secret]"; unchanged without secrets. */
export function scrubText(secrets: SecretIndex | undefined, text: string): string {
    return secrets ? secrets.scrub(text, SECRET_MASK) : text;
}

const bySecrets = new WeakMap<CheckResult, SecretIndex>();

/** Remembers the secrets of the input a result was computed from (see reports/scrub.ts). */
export function attachSecrets(result: CheckResult, secrets: SecretIndex): CheckResult {
    bySecrets.set(result, secrets);
    return result;
}

/** The secrets of the input of a result made by `check`, if any. */
export function secretsOf(result: CheckResult): SecretIndex | undefined {
    return bySecrets.get(result);
}
