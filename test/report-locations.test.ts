/**
 * Reports as CI platforms use them: every entry at the file and line where its resource is
 * declared, fingerprints that follow the finding and not the line, JUnit cases that pair a fix
 * with its earlier failure, noise grouped by root cause, a merge-request comment of bounded size,
 * a GitLab security report in the shape GitLab validates.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import fc from "fast-check";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { marked } from "marked";
import type { Log, Result } from "sarif";
import { CheckResult, Finding, ResourceRef, SourceLocation } from "../src/checker/model";
import {
    CodeQualityIssue,
    COMMENT_LIMIT,
    FINGERPRINT_KEY,
    GITHUB_FINGERPRINT_KEY,
    SastReport,
    codeQualityIssues,
    fingerprints,
    renderJUnit,
    renderMarkdown,
    renderReport,
    renderSarif,
    renderText,
    sastReport,
} from "../src/reports";
import { sarifValidator, sastValidator } from "./support/report-schemas";

// ---------------------------------------------------------------------------------------------
// A program whose findings are in three files, plus the stack configuration file.

const urn = (type: string, name: string, parent = "") => `urn:pulumi:dev::portail::${parent ? parent + "$" : ""}${type}::${name}`;
const at = (file: string, line: number, column?: number): SourceLocation => (column ? { file, line, column } : { file, line });

const INDEX = "infra/index.ts";
const NETWORK = "infra/components/network.ts";
const APP = "infra/k8s/app.ts";
const STACK_FILE = "infra/Pulumi.dev.yaml";

function res(type: string, name: string, source: SourceLocation, parent = ""): ResourceRef {
    return { urn: urn(type, name, parent), type, name, source };
}

const WEB1 = res("openstack:compute/instance:Instance", "web-1", at(INDEX, 22, 5));
const WEB2 = res("openstack:compute/instance:Instance", "web-2", at(INDEX, 30, 5));
const NET = res("openstack:networking/network:Network", "net", at(NETWORK, 14, 9), "portail:infra:Network");
const SSH = res("openstack:networking/secGroupRule:SecGroupRule", "ssh", at(NETWORK, 31, 9), "portail:infra:Network");
const API = res("kubernetes:apps/v1:Deployment", "api", at(APP, 8, 3));
const RESOURCES = [WEB1, WEB2, NET, SSH, API];

const short = (r: ResourceRef) => {
    const m = /^[^:]+:([^:]*):(.+)$/.exec(r.type)!;
    return `${m[1].split("/")[0]}/${m[2]}`;
};

function finding(
    policy: string,
    needs: string[],
    r: ResourceRef | undefined,
    problem: string,
    more: Partial<Finding> = {},
): Finding {
    const head = r ? `${needs.join(", ")} · ${short(r)} « ${r.name} » · ` : `${needs.join(", ")} · `;
    return {
        needs,
        policy,
        title: `${needs[0]} — ${policy}`,
        severity: "high",
        enforcementLevel: "mandatory",
        status: "violation",
        ...(r ? { resource: { urn: r.urn, type: r.type, name: r.name }, location: r.source } : {}),
        message: `${head}${problem} Correction : corriger.`,
        remediation: "Corriger.",
        ...more,
    };
}

const REGION = 'provider.region = "fr-par-1" · région inconnue du profil « defaut » (héritée du fournisseur « default_3_15_2 ») : sa localisation n\'est pas établie.';

function program(): CheckResult {
    const findings: Finding[] = [
        finding("sec-02-localisation-des-donnees", ["SEC-02"], WEB1, REGION),
        finding("sec-02-localisation-des-donnees", ["SEC-02"], WEB2, REGION),
        finding("sec-02-localisation-des-donnees", ["SEC-02"], NET, REGION),
        finding("sec-06-filtrage-reseau", ["SEC-06"], SSH, "port 22 ouvert à 0.0.0.0/0."),
        finding("sec-13-pods-durcis", ["SEC-13"], API, "spec.template.spec.containers[0].securityContext.runAsNonRoot = (absent) · conteneur « api » : peut tourner en root."),
        finding("sec-13-pods-durcis", ["SEC-13"], API, "spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = (absent) · conteneur « api » : élévation de privilèges."),
        finding("prod-03-observabilite", ["PROD-03"], API, "spec.template.spec.containers[0].livenessProbe = (absent) · pas de livenessProbe.", { enforcementLevel: "advisory", severity: "low" }),
        finding("pil-01-imputation-des-couts", ["PIL-01"], API, "metadata.labels · clé(s) d'imputation manquante(s) : application.", { severity: "medium" }),
        // A stack-level finding about a configuration key: the configuration file and the key's line.
        { ...finding("pil-02-etiquettes-de-pile", ["PIL-02"], undefined, "la pile ne déclare pas : ministere."), location: at(STACK_FILE, 4, 3) },
        // A stack-level finding without a location: the fallback (the stack configuration file).
        finding("res-01-repartition-multi-zones", ["RES-01"], undefined, "le service « web » n'utilise qu'une zone."),
        // Cannot be checked, and derogated: not in the security report.
        finding("sec-03-chiffrement-au-repos", ["SEC-03"], WEB1, "type de volume inconnu.", { status: "unknown", enforcementLevel: "advisory" }),
        finding("sec-06-filtrage-reseau", ["SEC-06"], SSH, "port 3389 ouvert à 0.0.0.0/0. [dérogation DEC-1 jusqu'au 2099-12-31 : bastion]", {
            status: "derogated",
            enforcementLevel: "advisory",
            derogation: { reference: "DEC-1", expires: "2099-12-31", justification: "bastion" },
        }),
    ];
    const conformance = [
        ["RES-01", "P1"], ["SEC-02", "P1"], ["SEC-03", "P1"], ["SEC-06", "P1"], ["SEC-13", "P1"], ["PROD-03", "P2"], ["PIL-01", "P3"], ["PIL-02", "P3"],
    ].map(([need, priority]) => ({ need, title: `titre ${need}`, priority, status: "violated" as const, policies: [], resources: [] }));
    return {
        tool: { name: "cloud-de-confiance", version: "0.1.0" },
        pack: { name: "cloud-de-confiance", version: "0.1.0" },
        source: { kind: "program", path: "infra", stack: "dev" },
        run: { at: "2026-11-30T08:00:00.000Z", profile: "defaut", environment: "production", configuration: { sha256: "0".repeat(64) } },
        lang: "fr",
        resources: RESOURCES,
        findings,
        remediations: [],
        conformance,
        checked: {
            "sec-02-localisation-des-donnees": [WEB1.urn, WEB2.urn, NET.urn, SSH.urn],
            "sec-06-filtrage-reseau": [SSH.urn],
            "sec-13-pods-durcis": [API.urn],
        },
        summary: { resources: RESOURCES.length, mandatory: 8, advisory: 1, derogated: 1, unknown: 1 },
    };
}

const FALLBACK = at(STACK_FILE, 1);

/** Where each finding must point. */
function expected(f: Finding): SourceLocation {
    return f.location ?? FALLBACK;
}

