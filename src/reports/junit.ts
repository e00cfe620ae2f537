/**
 * JUnit XML as GitLab's test reports and GitHub's JUnit actions read it.
 *
 * One <testsuite> per need id; one <testcase> per need, policy and resource:
 * - classname `NEED.policy`, name the resource's identity within the stack (its URN without the
 *   stack and project: parent types, type and name), `(stack)` for a finding about the stack.
 *   GitLab keys a test by job, classname and name: a failure fixed in a later pipeline is the same
 *   test, passing, and the merge-request widget counts it as fixed.
 * - a <failure> when a finding fails the run (mandatory violation; advisory ones too with
 *   `failOn: "advisory"`, as `--fail-on advisory` does for the exit code): the report's failures
 *   are the exit code's reasons;
 * - an advisory violation otherwise passes, with its warning in <system-out>;
 * - <skipped> for a finding that cannot be checked at preview, or that a derogation waives;
 * - passing test cases for every resource each policy inspected without a finding (the result's
 *   `checked` record), and a `(stack)` case for each stack policy that ran; without that record,
 *   one passing `(stack)` case per policy of each respected need.
 * Each test case built from a resource has `file` and `line` attributes: where the resource is
 * declared (locations.ts), relative to the repository root.
 */
import { CheckResult, Finding, SourceLocation } from "../checker/model";
import {
    cmp,
    colon,
    compareNeeds,
    findingKind,
    groupByNeed,
    isGating,
    labels,
    needTitle,
    primaryNeed,
    sortedConformance,
    withNeeds,
} from "./common";
import { cleanLocation, formatLocation, locationOf, toFallback } from "./locations";
import { ruleKind } from "./rule-docs";

export interface JUnitOptions {
    /** Where a finding without a location points (default Pulumi.yaml line 1); a path means line 1. */
    fallback?: SourceLocation | string;
    /** Which findings are failures (default mandatory ones). */
    failOn?: "mandatory" | "advisory";
}

/** The test-case name of a finding about the stack as a whole: the same in every language. */
export const STACK_CASE = "(stack)";

/** Characters XML 1.0 does not allow at all, not even as character references, and lone surrogates. */
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML 1.0 element content or (with `attribute`) a double- or single-quoted attribute.
 *  Characters XML cannot carry are written visibly as `\uXXXX`. */
export function escapeXml(s: string, attribute = false): string {
    let out = s
        .replace(INVALID_XML, (ch) => `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`)
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\r/g, "&#13;");
    if (attribute) {
        out = out.replace(/"/g, "&quot;").replace(/'/g, "&apos;").replace(/\n/g, "&#10;").replace(/\t/g, "&#9;");
    }
    return out;
}

/** The test-case name of a resource: its URN without `urn:pulumi:STACK::PROJECT::`. */
export function caseName(urn: string): string {
    const parts = urn.split("::");
    return parts.length >= 4 && parts[0].startsWith("urn:pulumi:") ? parts.slice(2).join("::") : urn;
}

/** The test-case class of a policy under a need. */
export function caseClass(need: string, policy: string): string {
    return `${need}.${policy}`;
}

interface Case {
    classname: string;
    name: string;
    location?: SourceLocation;
    failure?: { message: string; text: string };
    skipped?: { message: string; text: string };
    systemOut?: string;
}

interface Suite {
    need: string;
    title: string;
    priority?: string;
    status?: string;
    cases: Case[];
}

