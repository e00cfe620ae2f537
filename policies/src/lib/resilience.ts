import type { PolicyResource } from "@pulumi/policy";
import { arr, known, rec, str } from "./props";
import { push, StackView } from "./rule";
import { keyValues } from "./tags";
import { OS } from "./types";

/**
 * Shared helpers of the OpenStack resilience rules (RES-01, RES-03, RES-04, RES-05): grouping
 * instances by service, relating resources through the dependency graph, reading zones.
 */

/** What makes instances one service, in order of precedence (see `serviceGroups`). */
export type ServiceEvidence = "service-key" | "server-group" | "pool" | "parent" | "name-series";

/** A service: instances that the same evidence makes one service (RES-01, RES-04). */
export interface ServiceGroup {
    label: string;
    /** Why these instances are one service. */
    evidence: ServiceEvidence;
    /**
     * The resource the evidence comes from, when there is one: the parent component, the
     * ServerGroup or the loadbalancer Pool (absent for a `service` key, a literal group ID or a
     * name series).
     */
    via?: PolicyResource;
    /** The resource a finding about the whole service is reported on (common parent component, else first instance). */
    anchor: PolicyResource;
    instances: PolicyResource[];
}

/**
 * Groups the stack's instances into services: the grouping RES-01 and RES-04 share. An instance
 * belongs to one service at most, chosen by the first evidence that applies:
 *
 * 1. the value of its `serviceKey` tag (OpenStack `key=value` tag) or metadata key: instances with
 *    the same value are one service, whatever their number (a declared service);
 * 2. otherwise (instances without that key), the server group their `schedulerHints[].group`
 *    comes from (a ServerGroup of the stack, related through the dependency graph, or else the
 *    same literal group ID), and the loadbalancer pool they are members of (a Member whose
 *    `address`, or a Members whose `members`, comes from the instance or from a Port it uses,
 *    else equals one of its known fixed addresses; the pool is the one its `poolId` comes from):
 *    instances that share a server group or a pool, directly or through one another, are one
 *    service;
 * 3. otherwise, the same parent component (not the root stack);
 * 4. otherwise, a numbered name series under the same parent: logical names that differ only by a
 *    final number (`web-1`, `web-2`, `web3`) or by a final single letter after `-`, `_` or `.`
 *    (`web-a`, `web-b`).
 *
 * Evidence 2 to 4 only makes a service of at least two instances: an instance that nothing
 * relates to another (a bastion) is no service and is not returned. Reading the `serviceKey`
 * lets a value unknown at preview through (the grouping would be a guess); the other evidence
 * is read from the dependency graph, and a value unknown there is no evidence.
 */
export function serviceGroups(stack: StackView, serviceKey: string): ServiceGroup[] {
    const out: ServiceGroup[] = [];
    const declared = new Map<string, PolicyResource[]>();
    let rest: PolicyResource[] = [];
    for (const inst of stack.ofType(OS.instance)) {
        const value = declaredService(inst, serviceKey);
        if (value) push(declared, value, inst);
        else rest.push(inst);
    }
    for (const [value, instances] of declared) {
        out.push({ label: value, evidence: "service-key", anchor: commonParent(instances) ?? instances[0], instances });
    }

    // 2. Server groups and pools, linked transitively.
    const links = new Map<string, { label: string; evidence: ServiceEvidence; via?: PolicyResource; members: PolicyResource[] }>();
    const link = (key: string, label: string, evidence: ServiceEvidence, via: PolicyResource | undefined, inst: PolicyResource) => {
        const l = links.get(key);
        if (l) l.members.push(inst);
        else links.set(key, { label, evidence, via, members: [inst] });
    };
    const pools = poolsByInstance(stack);
    for (const inst of rest) {
        const sgs = relatedThrough(stack, inst, "schedulerHints", [OS.serverGroup]);
        for (const sg of sgs) link(`sg:${sg.urn}`, sg.name, "server-group", sg, inst);
        if (sgs.length === 0) for (const id of literalGroups(inst)) link(`sg-id:${id}`, id, "server-group", undefined, inst);
        for (const pool of pools.get(inst.urn) ?? []) link(`pool:${pool.urn}`, pool.name, "pool", pool, inst);
    }
    const sets = new UnionFind(rest.map((i) => i.urn));
    const firstLink = new Map<string, { label: string; evidence: ServiceEvidence; via?: PolicyResource }>();
    for (const l of links.values()) {
        for (const i of l.members) {
            sets.union(l.members[0].urn, i.urn);
            if (!firstLink.has(i.urn)) firstLink.set(i.urn, l);
        }
    }
    rest = collect(rest, (inst) => sets.find(inst.urn), (instances) => {
        const l = firstLink.get(instances[0].urn);
        if (instances.length < 2 || !l) return false;
        out.push({ label: l.label, evidence: l.evidence, via: l.via, anchor: commonParent(instances) ?? instances[0], instances });
        return true;
    });

    // 3. Parent component.
    rest = collect(rest, (inst) => ownParent(inst)?.urn, (instances) => {
        if (instances.length < 2) return false;
        const parent = ownParent(instances[0])!;
        out.push({ label: parent.name, evidence: "parent", via: parent, anchor: parent, instances });
        return true;
    });

    // 4. Numbered name series, under the same parent.
    collect(rest, (inst) => {
        const stem = seriesStem(inst.name);
        return stem === undefined ? undefined : `${ownParent(inst)?.urn ?? ""}|${stem}`;
    }, (instances) => {
        if (instances.length < 2) return false;
        const stem = seriesStem(instances[0].name)!;
        out.push({ label: `${stem}*`, evidence: "name-series", anchor: commonParent(instances) ?? instances[0], instances });
        return true;
    });
    return out;
}