/** The same program after `n` lines were inserted at line `from` of `file`. */
function shifted(result: CheckResult, file: string, from: number, n: number): CheckResult {
    const move = (l: SourceLocation | undefined) => (l && l.file === file && l.line >= from ? { ...l, line: l.line + n } : l);
    return {
        ...result,
        resources: result.resources.map((r) => ({ ...r, source: move(r.source) })),
        findings: result.findings.map((f) => ({ ...f, ...(f.location ? { location: move(f.location) } : {}) })),
    };
}

const key = (f: Finding) => `${f.policy}|${f.resource?.urn ?? ""}|${f.message}`;

function sarifByFingerprint(log: Log): Map<string, Result> {
    return new Map((log.runs[0].results ?? []).map((r) => [r.partialFingerprints![FINGERPRINT_KEY], r]));
}

// ---------------------------------------------------------------------------------------------

test("locations: every SARIF, Code Quality, JUnit and SAST entry names the file and line where its resource is declared", () => {
    const result = program();
    const prints = fingerprints(result);
    const sarif: Log = JSON.parse(renderSarif(result, { fallback: FALLBACK }));
    const sarifResults = sarifByFingerprint(sarif);
    const issues = new Map(codeQualityIssues(result, { fallback: FALLBACK }).map((i) => [i.fingerprint, i]));
    const sast = sastReport(result, { fallback: FALLBACK });
    const vulns = new Map(sast.vulnerabilities.map((v) => [v.tracking.items[0].signatures[0].value, v]));
    assert.equal(sarifResults.size, result.findings.length);
    assert.equal(issues.size, result.findings.length);
    const files = new Set<string>();
    for (const f of result.findings) {
        const want = expected(f);
        const fp = prints.get(f)!;
        files.add(want.file);
        const r = sarifResults.get(fp)!;
        const phys = r.locations![0].physicalLocation!;
        assert.equal(phys.artifactLocation!.uri, want.file, key(f));
        assert.deepEqual(phys.region, want.column ? { startLine: want.line, startColumn: want.column } : { startLine: want.line }, key(f));
        assert.equal(r.locations![0].logicalLocations![0].fullyQualifiedName, f.resource?.urn, key(f));
        const issue = issues.get(fp)!;
        assert.deepEqual(issue.location, { path: want.file, lines: { begin: want.line } }, key(f));
        const v = vulns.get(fp);
        if (v) assert.deepEqual(v.location, { file: want.file, start_line: want.line, end_line: want.line }, key(f));
    }
    assert.deepEqual([...files].sort(), [APP, NETWORK, INDEX, STACK_FILE].sort(), "three source files and the stack configuration");

    const xml = renderJUnit(result, { fallback: FALLBACK });
    assert.equal(XMLValidator.validate(xml), true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => n === "testsuite" || n === "testcase" }).parse(xml);
    const cases = (doc.testsuites.testsuite as { testcase: Record<string, string>[] }[]).flatMap((s) => s.testcase);
    const caseOf = (f: Finding) =>
        cases.find((c) => c.classname === `${f.needs[0]}.${f.policy}` && c.name === (f.resource ? f.resource.urn.split("::").slice(2).join("::") : "(stack)"))!;
    for (const f of result.findings) {
        const c = caseOf(f);
        assert.ok(c, key(f));
        // One case per need, policy and resource: it points where its first finding does.
        const first = result.findings.find((x) => x.policy === f.policy && x.resource?.urn === f.resource?.urn)!;
        assert.equal(c.file, expected(first).file, key(f));
        assert.equal(c.line, String(expected(first).line), key(f));
    }
    // Passing cases of resources checked without a finding carry their declaration too.
    const passing = cases.find((c) => c.classname === "SEC-02.sec-02-localisation-des-donnees" && c.name.endsWith("::ssh"))!;
    assert.deepEqual([passing.file, passing.line, passing.failure], [NETWORK, "31", undefined]);
});

