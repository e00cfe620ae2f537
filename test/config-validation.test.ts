/**
 * An invalid pack configuration is refused at Configure, naming the key, never a crash later
 * during Analyze: unknown keys, wrong types, out-of-range numbers, regular expressions that do not
 * compile, bad dates in derogations. Through the real pack (Configure over gRPC, bypassing the
 * CLI's own schema validation, as another engine could) and through the checker's command line
 * (one line, exit code 2).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, test } from "node:test";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate } from "../src/engine/engine";
import { AnalyzerInfo, PolicyConfig } from "../src/engine/types";
import { ROOT, startPack } from "./support/pack";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
let pack: PolicyPackProcess;
let info: AnalyzerInfo;
let tmp: string;
before(async () => {
    pack = await startPack();
    info = await pack.getAnalyzerInfo();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-config-"));
});
after(async () => {
    await pack?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every policy at its default level, `entries` on top: the configuration as Configure receives it. */
function configure(entries: Record<string, Record<string, unknown>>): Promise<void> {
    const config: Record<string, PolicyConfig> = {};
    for (const p of info.policies) config[p.name] = { enforcementLevel: p.enforcementLevel, properties: {} };
    for (const [k, properties] of Object.entries(entries)) config[k] = { enforcementLevel: config[k]?.enforcementLevel ?? "advisory", properties };
    return pack.configure(config);
}

const VM = {
    urn: "urn:pulumi:prod::app::openstack:compute/instance:Instance::vm",
    type: "openstack:compute/instance:Instance",
    name: "vm",
    properties: { flavorName: "b3-8", availabilityZone: "eu-west-par-a" },
};

/** Each bad configuration, and what the error must name. */
const BAD: { what: string; entries: Record<string, Record<string, unknown>>; names: RegExp }[] = [
    { what: "clé inconnue d'une règle", entries: { "res-01-repartition-multi-zones": { zoneMin: 3 } }, names: /clé inconnue « res-01-repartition-multi-zones\.zoneMin »/ },
    { what: "type faux", entries: { "res-01-repartition-multi-zones": { zonesMin: "trois" } }, names: /res-01-repartition-multi-zones\.zonesMin : type attendu integer .*\(string\)/ },
    { what: "entier attendu, décimal donné", entries: { "res-01-repartition-multi-zones": { zonesMin: 2.5 } }, names: /res-01-repartition-multi-zones\.zonesMin : type attendu integer/ },
    { what: "nombre hors bornes", entries: { "res-01-repartition-multi-zones": { zonesMin: 0 } }, names: /res-01-repartition-multi-zones\.zonesMin : 0 < 1 \(minimum\)/ },
    { what: "élément de liste hors bornes", entries: { "sec-06-filtrage-reseau": { portsAdministration: [22, 70000] } }, names: /sec-06-filtrage-reseau\.portsAdministration\.1 : 70000 > 65535 \(maximum\)/ },
    { what: "élément de liste du mauvais type", entries: { "sec-06-filtrage-reseau": { portsAdministration: ["22"] } }, names: /sec-06-filtrage-reseau\.portsAdministration\.0 : type attendu integer/ },
    { what: "expression régulière invalide", entries: { "sec-16-vpn-robuste": { chiffrements: ["aes-256", "aes-(256"] } }, names: /sec-16-vpn-robuste\.chiffrements\.1 : expression régulière invalide .*Unterminated group/ },
    { what: "expression régulière invalide dans un objet", entries: { "pil-06-gabarits-sobres": { gabaritsAutorises: { production: ["b3-[8"] } } }, names: /pil-06-gabarits-sobres\.gabaritsAutorises\.production\.0 : expression régulière invalide/ },
    { what: "motif seul", entries: { "pil-06-gabarits-sobres": { motifIdentifiant: "*" } }, names: /pil-06-gabarits-sobres\.motifIdentifiant : expression régulière invalide .*Nothing to repeat/ },
    { what: "couple clé=motif sans =", entries: { "res-06-sauvegarde-protection": { metadonneesSauvegarde: ["usage"] } }, names: /res-06-sauvegarde-protection\.metadonneesSauvegarde\.0 : « clé=motif » attendu/ },
    { what: "motif de jeton invalide", entries: { "sec-09-pas-de-secret-en-clair": { motifsJetons: ["ghp_[A-Za-z0-9]{36}", "(?<nom"] } }, names: /sec-09-pas-de-secret-en-clair\.motifsJetons\.1 : expression régulière invalide/ },
    {
        what: "date impossible dans une dérogation",
        entries: { "cloud-de-confiance": { derogations: [{ besoin: "SEC-06", ressource: "bastion", reference: "DEC-1", expiration: "2026-02-30", justification: "j" }] } },
        names: /derogations\.0\.expiration : « 2026-02-30 » n'est pas une date du calendrier/,
    },
    { what: "réglage du mauvais type", entries: { "cloud-de-confiance": { dureeMaxDerogationMois: "six" } }, names: /dureeMaxDerogationMois must be integer/ },
    { what: "réglage hors bornes", entries: { "cloud-de-confiance": { dureeMaxDerogationMois: 1e9 } }, names: /dureeMaxDerogationMois must be <= 1200/ },
    { what: "réglage inconnu", entries: { "cloud-de-confiance": { profl: "ovhcloud" } }, names: /clé inconnue « profl »/ },
];