/** The instance's `serviceKey` value (tag, else metadata), or undefined when blank or absent. */
function declaredService(inst: PolicyResource, serviceKey: string): string | undefined {
    const v = keyValues(inst.type, inst.props).get(serviceKey) || keyValues(inst.type, inst.props, "metadata").get(serviceKey);
    return v && v.trim() ? v : undefined;
}

/** The parent component, when it is not the root stack. */
function ownParent(r: PolicyResource): PolicyResource | undefined {
    return r.parent && r.parent.type !== "pulumi:pulumi:Stack" ? r.parent : undefined;
}

function commonParent(instances: readonly PolicyResource[]): PolicyResource | undefined {
    const p = ownParent(instances[0]);
    return p && instances.every((i) => ownParent(i)?.urn === p.urn) ? p : undefined;
}

/**
 * The stem of a numbered name (`web-` for `web-1` or `web-a`, `web` for `web3`), or undefined
 * when the name ends with no number and no single letter after a separator.
 */
export function seriesStem(name: string): string | undefined {
    const m = /^(.*\D)\d+$/.exec(name) ?? /^(.*[-_.])[A-Za-z]$/.exec(name);
    if (!m) return undefined;
    return /[A-Za-z0-9]/.test(m[1]) ? m[1] : undefined;
}

/** Known literal `schedulerHints[].group` values of an instance (an existing server group, by ID). */
function literalGroups(inst: PolicyResource): string[] {
    const out: string[] = [];
    for (const h of known(() => arr(inst.props["schedulerHints"])) ?? []) {
        const g = known(() => str(rec(h)?.["group"]));
        if (g && g.trim()) out.push(g.trim());
    }
    return out;
}

/**
 * Pools each instance is a member of: a loadbalancer Member whose `address`, or Members whose
 * `members`, comes from the instance or from a Port it uses (`networks[].port`), else equals one
 * of its known fixed addresses; the pool is the one the member's `poolId` comes from. A member
 * with `adminStateUp` false still makes its instance one of the pool's.
 */