test("locations: without a location nor a fallback, Pulumi.yaml line 1 (the last resort)", () => {
    const result = program();
    result.findings = result.findings.filter((f) => !f.location);
    const log: Log = JSON.parse(renderSarif(result));
    for (const r of log.runs[0].results!) {
        assert.equal(r.locations![0].physicalLocation!.artifactLocation!.uri, "Pulumi.yaml");
        assert.equal(r.locations![0].physicalLocation!.region!.startLine, 1);
    }
    // A resource's declaration serves when the finding has no location of its own.
    const own = program();
    own.findings = own.findings.map((f) => ({ ...f, location: undefined, resource: f.resource ? RESOURCES.find((r) => r.urn === f.resource!.urn) : undefined }));
    const issues = codeQualityIssues(own, { fallback: FALLBACK });
    assert.ok(issues.some((i) => i.location.path === INDEX && i.location.lines.begin === 22));
});

test("fingerprints: unchanged after inserting lines above a resource, distinct for distinct findings", () => {
    const before = program();
    const after = shifted(shifted(before, INDEX, 1, 7), NETWORK, 20, 3);
    const sarifIds = (r: CheckResult) => {
        const log: Log = JSON.parse(renderSarif(r, { fallback: FALLBACK }));
        return new Map(log.runs[0].results!.map((x, i) => [`${x.ruleId}|${x.locations![0].logicalLocations![0].fullyQualifiedName ?? ""}|${x.message.text}|${i}`, x]));
    };
    const a = [...sarifIds(before).values()];
    const b = [...sarifIds(after).values()];
    assert.equal(a.length, b.length);
    let moved = 0;
    for (let i = 0; i < a.length; i++) {
        assert.equal(a[i].ruleId, b[i].ruleId);
        assert.equal(a[i].partialFingerprints![GITHUB_FINGERPRINT_KEY], b[i].partialFingerprints![GITHUB_FINGERPRINT_KEY]);
        assert.equal(a[i].partialFingerprints![FINGERPRINT_KEY], b[i].partialFingerprints![FINGERPRINT_KEY]);
        if (a[i].locations![0].physicalLocation!.region!.startLine !== b[i].locations![0].physicalLocation!.region!.startLine) moved++;
    }
    assert.ok(moved >= 5, `the lines did move (${moved})`);
    // Code Quality and SAST carry the same identities.
    const cq = (r: CheckResult) => codeQualityIssues(r, { fallback: FALLBACK }).map((i: CodeQualityIssue) => [i.fingerprint, i.location.lines.begin] as const);
    assert.deepEqual(cq(before).map(([f]) => f), cq(after).map(([f]) => f));
    assert.notDeepEqual(cq(before).map(([, l]) => l), cq(after).map(([, l]) => l));
    const sast = (r: CheckResult) => sastReport(r, { fallback: FALLBACK }).vulnerabilities.map((v) => [v.id, v.tracking.items[0].signatures[0].value]);
    assert.deepEqual(sast(before), sast(after));
    // Distinct: every finding has its own, the two SEC-13 findings on one line included.
    const all = a.map((r) => r.partialFingerprints![FINGERPRINT_KEY]);
    assert.equal(new Set(all).size, all.length);
    assert.equal(new Set(cq(before).map(([f]) => f)).size, before.findings.length);
});

