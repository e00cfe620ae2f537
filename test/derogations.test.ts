/**
 * Derogations under control: a derogation carried by a resource takes effect only when the
 * configuration approves its reference (or allows self-service), no derogation lasts longer than
 * the maximum validity, a grant that matches nothing in the stack is reported, and every mistake
 * in the names and dates of the settings is a Configure error naming its key. Every failing rule
 * fixture goes through the main paths in rules.test.ts; here, each path on its own.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { addMonths, DerogationSettings, DerogationState, latestExpiry, note, parseNote, parseValue } from "@cloud-de-confiance/policies/dist/lib/derogations";
import { DEFAULT_SETTINGS } from "@cloud-de-confiance/policies/dist/lib/settings";
import { toResult } from "../src/checker/check";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck, parsePolicyConfig, PolicyConfigError } from "../src/engine/engine";
import { EngineResource, secret, unknown } from "../src/engine/types";
import { startPack } from "./support/pack";

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

/** A date `months` months from today (UTC), day of month at most 28. */
function inMonths(months: number): string {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + months, Math.min(d.getUTCDate(), 28));
    return d.toISOString().slice(0, 10);
}

const VOLUME = "openstack:blockstorage/volume:Volume";
const SEC03 = "sec-03-chiffrement-au-repos";
const res = (type: string, name: string, properties: Record<string, unknown>): EngineResource => ({
    urn: `urn:pulumi:prod::portail::${type}::${name}`,
    type,
    name,
    properties,
});
/** A volume of a type the ovhcloud profile does not declare encrypted (SEC-03), with metadata. */
const volume = (name: string, metadata: Record<string, unknown> = {}) =>
    res(VOLUME, name, { size: 10, availabilityZone: "eu-west-par-a", volumeType: "classic", metadata });

async function run(resources: EngineResource[], settings: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
    return evaluate(pack, resources, {
        config: parsePolicyConfig({ ...extra, "cloud-de-confiance": { profil: "ovhcloud", ...settings } }),
        stack: { project: "portail", stack: "prod" },
    });
}

async function sec03(resources: EngineResource[], settings: Record<string, unknown> = {}) {
    return (await run(resources, settings)).diagnostics.filter((d) => d.policyName === SEC03 && !isCannotCheck(d));
}

describe("dates", () => {
    test("addMonths: calendar months, the last day of a shorter month", () => {
        assert.equal(addMonths("2026-11-30", 12), "2027-11-30");
        assert.equal(addMonths("2026-01-31", 1), "2026-02-28");
        assert.equal(addMonths("2028-01-31", 1), "2028-02-29");
        assert.equal(addMonths("2026-12-15", 1), "2027-01-15");
        assert.equal(addMonths("2026-03-31", 6), "2026-09-30");
        assert.equal(latestExpiry({ dureeMaxDerogationMois: 12 }, "2026-11-30"), "2027-11-30");
        assert.equal(latestExpiry({ dureeMaxDerogationMois: 24 }, "2026-02-28"), "2028-02-28");
    });
});

