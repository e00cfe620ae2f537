/**
 * Secret values of the resources under analysis.
 *
 * `@pulumi/policy` unwraps secrets before policies see them, so a rule cannot tell a secret from a
 * plain value. The pack therefore reads the engine's request itself (intercept.ts): before each
 * Analyze, AnalyzeStack or Remediate call is handed on, the secret paths and values of its
 * resources, and of their providers, are indexed here for the duration of the call.
 *
 * The index answers two questions:
 * - by path: is this property of this resource secret, or under a secret object or array?
 * - by content: is this text a secret or derived from one? A text is tainted when it shares a run
 *   of 4 characters with a secret or with its JSON-escaped form (case and accents ignored: a
 *   lower-cased, trimmed, truncated, split or quoted secret is still caught), or, for secrets of 2
 *   or 3 characters (a port), when one of its words is that secret.
 *
 * message.ts hides every tainted value it is asked to show (first line of defence) and scrubs what
 * it renders (second line). Our rules run synchronously: a call's analysis completes within the
 * call's own microtasks, before the engine's next call is dispatched.
 */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
/** What the CLI writes in place of a secret it does not show: a marker, not a secret value. */
export const SECRET_PLACEHOLDER = "[secret]";

const GRAM = 4;
/**
 * A secret longer than this (a script, a certificate, a kubeconfig) is matched by runs of
 * `LONG_GRAM` characters: its 4-character runs are ordinary words, which would hide half of every
 * message, and rules never quote a few characters of such a text.
 */
const LONG = 64;
const LONG_GRAM = 8;

export interface ResourceSecrets {
    /** Property paths that are secret (`a.b[0]`); "" when the whole property bag is. */
    paths: Set<string>;
    /** Secret leaf values, as text. */
    values: Set<string>;
}