test("fingerprints (property): unique within a result, independent of lines, columns, files and order", () => {
    const policies = ["sec-02-a", "sec-06-b", "pil-01-c"];
    const names = ["a", "b", "c"];
    const problems = ["x = 1 · faux.", "x = 2 · faux.", "y · absent."];
    const arbFinding = fc.record({
        p: fc.constantFrom(...policies),
        n: fc.option(fc.constantFrom(...names), { nil: undefined }),
        m: fc.constantFrom(...problems),
        line: fc.integer({ min: 1, max: 500 }),
        column: fc.option(fc.integer({ min: 1, max: 80 }), { nil: undefined }),
        file: fc.constantFrom("a.ts", "b/c.ts"),
    });
    fc.assert(
        fc.property(fc.array(arbFinding, { minLength: 1, maxLength: 25 }), fc.integer({ min: 1, max: 50 }), (specs, shift) => {
            const make = (delta: number, fileOf: (f: string) => string) => {
                const r = program();
                r.findings = specs.map((s) => {
                    const resource = s.n ? res("openstack:compute/instance:Instance", s.n, at("x.ts", 1)) : undefined;
                    const f = finding(s.p, [s.p.slice(0, 6).toUpperCase()], resource, s.m);
                    return { ...f, location: { file: fileOf(s.file), line: s.line + delta, ...(s.column ? { column: s.column } : {}) } };
                });
                return r;
            };
            const one = make(0, (f) => f);
            const two = make(shift, (f) => `moved/${f}`);
            const reversed = make(0, (f) => f);
            reversed.findings.reverse();
            const fp1 = [...fingerprints(one).values()];
            assert.equal(new Set(fp1).size, fp1.length, "unique");
            const sorted = (r: CheckResult) => [...fingerprints(r).values()].sort();
            assert.deepEqual(sorted(two), sorted(one), "lines and files do not count");
            assert.deepEqual(sorted(reversed), sorted(one), "order does not count");
            // Each finding keeps its own: the same finding at another line has the same one.
            const m1 = fingerprints(one);
            const m2 = fingerprints(two);
            one.findings.forEach((f, i) => assert.equal(m1.get(f), m2.get(two.findings[i])));
        }),
        { seed: 1010, numRuns: 60 },
    );
});

// ---------------------------------------------------------------------------------------------

