import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { marked } from "marked";
import type { Log } from "sarif";
import { CheckResult, Finding } from "../src/checker/model";
import {
    CHECK_FORMAT,
    CONFORMANCE_FORMAT,
    FINGERPRINT_KEY,
    GITHUB_FINGERPRINT_KEY,
    REPORT_FORMATS,
    conformanceMatrix,
    escapeXml,
    renderCodeQuality,
    renderConformanceJson,
    renderConformanceMarkdown,
    renderJUnit,
    renderJson,
    renderMarkdown,
    renderReport,
    renderSarif,
    renderText,
} from "../src/reports";

// ---------------------------------------------------------------------------------------------
// A realistic result, built by hand: a preview of a small OpenStack stack.

const urn = (type: string, name: string) => `urn:pulumi:dev::portail::${type}::${name}`;
const WEB1 = { urn: urn("openstack:compute/instance:Instance", "web-1"), type: "openstack:compute/instance:Instance", name: "web-1" };
const WEB2 = { urn: urn("openstack:compute/instance:Instance", "web-2"), type: "openstack:compute/instance:Instance", name: "web-2" };
const DATA = { urn: urn("openstack:blockstorage/volume:Volume", "data"), type: "openstack:blockstorage/volume:Volume", name: "data" };
const HTTP = {
    urn: urn("openstack:loadbalancer/listener:Listener", "http"),
    type: "openstack:loadbalancer/listener:Listener",
    name: "http",
};
const BACKUPS = {
    urn: urn("openstack:objectstorage/container:Container", "sauvegardes"),
    type: "openstack:objectstorage/container:Container",
    name: "sauvegardes",
};

/** XML- and Markdown-significant characters, a pipe, a control character and French text. */
const NASTY =
    'Le volume « data » utilise le type "classic" non chiffré <pas LUKS> & | *gras* _souligné_ [lien](https://x.example) `code` \u0007 @equipe #12';

const F_SEC03: Finding = {
    needs: ["SEC-03"],
    policy: "sec-03-chiffrement-au-repos",
    title: "Volumes chiffrés",
    severity: "high",
    enforcementLevel: "mandatory",
    status: "violation",
    resource: DATA,
    message: NASTY,
    remediation: "Choisir un type de volume chiffré (classic-luks).",
};
const F_SEC04: Finding = {
    needs: ["SEC-04"],
    policy: "sec-04-chiffrement-en-transit",
    title: "Écouteurs chiffrés",
    severity: "high",
    enforcementLevel: "mandatory",
    status: "violation",
    resource: HTTP,
    message: "SEC-04 : l'écouteur « http » expose du texte en clair (HTTP, port 80).",
    remediation: "Utiliser TERMINATED_HTTPS avec un certificat Barbican.",
};
const F_RES01: Finding = {
    needs: ["RES-01"],
    policy: "res-01-multi-zones",
    title: "Service réparti sur plusieurs zones",
    severity: "critical",
    enforcementLevel: "mandatory",
    status: "violation",
    message: "le service « web » n'utilise qu'une zone (eu-west-par-a).",
    remediation: "Répartir les instances sur au moins 2 zones.",
};
const F_RES04: Finding = {
    needs: ["RES-04", "RES-01"],
    policy: "res-04-anti-affinite",
    title: "Anti-affinité des réplicas",
    severity: "medium",
    enforcementLevel: "advisory",
    status: "violation",
    resource: WEB1,
    message: "web-1 n'est dans aucun groupe de serveurs anti-affinité.",
    remediation: "Ajouter schedulerHints.group vers un ServerGroup anti-affinity.",
};
const F_PIL01: Finding = {
    needs: ["PIL-01"],
    policy: "pil-01-imputation",
    title: "Clés d'imputation des coûts",
    severity: "low",
    enforcementLevel: "mandatory",
    status: "derogated",
    resource: BACKUPS,
    message: "il manque l'étiquette centre-de-cout.",
    remediation: "Ajouter centre-de-cout=… aux métadonnées.",
    derogation: {
        reference: "DER-2024-007",
        justification: "Conteneur hérité, migration prévue <T3 2025> & suivie",
        expires: "2025-09-30",
    },
};
const F_RES03: Finding = {
    needs: ["RES-03"],
    policy: "res-03-volume-meme-zone",
    title: "Volume dans la zone de son instance",
    severity: "high",
    enforcementLevel: "mandatory",
    status: "unknown",
    resource: DATA,
    message: "la zone de l'instance web-2 n'est connue qu'au déploiement.",
    remediation: "Fixer availabilityZone explicitement.",
};

