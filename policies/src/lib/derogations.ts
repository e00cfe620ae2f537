import { Lang } from "./i18n";
import { HIDDEN } from "./message";
import type { PackSettings } from "./settings";
import { markerValue } from "./tags";

/**
 * Derogations. The doctrine allows a team to derogate from a need for a resource, with a
 * justification, the reference of the decision that grants it, and an expiry date. A derogation is
 * a decision, not a comment: the pack configuration (held by whoever holds the security decision)
 * says which derogations take effect. A derogated violation is still reported, as advisory, with
 * its justification and expiry: never silent. A derogation that does not take effect (malformed,
 * expired, not approved, valid for too long) leaves the violation mandatory, and its message says
 * why.
 *
 * Two ways to grant one:
 *
 * 1. In the pack configuration (`cloud-de-confiance.derogations`): objects
 *    `{ besoin, ressource, reference, expiration, justification }`, where `besoin` is a need id
 *    (or a policy name) and `ressource` a resource name, a URN, or a pattern with `*`. The entry is
 *    the decision: it takes effect as it is.
 *
 * 2. On the resource, under the key `derogation-<NEED-ID>`, with the value
 *    `reference|expiry (YYYY-MM-DD)|justification`:
 *    - OpenStack `tags`: `derogation-SEC-06=DEC-2025-014|2026-12-31|bastion d'administration`;
 *    - OpenStack `metadata` (volumes, containers, shares) or Magnum `labels`: the same key and value;
 *    - Kubernetes annotation `cloud-de-confiance.gouv.fr/derogation-SEC-06`: the same value.
 *    The author of a resource writes this; it takes effect only when its reference is approved in
 *    the configuration for that need (`derogationsApprouvees`: `{ reference, besoins, expiration,
 *    justification? }`), unless the configuration allows self-service (`derogationsLibres: true`).
 *    An approved derogation lasts until the earlier of its own expiry and its approval's.
 *
 * Whatever the way, no expiry may lie further than `dureeMaxDerogationMois` months (12 by
 * default) from today: such a derogation (or approval) is refused. A derogation is valid through
 * its expiry day (UTC dates).
 */
export const DEROGATION_PREFIX = "derogation-";
export const K8S_ANNOTATION_PREFIX = "cloud-de-confiance.gouv.fr/derogation-";

/** A derogation granted in the configuration for the resources that `ressource` names. */
export interface DerogationSpec {
    besoin: string;
    ressource: string;
    reference: string;
    expiration: string;
    justification: string;
}

/** An approved reference: the derogations carried by resources with this reference take effect for `besoins`. */
export interface Approval {
    reference: string;
    /** Need ids or policy names the approval covers. */
    besoins: string[];
    expiration: string;
    justification?: string;
}

export interface Derogation {
    need: string;
    reference: string;
    /** The effective expiry: for an approved derogation, the earlier of its own and its approval's. */
    expires: string;
    justification: string;
    source: "resource" | "configuration";
    /** The approval that lets a derogation carried by a resource take effect. */
    approval?: Approval;
}

/** Why a well-formed derogation does not take effect (besides having expired). */
export type Refusal =
    /** Carried by a resource, its reference is not approved for the need (and self-service is off). */
    | { kind: "unapproved" }
    /** Its approval expired. */
    | { kind: "approval-expired"; on: string }
    /** Its expiry lies beyond the maximum validity (`limit` = today + `months` months). */
    | { kind: "too-long"; limit: string; months: number }
    /** Its approval's expiry lies beyond the maximum validity. */
    | { kind: "approval-too-long"; expires: string; limit: string; months: number };

export type DerogationState =
    | { state: "valid"; derogation: Derogation }
    | { state: "expired"; derogation: Derogation }
    | { state: "refused"; derogation: Derogation; refusal: Refusal }
    | { state: "malformed"; need: string; raw: string; why: string; source: Derogation["source"] };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `s` is a calendar date written YYYY-MM-DD. */
