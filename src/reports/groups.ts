/**
 * Findings of one root cause, shown once: one provider setting (a region inherited by every
 * resource of a provider), one profile setting (an unknown volume type), one missing label
 * everywhere. Findings are grouped when they have the same policy, the same kind (mandatory,
 * advisory, derogated, unknown) and the same message once their resource is left out
 * (messages.ts, `rootCauseText`). A group keeps all its findings; the human reports show its
 * message once with its count, and its resources (all of them in the full text report, the first
 * ones in a merge-request comment and on a compact line). Machine reports (SARIF,
 * Code Quality, JUnit, SAST) keep one entry per finding: each is at its own line.
 */
import { Finding } from "../checker/model";
import { FindingKind, findingKind, primaryNeed } from "./common";
import { rootCauseText } from "./messages";

export interface FindingGroup {
    need: string;
    policy: string;
    kind: FindingKind;
    /** In the order given (reports give them sorted). */
    findings: Finding[];
    /** The message once the resource is left out. */
    text: string;
}

/** Groups findings by root cause, in the order of each group's first finding. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
    const groups = new Map<string, FindingGroup>();
    for (const f of findings) {
        const kind = findingKind(f);
        const text = rootCauseText(f);
        const key = `${primaryNeed(f)}\u0000${f.policy}\u0000${kind}\u0000${text}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { need: primaryNeed(f), policy: f.policy, kind, findings: [], text }));
        g.findings.push(f);
    }
    return [...groups.values()];
}
