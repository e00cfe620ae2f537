import { Lang } from "./i18n";
import { HIDDEN } from "./message";
import { rec } from "./props";
import { markerValue } from "./tags";

/**
 * Derogations. The doctrine allows a team to derogate from a need for a resource, with a
 * justification, the reference of the decision that grants it, and an expiry date. A derogated
 * violation is still reported, as advisory, with its justification and expiry: never silent. An
 * expired or malformed derogation does not derogate: the violation stays mandatory and its
 * message says why.
 *
 * On a resource, under the key `derogation-<NEED-ID>`:
 * - OpenStack `tags`: `derogation-SEC-06=DEC-2025-014|2026-12-31|bastion d'administration`;
 * - OpenStack `metadata` (volumes, containers, shares) or Magnum `labels`: the same key and value;
 * - Kubernetes annotation `cloud-de-confiance.gouv.fr/derogation-SEC-06`: the same value.
 * The value is `reference|expiry (YYYY-MM-DD)|justification`.
 *
 * In the pack configuration (`cloud-de-confiance.derogations`): objects
 * `{ besoin, ressource, reference, expiration, justification }`, where `ressource` is a resource
 * name, a URN, or a pattern with `*`.
 */
export const DEROGATION_PREFIX = "derogation-";
export const K8S_ANNOTATION_PREFIX = "cloud-de-confiance.gouv.fr/derogation-";

export interface DerogationSpec {
    besoin: string;
    ressource: string;
    reference: string;
    expiration: string;
    justification: string;
}

export interface Derogation {
    need: string;
    reference: string;
    expires: string;
    justification: string;
    source: "resource" | "configuration";
}

export type DerogationState =
    | { state: "valid"; derogation: Derogation }
    | { state: "expired"; derogation: Derogation }
    | { state: "malformed"; need: string; raw: string; why: string; source: Derogation["source"] };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(s: string): boolean {
    const m = DATE.exec(s);
    if (!m) return false;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Today as YYYY-MM-DD (UTC). A derogation is valid through its expiry day. */
export function today(now = new Date()): string {
    return now.toISOString().slice(0, 10);
}

export function parseValue(need: string, raw: string, source: Derogation["source"]): DerogationState {
    const parts = raw.split("|").map((p) => p.trim());
    if (parts.length < 3) {
        return { state: "malformed", need, raw, source, why: "format attendu « référence|AAAA-MM-JJ|justification » / expected “reference|YYYY-MM-DD|justification”" };
    }
    const [reference, expires, ...rest] = parts;
    return check({ need, reference, expires, justification: rest.join("|"), source }, raw);
}

function check(d: Derogation, raw: string, now = today()): DerogationState {
    const bad = (why: string): DerogationState => ({ state: "malformed", need: d.need, raw, source: d.source, why });
    if (!d.reference) return bad("référence absente / missing reference");
    if (!d.justification) return bad("justification absente / missing justification");
    if (!validDate(d.expires)) return bad("date d'expiration invalide, attendu AAAA-MM-JJ / invalid expiry date, expected YYYY-MM-DD");
    return d.expires < now ? { state: "expired", derogation: d } : { state: "valid", derogation: d };
}

/** The derogations a resource carries for `need`, from its tags, metadata, labels or annotations. */
export function onResource(need: string, props: Record<string, unknown>): DerogationState | undefined {
    const v = markerValue(props, DEROGATION_PREFIX + need, true) ?? markerValue(props, K8S_ANNOTATION_PREFIX + need, true);
    return v === undefined ? undefined : parseValue(need, v, "resource");
}

function globToRegExp(glob: string): RegExp {
    return new RegExp("^" + glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
}

/** The configured derogation for `need` that names this resource (by name, URN or pattern). */
export function inConfiguration(need: string, resource: { urn: string; name: string }, list: readonly unknown[]): DerogationState | undefined {
    for (const item of list) {
        const d = rec(item);
        if (!d || d["besoin"] !== need) continue;
        const target = typeof d["ressource"] === "string" ? (d["ressource"] as string) : "";
        const re = globToRegExp(target);
        if (!target || !(re.test(resource.name) || re.test(resource.urn))) continue;
        const str = (k: string) => (typeof d[k] === "string" ? (d[k] as string).trim() : "");
        return check(
            { need, reference: str("reference"), expires: str("expiration"), justification: str("justification"), source: "configuration" },
            JSON.stringify(item),
        );
    }
    return undefined;
}

/**
 * The note a message ends with; `parseNote` reads it back (reports, conformance matrix). `show`
 * renders the fields read from the resource or the configuration (message.ts hides them when they
 * come from a secret).
 */
export function note(s: DerogationState, lang: Lang, show: (field: string) => string = (f) => f): string {
    if (s.state === "malformed") {
        return lang === "fr" ? `[dérogation invalide : ${s.why}]` : `[invalid derogation: ${s.why}]`;
    }
    const d = { reference: show(s.derogation.reference), expires: show(s.derogation.expires), justification: show(s.derogation.justification) };
    if (s.state === "expired") {
        return lang === "fr" ? `[dérogation ${d.reference} expirée le ${d.expires}]` : `[derogation ${d.reference} expired on ${d.expires}]`;
    }
    return lang === "fr"
        ? `[dérogation ${d.reference} jusqu'au ${d.expires} : ${d.justification}]`
        : `[derogation ${d.reference} until ${d.expires}: ${d.justification}]`;
}

/** The expiry of a note: a date, or the mark of a hidden value (a derogation read from a secret
 *  shows none of its fields, its date included). */
const EXPIRY = ["\\d{4}-\\d{2}-\\d{2}", ...Object.values(HIDDEN).map((h) => h.replace(/[()]/g, "\\$&"))].join("|");
const NOTE = new RegExp(`\\[(?:dérogation|derogation) (.+?) (?:jusqu'au|until) (${EXPIRY}) ?: (.*)\\]$`, "s");

export function parseNote(message: string): { reference: string; expires: string; justification: string } | undefined {
    const m = NOTE.exec(message);
    return m ? { reference: m[1], expires: m[2], justification: m[3] } : undefined;
}
