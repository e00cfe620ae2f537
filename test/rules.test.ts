/**
 * Every rule against its fixtures, through the engine protocol: the built pack is started as the
 * CLI starts it, and each fixture goes through ConfigureStack, Configure, Remediate, Analyze and
 * AnalyzeStack.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Fixture } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck } from "../src/engine/engine";
import { parseNote } from "@cloud-de-confiance/policies/dist/lib/derogations";
import { attributionCarrier } from "@cloud-de-confiance/policies/dist/lib/types";
import { engineResources, fixtureConfig, needsOf } from "./support/fixtures";
import { startPack } from "./support/pack";

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

const modules = ruleModules();

async function run(ruleName: string, f: Fixture, settings: Record<string, unknown> = {}) {
    return evaluate(pack, engineResources(f), {
        config: fixtureConfig(ruleName, f, settings),
        stack: { project: "fixtures", stack: "test", tags: f.stackTags ?? {} },
    });
}

for (const m of modules) {
    const { rule } = m;
    describe(`${rule.needs.join(", ")} ${rule.name}`, () => {
        test("a des fixtures de chaque sorte", () => {
            assert.ok(m.fixturesFile, `${rule.name} n'a pas de fichier de fixtures`);
            const kinds = new Set(((require(m.fixturesFile!) as { default: Fixture[] }).default).map((f) => f.kind));
            for (const k of ["compliant", "non-compliant", "unknown", "secret", "malformed"]) assert.ok(kinds.has(k as Fixture["kind"]), `${rule.name} : aucune fixture « ${k} »`);
        });
        const list: Fixture[] = m.fixturesFile ? (require(m.fixturesFile) as { default: Fixture[] }).default : [];
        for (const f of list) {
            test(`[${f.kind}] ${f.title}`, async () => {
                const ev = await run(rule.name, f);
                const own = ev.diagnostics.filter((d) => d.policyName === rule.name);
                const violations = own.filter((d) => !isCannotCheck(d));
                const raised = new Set(violations.flatMap((d) => needsOf(d.message)));
                for (const d of violations) assert.ok(needsOf(d.message).length > 0, `message sans besoin en tête : ${d.message}`);
                for (const id of f.expect.raises) assert.ok(raised.has(id), `${id} attendu, diagnostics : ${JSON.stringify(own, null, 1)}`);
                for (const id of f.expect.notRaises) assert.ok(!raised.has(id), `${id} inattendu : ${violations.map((d) => d.message).join("\n")}`);
                if (f.expect.violations !== undefined) {
                    assert.equal(violations.length, f.expect.violations, violations.map((d) => d.message).join("\n"));
                }
                const cannot = own.filter(isCannotCheck);
                if (f.expect.cannotCheck) {
                    assert.ok(cannot.length > 0, "le diagnostic « can't run policy … during preview » est attendu");
                    for (const d of cannot) assert.equal(d.enforcementLevel, "advisory");
                } else {
                    assert.equal(cannot.length, 0, cannot.map((d) => d.message).join("\n"));
                }
                for (const h of f.expect.hidden ?? []) {
                    for (const d of ev.diagnostics) {
                        assert.ok(!d.message.includes(h) && !d.description.includes(h), `valeur secrète affichée par ${d.policyName} : ${d.message}`);
                    }
                }
                for (const s of f.expect.mentions ?? []) {
                    for (const d of violations) assert.ok(d.message.includes(s), `« ${s} » absent de : ${d.message}`);
                }
                if (f.expect.remediated) {
                    const rem = ev.remediations.filter((r) => r.policyName === rule.name);
                    assert.ok(rem.length > 0, "remédiation attendue");
                    const props = rem[rem.length - 1].properties ?? {};
                    for (const [k, v] of Object.entries(f.expect.remediated)) assert.deepEqual(props[k], v);
                }
                if (f.kind === "non-compliant" && violations.length > 0) {
                    if (rule.summary) await checkSummary(rule.name, rule.needs[0], f);
                    else await checkDerogations(rule.name, rule.needs[0], f, violations.length);
                    // The same fixture in English: English text, same need ids, same count.
                    const en = (await run(rule.name, f, { langue: "en" })).diagnostics.filter((d) => d.policyName === rule.name && !isCannotCheck(d));
                    assert.equal(en.length, violations.length);
                    for (const d of en) {
                        assert.ok(d.message.includes(" Fix: "), `message anglais attendu : ${d.message}`);
                        assert.ok(!d.message.includes("Correction :"), d.message);
                        assert.deepEqual(needsOf(d.message).sort(), needsOf(violations[0].message).sort());
                    }
                }
            });
        }
    });
}

/**
 * A summary (PIL-03, PIL-05) reports figures and never fails: advisory even when the policy is set
 * to mandatory, and no derogation, valid or expired, changes it.
 */