function sample(): CheckResult {
    return {
        tool: { name: "cloud-de-confiance", version: "0.1.0" },
        pack: { name: "cloud-de-confiance", version: "0.1.0" },
        source: { kind: "preview", path: "preview.json", stack: "dev" },
        run: { at: "2026-11-30T08:00:00.000Z", profile: "ovhcloud", environment: "production", configuration: { sha256: "0".repeat(64) } },
        lang: "fr",
        resources: [WEB1, WEB2, DATA, HTTP, BACKUPS],
        findings: [F_PIL01, F_RES04, F_SEC03, F_RES03, F_SEC04, F_RES01],
        remediations: [
            {
                policy: "pil-01-imputation",
                needs: ["PIL-01"],
                resource: WEB2,
                description: "étiquettes application=portail et environnement=dev ajoutées",
            },
        ],
        conformance: [
            { need: "SEC-09", title: "Pas de secret en clair", priority: "P1", status: "respected", policies: ["sec-09-pas-de-secret"], resources: [WEB2.urn, WEB1.urn] },
            { need: "PIL-01", title: "Imputation des coûts", priority: "P3", status: "derogated", policies: ["pil-01-imputation"], resources: [BACKUPS.urn] },
            { need: "RES-01", title: "Répartition multi-zones", priority: "P1", status: "violated", policies: ["res-01-multi-zones"], resources: [WEB1.urn, WEB2.urn] },
            { need: "RES-02", title: "Zone explicite et autorisée", priority: "P1", status: "respected", policies: ["res-02-zone-explicite"], resources: [WEB1.urn, WEB2.urn, DATA.urn] },
            { need: "RES-03", title: "Volume dans la zone de son instance", priority: "P1", status: "cannot-check", policies: ["res-03-volume-meme-zone"], resources: [DATA.urn] },
            { need: "RES-04", title: "Anti-affinité", priority: "P1", status: "violated", policies: ["res-04-anti-affinite"], resources: [WEB1.urn] },
            { need: "SEC-03", title: "Chiffrement au repos | volumes", priority: "P1", status: "violated", policies: ["sec-03-chiffrement-au-repos"], resources: [DATA.urn] },
            { need: "SEC-04", title: "Chiffrement en transit (répartiteur)", priority: "P1", status: "violated", policies: ["sec-04-chiffrement-en-transit"], resources: [HTTP.urn] },
            { need: "SEC-06", title: "Filtrage réseau", priority: "P1", status: "not-exercised", policies: ["sec-06-filtrage"], resources: [] },
        ],
        summary: { resources: 5, mandatory: 3, advisory: 1, derogated: 1, unknown: 1 },
    };
}

const english = (): CheckResult => ({ ...sample(), lang: "en" });

// ---------------------------------------------------------------------------------------------
// SARIF

function sarifValidator() {
    // The official SARIF 2.1.0 schema (OASIS, JSON Schema draft-04) as shipped in an npm package.
    const schemaPath = require.resolve("@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json");
    const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
    // unicodeRegExp: false: the schema's `language` pattern is not a valid Unicode-mode regexp.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    return ajv.compile(schema);
}

test("sarif: validates against the SARIF 2.1.0 schema, and the validator does reject a bad log", () => {
    const validate = sarifValidator();
    const log = JSON.parse(renderSarif(sample()));
    assert.equal(validate(log), true, JSON.stringify(validate.errors, null, 2));
    const broken = JSON.parse(renderSarif(sample()));
    broken.runs[0].results[0].level = "fatal";
    assert.equal(validate(broken), false);
    delete broken.runs[0].tool.driver.name;
    assert.equal(validate(broken), false);
});

