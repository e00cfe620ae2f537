/**
 * The pack as the Pulumi engine sees it: started by `@pulumi/pulumi/cmd/run-policy-pack` from the
 * pack folder, driven over the Analyzer protocol in the CLI's order.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { NEEDS } from "@cloud-de-confiance/policies/dist/lib/catalogue";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, formatPolicies, isCannotCheck, parsePolicyConfig, PolicyConfigError, reconcilePolicyConfig } from "../src/engine/engine";
import { AnalyzerInfo, EngineResource, UNKNOWN } from "../src/engine/types";
import { PACK_DIR, startPack } from "./support/pack";

let pack: PolicyPackProcess;
let info: AnalyzerInfo;
before(async () => {
    pack = await startPack();
    info = await pack.getAnalyzerInfo();
});
after(async () => {
    await pack?.close();
});

const urn = (type: string, name: string) => `urn:pulumi:prod::portail::${type}::${name}`;
const res = (type: string, name: string, properties: Record<string, unknown>): EngineResource => ({ urn: urn(type, name), type, name, properties });
const VOLUME = "openstack:blockstorage/volume:Volume";
const INSTANCE = "openstack:compute/instance:Instance";

test("GetAnalyzerInfo : nom, version du package.json, métadonnées de chaque politique", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8"));
    assert.equal(info.name, "cloud-de-confiance");
    assert.equal(info.version, pkg.version);
    assert.equal(info.supportsConfig, true);
    assert.ok(info.policies.length >= 7);
    const ids = new Set(NEEDS.map((n) => n.id));
    // The settings policy, named after the pack, owns the schema of the pack's settings.
    const settings = info.policies.find((p) => p.name === "cloud-de-confiance");
    assert.ok(settings && settings.policyType === "stack" && settings.enforcementLevel === "advisory");
    assert.deepEqual(Object.keys(settings.configSchema?.properties ?? {}).sort(), ["derogations", "derogationsApprouvees", "derogationsLibres", "dureeMaxDerogationMois", "environnement", "estimation", "imputation", "langue", "niveaux", "profil"]);
    for (const p of info.policies.filter((x) => x !== settings)) {
        assert.match(p.name, /^[a-z]+-\d{2}-[a-z0-9-]+$/);
        assert.ok(p.framework && ids.has(p.framework.reference), `${p.name} : référence ${p.framework?.reference}`);
        assert.equal(p.framework!.name, "cloud-de-confiance");
        assert.ok(p.description.startsWith(p.framework!.reference));
        assert.ok(p.tags.includes(p.framework!.reference));
        assert.ok(p.remediationSteps.length > 20);
        assert.ok(p.severity);
        assert.ok(["advisory", "mandatory"].includes(p.enforcementLevel));
        assert.ok(["resource", "stack"].includes(p.policyType));
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            assert.ok("default" in s, `${p.name}.${k} sans défaut`);
            assert.equal(typeof s.description, "string");
        }
    }
});

test("configuration : défauts du schéma, « all », valeur explicite ; erreur de type comme la CLI", () => {
    const c = reconcilePolicyConfig(info, parsePolicyConfig({ all: "advisory", "res-01-repartition-multi-zones": { zonesMin: 3 } }));
    assert.equal(c["res-01-repartition-multi-zones"].enforcementLevel, "advisory");
    assert.equal(c["res-01-repartition-multi-zones"].properties.zonesMin, 3);
    assert.equal(c["res-01-repartition-multi-zones"].properties.cleService, "service");
    assert.throws(() => reconcilePolicyConfig(info, parsePolicyConfig({ "res-01-repartition-multi-zones": { zonesMin: "trois" } })), (e: Error) =>
        e instanceof PolicyConfigError && e.message === "validating policy config: cloud-de-confiance " + info.version + "  res-01-repartition-multi-zones: zonesMin: Invalid type. Expected: integer, given: string");
    assert.throws(() => parsePolicyConfig({ "res-01-repartition-multi-zones": "bloquant" }), PolicyConfigError);
});

test("réglages invalides : la CLI refuse une valeur hors schéma, Configure refuse une clé inconnue, en une ligne", async () => {
    assert.throws(() => reconcilePolicyConfig(info, parsePolicyConfig({ "cloud-de-confiance": { langue: "de" } })), (e: Error) =>
        e.message === `validating policy config: cloud-de-confiance ${info.version}  cloud-de-confiance: langue: langue must be one of the following: "fr", "en"`);
    // A misspelt key inside the estimation setting: refused by the CLI's own validation.
    assert.throws(() => reconcilePolicyConfig(info, parsePolicyConfig({ "cloud-de-confiance": { estimation: { gabarits: { "b3-8": { prixHoraires: 1 } } } } })), (e: Error) =>
        /cloud-de-confiance: estimation\.gabarits\.b3-8: Additional property prixHoraires is not allowed/.test(e.message));
    await assert.rejects(
        pack.configure(reconcilePolicyConfig(info, parsePolicyConfig({ "cloud-de-confiance": { langeu: "en" } }))),
        (e: Error) => /invalid « cloud-de-confiance » configuration: clé inconnue « langeu » \/ unknown key "langeu"/.test(e.message) && !e.message.includes("\n"),
    );
});

test("niveaux : configuré, désactivé, préréglage hors production, « niveaux » qui l'emporte", async () => {
    const resources = [res(INSTANCE, "seule", { availabilityZone: "az1", tags: ["service=api"] })];
    const levelOf = async (config: Record<string, unknown>) => {
        const ev = await evaluate(pack, resources, { config: parsePolicyConfig(config) });
        return ev.diagnostics.filter((d) => d.policyName === "res-01-repartition-multi-zones").map((d) => d.enforcementLevel);
    };
    assert.deepEqual(await levelOf({}), ["mandatory"]);
    assert.deepEqual(await levelOf({ "res-01-repartition-multi-zones": "advisory" }), ["advisory"]);
    assert.deepEqual(await levelOf({ "res-01-repartition-multi-zones": "disabled" }), []);
    assert.deepEqual(await levelOf({ "cloud-de-confiance": { environnement: "hors-production" } }), ["advisory"]);
    assert.deepEqual(await levelOf({ "cloud-de-confiance": { environnement: "hors-production", niveaux: { "RES-01": "mandatory" } } }), ["mandatory"]);
    assert.deepEqual(await levelOf({ "cloud-de-confiance": { niveaux: { "res-01-repartition-multi-zones": "disabled" } } }), []);
});

test("valeur inconnue à la prévisualisation : « cannot be checked », jamais un succès silencieux", async () => {
    const ev = await evaluate(pack, [res(VOLUME, "v", { size: 10, volumeType: UNKNOWN, availabilityZone: "az1" })]);
    const d = ev.diagnostics.filter((x) => x.policyName === "sec-03-chiffrement-au-repos");
    assert.equal(d.length, 1);
    assert.ok(isCannotCheck(d[0]));
    assert.equal(d[0].enforcementLevel, "advisory");
    assert.match(d[0].message, /volumeType can't be known during preview/);
});

test("remédiation PIL-01 : Remediate puis Analyze, comme la CLI", async () => {
    const ev = await evaluate(pack, [res(VOLUME, "v", { size: 10, volumeType: "classic-luks", availabilityZone: "az1", metadata: { application: "portail" } })], {
        config: parsePolicyConfig({ "pil-01-imputation-des-couts": "remediate" }),
        stack: { project: "portail", stack: "prod", tags: { environnement: "production", "centre-de-cout": "CC-9", proprietaire: "dinum" } },
    });
    assert.equal(ev.remediations.length, 1);
    assert.deepEqual(ev.remediations[0].properties?.metadata, { application: "portail", environnement: "production", "centre-de-cout": "CC-9", proprietaire: "dinum" });
    assert.equal(ev.diagnostics.filter((d) => d.policyName === "pil-01-imputation-des-couts").length, 0);
    assert.match(formatPolicies(ev, "policies"), /- \[remediate\] {2}pil-01-imputation-des-couts {2}\(openstack:blockstorage\/volume:Volume: v\)/);
});

test("section « Policies » : comme la CLI, avec les niveaux et les ressources", async () => {
    const ev = await evaluate(pack, [res(VOLUME, "data", { size: 10, volumeType: "classic" })]);
    const out = formatPolicies(ev, "policies");
    assert.match(out, /^Policies:\n {4}❌ cloud-de-confiance@v\d+\.\d+\.\d+ \(local: policies\)/);
    assert.match(out, /- \[mandatory\] {2}sec-03-chiffrement-au-repos {2}\(openstack:blockstorage\/volume:Volume: data\)\n {10}SEC-03 — Chiffrement au repos\n {10}SEC-03 · blockstorage\/Volume « data » · volumeType = "classic"/);
});

test("une valeur qui contient une inconnue, n'importe où : « cannot be checked », jamais une violation ni « [object Object] »", async () => {
    const DEPLOY = "kubernetes:apps/v1:Deployment";
    const pod = (container: Record<string, unknown>) => ({
        metadata: { name: "api" },
        spec: { replicas: 2, selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "c", image: "registry.example.fr/api:1.0", ...container }] } } },
    });
    const cases: [string, EngineResource][] = [
        ["sec-03-chiffrement-au-repos", res(VOLUME, "v", { size: 10, volumeType: { nom: UNKNOWN }, availabilityZone: "az1" })],
        ["res-02-zone-explicite", res(VOLUME, "v", { size: 10, volumeType: "classic-luks", availabilityZone: ["az1", UNKNOWN] })],
        ["sec-04-chiffrement-repartiteur", res("openstack:loadbalancer/listener:Listener", "l", { protocol: { p: UNKNOWN }, protocolPort: 443 })],
        ["sec-05-chiffrement-ingress", res("kubernetes:networking.k8s.io/v1:Ingress", "i", { metadata: { name: "i" }, spec: { rules: [{ host: { h: UNKNOWN } }] } })],
        ["sec-09-pas-de-secret-en-clair", res(DEPLOY, "api", pod({ env: [{ name: "DB_PASSWORD", value: { v: UNKNOWN } }] }))],
        ["prod-03-observabilite", res(DEPLOY, "api", pod({ readinessProbe: [UNKNOWN], livenessProbe: { httpGet: { path: "/", port: 8080 } } }))],
    ];
    for (const [policy, r] of cases) {
        const ev = await evaluate(pack, [r]);
        const own = ev.diagnostics.filter((d) => d.policyName === policy);
        for (const d of ev.diagnostics) assert.ok(!d.message.includes("[object Object]"), d.message);
        assert.ok(own.length > 0 && own.every(isCannotCheck), `${policy} : ${JSON.stringify(own.map((d) => d.message))}`);
    }
});