async function checkSummary(ruleName: string, need: string, f: Fixture) {
    const own = async (fx: Fixture, settings: Record<string, unknown>) =>
        (await run(ruleName, fx, settings)).diagnostics.filter((d) => d.policyName === ruleName && !isCannotCheck(d));
    const granted = { besoin: need, ressource: "*", reference: "DEC-2026-042", expiration: "2020-01-31", justification: "expirée" };
    const valid = { ...granted, expiration: inMonths(6) };
    for (const d of [
        ...(await own({ ...f, config: { ...(f.config ?? {}), enforcementLevel: "mandatory" } }, {})),
        ...(await own(f, { derogations: [granted] })),
        ...(await own(f, { derogations: [valid] })),
    ]) {
        assert.equal(d.enforcementLevel, "advisory", d.message);
        assert.equal(parseNote(d.message), undefined, d.message);
    }
}

/** A date `months` months from today (UTC), as derogations write it. */
function inMonths(months: number, days = 0): string {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + months, Math.min(d.getUTCDate(), 28) + days);
    return d.toISOString().slice(0, 10);
}

/** The fixture with a derogation for `need` carried by each resource, through its own carrier. */
function carrying(f: Fixture, need: string, value: string): Fixture {
    return {
        ...f,
        resources: f.resources.map((r) => {
            const key = `derogation-${need}`;
            const c = attributionCarrier(r.type);
            if (c === "tags") return { ...r, props: { ...r.props, tags: [...(Array.isArray(r.props.tags) ? r.props.tags : []), `${key}=${value}`] } };
            if (c === "metadata" || c === "labels") return { ...r, props: { ...r.props, [c]: { ...((r.props[c] as object) ?? {}), [key]: value } } };
            if (r.type.startsWith("kubernetes:")) {
                const meta = (r.props.metadata as Record<string, unknown>) ?? {};
                const annotations = { ...((meta.annotations as object) ?? {}), [`cloud-de-confiance.gouv.fr/${key}`]: value };
                return { ...r, props: { ...r.props, metadata: { ...meta, annotations } } };
            }
            return r;
        }),
    };
}

/**
 * Every derogation path on a failing fixture. Granted in the configuration: valid, expired, beyond
 * the maximum validity. Carried by the resource: without approval (no effect), approved (in
 * effect until the earlier expiry), malformed. A derogated violation stays reported, as advisory,
 * with its note; one that does not derogate stays mandatory and its note says why. Self-service,
 * approvals that expired or run too long, stale grants and configuration errors: derogations.test.ts.
 */
async function checkDerogations(ruleName: string, need: string, f: Fixture, count: number) {
    const own = async (fx: Fixture, settings: Record<string, unknown>) =>
        (await run(ruleName, fx, settings)).diagnostics.filter((d) => d.policyName === ruleName && !isCannotCheck(d));
    const until = inMonths(6);
    const granted = { besoin: need, ressource: "*", reference: "DEC-2026-042", expiration: until, justification: "migration en cours" };

    const valid = await own(f, { derogations: [granted] });
    assert.equal(valid.length, count, "une violation dérogée reste signalée");
    for (const d of valid) {
        assert.equal(d.enforcementLevel, "advisory", d.message);
        assert.deepEqual(parseNote(d.message), { reference: "DEC-2026-042", expires: until, justification: "migration en cours" });
    }
    const expired = await own(f, { derogations: [{ ...granted, expiration: "2020-01-31" }] });
    assert.equal(expired.length, count);
    for (const d of expired) {
        assert.equal(d.enforcementLevel, "mandatory", d.message);
        assert.ok(d.message.includes("expirée le 2020-01-31"), d.message);
    }
    const tooLong = await own(f, { derogations: [{ ...granted, expiration: inMonths(13) }] });
    assert.equal(tooLong.length, count);
    for (const d of tooLong) {
        assert.equal(d.enforcementLevel, "mandatory", d.message);
        assert.ok(d.message.includes("au-delà de la durée maximale de 12 mois"), d.message);
    }

    // Carried by the resources themselves, each through its own carrier.
    const urnsCarrying = new Set(
        engineResources(f).filter((r) => attributionCarrier(r.type) || r.type.startsWith("kubernetes:")).map((r) => r.urn),
    );
    const carried = carrying(f, need, `DEC-7|${until}|bastion unique`);
    const unapproved = await own(carried, {});
    for (const d of unapproved) {
        if (!urnsCarrying.has(d.urn)) continue;
        assert.equal(d.enforcementLevel, "mandatory", d.message);
        assert.ok(d.message.includes("DEC-7 sans effet : référence non approuvée"), d.message);
    }
    const approvedUntil = inMonths(3);
    const approved = await own(carried, { derogationsApprouvees: [{ reference: "DEC-7", besoins: [need], expiration: approvedUntil }] });
    for (const d of approved) {
        if (!urnsCarrying.has(d.urn)) continue;
        assert.equal(d.enforcementLevel, "advisory", d.message);
        assert.deepEqual(parseNote(d.message), { reference: "DEC-7", expires: approvedUntil, justification: "bastion unique" });
    }
    const badTag = await own(carrying(f, need, "DEC-7 sans date"), { derogationsLibres: true });
    for (const d of badTag) {
        if (!urnsCarrying.has(d.urn)) continue;
        assert.equal(d.enforcementLevel, "mandatory", d.message);
        assert.ok(d.message.includes("dérogation invalide"), d.message);
    }
}
