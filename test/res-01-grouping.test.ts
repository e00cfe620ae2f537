/**
 * RES-01's grouping of instances into services, as properties over generated stacks sent to the
 * real pack: a group spread over zones passes whatever evidence makes it one service, a group of
 * at least two instances in one zone fails once, and a lone instance (no `service` key, nothing
 * relating it to another instance) never fails, whatever its zone.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import type { Fixture, FixtureResource } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { UNKNOWN } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { OS } from "@cloud-de-confiance/policies/dist/lib/types";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck } from "../src/engine/engine";
import { engineResources } from "./support/fixtures";
import { startPack } from "./support/pack";

const RULE = "res-01-repartition-multi-zones";
const RUNS = { seed: 20260401, numRuns: 20 };

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

type Evidence = "service-key" | "server-group" | "server-group-id" | "pool-member" | "pool-members" | "parent" | "name-series";
const EVIDENCE: Evidence[] = ["service-key", "server-group", "server-group-id", "pool-member", "pool-members", "parent", "name-series"];

/** Names that form no series with one another. */
const PLAIN = ["alpha", "bravo", "charlie", "delta", "echo"];
const LONE = ["bastion", "passerelle", "console", "rebond", "supervision", "outillage"];

const inst = (name: string, zone: string | undefined, extra: Partial<FixtureResource> = {}, props: Record<string, unknown> = {}): FixtureResource => ({
    type: OS.instance,
    name,
    props: { flavorName: "b3-8", ...(zone === undefined ? {} : { availabilityZone: zone }), ...props },
    ...extra,
});

/** The resources of one group of instances that `evidence` makes one service, in the given zones. */
function group(evidence: Evidence, zones: string[], letters: boolean): { resources: FixtureResource[]; names: string[] } {
    const names = evidence === "name-series"
        ? zones.map((_, i) => (letters ? `web-${"abcde"[i]}` : `web-${i + 1}`))
        : zones.map((_, i) => PLAIN[i]);
    const out: FixtureResource[] = [];
    switch (evidence) {
        case "service-key":
            zones.forEach((z, i) => out.push(inst(names[i], z, {}, i % 2 ? { metadata: { service: "api" } } : { tags: ["service=api", "equipe=socle"] })));
            break;
        case "server-group":
            out.push({ type: OS.serverGroup, name: "grp", props: { name: "grp", policies: ["anti-affinity"] } });
            zones.forEach((z, i) => out.push(inst(names[i], z, { propertyDependencies: { schedulerHints: ["grp"] } }, { schedulerHints: [{ group: UNKNOWN }] })));
            break;
        case "server-group-id":
            zones.forEach((z, i) => out.push(inst(names[i], z, {}, { schedulerHints: [{ group: "4b1c2a9e-existing" }] })));
            break;
        case "pool-member":
            out.push({ type: OS.pool, name: "pool", props: { protocol: "HTTP" } });
            zones.forEach((z, i) => {
                out.push(inst(names[i], z, {}, { accessIpV4: `10.0.0.${i + 10}` }));
                // Every other member is related by its known address only.
                out.push(i % 2
                    ? { type: OS.member, name: `m${i}`, props: { poolId: UNKNOWN, address: `10.0.0.${i + 10}` }, propertyDependencies: { poolId: ["pool"] } }
                    : { type: OS.member, name: `m${i}`, props: { poolId: UNKNOWN, address: UNKNOWN }, propertyDependencies: { poolId: ["pool"], address: [names[i]] } });
            });
            break;
        case "pool-members":
            out.push({ type: OS.pool, name: "pool", props: { protocol: "HTTP" } });
            zones.forEach((z, i) => out.push(inst(names[i], z)));
            out.push({ type: OS.members, name: "ms", props: { poolId: UNKNOWN, members: names.map(() => ({ address: UNKNOWN, protocolPort: 80 })) }, propertyDependencies: { poolId: ["pool"], members: names } });
            break;
        case "parent":
            out.push({ type: "cdc:app:Service", name: "svc", props: {} });
            zones.forEach((z, i) => out.push(inst(names[i], z, { parent: "svc" })));
            break;
        case "name-series":
            zones.forEach((z, i) => out.push(inst(names[i], z)));
            break;
    }
    return { resources: out, names };
}