/** Lower-cased, without accents: the forms a rule may turn a value into compare equal. */
export function fold(s: string): string {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** Splits a text into words (letters and digits). */
function words(s: string): string[] {
    return s.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

export class SecretIndex {
    private readonly byUrn = new Map<string, ResourceSecrets>();
    private readonly grams = new Set<string>();
    private readonly longGrams = new Set<string>();
    /** Hashes of the runs in `grams` and `longGrams` (gramHash). */
    private readonly hashes = new Set<number>();
    private readonly longHashes = new Set<number>();
    private readonly short = new Set<string>();

    get size(): number {
        return this.byUrn.size;
    }

    /**
     * Records the secrets of one resource from its wire properties. A URN seen twice in one call
     * (a malformed state) keeps the secrets of both.
     */
    add(urn: string, wireProperties: unknown): void {
        // Most resources hold no secret: found without naming every path.
        if (!holdsSecret(wireProperties)) return;
        const found: ResourceSecrets = this.byUrn.get(urn) ?? { paths: new Set(), values: new Set() };
        walk(wireProperties, "", false, found);
        if (found.paths.size === 0) return;
        this.byUrn.set(urn, found);
        for (const v of found.values) this.addValue(v);
    }

    private addValue(raw: string): void {
        const v = fold(raw.trim());
        if (v.length === 0 || raw === SECRET_PLACEHOLDER) return;
        if (v.length < GRAM) {
            if (v.length >= 2) this.short.add(v);
            return;
        }
        this.addGrams(v);
        // Quoted as JSON (an object or list that holds the secret), quotes, backslashes and line
        // breaks are escaped: a secret with one every few characters shares no run with that form.
        const escaped = JSON.stringify(v).slice(1, -1);
        if (escaped !== v) this.addGrams(escaped);
        // Parts of 4 characters or more are runs of the secret already; shorter ones are words.
        if (v.length <= LONG) for (const part of v.split(/[\s=/:@,;|?&#]+/)) if (part.length >= 2 && part.length < GRAM) this.short.add(part);
    }

    private addGrams(v: string): void {
        const long = v.length > LONG;
        const [set, hashes, n] = long ? [this.longGrams, this.longHashes, LONG_GRAM] : [this.grams, this.hashes, GRAM];
        for (let i = 0; i + n <= v.length; i++) {
            set.add(v.slice(i, i + n));
            hashes.add(gramHash(v, i, n));
        }
    }

    /**
     * Marks the runs of `t` that a secret shares; returns whether there was one. Every message and
     * quoted value is read here: each run is first looked up by a hash of its characters (no
     * string made), and only a hash that a secret's run has is compared as text.
     */
    private markRuns(t: string, mark?: Uint8Array): boolean {
        let any = false;
        for (const [set, hashes, n] of [[this.grams, this.hashes, GRAM], [this.longGrams, this.longHashes, LONG_GRAM]] as const) {
            if (set.size === 0) continue;
            for (let i = 0; i + n <= t.length; i++) {
                if (hashes.has(gramHash(t, i, n)) && set.has(t.slice(i, i + n))) {
                    if (!mark) return true;
                    mark.fill(1, i, i + n);
                    any = true;
                }
            }
        }
        return any;
    }

    secretsOf(urn: string | undefined): ResourceSecrets | undefined {
        return urn === undefined ? undefined : this.byUrn.get(urn);
    }

    /** Whether a property path of a resource is, or lies under, a secret. */
    isSecretPath(urn: string | undefined, path: string): boolean {
        const s = this.secretsOf(urn);
        if (!s) return false;
        for (const p of s.paths) {
            if (p === "" || path === p || path.startsWith(p + ".") || path.startsWith(p + "[")) return true;
        }
        return false;
    }

    /** Whether a text is a secret, or shares a run of 4 characters or a short word with one. */
    tainted(text: string): boolean {
        if (this.grams.size === 0 && this.longGrams.size === 0 && this.short.size === 0) return false;
        const t = fold(text);
        if (this.markRuns(t)) return true;
        if (this.short.size > 0) for (const w of words(t)) if (this.short.has(w)) return true;
        return false;
    }

    /**
     * Masks, in a rendered text, every run that a secret shares with it (4 characters or more) and
     * every word that is a short secret. Second line of defence: message.ts already refuses
     * tainted values.
     */
    scrub(text: string, marker: string): string {
        if (this.grams.size === 0 && this.longGrams.size === 0 && this.short.size === 0) return text;
        const t = fold(text);
        let src = text;
        if (t.length !== text.length) src = t; // a case mapping changed the length: work on the folded text
        const mark = new Uint8Array(t.length);
        let any = this.markRuns(t, mark);
        if (this.short.size > 0) {
            const re = /[\p{L}\p{N}]+/gu;
            let m: RegExpExecArray | null;
            while ((m = re.exec(t)) !== null) {
                if (this.short.has(m[0])) {
                    mark.fill(1, m.index, m.index + m[0].length);
                    any = true;
                }
            }
        }
        if (!any) return text;
        let out = "";
        for (let i = 0; i < src.length; ) {
            if (!mark[i]) {
                out += src[i++];
                continue;
            }
            while (i < src.length && mark[i]) i++;
            out += marker;
        }
        return out;
    }

    /** Every secret value recorded (for the checker's reports). */
    values(): string[] {
        const out: string[] = [];
        for (const s of this.byUrn.values()) out.push(...s.values);
        return out;
    }
}

/** A 31-bit hash of the `n` UTF-16 code units of `t` from `at` (equal runs, equal hashes). */
function gramHash(t: string, at: number, n: number): number {
    let h = 0;
    for (let i = at; i < at + n; i++) h = (Math.imul(h, 31) + t.charCodeAt(i)) | 0;
    return h & 0x7fffffff;
}

/** Whether a wire value holds a secret anywhere. */
function holdsSecret(v: unknown): boolean {
    if (v === null || typeof v !== "object") return false;
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (holdsSecret(v[i])) return true;
        return false;
    }
    const o = v as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return true;
    for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && holdsSecret(o[k])) return true;
    return false;
}

function walk(v: unknown, path: string, inSecret: boolean, out: ResourceSecrets): void {
    if (v === null || v === undefined) return;
    if (typeof v === "object" && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) {
        out.paths.add(path);
        walk((v as Record<string, unknown>)["value"], path, true, out);
        return;
    }
    if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`, inSecret, out);
    } else if (typeof v === "object") {
        for (const k of Object.keys(v as Record<string, unknown>)) walk((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, inSecret, out);
    } else if (inSecret) {
        out.paths.add(path);
        out.values.add(String(v));
    }
}

// ------------------------------------------------------------------------------------------------
// The secrets seen since the last Configure, and the indexes of the calls under way.

/**
 * Every secret the engine has sent since the last Configure (one preview or update): a value
 * secret on one resource is hidden in the messages about every other resource too, even where a
 * program left it in plain text, whatever the order of the calls that are still to come.
 */
let session = new SecretIndex();

export function sessionSecrets(): SecretIndex {
    return session;
}

/** Forgets the secrets seen so far (a new Configure starts a new operation). */
export function resetSession(): void {
    session = new SecretIndex();
}

const active = new Set<SecretIndex>();

/** Makes an index visible to rules until `release` is called (at the end of the call). */
export function activate(index: SecretIndex): () => void {
    if (index.size === 0) return () => undefined;
    active.add(index);
    return () => active.delete(index);
}

/**
 * The secrets that count now: those seen since the last Configure, and those of any index
 * activated by the caller (a value is hidden if it is secret in any of them).
 */
export function currentSecrets(): Pick<SecretIndex, "tainted" | "scrub" | "isSecretPath" | "secretsOf"> {
    if (active.size === 0) return session;
    const all = [session, ...active];
    return {
        tainted: (t) => all.some((i) => i.tainted(t)),
        scrub: (t, m) => all.reduce((acc, i) => i.scrub(acc, m), t),
        isSecretPath: (u, p) => all.some((i) => i.isSecretPath(u, p)),
        secretsOf: (u) => all.map((i) => i.secretsOf(u)).find((s) => s !== undefined),
    };
}