test("sarif: the log with locations validates against the SARIF 2.1.0 schema", () => {
    const validate = sarifValidator();
    const log = JSON.parse(renderSarif(program(), { fallback: FALLBACK, docsUrl: "https://git.example/cdc/-/blob/v0.1.0/docs/regles.md" }));
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
    // A relative reference with its base, as SARIF wants; columns when known.
    assert.deepEqual(log.runs[0].originalUriBaseIds["%SRCROOT%"].description.text.length > 0, true);
    const rules = log.runs[0].tool.driver.rules as { id: string; properties: Record<string, unknown> }[];
    assert.deepEqual(rules.find((r) => r.id === "prod-03-observabilite")!.properties.tags, ["productivity", "PROD-03"]);
    assert.equal(rules.find((r) => r.id === "sec-13-pods-durcis")!.properties["security-severity"], "8.0");
});

test("sast: GitLab's security report holds the security violations, valid against the 15.0.6 schema's requirements", () => {
    const validate = sastValidator();
    const report: SastReport = JSON.parse(
        renderReport("sast", program(), {
            fallback: FALLBACK,
            docsUrl: "https://git.example/cdc/-/blob/v0.1.0/docs/regles.md",
            startTime: new Date("2026-01-02T03:04:05.678Z"),
        }),
    );
    assert.equal(validate(report), true, JSON.stringify(validate.errors, null, 2));
    assert.equal(report.version, "15.0.6");
    assert.match(report.schema, /security-report-schemas\/-\/raw\/v15\.0\.6\/dist\/sast-report-format\.json$/);
    assert.deepEqual([report.scan.start_time, report.scan.end_time, report.scan.type, report.scan.status], ["2026-01-02T03:04:05", "2026-01-02T03:04:05", "sast", "success"]);
    // P1 violations only: not PROD-03, PIL-01, PIL-02 (quality), not unknown, not derogated.
    assert.deepEqual(
        report.vulnerabilities.map((v) => v.identifiers[0].value).sort(),
        ["res-01-repartition-multi-zones", "sec-02-localisation-des-donnees", "sec-02-localisation-des-donnees", "sec-02-localisation-des-donnees", "sec-06-filtrage-reseau", "sec-13-pods-durcis", "sec-13-pods-durcis"].sort(),
    );
    const ssh = report.vulnerabilities.find((v) => v.identifiers[0].value === "sec-06-filtrage-reseau")!;
    assert.equal(ssh.severity, "High");
    assert.equal(ssh.name, "SEC-06 — sec-06-filtrage-reseau", "no specific information in the name");
    assert.match(ssh.description, /port 22 ouvert/);
    assert.equal(ssh.solution, "Corriger.");
    assert.deepEqual(ssh.identifiers[0], {
        type: "cloud_de_confiance_policy",
        name: "sec-06-filtrage-reseau",
        value: "sec-06-filtrage-reseau",
        url: "https://git.example/cdc/-/blob/v0.1.0/docs/regles.md#sec-06-filtrage-reseau",
    });
    assert.deepEqual(ssh.identifiers[1], { type: "cloud_de_confiance_need", name: "SEC-06 — titre SEC-06", value: "SEC-06" });
    assert.match(ssh.id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(new Set(report.vulnerabilities.map((v) => v.id)).size, report.vulnerabilities.length);
    assert.equal(ssh.details.resource.value, SSH.urn);
    // The validator does reject what GitLab would.
    const broken = JSON.parse(JSON.stringify(report));
    broken.vulnerabilities[0].severity = "high";
    delete broken.scan.analyzer.vendor;
    assert.equal(validate(broken), false);
    // Long texts are cut to the schema's limits.
    const long = program();
    long.findings = long.findings.map((f) => ({ ...f, title: "t".repeat(400), remediation: "r".repeat(8000) }));
    const cut = sastReport(long, { fallback: FALLBACK });
    assert.equal(validate(JSON.parse(JSON.stringify(cut))), true, JSON.stringify(validate.errors));
    assert.equal(cut.vulnerabilities[0].name.length, 255);
    assert.equal(cut.vulnerabilities[0].solution!.length, 7000);
    // Nothing to report: a valid, empty report.
    const clean = { ...program(), findings: [] };
    assert.equal(validate(sastReport(clean)), true);
});

// ---------------------------------------------------------------------------------------------

interface Case {
    classname: string;
    name: string;
    failure?: unknown;
    skipped?: unknown;
}

function junitCases(xml: string): Case[] {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "", isArray: (n) => n === "testsuite" || n === "testcase" }).parse(xml);
    return (doc.testsuites.testsuite as { testcase: Case[] }[]).flatMap((s) => s.testcase);
}

