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
 * Quoted values are cut to `MAX_QUOTE` characters, and lists to `MAX_ITEMS` items.
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
const templates = new WeakMap<object, TemplateData>();

/** Tag for a rule's message text: `m\`… ${value} …\``. */
export function m(strings: TemplateStringsArray, ...values: unknown[]): Template {
    const t = Object.freeze({}) as Template;
    templates.set(t, { strings: [...strings], values });
    return t;
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
const fragments = new WeakMap<object, FragmentData>();

function fragment(d: FragmentData): Fragment {
    const f = Object.freeze({}) as Fragment;
    fragments.set(f, d);
    return f;
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

function quote(v: unknown): string {
    let s: string | undefined;
    try {
        s = JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? String(x) : x));
    } catch (e) {
        // A value holding an unknown cannot be judged, nor shown: the check cannot run yet.
        if (e instanceof Error && e.constructor.name === "UnknownValueError") throw e;
        s = undefined;
    }
    return s ?? (typeof v === "object" && v !== null ? (Array.isArray(v) ? "[…]" : "{…}") : String(v));
}

function guard(text: string, lang: Lang): string {
    const secrets = currentSecrets();
    if (secrets.tainted(text)) return HIDDEN[lang];
    const cut = text.length > MAX_QUOTE ? text.slice(0, MAX_QUOTE - 1) + "…" : text;
    return secrets.scrub(cut, HIDDEN[lang]);
}

/** A text the rule did not write (a property path, a derogation note): scrubbed. */
export function scrubbed(text: string, lang: Lang): string {
    return currentSecrets().scrub(text, HIDDEN[lang]);
}
