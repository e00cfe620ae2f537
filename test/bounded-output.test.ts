/**
 * Bounded output, through the real pack and the engine protocol: one resource that repeats a fault
 * thousands of times gives one finding per fault that counts the occurrences and names the first
 * few; a huge value or name is quoted short.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { MAX_ITEMS, MAX_QUOTE } from "@cloud-de-confiance/policies/dist/lib/message";
import { PolicyPackProcess } from "../src/engine/driver";
import { toResult } from "../src/checker/check";
import { evaluate, EvaluatedDiagnostic, isCannotCheck } from "../src/engine/engine";
import { renderReport } from "../src/reports";
import { stableMessage } from "../src/reports/messages";
import type { Finding } from "../src/checker/model";
import { EngineResource } from "../src/engine/types";
import { startPack } from "./support/pack";

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

/** Longest message a finding may have: need ids, resource, `MAX_ITEMS` quoted occurrences, problem and fix. */
const MAX_MESSAGE = 2500;

const deployment = (name: string, containers: unknown[]): EngineResource => ({
    urn: `urn:pulumi:prod::charge::kubernetes:apps/v1:Deployment::${name}`,
    type: "kubernetes:apps/v1:Deployment",
    name,
    properties: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: "web" },
        spec: { replicas: 1, template: { metadata: { labels: { app: name } }, spec: { containers } } },
    },
});

function violations(diags: EvaluatedDiagnostic[]): EvaluatedDiagnostic[] {
    return diags.filter((d) => !isCannotCheck(d));
}

/** Findings by policy. */
function byPolicy(diags: EvaluatedDiagnostic[]): Map<string, EvaluatedDiagnostic[]> {
    const out = new Map<string, EvaluatedDiagnostic[]>();
    for (const d of diags) out.set(d.policyName, [...(out.get(d.policyName) ?? []), d]);
    return out;
}

test("un Deployment de 10 000 conteneurs fautifs : un constat par défaut et par règle, qui compte les occurrences", async () => {
    const n = 10_000;
    const containers = Array.from({ length: n }, (_, i) => ({
        name: `c${i}`,
        image: "nginx:latest",
        env: [{ name: "DB_PASSWORD", value: "en-clair" }],
        ports: [{ containerPort: 8080 }],
    }));
    const ev = await evaluate(pack, [deployment("web", containers)], { stack: { project: "charge", stack: "prod" } });
    const found = violations(ev.diagnostics);
    // Ten thousand containers, each with a dozen faults: a handful of findings, not 100,000.
    assert.ok(found.length < 40, `${found.length} constats`);
    for (const [policy, list] of byPolicy(found)) {
        // Distinct faults of a rule stay distinct (a floating tag, a public registry…), never one per container.
        assert.ok(list.length <= 4, `${policy} : ${list.length} constats`);
        for (const d of list) assert.ok(d.message.length <= MAX_MESSAGE, `${policy} : message de ${d.message.length} caractères`);
    }
    // The occurrences are counted, the first MAX_ITEMS named, the rest counted.
    const images = found.filter((d) => d.policyName === "prod-02-images-maitrisees");
    assert.ok(images.length >= 1);
    for (const d of images) {
        assert.match(d.message, new RegExp(`· ${n} occurrences, premières : spec\\.template\\.spec\\.containers\\[0\\]\\.image = "nginx:latest", `));
        assert.ok(d.message.includes(`… (+${n - MAX_ITEMS})`), d.message);
        assert.ok(d.message.includes("la première : "), d.message);
        assert.ok(!d.message.includes(`containers[${MAX_ITEMS}]`), "au plus MAX_ITEMS occurrences nommées");
    }
    const secrets = found.filter((d) => d.policyName === "sec-09-pas-de-secret-en-clair");
    assert.equal(secrets.length, 1, secrets.map((d) => d.message).join("\n"));
    assert.ok(secrets[0].message.includes(`${n} occurrences`));
});