test("junit: a fix pairs with its earlier failure; advisory findings fail only with failOn advisory", () => {
    const before = program();
    const fixed = program();
    // The SSH rule is fixed, one SEC-02 resource too.
    fixed.findings = fixed.findings.filter((f) => !(f.policy === "sec-06-filtrage-reseau" && f.status === "violation") && f.resource?.name !== "web-2");
    const key = (c: Case) => `${c.classname}|${c.name}`;
    const casesBefore = new Map(junitCases(renderJUnit(before)).map((c) => [key(c), c]));
    const casesAfter = new Map(junitCases(renderJUnit(fixed)).map((c) => [key(c), c]));
    // GitLab keys a test by classname and name (within the job): unique in each report.
    assert.equal(casesBefore.size, junitCases(renderJUnit(before)).length);
    for (const k of ["SEC-02.sec-02-localisation-des-donnees|openstack:compute/instance:Instance::web-2"]) {
        assert.ok(casesBefore.get(k)?.failure !== undefined, k);
        assert.ok(casesAfter.has(k), `${k} still reported`);
        assert.equal(casesAfter.get(k)!.failure, undefined, `${k} now passes`);
    }
    // The derogated SEC-06 finding is still there after the fix: skipped (waived), not failing.
    const ssh = "SEC-06.sec-06-filtrage-reseau|portail:infra:Network$openstack:networking/secGroupRule:SecGroupRule::ssh";
    assert.ok(casesBefore.get(ssh)?.failure !== undefined);
    assert.ok(casesAfter.get(ssh)?.skipped !== undefined && casesAfter.get(ssh)?.failure === undefined);
    // Advisory: a passing case with its warning, a failure with failOn advisory.
    const prod = "PROD-03.prod-03-observabilite|kubernetes:apps/v1:Deployment::api";
    assert.equal(casesBefore.get(prod)!.failure, undefined);
    assert.ok(new Map(junitCases(renderJUnit(before, { failOn: "advisory" })).map((c) => [key(c), c])).get(prod)!.failure !== undefined);
    // A stack-level failure fixed: the `(stack)` case of the policy passes.
    const withStackRule = { ...before, checked: { ...before.checked, "res-01-repartition-multi-zones": [] } };
    const stackFixed = { ...withStackRule, findings: withStackRule.findings.filter((f) => f.policy !== "res-01-repartition-multi-zones") };
    const sk = "RES-01.res-01-repartition-multi-zones|(stack)";
    assert.ok(new Map(junitCases(renderJUnit(withStackRule)).map((c) => [key(c), c])).get(sk)!.failure !== undefined);
    const after = new Map(junitCases(renderJUnit(stackFixed)).map((c) => [key(c), c])).get(sk);
    assert.ok(after && after.failure === undefined && after.skipped === undefined);
});

// ---------------------------------------------------------------------------------------------