describe("every path of a derogation carried by a resource (judged on a fixed day)", () => {
    const NOW = "2026-11-30";
    const base: DerogationSettings = { derogations: [], derogationsApprouvees: [], derogationsLibres: false, dureeMaxDerogationMois: 12 };
    const judge = (raw: string, s: Partial<DerogationSettings> = {}, policy = SEC03): DerogationState =>
        parseValue("SEC-03", raw, "resource", { ...base, ...s }, policy, NOW);
    const approval = (o: Record<string, unknown> = {}) => ({ reference: "DEC-9", besoins: ["SEC-03"], expiration: "2027-03-31", ...o });

    test("not approved: no effect, and the note says why", () => {
        const s = judge("DEC-9|2027-01-31|archives");
        assert.equal(s.state, "refused");
        assert.deepEqual(s.state === "refused" && s.refusal, { kind: "unapproved" });
        assert.equal(note(s, "fr"), "[dérogation DEC-9 sans effet : référence non approuvée pour SEC-03 (réglage « derogationsApprouvees » de la configuration du pack)]");
        assert.equal(note(s, "en"), '[derogation DEC-9 not in effect: reference not approved for SEC-03 (pack setting "derogationsApprouvees")]');
        // Approved for another need only: not approved for this one.
        assert.equal(judge("DEC-9|2027-01-31|archives", { derogationsApprouvees: [approval({ besoins: ["SEC-06"] })] }).state, "refused");
        // References are compared as written (after trimming).
        assert.equal(judge("dec-9|2027-01-31|archives", { derogationsApprouvees: [approval()] }).state, "refused");
    });

    test("approved: in effect until the earlier of its expiry and its approval's", () => {
        const early = judge("DEC-9|2027-01-31|archives", { derogationsApprouvees: [approval()] });
        assert.equal(early.state, "valid");
        assert.equal(early.state === "valid" && early.derogation.expires, "2027-01-31");
        const late = judge(" DEC-9 | 2027-06-30 | archives ", { derogationsApprouvees: [approval()] });
        assert.equal(late.state === "valid" && late.derogation.expires, "2027-03-31");
        assert.deepEqual(parseNote(`… ${note(late, "fr")}`), { reference: "DEC-9", expires: "2027-03-31", justification: "archives" });
        // A policy name in `besoins` covers the needs of that policy.
        assert.equal(judge("DEC-9|2027-01-31|archives", { derogationsApprouvees: [approval({ besoins: [SEC03] })] }).state, "valid");
        assert.equal(judge("DEC-9|2027-01-31|archives", { derogationsApprouvees: [approval({ besoins: [SEC03] })] }, "sec-03-volumes-de-demarrage").state, "refused");
    });

    test("self-service: in effect without approval when the configuration allows it", () => {
        const s = judge("DEC-9|2027-01-31|archives", { derogationsLibres: true });
        assert.equal(s.state, "valid");
        // An approval, when there is one, still bounds it.
        const bounded = judge("DEC-9|2027-06-30|archives", { derogationsLibres: true, derogationsApprouvees: [approval()] });
        assert.equal(bounded.state === "valid" && bounded.derogation.expires, "2027-03-31");
    });

    test("over the maximum validity: refused, with the limit; the maximum is configurable", () => {
        const s = judge("DEC-9|2027-12-01|archives", { derogationsLibres: true });
        assert.equal(s.state, "refused");
        assert.equal(note(s, "fr"), "[dérogation DEC-9 refusée : échéance 2027-12-01 au-delà de la durée maximale de 12 mois (au plus tard le 2027-11-30)]");
        assert.equal(note(s, "en"), "[derogation DEC-9 refused: expiry 2027-12-01 beyond the maximum validity of 12 months (2027-11-30 at the latest)]");
        assert.equal(judge("DEC-9|2027-11-30|archives", { derogationsLibres: true }).state, "valid");
        assert.equal(judge("DEC-9|2027-12-01|archives", { derogationsLibres: true, dureeMaxDerogationMois: 13 }).state, "valid");
        // An approval that runs too long does not make the derogation valid either.
        const approvedTooLong = judge("DEC-9|2027-01-31|archives", { derogationsApprouvees: [approval({ expiration: "2099-12-31" })] });
        assert.equal(approvedTooLong.state === "refused" && approvedTooLong.refusal.kind, "approval-too-long");
        assert.match(note(approvedTooLong, "fr"), /son approbation court au-delà de la durée maximale de 12 mois \(échéance 2099-12-31, au plus tard le 2027-11-30\)/);
    });

    test("expired, approval expired, malformed: no effect", () => {
        assert.equal(judge("DEC-9|2026-11-29|archives", { derogationsLibres: true }).state, "expired");
        assert.equal(judge("DEC-9|2026-11-30|archives", { derogationsLibres: true }).state, "valid", "valid through its expiry day");
        const approvalExpired = judge("DEC-9|2027-01-31|archives", { derogationsApprouvees: [approval({ expiration: "2026-10-31" })] });
        assert.equal(note(approvalExpired, "fr"), "[dérogation DEC-9 sans effet : approbation expirée le 2026-10-31]");
        assert.equal(judge("DEC-9|31/01/2027|archives", { derogationsLibres: true }).state, "malformed");
        assert.equal(judge("DEC-9|2027-01-31", { derogationsLibres: true }).state, "malformed");
    });
});

