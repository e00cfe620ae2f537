/**
 * One identity per distinct finding, shared by every report that needs one (SARIF
 * `partialFingerprints`, Code Quality `fingerprint`, GitLab SAST tracking signature).
 *
 * A fingerprint hashes what the finding is: its need ids, its policy, its subject (the resource's
 * URN, or the stack) and its message without its volatile parts (messages.ts, `stableMessage`).
 * It never hashes a line, a column or a file: a finding keeps its fingerprint when unrelated code
 * moves it, so GitHub and GitLab keep tracking the same alert, and a dismissal stays attached. Two
 * findings that differ in any of these get two fingerprints; two identical findings (the same text
 * twice on one resource) are told apart by their rank, from the second one on.
 *
 * The language of the messages is part of the message: a project that switches `--lang` sees its
 * alerts renewed once. The hash is versioned (`v1`): a change of what it reads changes the key.
 */
import { CheckResult, Finding } from "../checker/model";
import { sha256, sortedFindings, subjectKey } from "./common";
import { stableMessage } from "./messages";

export const FINGERPRINT_VERSION = "v1";

/** The fingerprint of one finding, given its rank among identical findings (0 for the first). */
export function fingerprintOf(result: CheckResult, f: Finding, rank = 0): string {
    const parts = [FINGERPRINT_VERSION, f.needs.join(","), f.policy, subjectKey(result, f), stableMessage(f)];
    if (rank > 0) parts.push(`#${rank + 1}`);
    return sha256(...parts);
}

/** The fingerprint of every finding of a result, unique within it, whatever the findings' order. */
export function fingerprints(result: CheckResult): Map<Finding, string> {
    const out = new Map<Finding, string>();
    const seen = new Map<string, number>();
    for (const f of sortedFindings(result)) {
        const base = fingerprintOf(result, f);
        const rank = seen.get(base) ?? 0;
        seen.set(base, rank + 1);
        out.set(f, rank === 0 ? base : fingerprintOf(result, f, rank));
    }
    return out;
}

/** A UUID-shaped identifier derived from a fingerprint (GitLab security reports want one per finding). */
export function uuidOf(fingerprint: string): string {
    const h = fingerprint.padEnd(32, "0");
    // Version 5 and RFC 4122 variant bits, as a name-based UUID has them.
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
