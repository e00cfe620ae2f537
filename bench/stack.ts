/**
 * Generated stacks for `npm run bench`: the shapes the rules' fixtures hold (resources as the
 * providers' Check leaves them, compliant and not, with components and their children, explicit
 * providers, values unknown at preview and secrets), repeated until the stack has the size asked.
 *
 * Each copy of a fixture gets names and URNs of its own (parents and dependencies follow), and
 * secret texts of its own, so that a large stack holds many distinct secrets, as a real one does.
 * Malformed fixtures are left out: they are not what a provider's Check returns. The order is
 * the engine's: a fixture's resources in declaration order, parents first.
 */
import type { Fixture } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { EngineResource } from "../src/engine/types";
import { engineResources } from "../test/support/fixtures";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const KINDS = new Set<Fixture["kind"]>(["compliant", "non-compliant", "unknown", "secret"]);

let groups: EngineResource[][] | undefined;

/** The resource groups of every rule's fixtures, interleaved by rule so that any prefix mixes them. */
export function fixtureGroups(): EngineResource[][] {
    if (groups) return groups;
    const byRule = ruleModules()
        .filter((m) => m.fixturesFile)
        .map((m) => ((require(m.fixturesFile!) as { default: Fixture[] }).default).filter((f) => KINDS.has(f.kind)).map(engineResources));
    const out: EngineResource[][] = [];
    for (let i = 0; byRule.some((l) => i < l.length); i++) for (const l of byRule) if (i < l.length && l[i].length) out.push(l[i]);
    groups = out;
    return out;
}

/** Secret texts made distinct per copy; everything else kept as it is. */
function distinctSecrets(v: unknown, suffix: string, inSecret = false): unknown {
    if (Array.isArray(v)) return v.map((x) => distinctSecrets(x, suffix, inSecret));
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return { ...o, value: distinctSecrets(o["value"], suffix, true) };
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(o)) out[k] = distinctSecrets(o[k], suffix, inSecret);
        return out;
    }
    return inSecret && typeof v === "string" && v.length >= 4 ? `${v}${suffix}` : v;
}

function renamed(group: EngineResource[], copy: number): EngineResource[] {
    const suffix = `-${copy}`;
    const urn = (u: string) => `${u}${suffix}`;
    const urns = new Set(group.map((r) => r.urn));
    const own = (u: string) => (urns.has(u) ? urn(u) : u);
    return group.map((r) => ({
        ...r,
        urn: urn(r.urn),
        name: `${r.name}${suffix}`,
        properties: distinctSecrets(r.properties, suffix) as Record<string, unknown>,
        parent: r.parent ? own(r.parent) : undefined,
        dependencies: (r.dependencies ?? []).map(own),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map(own)])),
    }));
}

/** A stack of exactly `size` resources (the last fixture copy may be cut). */
export function generateStack(size: number): EngineResource[] {
    const all = fixtureGroups();
    const out: EngineResource[] = [];
    const seen = new Set<string>();
    for (let copy = 0; out.length < size; copy++) {
        for (const g of all) {
            for (const r of renamed(g, copy)) {
                if (out.length >= size) return out;
                // Two fixtures may name a resource alike: one of them only (the engine refuses duplicate URNs).
                if (seen.has(r.urn)) continue;
                // A cut group may leave a child whose parent is not in the stack: keep it a root.
                if (r.parent && !seen.has(r.parent)) r.parent = undefined;
                out.push(r);
                seen.add(r.urn);
            }
            copy++;
        }
    }
    return out;
}

/** What a generated stack holds (printed with the figures). */
export function describeStack(resources: EngineResource[]): { resources: number; types: number; openstack: number; kubernetes: number; children: number; withProvider: number; withSecrets: number; withUnknowns: number } {
    const text = (r: EngineResource) => JSON.stringify(r.properties);
    return {
        resources: resources.length,
        types: new Set(resources.map((r) => r.type)).size,
        openstack: resources.filter((r) => r.type.startsWith("openstack:")).length,
        kubernetes: resources.filter((r) => r.type.startsWith("kubernetes:")).length,
        children: resources.filter((r) => r.parent).length,
        withProvider: resources.filter((r) => r.provider).length,
        withSecrets: resources.filter((r) => text(r).includes(SECRET_SIG)).length,
        withUnknowns: resources.filter((r) => text(r).includes("04da6b54-80e4-46f7-96ec-b56ff0331ba9")).length,
    };
}