test("un groupe de sécurité aux milliers de règles ouvertes : un seul constat SEC-06, en français et en anglais", async () => {
    const n = 3_000;
    const rules = Array.from({ length: n }, (_, i) => ({ ipProtocol: "tcp", fromPort: 22, toPort: 22, cidr: i % 2 ? "0.0.0.0/0" : "0/0" }));
    const sg: EngineResource = {
        urn: "urn:pulumi:prod::reseau::openstack:compute/secGroup:SecGroup::admin",
        type: "openstack:compute/secGroup:SecGroup",
        name: "admin",
        properties: { name: "admin", description: "administration", rules },
    };
    for (const lang of ["fr", "en"] as const) {
        const ev = await evaluate(pack, [sg], { config: { "cloud-de-confiance": { properties: { langue: lang } } } });
        const sec06 = violations(ev.diagnostics).filter((d) => d.policyName === "sec-06-filtrage-reseau");
        assert.equal(sec06.length, 1, sec06.map((d) => d.message).join("\n"));
        const words = lang === "fr" ? `${n} occurrences, premières : rules[0].cidr = "0/0", rules[1].cidr = "0.0.0.0/0"` : `${n} occurrences, first: rules[0].cidr = "0/0", rules[1].cidr = "0.0.0.0/0"`;
        assert.ok(sec06[0].message.includes(words), sec06[0].message);
        assert.ok(sec06[0].message.length <= MAX_MESSAGE);
    }
});

test("une référence d'image de 1 Mo et un nom de ressource de 10 000 caractères : cités courts", async () => {
    const huge = `registre.exemple.gouv.fr/${"a".repeat(1 << 20)}:1.0`;
    const longName = "n".repeat(10_000);
    const ev = await evaluate(pack, [deployment(longName, [{ name: "app", image: huge }])], { stack: { project: "charge", stack: "prod" } });
    const found = violations(ev.diagnostics);
    const images = found.filter((d) => d.policyName === "prod-02-images-maitrisees");
    assert.ok(images.length >= 1, "la référence illisible est signalée");
    for (const d of found) {
        assert.ok(d.message.length <= MAX_MESSAGE, `${d.policyName} : message de ${d.message.length} caractères`);
        // Neither the value nor the name is quoted beyond MAX_QUOTE characters.
        assert.ok(!d.message.includes("a".repeat(MAX_QUOTE)), `${d.policyName} cite la valeur entière`);
        assert.ok(!d.message.includes("n".repeat(MAX_QUOTE)), `${d.policyName} cite le nom entier`);
    }
    assert.ok(images.some((d) => d.message.includes(`"registre.exemple.gouv.fr/${"a".repeat(MAX_QUOTE - 28)}`)), images.map((d) => d.message).join("\n"));
    // The human-readable reports name the resource as short, and still group its findings by cause.
    const result = toResult(ev, { kind: "preview", path: "p.json" });
    for (const format of ["text", "markdown"] as const) {
        assert.ok(!renderReport(format, result, {}).includes("n".repeat(MAX_QUOTE)), `${format} cite le nom entier`);
    }
    // Code Quality keeps the URN whole (the resource's identity), and names the resource short.
    for (const issue of JSON.parse(renderReport("codequality", result, {})) as { description: string }[]) {
        assert.ok(!issue.description.includes("n".repeat(MAX_QUOTE)), issue.description);
    }
});

test("l'empreinte d'un défaut répété ne dépend pas du nombre d'occurrences", () => {
    const finding = (n: number) =>
        ({
            needs: ["PROD-02"],
            policy: "prod-02-images-maitrisees",
            message: `PROD-02 · apps/Deployment « web » · ${n} occurrences, premières : spec.template.spec.containers[0].image = "nginx:latest", … (+${n - MAX_ITEMS}) · la première : conteneur « c0 » : image non épinglée. Correction : épingler.`,
        }) as unknown as Finding;
    assert.equal(stableMessage(finding(10)), stableMessage(finding(11)));
    assert.notEqual(stableMessage(finding(10)), stableMessage({ ...finding(10), message: finding(10).message.replace("nginx:latest", "redis:latest") } as Finding));
});
