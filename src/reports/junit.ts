/**
 * JUnit XML for GitLab and Jenkins test reports. One <testsuite> per need id; one <testcase> per
 * (policy, resource) checked: a <failure> for violations, <skipped> for findings that cannot be
 * checked at preview and for derogated ones; the needs the conformance matrix marks respected give
 * passing test cases (classname = policy, name = need id), so the report also shows what passed.
 */
import { CheckResult, Finding } from "../checker/model";
import {
    DEFAULT_ARTIFACT,
    cmp,
    colon,
    compareNeeds,
    findingKind,
    groupByNeed,
    labels,
    needTitle,
    sortedConformance,
    subjectKey,
    withNeeds,
} from "./common";

export interface JUnitOptions {
    /** The `file` attribute of test cases built from findings (default Pulumi.yaml). */
    path?: string;
}

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

interface Case {
    classname: string;
    name: string;
    file?: string;
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
    const file = options.path ?? DEFAULT_ARTIFACT;
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

    const block = (f: Finding): string => {
        const kind = findingKind(f);
        const lines = [`[${l.kind[kind]}] ${withNeeds(f)}`];
        lines.push(`${l.resource}${c} ${f.resource ? `${f.resource.urn}` : l.stack}`);
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
            const key = `${f.policy}\u0000${subjectKey(result, f)}`;
            let list = byCase.get(key);
            if (!list) byCase.set(key, (list = []));
            list.push(f);
        }
        for (const fs of byCase.values()) {
            const first = fs[0];
            const tc: Case = {
                classname: first.policy,
                name: first.resource ? `${first.resource.type}::${first.resource.name}` : l.stack,
                file,
            };
            const violations = fs.filter((f) => f.status === "violation");
            const text = fs.map(block).join("\n\n");
            if (violations.length > 0) {
                const v = violations[0];
                tc.failure = { message: `[${l.kind[findingKind(v)]}] ${withNeeds(v)}`, text };
            } else {
                const unknown = fs.find((f) => f.status === "unknown");
                if (unknown) {
                    tc.skipped = { message: `${l.cannotCheck} — ${withNeeds(unknown)}`, text };
                } else {
                    const d = fs[0].derogation;
                    tc.skipped = {
                        message: d
                            ? `${l.derogation} ${d.reference} (${l.expires} ${d.expires})${c} ${d.justification}`
                            : `${l.kind.derogated} — ${withNeeds(fs[0])}`,
                        text,
                    };
                }
            }
            s.cases.push(tc);
        }
    }

    for (const conf of sortedConformance(result)) {
        if (conf.status !== "respected") continue;
        const s = suite(conf.need);
        const policies = conf.policies.length > 0 ? [...conf.policies].sort(cmp) : [result.pack.name];
        for (const policy of policies) {
            s.cases.push({
                classname: policy,
                name: conf.need,
                systemOut: `${l.needStatus.respected}${c} ${conf.need}${conf.title ? ` — ${conf.title}` : ""}\n` +
                    [...conf.resources].sort(cmp).join("\n"),
            });
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
                (tc.file ? ` file="${escapeXml(tc.file, true)}"` : "") +
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