describe("Configure refuse une configuration invalide, en nommant la clé", () => {
    for (const c of BAD) {
        test(c.what, async () => {
            await assert.rejects(configure(c.entries), (e: Error) => {
                assert.match(e.message, c.names);
                assert.ok(!e.message.includes("\n"), "une ligne");
                return true;
            });
        });
    }

    test("après un refus, une configuration valide s'applique et l'analyse se déroule", async () => {
        await assert.rejects(configure({ "sec-16-vpn-robuste": { chiffrements: ["("] } }));
        await configure({ "sec-16-vpn-robuste": { chiffrements: ["aes-256"] }, "res-02-zone-explicite": { zonesAutorisees: ["eu-west-par-[abc]"] } });
        const res = await pack.analyze(VM);
        assert.ok(Array.isArray(res.diagnostics));
    });

    test("les valeurs valides passent : motifs, clé=motif, objets de motifs, valeurs aux bornes", async () => {
        await configure({
            "res-01-repartition-multi-zones": { zonesMin: 1 },
            "sec-06-filtrage-reseau": { portsAdministration: [0, 65535] },
            "res-06-sauvegarde-protection": { metadonneesSauvegarde: ["usage=sauve(garde)?", "role="] },
            "pil-06-gabarits-sobres": { gabaritsAutorises: { production: ["b3-.*"], "hors-production": [] }, motifIdentifiant: "[0-9a-f-]{36}" },
        });
    });
});

describe("le vérificateur : une ligne, code 2, la clé nommée", () => {
    function cli(config: unknown) {
        const file = path.join(tmp, `c-${Math.random().toString(36).slice(2)}.json`);
        fs.writeFileSync(file, JSON.stringify(config));
        const r = spawnSync(process.execPath, [CLI, "check", "--manifests", path.join(ROOT, "examples/manifests"), "-c", file], {
            cwd: ROOT, encoding: "utf8", timeout: 180_000, env: { ...process.env, LC_ALL: "C" },
        });
        return { code: r.status, err: r.stderr };
    }
    for (const c of BAD.filter((b) => ["clé inconnue d'une règle", "expression régulière invalide", "couple clé=motif sans =", "date impossible dans une dérogation"].includes(b.what))) {
        test(c.what, () => {
            const r = cli(c.entries);
            assert.equal(r.code, 2, r.err);
            const lines = r.err.trim().split("\n");
            assert.equal(lines.length, 1, r.err);
            assert.match(lines[0], /^cloud-de-confiance: configuring policy pack "cloud-de-confiance" at ".*": /);
            assert.match(lines[0], c.names);
        });
    }
    test("les types et les bornes : refusés dès la validation de la CLI, avec ses mots", () => {
        const r = cli({ "res-01-repartition-multi-zones": { zonesMin: 0 } });
        assert.equal(r.code, 2, r.err);
        assert.match(r.err.trim(), /^cloud-de-confiance: validating policy config: cloud-de-confiance [\d.]+ {2}res-01-repartition-multi-zones: zonesMin: Must be greater than or equal to 1$/);
    });
});

test("une configuration valide ne change rien : l'évaluation complète passe", async () => {
    const ev = await evaluate(pack, [VM], { config: { "res-02-zone-explicite": { enforcementLevel: "mandatory", properties: { zonesAutorisees: ["eu-west-par-(a|b|c)"] } } } });
    assert.ok(!ev.diagnostics.some((d) => d.policyName === "res-02-zone-explicite" && !/can't run/.test(d.message)), JSON.stringify(ev.diagnostics.map((d) => d.message)));
});
