import type { PolicyResource } from "@pulumi/policy";
import { arr, known, rec, str } from "./props";
import { StackView } from "./rule";
import { keyValues } from "./tags";
import { OS } from "./types";

/**
 * Shared helpers of the OpenStack resilience rules (RES-01, RES-03, RES-04, RES-05): grouping
 * instances by service, relating resources through the dependency graph, reading zones.
 */

/** A service: instances grouped by `service` key, else parent component, else alone (RES-01). */
export interface ServiceGroup {
    label: string;
    /** The resource a finding about the whole service is reported on (parent component or sole instance). */
    anchor: PolicyResource;
    instances: PolicyResource[];
}

/** Groups the stack's instances into services: the grouping RES-01 and RES-04 share. */
export function serviceGroups(stack: StackView, serviceKey: string): ServiceGroup[] {
    const groups = new Map<string, ServiceGroup>();
    for (const inst of stack.ofType(OS.instance)) {
        const tagged = keyValues(inst.type, inst.props).get(serviceKey)
            || keyValues(inst.type, inst.props, "metadata").get(serviceKey);
        const parent = inst.parent && inst.parent.type !== "pulumi:pulumi:Stack" ? inst.parent : undefined;
        const key = tagged ? `service:${tagged}` : parent ? `parent:${parent.urn}` : `instance:${inst.urn}`;
        const label = tagged ?? parent?.name ?? inst.name;
        const g = groups.get(key);
        if (g) g.instances.push(inst);
        else groups.set(key, { label, anchor: parent ?? inst, instances: [inst] });
    }
    return [...groups.values()];
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
