/**
 * The conformance matrix: for each need of the catalogue, what the check shows, never more.
 *
 * A need's status, first that applies:
 * - `outside-pack`: no policy of the pack checks it (a need with no rule in this version);
 * - `violated`: a finding of one of its policies is a violation (mandatory or advisory);
 * - `derogated`: its findings are all derogated (each derogation is listed);
 * - `cannot-check`: one of its policies could not judge a resource (value unknown at preview);
 * - `disabled`: one of its policies is off by configuration (level `disabled`, through its entry,
 *   `all`, or the pack's `niveaux` setting): the pack did not look at everything the need asks;
 * - `respected`: its policies examined resources (or, for a rule about the stack itself, ran) and
 *   found nothing;
 * - `not-exercised`: no resource of the types its policies examine.
 *
 * The resources listed are those behind the status: at fault, derogated, not judged, or, when
 * respected, those its policies examined. A stack policy examines the resources of the types its
 * rule declares (`types`), not the whole stack.
 */
import { createHash } from "node:crypto";
import { NEED_ID_PATTERN, NEEDS } from "@cloud-de-confiance/policies/dist/lib/catalogue";
import { pick } from "@cloud-de-confiance/policies/dist/lib/i18n";
import { niveauFor } from "@cloud-de-confiance/policies/dist/lib/levels";
import type { Rule } from "@cloud-de-confiance/policies/dist/lib/rule";
import { DEFAULT_SETTINGS, SETTINGS_KEY } from "@cloud-de-confiance/policies/dist/lib/settings";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { Evaluation } from "../engine/engine";
import { CheckRun, ConformanceDerogation, Finding, Lang, NeedConformance } from "./model";

/** The pack's rules by policy name. */
export function ruleIndex(): Map<string, Rule> {
    return new Map(ruleModules().map((m) => [m.rule.name, m.rule]));
}

/** The need ids of a policy: its rule's, else the need ids among the policy's tags, else its framework reference. */
export function policyNeeds(ev: Evaluation, rules: ReadonlyMap<string, Rule>): (policy: string) => string[] {
    const policies = new Map(ev.info.policies.map((p) => [p.name, p]));
    return (name) => {
        const rule = rules.get(name);
        if (rule) return [...rule.needs];
        const p = policies.get(name);
        const tags = (p?.tags ?? []).filter((t) => NEED_ID_PATTERN.test(t));
        return tags.length ? tags : p?.framework ? [p.framework.reference] : [];
    };
}

function settingsOf(ev: Evaluation): Record<string, unknown> {
    return (ev.config[SETTINGS_KEY]?.properties ?? {}) as Record<string, unknown>;
}

/**
 * Whether a policy is off by configuration: its level is `disabled` (its own entry or `all`), or
 * the pack's `niveaux` setting disables it (by policy name or need id, as the pack reads it).
 */
export function isDisabled(ev: Evaluation, policy: string, rules: ReadonlyMap<string, Rule>): boolean {
    if (ev.config[policy]?.enforcementLevel === "disabled") return true;
    const rule = rules.get(policy);
    const niveaux = settingsOf(ev)["niveaux"];
    if (!rule || !niveaux || typeof niveaux !== "object") return false;
    return niveauFor(rule, niveaux as Record<string, string>) === "disabled";
}

/** The resources a policy examined; `ran`: whether it judged anything (a rule about the stack may examine no resource). */
function examined(ev: Evaluation, policy: string, rules: ReadonlyMap<string, Rule>, typeOf: ReadonlyMap<string, string>): { ran: boolean; urns: string[] } {
    const applied = [...(ev.applied.get(policy) ?? [])];
    const rule = rules.get(policy);
    if (!rule || rule.kind !== "stack") return { ran: applied.length > 0, urns: applied };
    const types = new Set(rule.types);
    return { ran: applied.length > 0, urns: applied.filter((u) => types.has(typeOf.get(u) ?? "")) };
}