/** Lone instances: no `service` key, nothing relating them to another instance; any zone, even unknown or absent. */
const loneArb = fc.uniqueArray(
    fc.record({
        name: fc.constantFrom(...LONE),
        zone: fc.constantFrom<string | undefined>("az1", "az2", UNKNOWN, undefined),
        ownParent: fc.boolean(),
        tags: fc.constantFrom<unknown>(undefined, ["role=rebond"], ["service="], [], "service=x"),
    }),
    { selector: (l) => l.name, maxLength: 4 },
).map((list) => list.flatMap((l): FixtureResource[] => {
    const props = l.tags === undefined ? {} : { tags: l.tags };
    if (!l.ownParent) return [inst(l.name, l.zone, {}, props)];
    return [{ type: "cdc:app:Outil", name: `${l.name}-comp`, props: {} }, inst(l.name, l.zone, { parent: `${l.name}-comp` }, props)];
}));

async function res01(resources: FixtureResource[]) {
    const f: Fixture = { title: "propriété", kind: "compliant", resources, expect: { raises: [], notRaises: [] } };
    const ev = await evaluate(pack, engineResources(f), { config: {}, stack: { project: "fixtures", stack: "test", tags: {} } });
    const own = ev.diagnostics.filter((d) => d.policyName === RULE);
    return { violations: own.filter((d) => !isCannotCheck(d)), cannot: own.filter(isCannotCheck) };
}

describe("RES-01 : regroupement des instances en services", () => {
    test("un groupe réparti sur au moins deux zones passe, quel que soit l'indice qui en fait un service", async () => {
        const zonesArb = fc.array(fc.constantFrom("az1", "az2", "az3"), { minLength: 2, maxLength: 5 }).filter((zs) => new Set(zs).size >= 2);
        await fc.assert(
            fc.asyncProperty(fc.constantFrom(...EVIDENCE), zonesArb, fc.boolean(), loneArb, async (evidence, zones, letters, lone) => {
                const { resources } = group(evidence, zones, letters);
                const r = await res01([...resources, ...lone]);
                assert.deepEqual(r.violations.map((d) => d.message), [], `${evidence} ${zones.join(",")}`);
                assert.deepEqual(r.cannot.map((d) => d.message), []);
            }),
            RUNS,
        );
    });

    test("un groupe d'au moins deux instances dans une seule zone échoue une fois, en nommant ses instances", async () => {
        const zonesArb = fc.tuple(fc.constantFrom("az1", "az2"), fc.integer({ min: 2, max: 5 })).map(([z, n]) => Array<string>(n).fill(z));
        await fc.assert(
            fc.asyncProperty(fc.constantFrom(...EVIDENCE), zonesArb, fc.boolean(), loneArb, async (evidence, zones, letters, lone) => {
                const { resources, names } = group(evidence, zones, letters);
                const r = await res01([...resources, ...lone]);
                assert.equal(r.violations.length, 1, `${evidence}: ${r.violations.map((d) => d.message).join("\n")}`);
                assert.equal(r.violations[0].enforcementLevel, "mandatory");
                for (const n of names) assert.ok(r.violations[0].message.includes(n), `${n} absent de : ${r.violations[0].message}`);
                for (const l of lone) assert.ok(l.type !== OS.instance || !r.violations[0].message.includes(l.name), r.violations[0].message);
            }),
            RUNS,
        );
    });

    test("une instance isolée n'échoue jamais, quelle que soit sa zone", async () => {
        await fc.assert(
            fc.asyncProperty(loneArb, async (lone) => {
                const r = await res01(lone);
                assert.deepEqual(r.violations.map((d) => d.message), []);
                assert.deepEqual(r.cannot.map((d) => d.message), []);
            }),
            RUNS,
        );
    });
});
