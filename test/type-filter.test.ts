/**
 * Policies of other types are answered « not applicable » without being run (type-filter.ts): the
 * engine must still hear, for each of them, the entry with the reason the rule itself gives, in the
 * policies' order; none for a policy the configuration disables; and the rules that apply still run.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { notApplicableReason, ResourceRule } from "@cloud-de-confiance/policies/dist/lib/rule";
import { PolicyPackProcess } from "../src/engine/driver";
import { reconcilePolicyConfig } from "../src/engine/engine";
import { AnalyzerInfo, PolicyConfig } from "../src/engine/types";
import { startPack } from "./support/pack";

let pack: PolicyPackProcess;
let info: AnalyzerInfo;
before(async () => {
    pack = await startPack();
    info = await pack.getAnalyzerInfo();
});
after(async () => {
    await pack?.close();
});

const resourceRules = ruleModules()
    .map((m) => m.rule)
    .filter((r): r is ResourceRule => r.kind === "resource");

async function configure(extra: Record<string, PolicyConfig> = {}) {
    await pack.configureStack({ project: "filtre", stack: "production" });
    await pack.configure(reconcilePolicyConfig(info, extra, pack.packDir));
}

const volume = {
    urn: "urn:pulumi:production::filtre::openstack:blockstorage/volume:Volume::donnees",
    type: "openstack:blockstorage/volume:Volume",
    name: "donnees",
    properties: { size: 10, availabilityZone: "eu-west-par-a", region: "EU-WEST-PAR" },
};

test("each resource policy of another type gets its own reason, in the policies' order", async () => {
    await configure();
    const res = await pack.analyze(volume);
    const expected = resourceRules.filter((r) => !r.applies && !r.types.includes(volume.type));
    assert.ok(expected.length > 5, "most resource rules are for other types");
    const got = new Map(res.notApplicable.map((n) => [n.policyName, n.reason]));
    for (const r of expected) assert.equal(got.get(r.name), notApplicableReason(r), r.name);
    const order = info.policies.map((p) => p.name);
    const positions = res.notApplicable.map((n) => order.indexOf(n.policyName));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b), "entries follow the policies' order");
    // The rules for volumes ran: none of them is in the list for the type's reason.
    for (const r of resourceRules.filter((x) => !x.applies && x.types.includes(volume.type))) {
        assert.notEqual(got.get(r.name), notApplicableReason(r), r.name);
    }
});

test("a policy the configuration disables gets no entry, as @pulumi/policy does", async () => {
    const other = resourceRules.find((r) => !r.applies && !r.types.includes(volume.type))!;
    await configure({ [other.name]: { enforcementLevel: "disabled", properties: {} } });
    const res = await pack.analyze(volume);
    assert.ok(!res.notApplicable.some((n) => n.policyName === other.name));
    assert.ok(res.notApplicable.length > 0);
    await configure();
});
