/**
 * The reference stack is compliant, for each provider configuration; and the whole pack holds on
 * a realistic stack of more than 500 resources, with unknowns and secrets, without an RPC error
 * and with the expected count of violations per need id.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { runProgram } from "../src/checker/program";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck, parsePolicyConfig } from "../src/engine/engine";
import { EngineResource, secret, UNKNOWN } from "../src/engine/types";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { needsOf } from "./support/fixtures";
import { ROOT, startPack } from "./support/pack";

const STACK = path.join(ROOT, "stacks/application-web");
/** Policies that report figures (PIL-03, PIL-05): one advisory summary on every stack, never a violation. */
const SUMMARIES = new Set(ruleModules().filter((m) => m.rule.summary).map((m) => m.rule.name));
const CONFIGS: Record<string, string> = { ovhcloud: "ovhcloud-production.json", defaut: "defaut-hors-production.json" };
let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

async function reference(stack: string) {
    const run = await runProgram(STACK, { stack, preview: true });
    const config = parsePolicyConfig(require(path.join(ROOT, "examples/configurations", CONFIGS[stack])));
    return { run, config, ctx: { project: run.project, stack: run.stack, tags: run.stackTags, config: run.config, secretKeys: run.secretConfigKeys } };
}

for (const stack of Object.keys(CONFIGS)) {
    test(`pile de référence « ${stack} » : aucune violation, aucun besoin invérifiable`, async () => {
        const { run, config, ctx } = await reference(stack);
        assert.ok(run.resources.length >= 40);
        const ev = await evaluate(pack, run.resources, { config, stack: ctx });
        assert.deepEqual(ev.diagnostics.filter((d) => !SUMMARIES.has(d.policyName)).map((d) => `${d.policyName}: ${d.message}`), []);
        const summaries = ev.diagnostics.filter((d) => SUMMARIES.has(d.policyName));
        assert.deepEqual(summaries.map((d) => `${d.policyName}: ${d.enforcementLevel}`).sort(), [...SUMMARIES].map((n) => `${n}: advisory`).sort());
        const exercised = new Set([...ev.applied].filter(([, urns]) => urns.size > 0).map(([p]) => p));
        assert.ok(exercised.size >= 30, `politiques exercées : ${exercised.size}`);
    });
}

/**
 * K copies of the reference stack, as K applications would be: names, services and Kubernetes
 * namespaces suffixed, relations remapped.
 */
function copies(base: EngineResource[], k: number): EngineResource[] {
    const out: EngineResource[] = [];
    const namespaces = new Set(base.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => (r.properties.metadata as { name?: string })?.name));
    for (let i = 1; i <= k; i++) {
        const map = new Map(base.map((r) => [r.urn, `${r.urn}-c${i}`]));
        const m = (u: string) => map.get(u) ?? u;
        const rename = (v: unknown, key = ""): unknown => {
            if (typeof v === "string") {
                if ((key === "namespace" || key === "name") && namespaces.has(v)) return `${v}-c${i}`;
                return v.startsWith("service=") ? `${v}-c${i}` : v;
            }
            if (Array.isArray(v)) return v.map((x) => rename(x));
            if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([kk, x]) => [kk, kk === "service" && typeof x === "string" ? `${x}-c${i}` : rename(x, kk)]));
            return v;
        };
        for (const r of base) {
            out.push({
                ...r,
                properties: rename(r.properties) as Record<string, unknown>,
                urn: m(r.urn),
                name: `${r.name}-c${i}`,
                parent: r.parent ? m(r.parent) : undefined,
                dependencies: (r.dependencies ?? []).map(m),
                propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([p, us]) => [p, us.map(m)])),
            });
        }
    }
    return out;
}

const COST = ["application=portail", "environnement=production", "centre-de-cout=CC-1", "proprietaire=equipe"];
const costMap = { application: "portail", environnement: "production", "centre-de-cout": "CC-1", proprietaire: "equipe" };
const urn = (type: string, name: string) => `urn:pulumi:ovhcloud::application-web::${type}::${name}`;
const defect = (type: string, name: string, properties: Record<string, unknown>, protect = false): EngineResource =>
    ({ urn: urn(type, name), type, name, properties, options: { protect } });
/** The engine gives every resource its provider: the injected ones get the stack's OpenStack provider. */
const withProvider = (base: EngineResource[], r: EngineResource): EngineResource =>
    ({ ...r, provider: base.find((b) => b.provider?.type === "pulumi:providers:openstack")?.provider });

test("pile mixte de plus de 500 ressources : aucun échec RPC, nombre attendu de violations par besoin", async () => {
    const { run, config, ctx } = await reference("ovhcloud");
    const resources = copies(run.resources, 11);
    const injected: EngineResource[] = [];
    for (let i = 0; i < 7; i++) {
        injected.push(defect("openstack:networking/secGroupRule:SecGroupRule", `ssh-monde-${i}`, {
            direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 22,
            remoteIpPrefix: "0.0.0.0/0", securityGroupId: UNKNOWN, description: secret(`jeton-de-service-${i}`),
        }));
    }
    for (let i = 0; i < 5; i++) {
        injected.push(defect("openstack:objectstorage/container:Container", `public-${i}`, { name: `public-${i}`, containerRead: ".r:*,.rlistings", metadata: costMap }, true));
    }
    for (let i = 0; i < 4; i++) {
        injected.push(defect("openstack:networking/port:Port", `port-ouvert-${i}`, { networkId: UNKNOWN, portSecurityEnabled: false, tags: COST }));
    }
    for (let i = 0; i < 3; i++) {
        injected.push(defect("openstack:blockstorage/volume:Volume", `inconnu-${i}`, {
            size: 10, availabilityZone: "eu-west-par-a", volumeType: UNKNOWN, metadata: { ...costMap, conserver: "true" },
        }, true));
    }
    const all = [...resources, ...injected.map((r) => withProvider(run.resources, r))];
    assert.ok(all.length >= 500, `${all.length} ressources`);
    assert.ok(all.some((r) => r.type.startsWith("kubernetes:")) && all.some((r) => r.type.startsWith("openstack:")));

    const ev = await evaluate(pack, all, { config, stack: ctx });
    const violations = new Map<string, number>();
    const cannot = new Map<string, number>();
    for (const d of ev.diagnostics) {
        if (SUMMARIES.has(d.policyName)) continue;
        if (isCannotCheck(d)) cannot.set(d.policyName, (cannot.get(d.policyName) ?? 0) + 1);
        else for (const n of needsOf(d.message)) violations.set(n, (violations.get(n) ?? 0) + 1);
    }
    // Eleven copies of the reference stack cost more than the example configuration's budgets (PIL-04:
    // the stack's and its cost centre's).
    assert.deepEqual(Object.fromEntries([...violations].sort()), { "PIL-04": 2, "SEC-06": 7, "SEC-07": 4, "SEC-10": 5 });
    assert.deepEqual(Object.fromEntries(cannot), { "sec-03-chiffrement-au-repos": 3 });
    for (const d of ev.diagnostics) assert.ok(!/jeton-de-service-\d/.test(d.message), d.message);
});