test("sarif: the fields GitHub code scanning reads", () => {
    const log: Log = JSON.parse(renderSarif(sample(), { docsUrl: "https://git.example/cdc/blob/v0.1.0/docs/regles.md" }));
    assert.equal(log.version, "2.1.0");
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    const driver = run.tool.driver;
    assert.equal(driver.name, "cloud-de-confiance");
    assert.equal(driver.version, "0.1.0");
    assert.match(driver.informationUri ?? "", /^https:\/\//);
    const rules = driver.rules ?? [];
    assert.deepEqual(
        rules.map((r) => r.id),
        [
            "pil-01-imputation",
            "res-01-multi-zones",
            "res-03-volume-meme-zone",
            "res-04-anti-affinite",
            "sec-03-chiffrement-au-repos",
            "sec-04-chiffrement-en-transit",
        ],
    );
    const sec03 = rules.find((r) => r.id === "sec-03-chiffrement-au-repos")!;
    assert.equal(sec03.name, "Sec03ChiffrementAuRepos");
    assert.equal(sec03.shortDescription?.text, "Volumes chiffrés");
    assert.equal(sec03.fullDescription?.text, "SEC-03 (Chiffrement au repos | volumes): Volumes chiffrés");
    // The rule's section of the reference, and its interpretation quoted from the pack.
    assert.equal(sec03.helpUri, "https://git.example/cdc/blob/v0.1.0/docs/regles.md#sec-03-chiffrement-au-repos");
    assert.ok(sec03.help?.text?.startsWith("Volumes chiffrés — SEC-03 (Chiffrement au repos | volumes)\n\n"), sec03.help?.text);
    assert.match(sec03.help?.text ?? "", /Remédiation : Choisir un type de volume chiffré/);
    assert.match(sec03.help?.markdown ?? "", /^\*\*Volumes chiffrés\*\* — SEC-03/);
    assert.match(sec03.help?.markdown ?? "", /\[docs\/regles\.md#sec-03-chiffrement-au-repos\]\(https:\/\/git\.example\/cdc\/blob\/v0\.1\.0\/docs\/regles\.md#sec-03-chiffrement-au-repos\)/);
    assert.equal(sec03.properties?.["security-severity"], "8.0");
    assert.deepEqual(sec03.properties?.tags, ["security", "SEC-03"]);
    assert.equal(sec03.defaultConfiguration?.level, "error");
    const res01 = rules.find((r) => r.id === "res-01-multi-zones")!;
    assert.equal(res01.properties?.["security-severity"], "9.5");
    const res04 = rules.find((r) => r.id === "res-04-anti-affinite")!;
    assert.deepEqual(res04.properties?.tags, ["security", "RES-01", "RES-04"]);
    assert.equal(res04.defaultConfiguration?.level, "warning");
    assert.equal(res04.properties?.["security-severity"], "5.5");
    // A steering need (P3) is no security rule: no `security` tag, no security-severity.
    const pil01 = rules.find((r) => r.id === "pil-01-imputation")!;
    assert.deepEqual(pil01.properties?.tags, ["steering", "PIL-01"]);
    assert.equal(pil01.properties?.["security-severity"], undefined);
    assert.equal(pil01.properties?.["problem.severity"], "error");
    // Without the reference's URL: no helpUri, the path in the help.
    const bare: Log = JSON.parse(renderSarif(sample()));
    const bareSec03 = bare.runs[0].tool.driver.rules!.find((r) => r.id === "sec-03-chiffrement-au-repos")!;
    assert.equal(bareSec03.helpUri, undefined);
    assert.match(bareSec03.help?.markdown ?? "", /`docs\/regles\.md#sec-03-chiffrement-au-repos`$/);

    const results = run.results ?? [];
    assert.equal(results.length, 6);
    const byRule = (id: string) => results.find((r) => r.ruleId === id)!;
    for (const r of results) {
        // No location in this result: the last resort, Pulumi.yaml line 1.
        assert.deepEqual(r.locations?.[0].physicalLocation, { artifactLocation: { uri: "Pulumi.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: 1 } });
        assert.match(r.partialFingerprints?.[FINGERPRINT_KEY] ?? "", /^[0-9a-f]{64}$/);
        assert.equal(r.partialFingerprints?.[GITHUB_FINGERPRINT_KEY], r.partialFingerprints?.[FINGERPRINT_KEY]);
        assert.equal(rules[r.ruleIndex ?? -1].id, r.ruleId);
    }
    const v = byRule("sec-03-chiffrement-au-repos");
    assert.equal(v.level, "error");
    assert.equal(v.message.text, `SEC-03: ${NASTY}`);
    assert.deepEqual(v.locations?.[0].logicalLocations, [{ name: "data", fullyQualifiedName: DATA.urn, kind: "resource" }]);
    assert.equal(byRule("sec-04-chiffrement-en-transit").message.text, F_SEC04.message, "need id not repeated");
    assert.equal(byRule("res-04-anti-affinite").level, "warning");
    assert.equal(byRule("res-04-anti-affinite").message.text, `RES-04, RES-01: ${F_RES04.message}`);
    const stack = byRule("res-01-multi-zones");
    assert.equal(stack.level, "error");
    assert.equal(stack.locations?.[0].logicalLocations?.[0].kind, "module");
    assert.equal(stack.locations?.[0].logicalLocations?.[0].name, "dev");
    const unknown = byRule("res-03-volume-meme-zone");
    assert.equal(unknown.level, "note");
    assert.ok(unknown.message.text?.startsWith("RES-03: "));
    assert.equal(unknown.suppressions, undefined);
    const derogated = byRule("pil-01-imputation");
    assert.equal(derogated.level, "note");
    assert.deepEqual(derogated.suppressions, [
        {
            kind: "external",
            status: "accepted",
            justification: "DER-2024-007 (expire le 2025-09-30): Conteneur hérité, migration prévue <T3 2025> & suivie",
        },
    ]);
    assert.equal(v.suppressions, undefined);
});

test("sarif: fingerprints follow the finding, not the order, the fallback or the volatile parts of the message", () => {
    const fp = (log: Log, rule: string) =>
        log.runs[0].results!.find((r) => r.ruleId === rule)!.partialFingerprints![FINGERPRINT_KEY];
    const a: Log = JSON.parse(renderSarif(sample()));
    const b: Log = JSON.parse(renderSarif(shuffledCopy(), { fallback: "infra/Pulumi.yaml" }));
    for (const rule of ["sec-03-chiffrement-au-repos", "res-01-multi-zones", "res-03-volume-meme-zone", "pil-01-imputation"]) {
        assert.equal(fp(a, rule), fp(b, rule));
    }
    // Same resource, another policy: another fingerprint.
    assert.notEqual(fp(a, "sec-03-chiffrement-au-repos"), fp(a, "res-03-volume-meme-zone"));
    assert.equal(b.runs[0].results![0].locations![0].physicalLocation!.artifactLocation!.uri, "infra/Pulumi.yaml");
    assert.equal(renderSarif(sample()), renderSarif(shuffledCopy()), "output independent of the engine's order");

    const variant = (f: Finding) => {
        const r = sample();
        r.findings = r.findings.map((x) => (x.policy === f.policy ? f : x));
        return fp(JSON.parse(renderSarif(r)), f.policy);
    };
    const base = variant(F_SEC04);
    // The fix, a derogation note, the pack's version in the engine's prefix do not count.
    assert.equal(variant({ ...F_SEC04, message: F_SEC04.message + " Correction : autre formulation." }), variant({ ...F_SEC04, message: F_SEC04.message + " Correction : une autre encore." }));
    assert.equal(variant({ ...F_SEC04, message: F_SEC04.message + " [dérogation DER-1 jusqu'au 2030-01-01 : x]" }), base);
    assert.equal(variant({ ...F_SEC04, status: "derogated", enforcementLevel: "advisory" }), base, "derogated or not, the same finding");
    const unknownAt = (v: string) => variant({ ...F_SEC04, status: "unknown", message: `can't run policy 'sec-04-chiffrement-en-transit' from policy pack 'cloud-de-confiance@v${v}' during preview: ${F_SEC04.message}` });
    assert.equal(unknownAt("0.1.0"), unknownAt("0.2.0"));
    // What the finding says does count.
    assert.notEqual(variant({ ...F_SEC04, message: F_SEC04.message.replace("port 80", "port 8080") }), base);
    assert.notEqual(variant({ ...F_SEC04, resource: WEB1 }), base);
});

function shuffledCopy(): CheckResult {
    const r = sample();
    r.findings = [r.findings[3], r.findings[0], r.findings[5], r.findings[1], r.findings[4], r.findings[2]];
    r.conformance = [...r.conformance].reverse();
    r.resources = [...r.resources].reverse();
    return r;
}

// ---------------------------------------------------------------------------------------------
// JUnit

const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

type XmlNode = Record<string, unknown> & { [k: string]: unknown };

function parseJUnit(xml: string): XmlNode {
    assert.equal(XMLValidator.validate(xml), true, "well-formed XML");
    assert.doesNotMatch(xml, INVALID_XML_CHARS, "no character XML 1.0 forbids");
    const parser = new XMLParser({
        ignoreAttributes: false,
        attributeNamePrefix: "@_",
        htmlEntities: true,
        trimValues: false,
        parseAttributeValue: false,
        isArray: (name) => name === "testsuite" || name === "testcase" || name === "property",
    });
    return parser.parse(xml) as XmlNode;
}

test("junit: well-formed, counts add up, GitLab's fields present", () => {
    const xml = renderJUnit(sample());
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites '));
    const doc = parseJUnit(xml);
    const root = doc.testsuites as XmlNode;
    const suites = root.testsuite as XmlNode[];
    assert.deepEqual(
        suites.map((s) => s["@_name"]),
        [
            "RES-01 — Répartition multi-zones",
            "RES-02 — Zone explicite et autorisée",
            "RES-03 — Volume dans la zone de son instance",
            "RES-04 — Anti-affinité",
            "SEC-03 — Chiffrement au repos | volumes",
            "SEC-04 — Chiffrement en transit (répartiteur)",
            "SEC-09 — Pas de secret en clair",
            "PIL-01 — Imputation des coûts",
        ],
    );
    let tests = 0;
    let failures = 0;
    let skipped = 0;
    for (const s of suites) {
        const cases = s.testcase as XmlNode[];
        const f = cases.filter((c) => c.failure !== undefined).length;
        const k = cases.filter((c) => c.skipped !== undefined).length;
        assert.equal(Number(s["@_tests"]), cases.length, `tests of ${s["@_name"]}`);
        assert.equal(Number(s["@_failures"]), f);
        assert.equal(Number(s["@_skipped"]), k);
        assert.equal(s["@_errors"], "0");
        for (const c of cases) {
            assert.ok(typeof c["@_name"] === "string" && c["@_name"] !== "");
            assert.ok(typeof c["@_classname"] === "string" && c["@_classname"] !== "");
            assert.equal(c["@_time"], "0");
        }
        tests += cases.length;
        failures += f;
        skipped += k;
    }
    // The advisory RES-04 finding passes (with its warning): failures are what fails the run.
    assert.deepEqual([tests, failures, skipped], [8, 3, 2]);
    assert.deepEqual(
        [root["@_tests"], root["@_failures"], root["@_skipped"], root["@_errors"]],
        ["8", "3", "2", "0"],
    );

    const suite = (need: string) => suites.find((s) => String(s["@_name"]).startsWith(need))!;
    const sec03 = (suite("SEC-03").testcase as XmlNode[])[0];
    assert.equal(sec03["@_classname"], "SEC-03.sec-03-chiffrement-au-repos");
    assert.equal(sec03["@_name"], "openstack:blockstorage/volume:Volume::data");
    assert.equal(sec03["@_file"], "Pulumi.yaml");
    assert.equal(sec03["@_line"], "1");
    const failure = sec03.failure as XmlNode;
    assert.equal(failure["@_type"], "policy");
    // Special characters survive the round trip; the control character is written visibly.
    assert.equal(failure["@_message"], `[obligatoire] SEC-03: ${NASTY.replace("\u0007", "\\u0007")}`);
    const text = String(failure["#text"]);
    assert.ok(text.includes(DATA.urn));
    assert.ok(text.includes("Remédiation : Choisir un type de volume chiffré (classic-luks)."));

    const stack = (suite("RES-01").testcase as XmlNode[])[0];
    assert.equal(stack["@_name"], "(stack)", "the same name in every language");
    assert.ok(stack.failure !== undefined);

    const advisory = (suite("RES-04").testcase as XmlNode[])[0];
    assert.equal(advisory.failure, undefined);
    assert.equal(advisory.skipped, undefined);
    assert.match(String(advisory["system-out"]), /^\[consultatif\] RES-04, RES-01: web-1/);
    const strict = parseJUnit(renderJUnit(sample(), { failOn: "advisory" }));
    const strictSuites = (strict.testsuites as XmlNode).testsuite as XmlNode[];
    assert.equal((strict.testsuites as XmlNode)["@_failures"], "4", "--fail-on advisory: advisory findings fail");
    assert.ok(((strictSuites.find((x) => String(x["@_name"]).startsWith("RES-04"))!.testcase as XmlNode[])[0]).failure !== undefined);

    const unknown = (suite("RES-03").testcase as XmlNode[])[0];
    assert.ok(String((unknown.skipped as XmlNode)["@_message"]).startsWith("non vérifiable en prévisualisation"));
    const derogated = (suite("PIL-01").testcase as XmlNode[])[0];
    assert.equal(
        (derogated.skipped as XmlNode)["@_message"],
        "Dérogation DER-2024-007 (expire le 2025-09-30) : Conteneur hérité, migration prévue <T3 2025> & suivie",
    );

    const respected = suite("RES-02").testcase as XmlNode[];
    assert.equal(respected.length, 1);
    assert.equal(respected[0]["@_classname"], "RES-02.res-02-zone-explicite");
    assert.equal(respected[0]["@_name"], "(stack)");
    assert.equal(respected[0].failure, undefined);
    assert.equal(respected[0].skipped, undefined);
    const props = (suite("RES-02").properties as XmlNode).property as XmlNode[];
    assert.deepEqual(
        props.map((p) => [p["@_name"], p["@_value"]]),
        [
            ["need", "RES-02"],
            ["priority", "P1"],
            ["status", "respected"],
        ],
    );
});

test("junit: escaping of XML-significant and forbidden characters", () => {
    assert.equal(escapeXml(`a<b>&"c"'d'`), `a&lt;b&gt;&amp;"c"'d'`);
    assert.equal(escapeXml(`a<b>&"c"'d'\n\te`, true), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;&#9;e");
    assert.equal(escapeXml("x\u0000y\u001Fz\u0085"), "x\\u0000y\\u001Fz\u0085");
    assert.equal(escapeXml("\uD800 ok 😀"), "\\uD800 ok 😀");
    // A whole report with hostile names stays well-formed.
    const r = sample();
    r.findings = [{ ...F_SEC03, policy: 'p"<&>\u0001', resource: { ...DATA, name: "]]><!--", type: "t'\u000B" } }];
    r.conformance = [];
    parseJUnit(renderJUnit(r));
});

// ---------------------------------------------------------------------------------------------
// GitLab Code Quality

test("codequality: GitLab's fields, allowed severities, unique stable fingerprints", () => {
    const issues = JSON.parse(renderCodeQuality(sample()));
    assert.ok(Array.isArray(issues));
    assert.equal(issues.length, 6);
    const allowed = new Set(["info", "minor", "major", "critical", "blocker"]);
    for (const i of issues) {
        assert.equal(typeof i.description, "string");
        assert.ok(i.description.length > 0);
        assert.equal(typeof i.check_name, "string");
        assert.match(i.fingerprint, /^[0-9a-f]{64}$/);
        assert.ok(allowed.has(i.severity), i.severity);
        assert.equal(i.location.path, "Pulumi.yaml");
        assert.equal(i.location.lines.begin, 1);
    }
    assert.equal(new Set(issues.map((i: { fingerprint: string }) => i.fingerprint)).size, 6);
    const sev = Object.fromEntries(issues.map((i: { check_name: string; severity: string }) => [i.check_name, i.severity]));
    assert.deepEqual(sev, {
        "res-01-multi-zones": "blocker",
        "res-03-volume-meme-zone": "info",
        "res-04-anti-affinite": "minor",
        "sec-03-chiffrement-au-repos": "critical",
        "sec-04-chiffrement-en-transit": "critical",
        "pil-01-imputation": "info",
    });
    const sec03 = issues.find((i: { check_name: string }) => i.check_name === "sec-03-chiffrement-au-repos");
    assert.equal(sec03.description, `SEC-03: ${NASTY} [openstack:blockstorage/volume:Volume data]`);

    // Same fingerprints whatever the order; a second finding of one policy on one resource gets its own.
    assert.deepEqual(JSON.parse(renderCodeQuality(shuffledCopy())), issues);
    const twice = sample();
    twice.findings.push({ ...F_SEC03, message: "deuxième constat" });
    const more = JSON.parse(renderCodeQuality(twice, { fallback: "infra/Pulumi.yaml" }));
    assert.equal(more.length, 7);
    assert.equal(new Set(more.map((i: { fingerprint: string }) => i.fingerprint)).size, 7);
    assert.equal(more[0].location.path, "infra/Pulumi.yaml");
});

// ---------------------------------------------------------------------------------------------
// Markdown

interface HtmlTable {
    header: number;
    rows: number[];
    html: string;
}

function tables(html: string): HtmlTable[] {
    const out: HtmlTable[] = [];
    for (const m of html.matchAll(/<table>([\s\S]*?)<\/table>/g)) {
        const t = m[1];
        const thead = /<thead>([\s\S]*?)<\/thead>/.exec(t)?.[1] ?? "";
        const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(t)?.[1] ?? "";
        const header = (thead.match(/<th[\s>]/g) ?? []).length;
        const rows = [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => (r[1].match(/<td[\s>]/g) ?? []).length);
        out.push({ header, rows, html: t });
    }
    return out;
}

function toHtml(markdown: string): string {
    return marked.parse(markdown, { async: false, gfm: true }) as string;
}

test("markdown: verdict, summary, sections, tables survive special characters", () => {
    const markdown = renderMarkdown(sample());
    assert.ok(markdown.startsWith("## ❌ Cloud de confiance : besoins obligatoires non respectés\n"));
    const html = toHtml(markdown);
    const ts = tables(html);
    // summary + per need + RES-01, RES-03 (collapsed), RES-04 (collapsed), SEC-03, SEC-04, PIL-01 (collapsed) + matrix
    assert.equal(ts.length, 9);
    for (const t of ts) {
        assert.ok(t.rows.length > 0);
        for (const n of t.rows) assert.equal(n, t.header, t.html);
    }
    assert.deepEqual(
        ts.map((t) => [t.header, t.rows.length]),
        [
            [2, 5],
            [6, 6],
            [4, 1],
            [4, 1],
            [4, 1],
            [4, 1],
            [4, 1],
            [4, 1],
            [4, 9],
        ],
    );
    // The summary per need: counts by kind, in catalogue order.
    assert.ok(/<td>RES-04<\/td>\s*<td>Anti-affinité<\/td>\s*<td[^>]*>0<\/td>\s*<td[^>]*>1<\/td>\s*<td[^>]*>0<\/td>\s*<td[^>]*>0<\/td>/.test(ts[1].html), ts[1].html);
    // Section order follows the catalogue.
    const headings = [...html.matchAll(/<h3>([\s\S]*?)<\/h3>/g)].map((m) => m[1]);
    assert.deepEqual(headings, [
        "Par besoin",
        "RES-01 — Répartition multi-zones",
        "RES-03 — Volume dans la zone de son instance",
        "RES-04 — Anti-affinité",
        "SEC-03 — Chiffrement au repos | volumes",
        "SEC-04 — Chiffrement en transit (répartiteur)",
        "PIL-01 — Imputation des coûts",
        "Remédiations appliquées",
        "Matrice de conformité",
    ]);
    // The hostile message is shown as text: no markup, no link, no raw HTML.
    const sec03 = ts[5].html;
    assert.ok(sec03.includes("&lt;pas LUKS&gt; &amp; | *gras* _souligné_ [lien]("), sec03);
    assert.ok(sec03.includes(") `code` \\u0007 @equipe #12<br><strong>Remédiation :</strong> Choisir"), sec03);
    assert.ok(!html.includes("<pas LUKS>"));
    assert.ok(!/<em>|<strong>gras|>lien<\/a>|<code>code<\/code>|\u0007/.test(sec03));
    assert.ok(sec03.includes("<code>sec-03-chiffrement-au-repos</code>"));
    // Advisory, derogated and unverifiable findings are collapsed.
    assert.equal((html.match(/<details>/g) ?? []).length, 3);
    assert.ok(/<details>\s*<summary>1 constat\(s\) consultatif/.test(html));
    // Conformance matrix with emojis.
    const matrix = ts[8].html;
    assert.ok(/<td>RES-02<\/td>\s*<td>Zone explicite et autorisée<\/td>\s*<td>✅ respecté<\/td>\s*<td[^>]*>3<\/td>/.test(matrix), matrix);
    assert.ok(/<td>SEC-06<\/td>[\s\S]*?<td>⚪ non sollicité<\/td>\s*<td[^>]*>0<\/td>/.test(matrix));
    assert.ok(/<td>SEC-03<\/td>\s*<td>Chiffrement au repos \| volumes<\/td>\s*<td>❌ non respecté<\/td>/.test(matrix));
});

test("markdown: verdicts in English", () => {
    const clean: CheckResult = {
        ...english(),
        findings: [],
        remediations: [],
        summary: { resources: 5, mandatory: 0, advisory: 0, derogated: 0, unknown: 0 },
    };
    assert.ok(renderMarkdown(clean).startsWith("## ✅ Trusted cloud: compliant\n"));
    const warn: CheckResult = {
        ...english(),
        findings: [F_RES04],
        summary: { resources: 5, mandatory: 0, advisory: 1, derogated: 0, unknown: 0 },
    };
    assert.ok(renderMarkdown(warn).startsWith("## ⚠️ Trusted cloud: no mandatory violation, with warnings\n"));
});

// ---------------------------------------------------------------------------------------------
// Text

test("text: grouped by need id, in French", () => {
    const text = renderText(sample());
    assert.doesNotMatch(text, /[\u0000-\u0008\u000B-\u001F]/, "no control character, no escape sequence");
    const lines = text.split("\n");
    assert.equal(lines[0], "Politiques : cloud-de-confiance@v0.1.0 — prévisualisation preview.json (pile dev)");
    const headers = lines.filter((l) => /^ {4}[A-Z]+-\d+/.test(l));
    assert.deepEqual(headers, [
        "    RES-01 — Répartition multi-zones",
        "    RES-03 — Volume dans la zone de son instance",
        "    RES-04 — Anti-affinité",
        "    SEC-03 — Chiffrement au repos | volumes",
        "    SEC-04 — Chiffrement en transit (répartiteur)",
        "    PIL-01 — Imputation des coûts",
    ]);
    const block = (header: string) => {
        const start = lines.indexOf(header);
        const end = lines.indexOf("", start);
        return lines.slice(start, end);
    };
    assert.deepEqual(block("    SEC-03 — Chiffrement au repos | volumes"), [
        "    SEC-03 — Chiffrement au repos | volumes",
        "        - [obligatoire]  sec-03-chiffrement-au-repos  (openstack:blockstorage/volume:Volume: data)",
        `          SEC-03: ${NASTY.replace("\u0007", "\\u0007")}`,
        "          Remédiation : Choisir un type de volume chiffré (classic-luks).",
    ]);
    assert.deepEqual(block("    RES-01 — Répartition multi-zones"), [
        "    RES-01 — Répartition multi-zones",
        "        - [obligatoire]  res-01-multi-zones  (pile)",
        "          RES-01: le service « web » n'utilise qu'une zone (eu-west-par-a).",
        "          Remédiation : Répartir les instances sur au moins 2 zones.",
    ]);
    assert.deepEqual(block("    PIL-01 — Imputation des coûts").slice(1, 2), [
        "        - [dérogé]  pil-01-imputation  (openstack:objectstorage/container:Container: sauvegardes)",
    ]);
    assert.ok(text.includes(
        "          Dérogation : DER-2024-007 (expire le 2025-09-30) : Conteneur hérité, migration prévue <T3 2025> & suivie\n",
    ));
    assert.ok(text.includes("        - [consultatif]  res-04-anti-affinite  (openstack:compute/instance:Instance: web-1)  [aussi : RES-01]\n"));
    assert.ok(text.includes("        - [inconnu]  res-03-volume-meme-zone  (openstack:blockstorage/volume:Volume: data)\n"));
    assert.ok(text.includes("Remédiations appliquées :\n    - pil-01-imputation  (openstack:compute/instance:Instance: web-2)  [PIL-01]\n"));
    assert.equal(
        lines.at(-3),
        "Besoins : respecté : 2, non respecté : 4, sous dérogation : 1, non sollicité : 1, non vérifiable : 1",
    );
    assert.equal(
        lines.at(-2),
        "Bilan : 5 ressources vérifiées, 3 violations obligatoires, 1 avertissement, 1 dérogation, 1 non vérifiable en prévisualisation",
    );
    assert.equal(lines.at(-1), "");
});

test("text: English labels and optional colours", () => {
    const text = renderText(english());
    assert.ok(text.startsWith("Policies: cloud-de-confiance@v0.1.0 — preview preview.json (stack dev)\n"));
    assert.ok(text.includes("\n        - [mandatory]  sec-04-chiffrement-en-transit  (openstack:loadbalancer/listener:Listener: http)\n"));
    assert.ok(text.includes("\n        - [advisory]  res-04-anti-affinite  (openstack:compute/instance:Instance: web-1)  [also: RES-01]\n"));
    assert.ok(text.includes("\n          Remediation: Utiliser TERMINATED_HTTPS avec un certificat Barbican.\n"));
    assert.ok(text.includes("\n          (cannot be checked at preview: a value is unknown until the update)\n"));
    assert.ok(text.endsWith(
        "\nSummary: 5 resources checked, 3 mandatory violations, 1 advisory warning, 1 derogation, 1 cannot be checked at preview\n",
    ));
    assert.doesNotMatch(text, /\u001b\[/);
    const hostile = english();
    hostile.findings = [{ ...F_SEC04, message: "evil \u001b[2J\u001b]0;title\u0007 end" }];
    assert.ok(renderText(hostile).includes("\n          SEC-04: evil \\u001B[2J\\u001B]0;title\\u0007 end\n"));
    const colored = renderText(english(), { color: true });
    assert.ok(colored.includes("\u001b[31m[mandatory]\u001b[0m"));
    assert.ok(colored.includes("\u001b[33m[advisory]\u001b[0m"));
    assert.equal(colored.replace(/\u001b\[\d+m/g, ""), text);
});

// ---------------------------------------------------------------------------------------------
// JSON, conformance, dispatcher

test("json: format marker first, stable whatever the input order, round-trips the result", () => {
    const out = renderJson(sample());
    assert.ok(out.startsWith(`{\n  "format": "${CHECK_FORMAT}",\n  "tool": {`));
    assert.equal(out, renderJson(shuffledCopy()));
    const doc = JSON.parse(out);
    const { format, ...rest } = doc;
    assert.equal(format, "cloud-de-confiance/check@1");
    const expected = sample();
    const norm = (r: CheckResult) => ({
        ...r,
        findings: [...r.findings].map((f) => JSON.stringify(f)).sort(),
        resources: [...r.resources].map((x) => x.urn).sort(),
        conformance: [...r.conformance].map((c) => c.need).sort(),
    });
    assert.deepEqual(norm(rest), norm(expected));
    assert.deepEqual(
        doc.conformance.map((c: { need: string }) => c.need),
        ["RES-01", "RES-02", "RES-03", "RES-04", "SEC-03", "SEC-04", "SEC-06", "SEC-09", "PIL-01"],
    );
    assert.deepEqual(doc.conformance[1].resources, [DATA.urn, WEB1.urn, WEB2.urn].sort());
    assert.deepEqual(Object.keys(doc.findings[0]), [
        "needs", "policy", "title", "severity", "enforcementLevel", "status", "message", "remediation",
    ]);
});

test("conformance: JSON document and Markdown", () => {
    const doc = conformanceMatrix(sample());
    assert.equal(doc.format, CONFORMANCE_FORMAT);
    assert.deepEqual(doc.pack, { name: "cloud-de-confiance", version: "0.1.0" });
    assert.deepEqual(doc.source, { kind: "preview", path: "preview.json", stack: "dev" });
    assert.deepEqual(doc.counts, { respected: 2, violated: 4, derogated: 1, "not-exercised": 1, "cannot-check": 1, disabled: 0, "outside-pack": 0 });
    assert.deepEqual(doc.needs[0], {
        need: "RES-01",
        title: "Répartition multi-zones",
        priority: "P1",
        status: "violated",
        policies: ["res-01-multi-zones"],
        resources: [WEB1.urn, WEB2.urn],
    });
    assert.deepEqual(JSON.parse(renderConformanceJson(sample())), JSON.parse(JSON.stringify(doc)));

    const md = renderConformanceMarkdown(english());
    assert.ok(md.startsWith("# Conformance matrix — cloud-de-confiance 0.1.0\n"));
    const ts = tables(toHtml(md));
    assert.equal(ts.length, 1);
    assert.equal(ts[0].header, 6);
    assert.deepEqual(ts[0].rows, Array(9).fill(6));
    assert.ok(/<td>SEC-03<\/td>\s*<td>Chiffrement au repos \| volumes<\/td>\s*<td>P1<\/td>\s*<td>❌ violated<\/td>\s*<td><code>sec-03-chiffrement-au-repos<\/code><\/td>/.test(ts[0].html), ts[0].html);
    assert.equal((toHtml(md).match(/<details>/g) ?? []).length, 8, "one resource list per need that has resources");
});

test("renderReport: every format renders, unknown formats are refused", () => {
    assert.deepEqual([...REPORT_FORMATS], [
        "text", "json", "sarif", "junit", "codequality", "sast", "markdown", "conformance-json", "conformance-md",
        "cost-md", "cost-json", "cost-html",
    ]);
    for (const format of REPORT_FORMATS) {
        const out = renderReport(format, sample(), { fallback: "infra/Pulumi.yaml" });
        assert.ok(out.length > 0 && out.endsWith("\n"), format);
    }
    assert.equal(renderReport("sarif", sample(), { fallback: "infra/Pulumi.yaml" }), renderSarif(sample(), { fallback: "infra/Pulumi.yaml" }));
    assert.equal(renderReport("sarif", sample(), { path: "infra/Pulumi.yaml" }), renderSarif(sample(), { uri: "infra/Pulumi.yaml" }), "former option names");
    assert.equal(renderReport("text", sample()), renderText(sample()));
    assert.throws(() => renderReport("html" as never, sample()), /unknown report format: html/);
});
