/**
 * The anatomy of a finding's message, as the pack composes it (policies/src/lib/rule.ts):
 *
 *     NEED[, NEED] · shortType « name » · property = value · problem Correction : fix [dérogation …]
 *
 * (English: `shortType "name"`, `Fix:`, `[derogation …]`); a finding that cannot be checked at
 * preview carries the engine's prefix `can't run policy 'P' from policy pack 'N@vX' during preview: `.
 * Reports use these parts to compare findings: fingerprints (what identifies a finding across
 * runs) and root-cause groups (findings that differ only by their resource).
 */
import { clip } from "@cloud-de-confiance/policies/dist/lib/message";
import { shortType } from "@cloud-de-confiance/policies/dist/lib/types";
import { Finding } from "../checker/model";

const CANNOT_RUN = /^can't run (?:policy|remediation) '[^']*'(?: from policy pack '[^']*')? during preview: /;
const FIX_LABELS = [" Correction : ", " Fix: "];
const NOTE = /\s*\[(?:dérogation|derogation|dérogation invalide|invalid derogation)\b[^\]]*\]\s*$/;
const SEPARATOR = " · ";

/** The message without the engine's "cannot run during preview" prefix. */
export function withoutCannotRun(message: string): string {
    return message.replace(CANNOT_RUN, "");
}

/** The header segment that names the finding's resource (`compute/Instance « web-1 »`), when present. */
export function resourceSegment(f: Finding): string | undefined {
    if (!f.resource) return undefined;
    const parts = withoutCannotRun(f.message).split(SEPARATOR);
    if (parts.length < 2) return undefined;
    const t = shortType(f.resource.type);
    // The pack cuts a long name as it cuts a quoted value (message.ts).
    const name = clip(f.resource.name);
    const candidates = [`${t} « ${name} »`, `${t} "${name}"`];
    return candidates.includes(parts[1]) ? parts[1] : undefined;
}

/** The message without the segment that names its resource: what findings of one root cause share. */
export function withoutResource(f: Finding): string {
    const segment = resourceSegment(f);
    if (!segment) return f.message;
    const i = f.message.indexOf(SEPARATOR + segment + SEPARATOR);
    return i < 0 ? f.message : f.message.slice(0, i) + f.message.slice(i + SEPARATOR.length + segment.length);
}

/** Cuts a message before its fix (and the derogation note that follows it). */
function beforeFix(message: string): string {
    let end = message.length;
    for (const label of FIX_LABELS) {
        const i = message.indexOf(label);
        if (i >= 0 && i < end) end = i;
    }
    return message.slice(0, end).replace(NOTE, "");
}

/**
 * What is wrong, in a few words: the message without the engine's prefix, the need ids, the
 * resource, the fix and the derogation note (for one-line output).
 */
export function problemText(f: Finding): string {
    const parts = beforeFix(withoutCannotRun(withoutResource(f))).split(SEPARATOR);
    if (parts.length > 1 && f.needs.length > 0 && parts[0].trim() === f.needs.join(", ")) parts.shift();
    return parts.join(SEPARATOR).replace(/\s+/g, " ").trim();
}

/** Identifiers that change without the finding changing: OpenStack and unknown-value UUIDs,
 *  32-digit hexadecimal ids, default provider names that carry the provider's version. */
const OCCURRENCES = / · \d+ (occurrences, premières :|occurrences, first:) /g;
const MORE = /… \(\+\d+\)/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
const HEX_ID = /\b[0-9a-f]{32}\b/gi;
const DEFAULT_PROVIDER = /\bdefault(?:_[0-9A-Za-z]+)+\b/g;

/**
 * The message as a fingerprint reads it: without what changes when nothing about the finding
 * does. Left out: the engine's prefix (it names the pack's version), the fix (the tool's wording,
 * which a new version may improve), the derogation note (a derogation renewed or expired does not
 * make another finding), generated identifiers, provider versions, how many times a resource repeats
 * a fault, spacing. Kept: the need, the
 * resource, the property, the value and the problem — what tells two findings apart. No line
 * number is part of a message.
 */
export function stableMessage(f: Finding): string {
    return beforeFix(withoutCannotRun(f.message))
        // A fault repeated in a resource (one finding, see the pack's findings.ts) keeps its
        // identity when it is repeated once more.
        .replace(OCCURRENCES, " · $1 ")
        .replace(MORE, "… (+n)")
        .replace(UUID, "<id>")
        .replace(HEX_ID, "<id>")
        .replace(DEFAULT_PROVIDER, "default")
        .replace(/\s+/g, " ")
        .trim();
}

/**
 * The key of a finding's root-cause group: same policy, same kind, same message once the resource
 * is left out (its header segment, and its name where the message quotes it). One provider
 * setting or one profile setting behind many resources makes one group.
 */
export function rootCauseText(f: Finding): string {
    let text = withoutCannotRun(withoutResource(f));
    if (f.resource && f.resource.name) {
        const name = f.resource.name;
        text = text.split(`« ${name} »`).join("« … »").split(`"${name}"`).join('"…"');
    }
    return text.replace(/\s+/g, " ").trim();
}
