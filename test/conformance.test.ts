/**
 * The conformance matrix never says more than the check shows: one test per status (the rule's
 * findings, the configuration that turns rules off, the needs no rule checks), the resources a
 * stack rule lists, the derogations of a derogated need, the header (date, input, pack, profile,
 * environment, configuration digest), and the JSON schema the document follows.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import Ajv from "ajv";
import { NEEDS } from "@cloud-de-confiance/policies/dist/lib/catalogue";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { toResult } from "../src/checker/check";
import { canonicalJson } from "../src/checker/conformance";
import { CheckResult, NeedConformance, NeedStatus } from "../src/checker/model";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, Evaluation, parsePolicyConfig } from "../src/engine/engine";
import { EngineResource, unknown } from "../src/engine/types";
import { conformanceMatrix, CONFORMANCE_SCHEMA_ID, CONFORMANCE_VERSION, renderConformanceJson, renderConformanceMarkdown, renderReport } from "../src/reports";
import { ROOT, startPack } from "./support/pack";

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

const NOW = new Date("2026-11-30T08:15:00.000Z");
const SOURCE = { kind: "state" as const, path: "etat.json", stack: "prod" };
const INSTANCE = "openstack:compute/instance:Instance";
const VOLUME = "openstack:blockstorage/volume:Volume";

const res = (type: string, name: string, properties: Record<string, unknown>): EngineResource => ({
    urn: `urn:pulumi:prod::portail::${type}::${name}`,
    type,
    name,
    properties,
});
const vm = (name: string, zone: string) =>
    res(INSTANCE, name, { flavorName: "b3-8", imageName: "debian-12", availabilityZone: zone, tags: ["service=api"], keyPair: "cle" });
const volume = (name: string, volumeType: unknown) => res(VOLUME, name, { size: 10, availabilityZone: "eu-west-par-a", volumeType });

/** A month from the day the test runs: within the maximum validity of derogations. */
function nextMonth(): string {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + 1, Math.min(d.getUTCDate(), 28));
    return d.toISOString().slice(0, 10);
}

/** The check of `resources` on the ovhcloud profile, instances booting on local disks declared encrypted. */
async function evaluated(resources: EngineResource[], config: Record<string, unknown> = {}): Promise<{ r: CheckResult; ev: Evaluation }> {
    const given = parsePolicyConfig({
        "sec-03-chiffrement-au-repos": { disquesLocauxChiffres: true },
        ...config,
        "cloud-de-confiance": { profil: "ovhcloud", ...((config["cloud-de-confiance"] as object) ?? {}) },
    });
    const ev = await evaluate(pack, resources, { config: given, stack: { project: "portail", stack: "prod" } });
    return { r: toResult(ev, SOURCE, [], NOW), ev };
}

async function matrix(resources: EngineResource[], config: Record<string, unknown> = {}): Promise<CheckResult> {
    return (await evaluated(resources, config)).r;
}

function row(r: CheckResult, need: string): NeedConformance {
    const c = r.conformance.find((x) => x.need === need);
    assert.ok(c, need);
    return c;
}

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "docs/schemas/conformance-v1.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema);

/** The JSON form validates against the documented schema. */
function assertValidDocument(r: CheckResult): void {
    const doc = JSON.parse(renderConformanceJson(r));
    assert.ok(validate(doc), JSON.stringify(validate.errors, null, 1));
}

const SPREAD = [vm("api-1", "eu-west-par-a"), vm("api-2", "eu-west-par-b"), vm("api-3", "eu-west-par-c")];

