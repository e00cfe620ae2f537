/**
 * What a rule says, and the one place where values become text.
 *
 * A rule writes its problem and its fix with the `m` tag, in both languages:
 *
 * ```ts
 * problem: msg(m`zone « ${zone} » inconnue`, m`unknown zone "${zone}"`)
 * ```
 *
 * The literal parts of a tagged template are the rule's own source text; everything between
 * `${…}` is a value, and values only become text here, through `renderValue`, which refuses a
 * secret value and anything derived from one (see secrets.ts): a secret path given with `at`, or
 * a text that shares a run of characters with a secret of the call, is shown as « (valeur sensible
 * masquée) ». A rule cannot hand the pack a finished string as its problem: `Violation.problem`
 * only takes a `Message`, and only `m` makes the templates a `Message` holds.
 *
 * Quoted values are cut to `MAX_QUOTE` characters, and lists to `MAX_ITEMS` items; a value is
 * only read as far as needed (its first `4 × MAX_QUOTE` characters are judged against the secrets).
 */
import { Lang } from "./i18n";
import { currentSecrets } from "./secrets";

/** Longest value quoted in a message, in characters (longer ones end with « … »). */
export const MAX_QUOTE = 80;
/** Most items of a list quoted in a message (the rest are counted). */
export const MAX_ITEMS = 6;

export const HIDDEN: Record<Lang, string> = { fr: "(valeur sensible masquée)", en: "(sensitive value hidden)" };

declare const TEMPLATE: unique symbol;
/** A template made by `m`: literal parts and values, rendered only by this module. */
export interface Template {
    readonly [TEMPLATE]: true;
}
interface TemplateData {
    strings: readonly string[];
    values: readonly unknown[];
}
/**
 * Where a template keeps its parts: a private field, which only this module reads (cheaper than a
 * WeakMap entry: rules make a template per occurrence, and a resource may have 100,000 of them).
 */
class TemplateBox {
    readonly #d: TemplateData;
    constructor(d: TemplateData) {
        this.#d = d;
        Object.freeze(this);
    }
    static data(v: unknown): TemplateData | undefined {
        return typeof v === "object" && v !== null && #d in v ? (v as TemplateBox).#d : undefined;
    }
}
const templates = { get: (v: unknown) => TemplateBox.data(v), has: (v: unknown) => TemplateBox.data(v) !== undefined };

/** Tag for a rule's message text: `m\`… ${value} …\``. */
export function m(strings: TemplateStringsArray, ...values: unknown[]): Template {
    // A TemplateStringsArray is frozen: kept as is, not copied.
    return new TemplateBox({ strings, values }) as unknown as Template;
}

/** A problem or fix, in French and English. */
export interface Message {
    readonly fr: Template;
    readonly en: Template;
}

export function msg(fr: Template, en: Template): Message {
    return { fr, en };
}

/** The same text in both languages (codes, names). */
export function same(t: Template): Message {
    return { fr: t, en: t };
}

const EMPTY_TEMPLATE = m``;
export const NOTHING: Message = { fr: EMPTY_TEMPLATE, en: EMPTY_TEMPLATE };

declare const FRAGMENT: unique symbol;
/** A value with where it comes from, or a list: rendered by this module only. */
export interface Fragment {
    readonly [FRAGMENT]: true;
}
type FragmentData =
    | { kind: "at"; value: unknown; path: string; urn?: string }
    | { kind: "items"; values: readonly unknown[]; max: number; sep: string };
class FragmentBox {
    readonly #d: FragmentData;
    constructor(d: FragmentData) {
        this.#d = d;
        Object.freeze(this);
    }
    static data(v: unknown): FragmentData | undefined {
        return typeof v === "object" && v !== null && #d in v ? (v as FragmentBox).#d : undefined;
    }
}
const fragments = { get: (v: unknown) => FragmentBox.data(v) };

function fragment(d: FragmentData): Fragment {
    return new FragmentBox(d) as unknown as Fragment;
}

/**
 * A value read at `path` of a resource (the resource under check, or `resource` in a stack rule):
 * hidden when that path is secret, whatever its content.
 */
export function at(value: unknown, path: string, resource?: { urn: string }): Fragment {
    return fragment({ kind: "at", value, path, urn: resource?.urn });
}

/** A list of values (or templates), each rendered on its own, cut to `max` items. */
export function items(values: readonly unknown[], opts: { max?: number; sep?: string } = {}): Fragment {
    return fragment({ kind: "items", values: [...values], max: opts.max ?? MAX_ITEMS, sep: opts.sep ?? ", " });
}

export interface RenderContext {
    lang: Lang;
    /** The resource the message is about: paths given to `at` without a resource are its. */
    urn?: string;
}

/** Renders a rule's template; values go through `renderValue`. */
export function render(t: Template | undefined, ctx: RenderContext): string {
    const d = t ? templates.get(t) : undefined;
    if (!d) return "";
    let out = d.strings[0];
    for (let i = 0; i < d.values.length; i++) out += renderValue(d.values[i], ctx) + d.strings[i + 1];
    return out;
}

/**
 * The literal text of a template, without its values (but with the literal text of the templates
 * and messages given as values): two reports of a rule with the same literal problem, at the same
 * property of array elements, are the same fault (see findings.ts).
 */
export function templateText(t: Template | undefined, depth = 0): string {
    const d = t ? templates.get(t) : undefined;
    if (!d) return "";
    let out = d.strings[0];
    for (let i = 0; i < d.values.length; i++) {
        // A template or message given as a value is part of the text (a rule's generic wording).
        const v = d.values[i];
        const inner = depth < 4 ? (isTemplate(v) ? templateText(v, depth + 1) : isMessage(v) ? templateText(v.fr, depth + 1) : "") : "";
        out += `\u0000${inner}\u0000${d.strings[i + 1]}`;
    }
    return out;
}