test("noise: findings of one root cause are one group, with a count, their first resources and locations", () => {
    const result = program();
    const text = renderText(result);
    assert.ok(text.includes("        - [obligatoire]  sec-02-localisation-des-donnees  ×3\n"), text);
    assert.ok(text.includes(`          SEC-02 · ${REGION} Correction : corriger.\n`));
    assert.ok(text.includes(`          - openstack:compute/instance:Instance: web-1  ${INDEX}:22:5\n`));
    assert.ok(text.includes(`          - openstack:networking/network:Network: net  ${NETWORK}:14:9\n`));
    // A finding alone keeps its own line, with its location.
    assert.ok(text.includes(`        - [obligatoire]  sec-06-filtrage-reseau  (openstack:networking/secGroupRule:SecGroupRule: ssh)  ${NETWORK}:31:9\n`));
    assert.ok(text.includes(`        - [obligatoire]  pil-02-etiquettes-de-pile  (pile)  ${STACK_FILE}:4:3\n`));
    // More resources than shown: counted.
    const many = program();
    const more = Array.from({ length: 9 }, (_, i) => res("openstack:compute/instance:Instance", `vm-${i}`, at(INDEX, 100 + i)));
    many.findings.push(...more.map((r) => ({ ...finding("sec-02-localisation-des-donnees", ["SEC-02"], r, REGION) })));
    const manyText = renderText(many);
    assert.ok(manyText.includes("sec-02-localisation-des-donnees  ×12\n"));
    // The full text report lists every resource of the group (a comment links to it).
    for (const r of more) assert.ok(manyText.includes(`          - openstack:compute/instance:Instance: ${r.name}  ${INDEX}:${r.source!.line}\n`), r.name);
    // Markdown: one row for the group.
    const md = renderMarkdown(many);
    const rows = md.split("\n").filter((l) => l.includes("`sec-02-localisation-des-donnees`"));
    assert.equal(rows.length, 1);
    assert.match(rows[0], /🔴 obligatoire ×12/);
    assert.match(rows[0], /… et 9 autres/);
    assert.match(rows[0], /`infra\/index\.ts:100`/);
});

test("text: --compact is one line per group, --quiet only what fails, the summary by need always last", () => {
    const result = program();
    const compact = renderText(result, { mode: "compact" }).split("\n");
    assert.ok(compact.includes(`  [obligatoire] sec-02-localisation-des-donnees  web-1 (+2)  ${INDEX}:22:5  — ${REGION.replace(/ · /, " · ")}`), compact.join("\n"));
    assert.ok(compact.some((l) => l.startsWith("  [consultatif] prod-03-observabilite  api  infra/k8s/app.ts:8:3  — ")));
    const quiet = renderText(result, { mode: "quiet" });
    assert.ok(!quiet.includes("prod-03-observabilite"), "advisory: not in quiet output");
    assert.ok(!quiet.includes("[inconnu]") && !quiet.includes("[dérogé]"));
    assert.ok(quiet.includes("[obligatoire] sec-06-filtrage-reseau  ssh"));
    assert.ok(renderText(result, { mode: "quiet", failOn: "advisory" }).includes("prod-03-observabilite"));
    for (const mode of ["full", "compact", "quiet"] as const) {
        const lines = renderText(result, { mode }).trimEnd().split("\n");
        const start = lines.indexOf("Par besoin :");
        assert.ok(start > 0, mode);
        assert.deepEqual(lines.slice(start + 1, start + 3), [
            "           oblig.  consult.  dérog.  invérif.",
            "  RES-01        1         -       -         -  titre RES-01",
        ]);
        assert.match(lines.at(-1)!, /^Bilan : 5 ressources vérifiées, 8 violations obligatoires/);
        assert.ok(lines.length - start <= 24, "one screen");
    }
    // Too many needs for one screen: by family.
    const wide = program();
    wide.findings = Array.from({ length: 30 }, (_, i) => finding(`sec-${i}`, [`${["RES", "SEC", "PROD", "PIL"][i % 4]}-${String(i).padStart(2, "0")}`], WEB1, `p${i}`));
    const lines = renderText(wide).trimEnd().split("\n");
    const start = lines.indexOf("Par besoin :");
    assert.deepEqual(lines.slice(start + 2).filter((l) => /^ {2}[A-Z]/.test(l)).map((l) => l.trim().split(/\s+/)[0]), ["RES", "SEC", "PROD", "PIL"]);
});

// ---------------------------------------------------------------------------------------------

