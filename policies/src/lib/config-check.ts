/**
 * The configuration of each rule, checked at Configure, before any policy runs.
 *
 * The Pulumi CLI validates each policy's configuration against its JSON schema, but lets through
 * what the schema does not forbid, and not every engine validates alike. The pack refuses, at
 * Configure and naming the key (`<policy>.<key>…`), what would otherwise be silently ignored or
 * fail later during Analyze:
 *
 * - a key the rule does not know (`res-01-repartition-multi-zones.zoneMin`);
 * - a value of the wrong type, out of its range (`minimum`, `maximum`), or not among its `enum`
 *   (the array items and object values of the schema too);
 * - a regular expression that does not compile, wherever a rule takes one (`regex` of the
 *   property: every string of the value; `"after="`: the part after the first `=`).
 *
 * Errors are one line each, in French and English, as those of the settings (settings.ts).
 */
import { clip } from "./message";
import type { ConfigProperty, Rule } from "./rule";

/** A key of the configuration as errors name it: control characters escaped, cut to `MAX_QUOTE`. */
function shown(key: string): string {
    return clip(JSON.stringify(key).slice(1, -1));
}

type Schema = Partial<ConfigProperty> & { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; pattern?: string; minItems?: number; minLength?: number };

let specs: Map<string, Record<string, ConfigProperty>> | undefined;

/** Declares the rules whose configuration Configure checks (the pack's entry point does, once). */
export function setRuleConfigs(rules: readonly Rule[]): void {
    specs = new Map(rules.map((r) => [r.name, r.config as Record<string, ConfigProperty>]));
}

/** The errors of one policy's configuration, each naming its key; none for a policy it does not know. */
export function ruleConfigErrors(policy: string, properties: unknown): string[] {
    const spec = specs?.get(policy);
    if (!spec || properties === undefined || properties === null) return [];
    if (typeof properties !== "object" || Array.isArray(properties)) return [`${policy} : ${expected("object")}`];
    const errs: string[] = [];
    for (const [k, v] of Object.entries(properties as Record<string, unknown>)) {
        // The level travels beside the properties; the CLI may leave it among them.
        if (k === "enforcementLevel") continue;
        const p = spec[k];
        if (!p) {
            errs.push(`clé inconnue « ${policy}.${shown(k)} » / unknown key "${policy}.${shown(k)}"`);
            continue;
        }
        check(v, p as Schema, `${policy}.${k}`, errs);
        if (p.regex && errs.length === 0) patterns(v, p.regex, `${policy}.${k}`, errs);
    }
    return errs;
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

function expected(type: string): string {
    return `type attendu ${type} / expected ${type}`;
}

function fits(v: unknown, type: string): boolean {
    const t = typeOf(v);
    return t === type || (type === "number" && t === "integer" && Number.isFinite(v as number));
}

/** The JSON-schema keywords the pack's rules use, checked on `v`. */
function check(v: unknown, s: Schema, key: string, errs: string[]): void {
    const types = s.type === undefined ? [] : Array.isArray(s.type) ? s.type : [s.type];
    if (types.length > 0 && !types.some((t) => fits(v, t))) {
        errs.push(`${key} : ${expected(types.join(" | "))} (${typeOf(v)})`);
        return;
    }
    if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
        errs.push(`${key} : valeur hors de ${JSON.stringify(s.enum)} / value not in ${JSON.stringify(s.enum)}`);
    }
    if (typeof v === "number") {
        if (s.minimum !== undefined && v < s.minimum) errs.push(`${key} : ${v} < ${s.minimum} (minimum)`);
        if (s.maximum !== undefined && v > s.maximum) errs.push(`${key} : ${v} > ${s.maximum} (maximum)`);
    }
    if (typeof v === "string") {
        if (s.minLength !== undefined && v.length < s.minLength) errs.push(`${key} : texte trop court / text too short (minLength ${s.minLength})`);
        if (s.pattern !== undefined && !safeTest(s.pattern, v)) errs.push(`${key} : ne suit pas le motif / does not match the pattern ${JSON.stringify(s.pattern)}`);
    }
    if (Array.isArray(v)) {
        if (s.minItems !== undefined && v.length < s.minItems) errs.push(`${key} : au moins ${s.minItems} élément(s) / at least ${s.minItems} item(s)`);
        if (s.items && typeof s.items === "object") v.forEach((x, i) => check(x, s.items as Schema, `${key}.${i}`, errs));
    } else if (typeof v === "object" && v !== null) {
        const o = v as Record<string, unknown>;
        for (const r of s.required ?? []) if (!(r in o)) errs.push(`${key}.${r} : clé obligatoire absente / missing required key`);
        for (const [k, x] of Object.entries(o)) {
            const sub = s.properties?.[k];
            const at = `${key}.${shown(k)}`;
            if (sub) check(x, sub, at, errs);
            else if (s.additionalProperties === false) errs.push(`clé inconnue « ${at} » / unknown key "${at}"`);
            else if (s.additionalProperties && typeof s.additionalProperties === "object") check(x, s.additionalProperties as Schema, at, errs);
        }
    }
}

function safeTest(pattern: string, v: string): boolean {
    try {
        return new RegExp(pattern, "u").test(v);
    } catch {
        return true;
    }
}

/** Every string of `v` (or its part after the first `=`) must compile as the rules compile it. */
function patterns(v: unknown, how: true | "after=", key: string, errs: string[]): void {
    if (typeof v === "string") {
        const p = how === "after=" ? v.slice(v.indexOf("=") + 1) : v;
        if (how === "after=" && !v.includes("=")) {
            errs.push(`${key} : « clé=motif » attendu / "key=pattern" expected`);
            return;
        }
        try {
            new RegExp(p, "i");
        } catch (e) {
            const why = String((e as Error).message ?? e).replace(/^Invalid regular expression: /, "");
            errs.push(`${key} : expression régulière invalide / invalid regular expression: ${shown(why)}`);
        }
    } else if (Array.isArray(v)) v.forEach((x, i) => patterns(x, how, `${key}.${i}`, errs));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) patterns(x, how, `${key}.${shown(k)}`, errs);
}
