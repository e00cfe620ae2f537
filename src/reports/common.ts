/**
 * Helpers shared by the report writers: ordering of need ids and findings, the kind of a finding
 * as reports show it, labels in French and English, and stable hashes.
 */
import { clip } from "@cloud-de-confiance/policies/dist/lib/message";
import { createHash } from "node:crypto";
import { CheckResult, Finding, Lang, NeedConformance, NeedStatus } from "../checker/model";

/** The file findings are anchored on when nothing better is known (see locations.ts). */
export const DEFAULT_ARTIFACT = "Pulumi.yaml";

/** How a report presents a finding: a blocking violation, a non-blocking one, a derogated one, or one
 *  that could not be checked (value unknown until the update). */
export type FindingKind = "mandatory" | "advisory" | "derogated" | "unknown";

export function findingKind(f: Finding): FindingKind {
    if (f.status === "derogated") return "derogated";
    if (f.status === "unknown") return "unknown";
    return f.enforcementLevel === "mandatory" ? "mandatory" : "advisory";
}

const KIND_RANK: Record<FindingKind, number> = { mandatory: 0, advisory: 1, unknown: 2, derogated: 3 };
const FAMILY_RANK: Record<string, number> = { RES: 0, SEC: 1, PROD: 2, PIL: 3 };
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** Orders need ids as the catalogue does: RES, SEC, PROD, PIL, then any other family; numerically within one. */
export function compareNeeds(a: string, b: string): number {
    const pa = /^([A-Za-z]+)-?(\d*)/.exec(a);
    const pb = /^([A-Za-z]+)-?(\d*)/.exec(b);
    const fa = pa ? pa[1].toUpperCase() : a;
    const fb = pb ? pb[1].toUpperCase() : b;
    const ra = FAMILY_RANK[fa] ?? 99;
    const rb = FAMILY_RANK[fb] ?? 99;
    if (ra !== rb) return ra - rb;
    if (fa !== fb) return fa < fb ? -1 : 1;
    const na = pa && pa[2] ? Number(pa[2]) : -1;
    const nb = pb && pb[2] ? Number(pb[2]) : -1;
    if (na !== nb) return na - nb;
    return cmp(a, b);
}