function hugeResult(n: number): CheckResult {
    const needs = ["RES-01", "RES-02", "SEC-02", "SEC-03", "SEC-06", "SEC-13", "PROD-01", "PROD-03", "PIL-01", "PIL-07"];
    const findings: Finding[] = [];
    const resources: ResourceRef[] = [];
    for (let i = 0; i < n; i++) {
        const need = needs[i % needs.length];
        const r = res("openstack:compute/instance:Instance", `vm-${i}-${"x".repeat(30)}`, at(`infra/module-${i % 50}/index.ts`, 10 + i));
        resources.push(r);
        // Half of them share a root cause per need; the others are all different, with long texts.
        const problem = i % 2 === 0 ? `réglage commun du profil · valeur « p${i % 7} » refusée.` : `valeur propre ${i} · ${"détail <b>|*_ ".repeat(40)}`;
        findings.push(finding(`${need.toLowerCase()}-politique`, [need], r, problem, {
            enforcementLevel: i % 3 === 0 ? "advisory" : "mandatory",
            remediation: "Remédier ".repeat(60),
        }));
    }
    const priority = (need: string) => (need.startsWith("PROD") ? "P2" : need.startsWith("PIL") ? "P3" : "P1");
    return {
        ...program(),
        conformance: needs.map((need) => ({ need, title: `titre ${need}`, priority: priority(need), status: "violated" as const, policies: [], resources: [] })),
        resources,
        findings,
        remediations: Array.from({ length: 300 }, (_, i) => ({ policy: "pil-01-imputation-des-couts", needs: ["PIL-01"], resource: resources[i], description: "étiquettes ajoutées ".repeat(10) })),
        summary: { resources: n, mandatory: findings.filter((f) => f.enforcementLevel === "mandatory").length, advisory: findings.filter((f) => f.enforcementLevel === "advisory").length, derogated: 0, unknown: 0 },
    };
}

test("markdown: 5,000 findings make a comment under 65,000 characters, with the summary per need, the first findings and a link to the full report", () => {
    const result = hugeResult(5000);
    const md = renderMarkdown(result, { reportUrl: "https://gitlab.example/g/p/-/jobs/1/artifacts/file/rapports/cloud-de-confiance.txt" });
    assert.ok(md.length < 65_000, `${md.length} characters`);
    assert.ok(md.length < COMMENT_LIMIT);
    assert.ok(md.startsWith("## ❌ Cloud de confiance : besoins obligatoires non respectés\n"));
    assert.match(md, /### Par besoin\n/);
    for (const need of ["RES-01", "SEC-13", "PIL-07"]) assert.match(md, new RegExp(`\\| ${need} \\| titre ${need} \\| \\d+ \\| \\d+ \\| 0 \\| 0 \\|`), need);
    assert.match(md, /### SEC-06 — titre SEC-06\n/);
    assert.match(md, /\*\d+ autres constats pour ce besoin, dans le rapport complet\*/);
    assert.match(md, /\*\*Rapport complet\*\* : \[https:\/\/gitlab\.example\/g\/p\/-\/jobs\/1\/artifacts\/file\/rapports\/cloud-de-confiance\.txt\]\(https:\/\/gitlab\.example/);
    // Well-formed tables: every row has its header's cell count.
    const html = marked.parse(md, { async: false, gfm: true }) as string;
    for (const t of html.matchAll(/<table>([\s\S]*?)<\/table>/g)) {
        const header = ((/<thead>([\s\S]*?)<\/thead>/.exec(t[1])?.[1] ?? "").match(/<th[\s>]/g) ?? []).length;
        for (const row of (/<tbody>([\s\S]*?)<\/tbody>/.exec(t[1])?.[1] ?? "").matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
            assert.equal((row[1].match(/<td[\s>]/g) ?? []).length, header);
        }
    }
    // A tighter budget is honoured too, down to the verdict, the summary and the link.
    for (const max of [30_000, 8_000, 3_000]) {
        const small = renderMarkdown(result, { reportUrl: "rapports/cloud-de-confiance.txt", maxChars: max });
        assert.ok(small.length <= max, `${small.length} > ${max}`);
        assert.ok(small.startsWith("## ❌"));
    }
    const tight = renderMarkdown(result, { reportUrl: "rapports/cloud-de-confiance.txt", maxChars: 8_000 });
    assert.match(tight, /\*\*Rapport complet\*\* : `rapports\/cloud-de-confiance\.txt`/);
    assert.match(tight, /Commentaire abrégé/);
    // A small result is shown whole, not shortened.
    assert.doesNotMatch(renderMarkdown(program()), /Commentaire abrégé/);
});