export function poolsByInstance(stack: StackView): Map<string, PolicyResource[]> {
    const out = new Map<string, PolicyResource[]>();
    const portUsers = new Map<string, PolicyResource>();
    const byAddress = new Map<string, PolicyResource | null>();
    for (const inst of stack.ofType(OS.instance)) {
        for (const p of relatedByProperty(stack, inst, "networks", [OS.port])) if (!portUsers.has(p.urn)) portUsers.set(p.urn, inst);
        for (const a of knownAddresses(inst)) byAddress.set(a, byAddress.has(a) && byAddress.get(a) !== inst ? null : inst);
    }
    const fromProperty = (r: PolicyResource, key: string): PolicyResource[] => {
        const found: PolicyResource[] = [];
        for (const d of relatedByProperty(stack, r, key, [OS.instance, OS.port])) {
            const inst = d.type === OS.instance ? d : portUsers.get(d.urn);
            if (inst && !found.includes(inst)) found.push(inst);
        }
        return found;
    };
    const byAddr = (read: () => unknown): PolicyResource | undefined => {
        const a = known(() => str(read()));
        return a ? byAddress.get(a.trim()) ?? undefined : undefined;
    };
    const add = (member: PolicyResource, instances: PolicyResource[]) => {
        for (const pool of relatedThrough(stack, member, "poolId", [OS.pool])) {
            for (const inst of instances) {
                const l = out.get(inst.urn) ?? [];
                if (!l.includes(pool)) l.push(pool);
                out.set(inst.urn, l);
            }
        }
    };
    for (const m of stack.ofType(OS.member)) {
        const related = fromProperty(m, "address");
        const inst = related.length ? related : [byAddr(() => m.props["address"])].filter((i): i is PolicyResource => !!i);
        add(m, inst);
    }
    for (const ms of stack.ofType(OS.members)) {
        const related = fromProperty(ms, "members");
        for (const e of known(() => arr(ms.props["members"])) ?? []) {
            const inst = byAddr(() => rec(e)?.["address"]);
            if (inst && !related.includes(inst)) related.push(inst);
        }
        add(ms, related);
    }
    return out;
}

/**
 * Splits `list` by key, in order: for each group, `take` says whether it became a service; the
 * instances of groups not taken (and those without a key) are returned for the next evidence.
 */
function collect(
    list: PolicyResource[],
    keyOf: (r: PolicyResource) => string | undefined,
    take: (instances: PolicyResource[]) => boolean,
): PolicyResource[] {
    const groups = new Map<string, PolicyResource[]>();
    const left: PolicyResource[] = [];
    for (const r of list) {
        const k = keyOf(r);
        if (k === undefined) left.push(r);
        else push(groups, k, r);
    }
    for (const g of groups.values()) if (!take(g)) left.push(...g);
    // Keep the stack's order for the next step.
    const order = new Map(list.map((r, i) => [r.urn, i]));
    return left.sort((a, b) => order.get(a.urn)! - order.get(b.urn)!);
}

class UnionFind {
    private readonly up = new Map<string, string>();
    constructor(keys: readonly string[]) {
        for (const k of keys) this.up.set(k, k);
    }
    find(k: string): string {
        let r = k;
        while (this.up.get(r) !== r) r = this.up.get(r)!;
        let c = k;
        while (c !== r) {
            const n = this.up.get(c)!;
            this.up.set(c, r);
            c = n;
        }
        return r;
    }
    union(a: string, b: string): void {
        const ra = this.find(a);
        const rb = this.find(b);
        if (ra !== rb) this.up.set(rb, ra);
    }
}

/**
 * The resources of the given types that property `key` of `r` comes from; when the property has no
 * recorded dependency, those of the given types among all of `r`'s dependencies (`dependsOn` and
 * other properties). Never by ID: IDs are unknown at preview.
 */
export function relatedThrough(stack: StackView, r: PolicyResource, key: string, types: readonly string[]): PolicyResource[] {
    const direct = stack.propertyDependency(r, key).filter((d) => types.includes(d.type));
    if (direct.length > 0) return direct;
    return stack.dependencies(r).filter((d) => types.includes(d.type));
}

/** Only through property `key` (no fallback). */
export function relatedByProperty(stack: StackView, r: PolicyResource, key: string, types: readonly string[]): PolicyResource[] {
    return stack.propertyDependency(r, key).filter((d) => types.includes(d.type));
}

/** The explicit availability zone of a resource; throws the engine's unknown-value error when unknown. */
export function zoneOf(r: PolicyResource): string | undefined {
    const z = str(r.props["availabilityZone"]);
    return z && z.trim() ? z.trim() : undefined;
}

/**
 * The fixed IP addresses an instance declares, when known (`accessIpV4`, `accessIpV6`,
 * `networks[].fixedIpV4`, `networks[].fixedIpV6`): a fallback to relate load-balancer members.
 */
export function knownAddresses(inst: PolicyResource): string[] {
    const out: string[] = [];
    const add = (v: unknown) => {
        const s = str(v);
        if (s && s.trim()) out.push(s.trim());
    };
    known(() => add(inst.props["accessIpV4"]));
    known(() => add(inst.props["accessIpV6"]));
    const nets = known(() => arr(inst.props["networks"])) ?? [];
    for (const n of nets) {
        const net = rec(n);
        if (!net) continue;
        known(() => add(net["fixedIpV4"]));
        known(() => add(net["fixedIpV6"]));
    }
    return out;
}