function derogationsOf(findings: readonly Finding[]): ConformanceDerogation[] {
    const byKey = new Map<string, ConformanceDerogation>();
    for (const f of findings) {
        if (f.status !== "derogated" || !f.derogation) continue;
        const { reference, expires, justification } = f.derogation;
        const key = JSON.stringify([reference, expires, justification]);
        let d = byKey.get(key);
        if (!d) byKey.set(key, (d = { reference, expires, justification, resources: [] }));
        if (f.resource && !d.resources.includes(f.resource.urn)) d.resources.push(f.resource.urn);
    }
    return [...byKey.values()];
}

export function conformanceOf(
    ev: Evaluation,
    findings: readonly Finding[],
    opts: { lang: Lang; rules: ReadonlyMap<string, Rule>; needsOf: (policy: string) => string[] },
): NeedConformance[] {
    const { lang, rules, needsOf } = opts;
    const typeOf = new Map(ev.resources.map((r) => [r.urn, r.type]));
    const urns = (list: readonly Finding[]) => [...new Set(list.map((f) => f.resource?.urn ?? "").filter(Boolean))];
    return NEEDS.map((need): NeedConformance => {
        const own = ev.info.policies.filter((p) => needsOf(p.name).includes(need.id)).map((p) => p.name);
        const base = { need: need.id, title: pick(need.title, lang), priority: need.priority, policies: own };
        if (own.length === 0) return { ...base, status: "outside-pack", resources: [] };
        const disabled = own.filter((p) => isDisabled(ev, p, rules));
        const enabled = new Set(own.filter((p) => !disabled.includes(p)));
        const withDisabled = disabled.length ? { disabled } : {};
        const fs = findings.filter((f) => f.needs.includes(need.id) && enabled.has(f.policy));
        const violated = fs.filter((f) => f.status === "violation");
        const derogated = fs.filter((f) => f.status === "derogated");
        const unknown = fs.filter((f) => f.status === "unknown");
        const derogations = derogationsOf(derogated);
        const withDerogations = derogations.length ? { derogations } : {};
        if (violated.length) return { ...base, status: "violated", resources: urns(violated), ...withDisabled, ...withDerogations };
        if (derogated.length) return { ...base, status: "derogated", resources: urns(derogated), ...withDisabled, ...withDerogations };
        if (unknown.length) return { ...base, status: "cannot-check", resources: urns(unknown), ...withDisabled };
        if (disabled.length) return { ...base, status: "disabled", resources: [], ...withDisabled };
        let ran = false;
        const checked = new Set<string>();
        for (const p of enabled) {
            const e = examined(ev, p, rules, typeOf);
            ran ||= e.ran;
            for (const u of e.urns) checked.add(u);
        }
        if (ran) return { ...base, status: "respected", resources: [...checked] };
        return { ...base, status: "not-exercised", resources: [] };
    });
}

/** JSON with object keys sorted at every level: one text per value, whatever the order keys were set in. */
export function canonicalJson(value: unknown): string {
    return JSON.stringify(value, (_k, v) =>
        v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
            : v,
    );
}

/**
 * The facts of a run: when, with which provider profile and environment, and which configuration
 * (the SHA-256 of the reconciled policy-pack configuration the pack received, as canonical JSON:
 * every policy's level and parameters, defaults included, and the pack's settings).
 */
export function runOf(ev: Evaluation, now: Date): CheckRun {
    const s = settingsOf(ev);
    const text = (v: unknown, fallback: string) => (typeof v === "string" && v ? v : fallback);
    return {
        at: now.toISOString(),
        profile: text(s["profil"], DEFAULT_SETTINGS.profil),
        environment: text(s["environnement"], DEFAULT_SETTINGS.environnement),
        configuration: { sha256: createHash("sha256").update(canonicalJson(ev.config)).digest("hex") },
    };
}