export function validDate(s: string): boolean {
    const m = DATE.exec(s);
    if (!m) return false;
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** Today as YYYY-MM-DD (UTC). A derogation is valid through its expiry day. */
export function today(now?: Date): string {
    if (now) return now.toISOString().slice(0, 10);
    // Asked for every finding: computed again only when the UTC day changes.
    const day = Math.floor(Date.now() / DAY_MS);
    if (day !== todayCache.day) todayCache = { day, text: new Date(day * DAY_MS).toISOString().slice(0, 10) };
    return todayCache.text;
}
const DAY_MS = 86_400_000;
let todayCache = { day: Number.NaN, text: "" };

/**
 * `day` plus `months` calendar months; a day the target month lacks becomes its last day
 * (2026-01-31 + 1 month = 2026-02-28).
 */
export function addMonths(day: string, months: number): string {
    const m = DATE.exec(day);
    if (!m) return day;
    const total = +m[1] * 12 + (+m[2] - 1) + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12;
    const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
    const d = new Date(Date.UTC(year, month, Math.min(+m[3], last)));
    return d.toISOString().slice(0, 10);
}

/** The latest expiry a derogation may have today: today plus the maximum validity. */
export function latestExpiry(s: Pick<PackSettings, "dureeMaxDerogationMois">, now = today()): string {
    return addMonths(now, s.dureeMaxDerogationMois);
}

type Parsed = { ok: true; derogation: Derogation } | { ok: false; state: DerogationState };

function parse(need: string, raw: string, source: Derogation["source"]): Parsed {
    const parts = raw.split("|").map((p) => p.trim());
    const bad = (why: string): Parsed => ({ ok: false, state: { state: "malformed", need, raw, source, why } });
    if (parts.length < 3) return bad("format attendu « référence|AAAA-MM-JJ|justification » / expected “reference|YYYY-MM-DD|justification”");
    const [reference, expires, ...rest] = parts;
    return wellFormed({ need, reference, expires, justification: rest.join("|"), source }, raw);
}

function wellFormed(d: Derogation, raw: string): Parsed {
    const bad = (why: string): Parsed => ({ ok: false, state: { state: "malformed", need: d.need, raw, source: d.source, why } });
    if (!d.reference) return bad("référence absente / missing reference");
    if (!d.justification) return bad("justification absente / missing justification");
    if (!validDate(d.expires)) return bad("date d'expiration invalide, attendu AAAA-MM-JJ / invalid expiry date, expected YYYY-MM-DD");
    return { ok: true, derogation: d };
}

/** Settings a derogation is judged with (see settings.ts). */
export type DerogationSettings = Pick<PackSettings, "derogations" | "derogationsApprouvees" | "derogationsLibres" | "dureeMaxDerogationMois">;

/** Whether an entry of `besoins` (need ids or policy names) covers `need` for the rule `policy`. */
function covers(targets: readonly string[], need: string, policy: string | undefined): boolean {
    return targets.includes(need) || (policy !== undefined && targets.includes(policy));
}

/** The approval of `reference` for `need` (reported by `policy`), if any. */
function approvalOf(reference: string, need: string, policy: string | undefined, s: DerogationSettings): Approval | undefined {
    return s.derogationsApprouvees.find((a) => a.reference.trim() === reference && covers(a.besoins, need, policy));
}

/**
 * Judges a well-formed derogation against the configuration and today's date: approval (for one
 * carried by a resource), expiry, maximum validity.
 */
function judge(d: Derogation, policy: string | undefined, s: DerogationSettings, now: string): DerogationState {
    const limit = latestExpiry(s, now);
    const months = s.dureeMaxDerogationMois;
    if (d.source === "resource") {
        const approval = approvalOf(d.reference, d.need, policy, s);
        if (!approval && !s.derogationsLibres) return { state: "refused", derogation: d, refusal: { kind: "unapproved" } };
        if (approval) {
            const granted = approval.expiration.trim();
            d = { ...d, approval };
            if (granted < now) return { state: "refused", derogation: d, refusal: { kind: "approval-expired", on: granted } };
            if (granted > limit) return { state: "refused", derogation: d, refusal: { kind: "approval-too-long", expires: granted, limit, months } };
            if (d.expires < now) return { state: "expired", derogation: d };
            if (d.expires > limit) return { state: "refused", derogation: d, refusal: { kind: "too-long", limit, months } };
            return { state: "valid", derogation: { ...d, expires: granted < d.expires ? granted : d.expires } };
        }
    }
    if (d.expires < now) return { state: "expired", derogation: d };
    if (d.expires > limit) return { state: "refused", derogation: d, refusal: { kind: "too-long", limit, months } };
    return { state: "valid", derogation: d };
}

/** Parses a derogation value carried by a resource and judges it. */
export function parseValue(need: string, raw: string, source: Derogation["source"], s: DerogationSettings, policy?: string, now = today()): DerogationState {
    const p = parse(need, raw, source);
    return p.ok ? judge(p.derogation, policy, s, now) : p.state;
}

/** The raw derogation value a resource carries for `need`, from its tags, metadata, labels or annotations. */
export function carriedValue(need: string, props: Record<string, unknown>): string | undefined {
    return markerValue(props, DEROGATION_PREFIX + need, true) ?? markerValue(props, K8S_ANNOTATION_PREFIX + need, true);
}

/** The derogation a resource carries for `need` (reported by `policy`), judged. */
export function onResource(need: string, props: Record<string, unknown>, s: DerogationSettings, policy?: string, now = today()): DerogationState | undefined {
    const v = carriedValue(need, props);
    return v === undefined ? undefined : parseValue(need, v, "resource", s, policy, now);
}

export function globToRegExp(glob: string): RegExp {
    return new RegExp("^" + glob.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*") + "$");
}

/** Whether the configured derogation's `ressource` names this resource (by name, URN or pattern). */
export function namesResource(target: string, resource: { urn: string; name: string }): boolean {
    if (!target) return false;
    const re = globToRegExp(target);
    return re.test(resource.name) || re.test(resource.urn);
}

/** The configured derogation for `need` (or the policy `policy`) that names this resource, judged. */
export function inConfiguration(need: string, resource: { urn: string; name: string }, s: DerogationSettings, policy?: string, now = today()): DerogationState | undefined {
    for (const d of s.derogations) {
        if (!covers([d.besoin], need, policy) || !namesResource(d.ressource, resource)) continue;
        const p = wellFormed(
            { need, reference: d.reference.trim(), expires: d.expiration.trim(), justification: d.justification.trim(), source: "configuration" },
            JSON.stringify(d),
        );
        return p.ok ? judge(p.derogation, policy, s, now) : p.state;
    }
    return undefined;
}

/**
 * The derogation that applies to a violation of `rule` on a resource: among those the resource
 * carries and those the configuration grants, for each need of the rule, the first valid one; else
 * the first one found, whose note says why it does not derogate.
 */
export function derogationFor(
    rule: { name: string; needs: readonly string[] },
    at: { urn?: string; name: string; props?: Record<string, unknown> },
    s: DerogationSettings,
    read: <T>(f: () => T) => T | undefined = (f) => f(),
    now = today(),
): DerogationState | undefined {
    let first: DerogationState | undefined;
    for (const need of rule.needs) {
        const own = at.props ? read(() => onResource(need, at.props as Record<string, unknown>, s, rule.name, now)) : undefined;
        const conf = inConfiguration(need, { urn: at.urn ?? "", name: at.name }, s, rule.name, now);
        for (const c of [own, conf]) {
            if (c?.state === "valid") return c;
            first ??= c;
        }
    }
    return first;
}

/**
 * The note a message ends with; `parseNote` reads back that of a valid derogation (reports,
 * conformance matrix). `show` renders the fields read from the resource or the configuration
 * (message.ts hides them when they come from a secret); dates the pack computes are its own.
 */
export function note(s: DerogationState, lang: Lang, show: (field: string) => string = (f) => f): string {
    const fr = lang === "fr";
    if (s.state === "malformed") {
        return fr ? `[dérogation invalide : ${s.why}]` : `[invalid derogation: ${s.why}]`;
    }
    const d = { reference: show(s.derogation.reference), expires: show(s.derogation.expires), justification: show(s.derogation.justification) };
    if (s.state === "expired") {
        return fr ? `[dérogation ${d.reference} expirée le ${d.expires}]` : `[derogation ${d.reference} expired on ${d.expires}]`;
    }
    if (s.state === "refused") {
        const r = s.refusal;
        const need = show(s.derogation.need);
        switch (r.kind) {
            case "unapproved":
                return fr
                    ? `[dérogation ${d.reference} sans effet : référence non approuvée pour ${need} (réglage « derogationsApprouvees » de la configuration du pack)]`
                    : `[derogation ${d.reference} not in effect: reference not approved for ${need} (pack setting "derogationsApprouvees")]`;
            case "approval-expired":
                return fr
                    ? `[dérogation ${d.reference} sans effet : approbation expirée le ${show(r.on)}]`
                    : `[derogation ${d.reference} not in effect: approval expired on ${show(r.on)}]`;
            case "too-long":
                return fr
                    ? `[dérogation ${d.reference} refusée : échéance ${d.expires} au-delà de la durée maximale de ${r.months} mois (au plus tard le ${r.limit})]`
                    : `[derogation ${d.reference} refused: expiry ${d.expires} beyond the maximum validity of ${r.months} months (${r.limit} at the latest)]`;
            case "approval-too-long":
                return fr
                    ? `[dérogation ${d.reference} refusée : son approbation court au-delà de la durée maximale de ${r.months} mois (échéance ${show(r.expires)}, au plus tard le ${r.limit})]`
                    : `[derogation ${d.reference} refused: its approval runs beyond the maximum validity of ${r.months} months (expiry ${show(r.expires)}, ${r.limit} at the latest)]`;
        }
    }
    return fr
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