export function renderJUnit(result: CheckResult, options: JUnitOptions = {}): string {
    const fallback = toFallback(options.fallback);
    const failOn = options.failOn ?? "mandatory";
    const l = labels(result.lang);
    const c = colon(result.lang);
    const suites = new Map<string, Suite>();
    const suite = (need: string): Suite => {
        let s = suites.get(need);
        if (!s) {
            const conf = result.conformance.find((x) => x.need === need);
            s = { need, title: needTitle(result, need), priority: conf?.priority, status: conf?.status, cases: [] };
            suites.set(need, s);
        }
        return s;
    };
    /** need, classname and name of every case written so far. */
    const written = new Set<string>();
    const caseKey = (need: string, classname: string, name: string) => `${need}\u0000${classname}\u0000${name}`;

    const block = (f: Finding): string => {
        const kind = findingKind(f);
        const lines = [`[${l.kind[kind]}] ${withNeeds(f)}`];
        lines.push(`${l.resource}${c} ${f.resource ? f.resource.urn : l.stack}`);
        lines.push(`${l.location}${c} ${formatLocation(locationOf(f, fallback))}`);
        lines.push(`${l.policy}${c} ${f.policy} — ${f.title} (${f.severity})`);
        if (kind === "unknown") lines.push(l.cannotCheck);
        if (f.remediation.trim()) lines.push(`${l.remediation}${c} ${f.remediation.trim()}`);
        if (f.derogation) {
            const d = f.derogation;
            lines.push(`${l.derogation}${c} ${d.reference} (${l.expires} ${d.expires})${c} ${d.justification}`);
        }
        return lines.join("\n");
    };

    for (const group of groupByNeed(result)) {
        const s = suite(group.need);
        const byCase = new Map<string, Finding[]>();
        for (const f of group.findings) {
            const key = `${f.policy}\u0000${f.resource ? f.resource.urn : ""}`;
            let list = byCase.get(key);
            if (!list) byCase.set(key, (list = []));
            list.push(f);
        }
        for (const fs of byCase.values()) {
            const first = fs[0];
            const tc: Case = {
                classname: caseClass(group.need, first.policy),
                name: first.resource ? caseName(first.resource.urn) : STACK_CASE,
                location: locationOf(first, fallback),
            };
            written.add(caseKey(group.need, tc.classname, tc.name));
            const text = fs.map(block).join("\n\n");
            const failing = fs.filter((f) => f.status === "violation" && isGating(f, failOn));
            const advisory = fs.filter((f) => f.status === "violation" && !isGating(f, failOn));
            const unknown = fs.find((f) => f.status === "unknown");
            if (failing.length > 0) {
                const v = failing[0];
                tc.failure = { message: `[${l.kind[findingKind(v)]}] ${withNeeds(v)}`, text };
            } else if (unknown) {
                tc.skipped = { message: `${l.cannotCheck} — ${withNeeds(unknown)}`, text };
            } else if (advisory.length > 0 && fs.every((f) => f.status === "violation")) {
                tc.systemOut = text;
            } else {
                const d = fs.find((f) => f.derogation)?.derogation;
                tc.skipped = {
                    message: d
                        ? `${l.derogation} ${d.reference} (${l.expires} ${d.expires})${c} ${d.justification}`
                        : `${l.kind.derogated} — ${withNeeds(fs.find((f) => f.status === "derogated") ?? first)}`,
                    text,
                };
            }
            s.cases.push(tc);
        }
    }

    // What passed: every resource a policy inspected without a finding on it.
    const needOf = policyNeeds(result);
    if (result.checked) {
        const byUrn = new Map(result.resources.map((r) => [r.urn, r]));
        for (const policy of Object.keys(result.checked).sort(cmp)) {
            const need = needOf.get(policy);
            if (!need) continue;
            const classname = caseClass(need, policy);
            const cases: Case[] = [];
            const urns = [...result.checked[policy]].sort(cmp);
            // A stack policy may fail on the stack as a whole: its `(stack)` case passes when it does not.
            const kind = ruleKind(policy);
            const stackCase = kind === "stack" || (kind === undefined && urns.length === 0);
            for (const urn of [...(stackCase ? [STACK_CASE] : []), ...urns]) {
                const name = urn === STACK_CASE ? STACK_CASE : caseName(urn);
                if (written.has(caseKey(need, classname, name))) continue;
                written.add(caseKey(need, classname, name));
                const source = urn === STACK_CASE ? undefined : byUrn.get(urn)?.source;
                cases.push({ classname, name, ...(source ? { location: cleanLocation(source) } : {}) });
            }
            suite(need).cases.push(...cases);
        }
    } else {
        for (const conf of sortedConformance(result)) {
            if (conf.status !== "respected") continue;
            const policies = conf.policies.length > 0 ? [...conf.policies].sort(cmp) : [result.pack.name];
            for (const policy of policies) {
                const classname = caseClass(conf.need, policy);
                if (written.has(caseKey(conf.need, classname, STACK_CASE))) continue;
                written.add(caseKey(conf.need, classname, STACK_CASE));
                suite(conf.need).cases.push({
                    classname,
                    name: STACK_CASE,
                    systemOut: `${l.needStatus.respected}${c} ${conf.need}${conf.title ? ` — ${conf.title}` : ""}\n` +
                        [...conf.resources].sort(cmp).join("\n"),
                });
            }
        }
    }

    const ordered = [...suites.values()].sort((a, b) => compareNeeds(a.need, b.need));
    const count = (cs: Case[]) => ({
        tests: cs.length,
        failures: cs.filter((x) => x.failure).length,
        skipped: cs.filter((x) => x.skipped && !x.failure).length,
    });
    const all = count(ordered.flatMap((s) => s.cases));

    const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
    out.push(
        `<testsuites name="${escapeXml(`${result.pack.name} ${result.pack.version}`, true)}" tests="${all.tests}" ` +
            `failures="${all.failures}" errors="0" skipped="${all.skipped}" time="0">`,
    );
    ordered.forEach((s, i) => {
        const n = count(s.cases);
        const name = s.title ? `${s.need} — ${s.title}` : s.need;
        out.push(
            `  <testsuite name="${escapeXml(name, true)}" id="${i}" package="${escapeXml(result.pack.name, true)}" ` +
                `tests="${n.tests}" failures="${n.failures}" errors="0" skipped="${n.skipped}" time="0">`,
        );
        out.push("    <properties>");
        out.push(`      <property name="need" value="${escapeXml(s.need, true)}"/>`);
        if (s.priority) out.push(`      <property name="priority" value="${escapeXml(s.priority, true)}"/>`);
        if (s.status) out.push(`      <property name="status" value="${escapeXml(s.status, true)}"/>`);
        out.push("    </properties>");
        for (const tc of s.cases) {
            const attrs =
                `classname="${escapeXml(tc.classname, true)}" name="${escapeXml(tc.name, true)}"` +
                (tc.location ? ` file="${escapeXml(tc.location.file, true)}" line="${tc.location.line}"` : "") +
                ` time="0"`;
            const body: string[] = [];
            if (tc.failure) {
                body.push(
                    `      <failure type="policy" message="${escapeXml(tc.failure.message, true)}">` +
                        `${escapeXml(tc.failure.text)}</failure>`,
                );
            } else if (tc.skipped) {
                body.push(
                    `      <skipped message="${escapeXml(tc.skipped.message, true)}">${escapeXml(tc.skipped.text)}</skipped>`,
                );
            }
            if (tc.systemOut) body.push(`      <system-out>${escapeXml(tc.systemOut)}</system-out>`);
            if (body.length === 0) out.push(`    <testcase ${attrs}/>`);
            else out.push(`    <testcase ${attrs}>`, ...body, "    </testcase>");
        }
        out.push("  </testsuite>");
    });
    out.push("</testsuites>");
    return out.join("\n") + "\n";
}

/** The need each policy is filed under (its primary need), from the findings and the conformance matrix. */
function policyNeeds(result: CheckResult): Map<string, string> {
    const out = new Map<string, string>();
    for (const f of result.findings) if (!out.has(f.policy)) out.set(f.policy, primaryNeed(f));
    // Otherwise the need its name starts with (`res-04-anti-affinite`: RES-04), else the first
    // row of the matrix that lists it.
    const rows = sortedConformance(result);
    for (const conf of rows) {
        for (const p of conf.policies) if (!out.has(p) && p.toLowerCase().startsWith(`${conf.need.toLowerCase()}-`)) out.set(p, conf.need);
    }
    for (const conf of rows) for (const p of conf.policies) if (!out.has(p)) out.set(p, conf.need);
    for (const p of Object.keys(result.checked ?? {})) {
        const m = /^([a-z]+-\d+)-/.exec(p);
        if (!out.has(p) && m) out.set(p, m[1].toUpperCase());
    }
    return out;
}