describe("statuses of the matrix", () => {
    test("respected: the rule examined resources and found nothing; a stack rule lists only the types it examines", async () => {
        const r = await matrix([...SPREAD, volume("data", "classic-luks")]);
        const res01 = row(r, "RES-01");
        assert.equal(res01.status, "respected");
        // RES-01 examines instances: the volume of the stack is not one of its resources.
        assert.deepEqual([...res01.resources].sort(), SPREAD.map((x) => x.urn).sort());
        const sec03 = row(r, "SEC-03");
        assert.equal(sec03.status, "respected");
        assert.ok(sec03.resources.includes(`urn:pulumi:prod::portail::${VOLUME}::data`));
        assertValidDocument(r);
    });

    test("violated: a finding of one of its rules", async () => {
        const r = await matrix([...SPREAD, volume("data", "classic")]);
        const sec03 = row(r, "SEC-03");
        assert.equal(sec03.status, "violated");
        assert.deepEqual(sec03.resources, [`urn:pulumi:prod::portail::${VOLUME}::data`]);
        assert.equal(sec03.derogations, undefined);
        assertValidDocument(r);
    });

    test("derogated: each derogation's reference, expiry and justification, with the resources it covers", async () => {
        const expires = nextMonth();
        const r = await matrix([...SPREAD, volume("data", "classic"), volume("archives", "classic")], {
            "cloud-de-confiance": {
                derogations: [
                    { besoin: "SEC-03", ressource: "data", reference: "DEC-2026-101", expiration: expires, justification: "migration vers classic-luks" },
                    { besoin: "SEC-03", ressource: "archives", reference: "DEC-2026-102", expiration: expires, justification: "archives froides" },
                ],
            },
        });
        const sec03 = row(r, "SEC-03");
        assert.equal(sec03.status, "derogated");
        const doc = conformanceMatrix(r);
        assert.deepEqual(doc.needs.find((n) => n.need === "SEC-03")?.derogations, [
            { reference: "DEC-2026-101", expires, justification: "migration vers classic-luks", resources: [`urn:pulumi:prod::portail::${VOLUME}::data`] },
            { reference: "DEC-2026-102", expires, justification: "archives froides", resources: [`urn:pulumi:prod::portail::${VOLUME}::archives`] },
        ]);
        const md = renderConformanceMarkdown(r);
        assert.match(md, /## Dérogations\n\n\| Besoin \| Référence \| Échéance \| Justification \| Ressources \|/);
        assert.ok(md.includes(`| SEC-03 | DEC-2026-101 | ${expires} | migration vers classic-luks | 1 |`), md);
        assertValidDocument(r);
    });

    test("cannot-check: a resource its rule could not judge", async () => {
        const r = await matrix([...SPREAD, volume("data", unknown())]);
        const sec03 = row(r, "SEC-03");
        assert.equal(sec03.status, "cannot-check");
        assert.deepEqual(sec03.resources, [`urn:pulumi:prod::portail::${VOLUME}::data`]);
        assertValidDocument(r);
    });

    test("not-exercised: no resource of the types its rules examine", async () => {
        const r = await matrix(SPREAD);
        const sec16 = row(r, "SEC-16");
        assert.equal(sec16.status, "not-exercised");
        assert.deepEqual(sec16.resources, []);
        assertValidDocument(r);
    });

    test("disabled: a rule off by its level, by `all` or by `niveaux` is never « respected » nor « not exercised »", async () => {
        // One of SEC-03's two rules off by its level: the need is not fully checked.
        const byLevel = await matrix([...SPREAD, volume("data", "classic-luks")], { "sec-03-chiffrement-au-repos": "disabled" });
        const one = row(byLevel, "SEC-03");
        assert.equal(one.status, "disabled");
        assert.deepEqual(one.disabled, ["sec-03-chiffrement-au-repos"]);
        assert.deepEqual(one.resources, []);
        assert.match(renderConformanceMarkdown(byLevel), /`sec-03-chiffrement-au-repos` \(désactivée\)/);
        assertValidDocument(byLevel);

        // By the niveaux setting: the rule does not run at all (no "cannot be checked" either).
        const byNiveaux = await matrix([...SPREAD, volume("data", unknown())], { "cloud-de-confiance": { niveaux: { "SEC-03": "disabled" } } });
        const sec03 = row(byNiveaux, "SEC-03");
        assert.equal(sec03.status, "disabled");
        assert.deepEqual([...(sec03.disabled ?? [])].sort(), ruleModules().filter((m) => m.rule.needs.includes("SEC-03")).map((m) => m.rule.name).sort());
        assert.deepEqual(byNiveaux.findings.filter((f) => f.needs.includes("SEC-03")), []);

        // A violation of a rule still on wins over another rule being off.
        const mixed = await matrix([...SPREAD, volume("data", "classic")], { "sec-03-volumes-de-demarrage": "disabled" });
        assert.equal(row(mixed, "SEC-03").status, "violated");
        assert.deepEqual(row(mixed, "SEC-03").disabled, ["sec-03-volumes-de-demarrage"]);

        // `all: disabled`: every need with a rule is disabled, none respected nor not exercised.
        const all = await matrix(SPREAD, { all: "disabled" });
        for (const c of all.conformance) assert.ok(c.status === "disabled" || c.status === "outside-pack", `${c.need}: ${c.status}`);
        assertValidDocument(all);
    });

    test("outside-pack: every need has a rule in this version; a need none of whose policies the pack holds is outside it", async () => {
        const { r, ev } = await evaluated(SPREAD);
        const withRules = new Set(ruleModules().flatMap((m) => m.rule.needs));
        assert.deepEqual(NEEDS.filter((n) => !withRules.has(n.id)).map((n) => n.id), []);
        assert.equal(conformanceMatrix(r).counts["outside-pack"], 0);
        for (const id of ["PIL-03", "PIL-04", "PIL-05"]) assert.ok(row(r, id).policies.length > 0 && row(r, id).status !== "outside-pack", id);
        // A pack without PIL-03's policy (an older version, say): PIL-03 is outside it.
        const older = toResult({ ...ev, info: { ...ev.info, policies: ev.info.policies.filter((p) => p.name !== "pil-03-cout-estime") } }, SOURCE, [], NOW);
        assert.deepEqual({ ...row(older, "PIL-03"), title: "" }, { need: "PIL-03", title: "", priority: "P3", status: "outside-pack", policies: [], resources: [] });
        assert.equal(conformanceMatrix(older).counts["outside-pack"], 1);
        assert.match(renderConformanceMarkdown(older), /\| PIL-03 \| Coût estimé \| P3 \| ➖ hors du pack \| — \| 0 \|/);
        assert.match(renderReport("conformance-md", { ...older, lang: "en" }), /➖ outside the pack/);
        assertValidDocument(older);
        assertValidDocument(r);
    });
});

describe("estimate figures (PIL-03, PIL-05)", () => {
    test("every item priced: respected with its figures; an unpriced flavor: cannot be checked for that resource, never respected on a partial sum", async () => {
        const priced = await matrix(SPREAD);
        assert.equal(row(priced, "PIL-03").status, "respected");
        assert.ok((row(priced, "PIL-03").figures ?? []).some((f) => f.unit === "€" && f.value > 0));
        assert.equal(row(priced, "PIL-05").status, "respected");

        const odd = res(INSTANCE, "gabarit-maison", { flavorName: "maison-42", imageName: "debian-12", availabilityZone: "eu-west-par-a", tags: ["service=api"], keyPair: "cle" });
        const partial = await matrix([...SPREAD, odd]);
        for (const need of ["PIL-03", "PIL-05"]) {
            assert.equal(row(partial, need).status, "cannot-check", need);
            assert.deepEqual(row(partial, need).resources, [odd.urn], need);
        }
        assert.equal(row(partial, "PIL-03").figures?.find((f) => f.unit === "")?.value, 1, "one unpriced item");
        assertValidDocument(partial);
    });
});

describe("header", () => {
    test("date, input, pack version, profile, environment and the digest of the configuration", async () => {
        const config = { "cloud-de-confiance": { environnement: "hors-production" }, "res-01-repartition-multi-zones": { zonesMin: 3 } };
        const { r, ev } = await evaluated(SPREAD, config);
        const doc = conformanceMatrix(r);
        const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "policies/package.json"), "utf8"));
        assert.equal(doc.version, CONFORMANCE_VERSION);
        assert.equal(schema.$id, CONFORMANCE_SCHEMA_ID);
        assert.equal(schema.properties.version.const, CONFORMANCE_VERSION);
        assert.equal(doc.checkedAt, "2026-11-30T08:15:00.000Z");
        assert.deepEqual(doc.source, SOURCE);
        assert.deepEqual(doc.pack, { name: "cloud-de-confiance", version: pkg.version });
        assert.equal(doc.profile, "ovhcloud");
        assert.equal(doc.environment, "hors-production");

        // The digest is that of the reconciled configuration the pack received, as canonical JSON.
        assert.equal(doc.configuration.sha256, createHash("sha256").update(canonicalJson(ev.config)).digest("hex"));
        assert.equal(ev.config["res-01-repartition-multi-zones"].properties?.["zonesMin"], 3);
        // The same configuration written in another order: the same digest; another parameter: another one.
        const reordered = await matrix(SPREAD, { "res-01-repartition-multi-zones": { zonesMin: 3 }, "cloud-de-confiance": { environnement: "hors-production" } });
        assert.equal(reordered.run.configuration.sha256, doc.configuration.sha256);
        const other = await matrix(SPREAD, { ...config, "res-01-repartition-multi-zones": { zonesMin: 2 } });
        assert.notEqual(other.run.configuration.sha256, doc.configuration.sha256);
        const defaults = await matrix(SPREAD);
        assert.equal(defaults.run.environment, "production");

        const md = renderConformanceMarkdown(r);
        assert.ok(md.startsWith(`# Matrice de conformité — cloud-de-confiance ${pkg.version}\n\n- Date : 2026-11-30T08:15:00.000Z\n- Entrée : état etat.json (pile prod)\n`), md);
        assert.ok(md.includes("- Profil : `ovhcloud` · environnement : `hors-production`"), md);
        assert.ok(md.includes(`- Configuration (SHA-256) : \`${doc.configuration.sha256}\``), md);
        // The check report carries the same facts.
        const json = JSON.parse(renderReport("json", r));
        assert.deepEqual(json.run, { at: "2026-11-30T08:15:00.000Z", profile: "ovhcloud", environment: "hors-production", configuration: { sha256: doc.configuration.sha256 } });
    });

    test("the schema refuses what is not a matrix of this version", async () => {
        const doc = JSON.parse(renderConformanceJson(await matrix(SPREAD)));
        assert.ok(validate(doc));
        const bad = (mutate: (d: any) => void) => {
            const d = structuredClone(doc);
            mutate(d);
            return validate(d);
        };
        assert.equal(bad((d) => (d.version = 2)), false);
        assert.equal(bad((d) => (d.needs[0].status = "compliant" as NeedStatus)), false);
        assert.equal(bad((d) => delete d.configuration), false);
        assert.equal(bad((d) => (d.configuration.sha256 = "abc")), false);
        assert.equal(bad((d) => delete d.counts.disabled), false);
        assert.equal(bad((d) => (d.extra = true)), false);
    });
});