export function cmp(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

/** The need a finding is filed under in reports grouped by need: its first one (the policy's framework reference). */
export function primaryNeed(f: Finding): string {
    return f.needs[0] ?? "—";
}

export function resourceKey(f: Finding): string {
    return f.resource ? f.resource.urn : "";
}

/** Deterministic order of findings: by primary need, kind, severity, policy, resource, message. */
export function compareFindings(a: Finding, b: Finding): number {
    return (
        compareNeeds(primaryNeed(a), primaryNeed(b)) ||
        KIND_RANK[findingKind(a)] - KIND_RANK[findingKind(b)] ||
        (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
        cmp(a.policy, b.policy) ||
        cmp(resourceKey(a), resourceKey(b)) ||
        cmp(a.message, b.message)
    );
}

export function sortedFindings(result: CheckResult): Finding[] {
    return [...result.findings].sort(compareFindings);
}

export interface NeedGroup {
    need: string;
    title: string;
    findings: Finding[];
}

/** Findings grouped by primary need, in catalogue order; each group's title comes from the conformance matrix. */
export function groupByNeed(result: CheckResult): NeedGroup[] {
    const groups = new Map<string, Finding[]>();
    for (const f of sortedFindings(result)) {
        const need = primaryNeed(f);
        let list = groups.get(need);
        if (!list) groups.set(need, (list = []));
        list.push(f);
    }
    return [...groups.keys()].sort(compareNeeds).map((need) => ({
        need,
        title: needTitle(result, need),
        findings: groups.get(need) ?? [],
    }));
}

export function needTitle(result: CheckResult, need: string): string {
    return result.conformance.find((c) => c.need === need)?.title ?? "";
}

export function sortedConformance(result: CheckResult): NeedConformance[] {
    return [...result.conformance].sort((a, b) => compareNeeds(a.need, b.need));
}

/** The message, starting with the need id(s) unless the policy already wrote them first. */
export function withNeeds(f: Finding): string {
    const msg = f.message.trim();
    if (f.needs.length === 0) return msg;
    const first = f.needs[0];
    if (msg.startsWith(first) || msg.startsWith(`[${first}`)) return msg;
    return `${f.needs.join(", ")}: ${msg}`;
}

export function sha256(...parts: string[]): string {
    const h = createHash("sha256");
    for (const p of parts) h.update(p).update("\u0000");
    return h.digest("hex");
}

/** A stable identity of the subject of a finding: its resource URN, or the stack for a stack-level finding. */
export function subjectKey(result: CheckResult, f: Finding): string {
    return f.resource ? f.resource.urn : `stack:${result.source.stack ?? ""}`;
}

/**
 * Security needs are the catalogue's P1 needs (security, availability, resilience: SEC and RES):
 * SARIF tags their rules `security` with a security-severity, and only their findings go to the
 * GitLab security (SAST) report. P2 (productivity, PROD) and P3 (steering, PIL) needs are quality
 * findings. The priority comes from the conformance matrix; without it, from the need's family.
 */
export function isSecurityNeed(result: CheckResult, need: string): boolean {
    const priority = result.conformance.find((c) => c.need === need)?.priority;
    if (priority) return priority.toUpperCase() === "P1";
    return /^(SEC|RES)-/i.test(need);
}

/** A finding about a security need (any of its needs). */
export function isSecurityFinding(result: CheckResult, f: Finding): boolean {
    return f.needs.some((n) => isSecurityNeed(result, n));
}

/** The priority of a need (P1, P2, P3), from the conformance matrix, else from its family. */
export function needPriority(result: CheckResult, need: string): string {
    const priority = result.conformance.find((c) => c.need === need)?.priority;
    if (priority) return priority.toUpperCase();
    const family = need.split("-")[0].toUpperCase();
    return family === "PROD" ? "P2" : family === "PIL" ? "P3" : "P1";
}

/** Whether a finding fails the run (exit code 1): a mandatory violation, or an advisory one with `--fail-on advisory`. */
export function isGating(f: Finding, failOn: "mandatory" | "advisory" = "mandatory"): boolean {
    const kind = findingKind(f);
    return kind === "mandatory" || (failOn === "advisory" && kind === "advisory");
}

/** Cuts text to `max` characters, ending with "…". */
export function truncate(s: string, max: number): string {
    if (s.length <= max) return s;
    // Do not cut a surrogate pair in two.
    let end = Math.max(0, max - 1);
    if (end > 0 && /[\uD800-\uDBFF]/.test(s[end - 1])) end--;
    return s.slice(0, end) + "…";
}

/** A colon as each language writes it: "Remediation:" / "Remédiation :". */
export function colon(lang: Lang): string {
    return lang === "fr" ? " :" : ":";
}

export function plural(lang: Lang, n: number, one: string, many: string): string {
    const singular = lang === "fr" ? n <= 1 : n === 1;
    return `${n} ${singular ? one : many}`;
}

export interface Labels {
    policies: string;
    stack: string;
    remediation: string;
    derogation: string;
    expires: string;
    alsoNeeds: string;
    cannotCheck: string;
    kind: Record<FindingKind, string>;
    needStatus: Record<NeedStatus, string>;
    source: Record<CheckResult["source"]["kind"], string>;
    stackName: string;
    summary: string;
    noFinding: string;
    resources: [string, string];
    resourcesColumn: string;
    mandatory: [string, string];
    advisory: [string, string];
    derogated: [string, string];
    unknown: [string, string];
    needs: string;
    remediationsApplied: string;
    need: string;
    title: string;
    priority: string;
    status: string;
    policy: string;
    resource: string;
    message: string;
    count: string;
    conformance: string;
    verdictFail: string;
    verdictWarn: string;
    verdictPass: string;
    otherFindings: string;
    resourcesPerNeed: string;
    none: string;
    /** Heading of the per-need summary printed last. */
    byNeed: string;
    /** Short column heads of the per-need summary: mandatory, advisory, derogated, unknown. */
    columns: [string, string, string, string];
    needsWord: [string, string];
    moreResources: (n: number) => string;
    moreFindings: (n: number) => string;
    fullReport: string;
    location: string;
    shortened: string;
}

const EN: Labels = {
    policies: "Policies",
    stack: "stack",
    remediation: "Remediation",
    derogation: "Derogation",
    expires: "expires",
    alsoNeeds: "also",
    cannotCheck: "cannot be checked at preview: a value is unknown until the update",
    kind: { mandatory: "mandatory", advisory: "advisory", derogated: "derogated", unknown: "unknown" },
    needStatus: {
        respected: "respected",
        violated: "violated",
        derogated: "derogated",
        "not-exercised": "not exercised",
        "cannot-check": "cannot be checked",
        disabled: "disabled",
        "outside-pack": "outside the pack",
    },
    source: { program: "program", preview: "preview", state: "state", resources: "resources", manifests: "manifests" },
    stackName: "stack",
    summary: "Summary",
    noFinding: "no policy violation",
    resources: ["resource checked", "resources checked"],
    resourcesColumn: "Resources",
    mandatory: ["mandatory violation", "mandatory violations"],
    advisory: ["advisory warning", "advisory warnings"],
    derogated: ["derogation", "derogations"],
    unknown: ["cannot be checked at preview", "cannot be checked at preview"],
    needs: "Needs",
    remediationsApplied: "Remediations applied",
    need: "Need",
    title: "Title",
    priority: "Priority",
    status: "Status",
    policy: "Policy",
    resource: "Resource",
    message: "Message",
    count: "Count",
    conformance: "Conformance matrix",
    verdictFail: "Trusted cloud: mandatory needs violated",
    verdictWarn: "Trusted cloud: no mandatory violation, with warnings",
    verdictPass: "Trusted cloud: compliant",
    otherFindings: "advisory, derogated or unverifiable finding(s)",
    resourcesPerNeed: "Resources per need",
    none: "none",
    byNeed: "By need",
    columns: ["mand.", "advis.", "derog.", "unknown"],
    needsWord: ["need", "needs"],
    moreResources: (n) => `… and ${n} more`,
    moreFindings: (n) => `${n} more finding${n === 1 ? "" : "s"} for this need, in the full report`,
    fullReport: "Full report",
    location: "Location",
    shortened: "Comment shortened to stay readable and within the size a merge-request comment allows",
};

const FR: Labels = {
    policies: "Politiques",
    stack: "pile",
    remediation: "Remédiation",
    derogation: "Dérogation",
    expires: "expire le",
    alsoNeeds: "aussi",
    cannotCheck: "non vérifiable en prévisualisation : une valeur n'est connue qu'au déploiement",
    kind: { mandatory: "obligatoire", advisory: "consultatif", derogated: "dérogé", unknown: "inconnu" },
    needStatus: {
        respected: "respecté",
        violated: "non respecté",
        derogated: "sous dérogation",
        "not-exercised": "non sollicité",
        "cannot-check": "non vérifiable",
        disabled: "désactivé",
        "outside-pack": "hors du pack",
    },
    source: { program: "programme", preview: "prévisualisation", state: "état", resources: "ressources", manifests: "manifestes" },
    stackName: "pile",
    summary: "Bilan",
    noFinding: "aucune violation",
    resources: ["ressource vérifiée", "ressources vérifiées"],
    resourcesColumn: "Ressources",
    mandatory: ["violation obligatoire", "violations obligatoires"],
    advisory: ["avertissement", "avertissements"],
    derogated: ["dérogation", "dérogations"],
    unknown: ["non vérifiable en prévisualisation", "non vérifiables en prévisualisation"],
    needs: "Besoins",
    remediationsApplied: "Remédiations appliquées",
    need: "Besoin",
    title: "Intitulé",
    priority: "Priorité",
    status: "Statut",
    policy: "Politique",
    resource: "Ressource",
    message: "Message",
    count: "Nombre",
    conformance: "Matrice de conformité",
    verdictFail: "Cloud de confiance : besoins obligatoires non respectés",
    verdictWarn: "Cloud de confiance : aucune violation obligatoire, avec avertissements",
    verdictPass: "Cloud de confiance : conforme",
    otherFindings: "constat(s) consultatif(s), sous dérogation ou non vérifiable(s)",
    resourcesPerNeed: "Ressources par besoin",
    none: "aucune",
    byNeed: "Par besoin",
    columns: ["oblig.", "consult.", "dérog.", "invérif."],
    needsWord: ["besoin", "besoins"],
    moreResources: (n) => `… et ${n} ${n <= 1 ? "autre" : "autres"}`,
    moreFindings: (n) => `${n} ${n <= 1 ? "autre constat" : "autres constats"} pour ce besoin, dans le rapport complet`,
    fullReport: "Rapport complet",
    location: "Emplacement",
    shortened: "Commentaire abrégé pour rester lisible et dans la taille qu'accepte un commentaire de merge request",
};

export function labels(lang: Lang): Labels {
    return lang === "fr" ? FR : EN;
}

/** "preview Pulumi.yaml (stack dev)" / "prévisualisation Pulumi.yaml (pile dev)". */
export function describeSource(result: CheckResult): string {
    const l = labels(result.lang);
    const stack = result.source.stack ? ` (${l.stackName} ${result.source.stack})` : "";
    return `${l.source[result.source.kind] ?? result.source.kind} ${result.source.path}${stack}`;
}

export const NEED_STATUSES: readonly NeedStatus[] = [
    "respected",
    "violated",
    "derogated",
    "not-exercised",
    "cannot-check",
    "disabled",
    "outside-pack",
];

/** The summary counts, as a sentence: "3 resources checked, 1 mandatory violation, ...". */
export function summarySentence(result: CheckResult): string {
    const l = labels(result.lang);
    const s = result.summary;
    const p = (n: number, pair: [string, string]) => plural(result.lang, n, pair[0], pair[1]);
    const parts = [p(s.resources, l.resources)];
    if (s.mandatory + s.advisory + s.derogated + s.unknown === 0) parts.push(l.noFinding);
    else {
        parts.push(p(s.mandatory, l.mandatory), p(s.advisory, l.advisory));
        if (s.derogated) parts.push(p(s.derogated, l.derogated));
        if (s.unknown) parts.push(p(s.unknown, l.unknown));
    }
    return parts.join(", ");
}

/** "3 respected, 1 violated, ..." over the conformance matrix, statuses with no need left out. */
export function needsSentence(result: CheckResult): string {
    const l = labels(result.lang);
    const counts = NEED_STATUSES.map((st) => [st, result.conformance.filter((c) => c.status === st).length] as const);
    return counts
        .filter(([, n]) => n > 0)
        .map(([st, n]) => `${l.needStatus[st]}${colon(result.lang)} ${n}`)
        .join(", ");
}

/** Control characters other than tab and line breaks: shown as `\uXXXX` rather than passed on. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Escapes text for Markdown (GitHub and GitLab flavours), safe in a table cell: Markdown punctuation
 *  is backslash-escaped, HTML-significant characters become entities (no raw HTML from messages),
 *  line breaks become `<br>`, control characters are written visibly. Bare URLs are left to the
 *  renderer's autolinking (messages may point at documentation). */
export function md(s: string): string {
    return s
        .replace(/[\\`*_[\]{}|~#@$!]/g, (ch) => `\\${ch}`)
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\r?\n/g, "<br>")
        .replace(CONTROL, codePoint);
}

function codePoint(ch: string): string {
    return `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Control characters (escape sequences included) written visibly, so that no message can drive a terminal. */
export function visibleControls(s: string): string {
    return s.replace(CONTROL, codePoint);
}

/** A deep copy of `value` with `fn` applied to every string in it. */
export function mapStrings<T>(value: T, fn: (s: string) => string): T {
    if (typeof value === "string") return fn(value) as T;
    if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, fn);
        return out as T;
    }
    return value;
}


/** An identifier as inline code. In a table (`inTable`), `|` is escaped as GFM requires even in code;
 *  text with a backtick or a line break falls back to escaped text. */
export function mdCode(s: string, inTable = false): string {
    if (s === "" || /[`\r\n]/.test(s)) return md(s);
    return "`" + (inTable ? s.replace(/\|/g, "\\|") : s) + "`";
}

export const NEED_STATUS_EMOJI: Record<NeedStatus, string> = {
    respected: "✅",
    violated: "❌",
    derogated: "🟠",
    "not-exercised": "⚪",
    "cannot-check": "❔",
    disabled: "⛔",
    "outside-pack": "➖",
};

export function capitalize(s: string): string {
    return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * A resource name as human-readable reports print it: cut to `MAX_QUOTE` characters, as messages
 * quote it, control characters escaped. Structured reports (SARIF, JSON, JUnit) keep names whole.
 */
export function shownName(name: string): string {
    return clip(visibleControls(name));
}
