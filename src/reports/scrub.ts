/**
 * The reports' second line of defence against secrets: before any format is rendered, every text
 * of a CheckResult that can carry a value of the input is scrubbed with the secrets of that input
 * (checker/secrets.ts): what it shares with a secret (a run of 4 characters, or a short secret as a
 * word) becomes "[secret]". The first line is upstream: the pack hides secret values in its
 * messages, and the checker never prints a value read from a secret.
 *
 * Scrubbed: finding messages, remediations and derogations (reference, expiry, justification),
 * descriptions of applied remediations, derogations and figures of the conformance matrix,
 * the texts of the cost estimate (cost/scrub.ts).
 *
 * Left as they are, by decision:
 * - URNs, resource names and types: Pulumi never encrypts them (they are the state's keys, shown
 *   by every `pulumi` command, stored in plaintext even with a secrets provider), a program cannot
 *   give a secret as a name, and reports use them as stable identities (SARIF fingerprints, Code
 *   Quality fingerprints, JUnit test cases, links between formats). Masking them would break those
 *   identities without protecting anything.
 * - Titles of needs and policies: the pack's and the catalogue's own text, never a value of the
 *   input (masking them only mangled "Pas de secret en clair" when a secret held "secr").
 * - Need ids, policy names, levels, severities, statuses, counts, the tool and pack names and
 *   versions, the source path and stack name: identifiers and enumerations of the checker, the
 *   pack and the command line, not values of the input (a short secret such as "06" must not turn
 *   SEC-06 into something else).
 */
import { AppliedRemediation, CheckResult, Derogation, Finding, NeedConformance } from "../checker/model";
import { SecretIndex, scrubText } from "../checker/secrets";
import { scrubCost } from "./cost/scrub";

export function scrubResult(result: CheckResult, secrets: SecretIndex | undefined): CheckResult {
    if (!secrets) return result;
    const s = (text: string) => scrubText(secrets, text);
    const derogation = (d: Derogation): Derogation => ({
        ...d,
        reference: s(d.reference),
        expires: s(d.expires),
        justification: s(d.justification),
    });
    const finding = (f: Finding): Finding => ({
        ...f,
        message: s(f.message),
        remediation: s(f.remediation),
        ...(f.derogation ? { derogation: derogation(f.derogation) } : {}),
    });
    const remediation = (r: AppliedRemediation): AppliedRemediation => ({ ...r, description: s(r.description) });
    const conformance = (c: NeedConformance): NeedConformance => ({
        ...c,
        ...(c.derogations ? { derogations: c.derogations.map((d) => ({ ...derogation(d), resources: [...d.resources] })) } : {}),
        ...(c.figures ? { figures: c.figures.map((f) => ({ ...f, label: s(f.label) })) } : {}),
    });
    return {
        ...result,
        findings: result.findings.map(finding),
        remediations: result.remediations.map(remediation),
        conformance: result.conformance.map(conformance),
        ...(result.cost ? { cost: scrubCost(result.cost, s) } : {}),
    };
}