/** A text cut to `max` characters, ending with « … » when cut (names and URNs shown in messages). */
export function clip(text: string, max = MAX_QUOTE): string {
    return text.length > max ? text.slice(0, max - 1) + "…" : text;
}

/** Whether a value is a template made by `m`. */
export function isTemplate(v: unknown): v is Template {
    return typeof v === "object" && v !== null && templates.has(v);
}

export function isMessage(v: unknown): v is Message {
    return typeof v === "object" && v !== null && isTemplate((v as Message).fr) && isTemplate((v as Message).en);
}

/**
 * The one function that turns a value into message text. Secret values, and values that share a
 * run of characters with a secret of the call, are hidden; what is shown is cut to `MAX_QUOTE`
 * and scrubbed once more.
 */
export function renderValue(v: unknown, ctx: RenderContext): string {
    if (isTemplate(v)) return render(v, ctx);
    if (isMessage(v)) return render(v[ctx.lang], ctx);
    const f = typeof v === "object" && v !== null ? fragments.get(v) : undefined;
    if (f?.kind === "at") {
        const secrets = currentSecrets();
        if (secrets.isSecretPath(f.urn ?? ctx.urn, f.path)) {
            readWhole(f.value);
            return HIDDEN[ctx.lang];
        }
        return renderValue(f.value, ctx);
    }
    if (f?.kind === "items") {
        const shown = f.values.slice(0, f.max).map((x) => renderValue(x, ctx));
        return f.values.length > f.max ? `${shown.join(f.sep)}${f.sep}… (+${f.values.length - f.max})` : shown.join(f.sep);
    }
    if (v === undefined || v === null) return ctx.lang === "fr" ? "(absent)" : "(missing)";
    let text: string;
    if (typeof v === "string") text = v;
    else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") text = String(v);
    else text = quote(v);
    return guard(text, ctx.lang);
}

/** A value as JSON-like text for `property = value`; hidden when tainted. */
export function renderQuoted(v: unknown, lang: Lang): string {
    if (v === undefined) return lang === "fr" ? "(absent)" : "(missing)";
    return guard(quote(v), lang);
}

/**
 * Reads a value through, as showing it would, and throws what showing it would throw: a value
 * holding an unknown makes the check « cannot be checked » whether the value is shown or hidden as
 * secret (a secret must change no verdict).
 */
export function readWhole(v: unknown): void {
    quote(v);
}

/**
 * How much of a value is looked at: a value is judged against the secrets on its first
 * `JUDGED` characters and shown on its first `MAX_QUOTE`, so that a huge value (a 1 MB image
 * reference, an array of 100,000 containers) costs no more than a short one.
 */
const JUDGED = 4 * MAX_QUOTE;

function quote(v: unknown): string {
    try {
        const out: string[] = [];
        write(v, out, { left: JUDGED + 1 });
        return out.join("");
    } catch (e) {
        // A value holding an unknown cannot be judged, nor shown: the check cannot run yet.
        if (e instanceof Error && e.constructor.name === "UnknownValueError") throw e;
        return typeof v === "object" && v !== null ? (Array.isArray(v) ? "[…]" : "{…}") : String(v);
    }
}

/** JSON text of `v`, as `JSON.stringify` writes it, stopping once `budget.left` characters are written. */
function write(v: unknown, out: string[], budget: { left: number }): void {
    const put = (t: string) => {
        out.push(t.length > budget.left ? t.slice(0, Math.max(budget.left, 0)) : t);
        budget.left -= t.length;
    };
    if (budget.left <= 0) return;
    if (v !== null && typeof v === "object" && typeof (v as { toJSON?: unknown }).toJSON === "function") v = (v as { toJSON(): unknown }).toJSON();
    if (v === null || v === undefined || typeof v === "function" || typeof v === "symbol") return put("null");
    if (typeof v === "string") return put(JSON.stringify(v.length > budget.left ? v.slice(0, budget.left) : v));
    if (typeof v === "bigint") return put(JSON.stringify(String(v)));
    if (typeof v === "number") return put(Number.isFinite(v) ? String(v) : "null");
    if (typeof v === "boolean") return put(String(v));
    if (Array.isArray(v)) {
        put("[");
        for (let i = 0; i < v.length && budget.left > 0; i++) {
            if (i > 0) put(",");
            write(v[i], out, budget);
        }
        return put("]");
    }
    put("{");
    let first = true;
    for (const k in v as Record<string, unknown>) {
        if (budget.left <= 0) break;
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
        if (!first) put(",");
        first = false;
        put(JSON.stringify(k.length > budget.left ? k.slice(0, budget.left) : k) + ":");
        write(x, out, budget);
    }
    put("}");
}

function guard(text: string, lang: Lang): string {
    const secrets = currentSecrets();
    const judged = text.length > JUDGED ? text.slice(0, JUDGED) : text;
    if (secrets.tainted(judged)) return HIDDEN[lang];
    // Untainted, the text shares no run with a secret: only what the cut adds could.
    const shown = clip(judged);
    return shown === judged ? shown : secrets.scrub(shown, HIDDEN[lang]);
}

/** A text the rule did not write (a property path, a derogation note): scrubbed. */
export function scrubbed(text: string, lang: Lang): string {
    return currentSecrets().scrub(text, HIDDEN[lang]);
}