describe("through the pack", () => {
    test("approved, unapproved, self-service, over the maximum, configurable maximum", async () => {
        const until = inMonths(6);
        const carried = volume("archives", { "derogation-SEC-03": `DEC-2026-7|${until}|archives froides` });

        const unapproved = await sec03([carried]);
        assert.equal(unapproved.length, 1);
        assert.equal(unapproved[0].enforcementLevel, "mandatory");
        assert.match(unapproved[0].message, /\[dérogation DEC-2026-7 sans effet : référence non approuvée pour SEC-03/);

        const approved = await sec03([carried], { derogationsApprouvees: [{ reference: "DEC-2026-7", besoins: ["SEC-03"], expiration: inMonths(9), justification: "comité du 12/11" }] });
        assert.equal(approved[0].enforcementLevel, "advisory");
        assert.deepEqual(parseNote(approved[0].message), { reference: "DEC-2026-7", expires: until, justification: "archives froides" });

        const selfService = await sec03([carried], { derogationsLibres: true });
        assert.equal(selfService[0].enforcementLevel, "advisory");

        const far = volume("archives", { "derogation-SEC-03": `DEC-2026-7|${inMonths(18)}|archives froides` });
        const tooLong = await sec03([far], { derogationsLibres: true });
        assert.equal(tooLong[0].enforcementLevel, "mandatory");
        assert.match(tooLong[0].message, /refusée : échéance \d{4}-\d{2}-\d{2} au-delà de la durée maximale de 12 mois \(au plus tard le \d{4}-\d{2}-\d{2}\)/);
        const longer = await sec03([far], { derogationsLibres: true, dureeMaxDerogationMois: 24 });
        assert.equal(longer[0].enforcementLevel, "advisory");

        // A configured derogation beyond the maximum is refused too.
        const configured = await sec03([volume("archives")], {
            derogations: [{ besoin: "SEC-03", ressource: "archives", reference: "DEC-2026-8", expiration: inMonths(13), justification: "archives" }],
        });
        assert.equal(configured[0].enforcementLevel, "mandatory");
        assert.match(configured[0].message, /DEC-2026-8 refusée : échéance/);
    });

    test("a valid derogation wins over a refused one for the same violation", async () => {
        const carried = volume("archives", { "derogation-SEC-03": `DEC-X|${inMonths(2)}|non approuvée` });
        const d = await sec03([carried], {
            derogations: [{ besoin: "SEC-03", ressource: "archives", reference: "DEC-2026-9", expiration: inMonths(3), justification: "accordée" }],
        });
        assert.equal(d[0].enforcementLevel, "advisory");
        assert.equal(parseNote(d[0].message)?.reference, "DEC-2026-9");
    });

    test("a refused derogation read from a secret shows none of its fields", async () => {
        const value = `DEC-Qz7Hn4|${inMonths(20)}|bastion Vx9Mk2`;
        const carried = volume("archives", { "derogation-SEC-03": secret(value) });
        for (const settings of [{}, { derogationsLibres: true }]) {
            const [d] = await sec03([carried], settings);
            assert.equal(d.enforcementLevel, "mandatory");
            for (const part of ["Qz7Hn4", "Vx9Mk2", value.split("|")[1]]) assert.ok(!d.message.includes(part), d.message);
            assert.match(d.message, /\[dérogation \(valeur sensible masquée\) (sans effet|refusée)/);
        }
    });
});

describe("grants that match nothing", () => {
    const stale = async (resources: EngineResource[], settings: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
        (await run(resources, settings, extra)).diagnostics.filter((d) => d.policyName === "cloud-de-confiance");

    test("a configured derogation that names no resource, an approved reference no resource carries: reported", async () => {
        const ds = await stale([volume("data")], {
            derogations: [
                { besoin: "SEC-03", ressource: "data", reference: "DEC-1", expiration: inMonths(2), justification: "en cours" },
                { besoin: "SEC-06", ressource: "bastion-*", reference: "DEC-2", expiration: inMonths(2), justification: "bastion" },
            ],
            derogationsApprouvees: [
                { reference: "DEC-3", besoins: ["SEC-03"], expiration: inMonths(2) },
                { reference: "DEC-4", besoins: ["SEC-03", "SEC-06"], expiration: inMonths(2) },
            ],
        });
        assert.equal(ds.length, 3, ds.map((d) => d.message).join("\n"));
        assert.ok(ds.every((d) => d.enforcementLevel === "advisory" && !d.urn));
        assert.equal(
            ds[0].message,
            "Dérogations · dérogation configurée derogations.1 (besoin SEC-06, ressource « bastion-* », référence DEC-2) : aucune ressource de la pile ne porte ce nom ni cette URN. Correction : retirer l'entrée de la configuration du pack si la ressource n'existe plus, ou corriger « ressource ».",
        );
        assert.match(ds[1].message, /^Dérogations · référence approuvée derogationsApprouvees\.0 \(DEC-3, besoins SEC-03\) : aucune ressource/);
        assert.match(ds[2].message, /^Dérogations · référence approuvée derogationsApprouvees\.1 \(DEC-4, besoins SEC-03, SEC-06\) : aucune ressource de la pile ne porte de dérogation avec cette référence pour ces besoins\./);
    });

    test("matched by a name, a URN pattern, a carried reference (any carrier), or a value unknown at preview: not reported", async () => {
        const k8s = res("kubernetes:apps/v1:Deployment", "api", {
            metadata: { name: "api", annotations: { "cloud-de-confiance.gouv.fr/derogation-RES-08": `DEC-5|${inMonths(1)}|extinction` } },
            spec: { replicas: 1 },
        });
        const ds = await stale([volume("data", { "derogation-SEC-03": `DEC-3|${inMonths(1)}|archives` }), volume("tmp", { "derogation-SEC-03": unknown() }), k8s], {
            derogations: [
                { besoin: "SEC-03", ressource: "urn:pulumi:*::*::openstack:blockstorage/volume:Volume::da*", reference: "DEC-1", expiration: inMonths(2), justification: "en cours" },
            ],
            derogationsApprouvees: [
                { reference: "DEC-3", besoins: ["SEC-03"], expiration: inMonths(2) },
                { reference: "DEC-5", besoins: ["res-08-replicas"], expiration: inMonths(2) },
                // No resource carries DEC-6, but a value unknown at preview might.
                { reference: "DEC-6", besoins: ["SEC-03"], expiration: inMonths(2) },
            ],
        });
        assert.deepEqual(ds.map((d) => d.message), []);
    });

    test("its level follows the settings entry; the checker files it under no need, the matrix ignores it", async () => {
        const settings = { derogations: [{ besoin: "SEC-03", ressource: "gone", reference: "DEC-1", expiration: inMonths(2), justification: "x" }] };
        const advisory = await stale([volume("data")], settings);
        assert.deepEqual(advisory.map((d) => d.enforcementLevel), ["advisory"]);
        const ev = await evaluate(pack, [volume("data")], {
            config: parsePolicyConfig({ "cloud-de-confiance": { enforcementLevel: "mandatory", profil: "ovhcloud", ...settings } }),
            stack: { project: "portail", stack: "prod" },
        });
        const own = ev.diagnostics.filter((d) => d.policyName === "cloud-de-confiance");
        assert.equal(own.length, 1);
        assert.equal(own[0].enforcementLevel, "mandatory");
        const r = toResult(ev, { kind: "resources", path: "-" });
        const finding = r.findings.find((f) => f.policy === "cloud-de-confiance");
        assert.deepEqual(finding?.needs, []);
        assert.equal(r.conformance.find((c) => c.need === "SEC-03")?.status, "violated");
    });

    test("without grants, the settings policy is not applicable", async () => {
        const ev = await run([volume("data")]);
        assert.deepEqual(ev.diagnostics.filter((d) => d.policyName === "cloud-de-confiance"), []);
        assert.equal(ev.applied.get("cloud-de-confiance")?.size, 0);
    });
});

describe("mistakes in the settings: a Configure error that names the key", () => {
    const refused = async (config: Record<string, unknown>, pattern: RegExp) => {
        await assert.rejects(
            evaluate(pack, [volume("data")], { config: parsePolicyConfig(config), stack: { project: "portail", stack: "prod" } }),
            (e: Error) => {
                assert.ok(e instanceof PolicyConfigError, String(e));
                assert.match(e.message, pattern);
                assert.ok(!e.message.includes("\n"), e.message);
                return true;
            },
        );
    };
    const settings = (s: Record<string, unknown>) => ({ "cloud-de-confiance": s });
    const derogation = { besoin: "SEC-03", ressource: "data", reference: "DEC-1", expiration: "2026-12-31", justification: "x" };

    test("unknown keys, at the top of the settings and inside a derogation or an approval", async () => {
        await refused(settings({ derogationLibres: true }), /clé inconnue « derogationLibres » \/ unknown key "derogationLibres"/);
        // Inside the items, the CLI's own validation refuses first, in its words.
        await refused(settings({ derogations: [{ ...derogation, besion: "SEC-03" }] }), /cloud-de-confiance: derogations\.0: Additional property besion is not allowed/);
        await refused(settings({ derogationsApprouvees: [{ reference: "R", besoins: ["SEC-03"], expiration: "2026-12-31", expire: "x" }] }), /derogationsApprouvees\.0: Additional property expire is not allowed/);
        await refused(settings({ derogationsApprouvees: [{ reference: "R", besoins: [], expiration: "2026-12-31" }] }), /derogationsApprouvees\.0\.besoins: Array must have at least 1 items/);
        await refused(settings({ dureeMaxDerogationMois: 0 }), /dureeMaxDerogationMois: Must be greater than or equal to 1/);
        await refused(settings({ estimation: { gabarit: {} } }), /cloud-de-confiance: estimation: Additional property gabarit is not allowed/);
    });

    test("unknown need ids and policy names in niveaux, derogations and approvals", async () => {
        await refused(settings({ niveaux: { "SEC-99": "disabled" } }), /niveaux\.SEC-99 : ni besoin ni politique du pack : « SEC-99 »/);
        await refused(settings({ niveaux: { "sec-06-filtrage": "disabled" } }), /niveaux\.sec-06-filtrage : ni besoin ni politique du pack/);
        await refused(settings({ derogations: [{ ...derogation, besoin: "SEC-6" }] }), /derogations\.0\.besoin : ni besoin ni politique du pack : « SEC-6 »/);
        await refused(settings({ derogationsApprouvees: [{ reference: "R", besoins: ["SEC-03", "sec-03-chiffrement"], expiration: "2026-12-31" }] }), /derogationsApprouvees\.0\.besoins\.1 : ni besoin ni politique du pack/);
        // Several mistakes: all named, on one line.
        await refused(settings({ niveaux: { "SEC-99": "disabled", "RES-1": "advisory" } }), /niveaux\.(RES-1|SEC-99) : .*; niveaux\.(RES-1|SEC-99) : /);
    });

    test("dates that are no calendar dates, a reference approved twice", async () => {
        await refused(settings({ derogations: [{ ...derogation, expiration: "2026-02-30" }] }), /derogations\.0\.expiration : « 2026-02-30 » n'est pas une date du calendrier/);
        await refused(settings({ derogations: [{ ...derogation, expiration: "31/12/2026" }] }), /derogations\.0\.expiration: Does not match pattern/);
        await refused(
            settings({ derogationsApprouvees: [{ reference: "R", besoins: ["SEC-03"], expiration: "2026-12-31" }, { reference: "R", besoins: ["SEC-06"], expiration: "2026-12-31" }] }),
            /derogationsApprouvees\.1\.reference : « R » déjà approuvée en derogationsApprouvees\.0/,
        );
    });

    test("a key of the configuration that names no policy of the pack", async () => {
        await refused({ "sec-06-filtrage-resau": "disabled" }, /politique inconnue « sec-06-filtrage-resau » \/ unknown policy "sec-06-filtrage-resau"/);
        await refused({ "SEC-06": { enforcementLevel: "advisory" } }, /politique inconnue « SEC-06 »/);
        // The settings policy is no rule: `niveaux` cannot name it.
        await refused(settings({ niveaux: { "cloud-de-confiance": "advisory" } }), /niveaux\.cloud-de-confiance : ni besoin ni politique du pack/);
    });

    test("what is right is accepted: need ids and policy names, `all`, every new setting", async () => {
        const ev = await run([volume("data")], {
            niveaux: { "SEC-06": "advisory", "res-01-repartition-multi-zones": "mandatory", "PIL-03": "advisory" },
            derogations: [{ ...derogation, besoin: SEC03, expiration: inMonths(1) }],
            derogationsApprouvees: [{ reference: "R", besoins: ["SEC-03", "sec-06-filtrage-reseau"], expiration: inMonths(1), justification: "comité" }],
            derogationsLibres: false,
            dureeMaxDerogationMois: 6,
        }, { all: "advisory" });
        assert.ok(ev.diagnostics.length > 0);
        assert.equal(DEFAULT_SETTINGS.dureeMaxDerogationMois, 12);
    });
});

describe("a rule disabled by niveaux does not run", () => {
    test("no finding, no « cannot be checked », no remediation", async () => {
        const vm = res("openstack:compute/instance:Instance", "vm", { flavorName: "b3-8", availabilityZone: unknown(), tags: ["service=web"] });
        const on = await run([vm, volume("data")], { imputation: { proprietaire: "equipe" } }, { "pil-01-imputation-des-couts": "remediate" });
        assert.ok(on.remediations.some((r) => r.policyName === "pil-01-imputation-des-couts"));
        assert.ok(on.diagnostics.some((d) => d.policyName.startsWith("res-02") && isCannotCheck(d)));
        const off = await run([vm, volume("data")], { imputation: { proprietaire: "equipe" }, niveaux: { "PIL-01": "disabled", "RES-02": "disabled" } }, { "pil-01-imputation-des-couts": "remediate" });
        assert.deepEqual(off.remediations.filter((r) => r.policyName === "pil-01-imputation-des-couts"), []);
        assert.deepEqual(off.diagnostics.filter((d) => d.policyName.startsWith("res-02") || d.policyName.startsWith("pil-01")), []);
    });
});
