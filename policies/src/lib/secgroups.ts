/**
 * Security-group rules as Neutron (and Nova's compute API, which hands them to Neutron) apply them:
 * protocols, port ranges, and what the rules of one group open together.
 *
 * Facts (neutron `extensions/securitygroup.py` `convert_protocol`, `db/securitygroups_db.py`
 * `_validate_port_range`, neutron-lib `IP_PROTOCOL_MAP`; terraform-provider-openstack
 * `resource_openstack_networking_secgroup_rule_v2.go`; nova `security_group_api`):
 * - protocol: unset, null, `""` or `any` is every protocol; a number 0 to 255 (as a number or a
 *   text Python's `int` reads) equals its name (`6` is `tcp`), names are case-insensitive; `0` is
 *   read as every protocol (iptables reads `-p 0` so). Other values are refused.
 * - ports only exist for dccp, sctp, tcp, udp and udplite. Both bounds unset is every port; the
 *   provider never sends 0 (`omitempty`) and reads an unset bound back as 0, so 0 is "unset".
 *   Otherwise both bounds lie in 1..65535 with min ≤ max; anything else is refused.
 * - Nova's compute rules take tcp, udp or icmp (any case), ports 1..65535 for tcp and udp (-1 for
 *   icmp), a `cidr` with a `/`, defaulting to 0.0.0.0/0 when no source group is given.
 *
 * A value the service refuses is read here at its most open (every protocol, every port, the whole
 * address space) and flagged `loose`: the policy cannot establish what the rule would open.
 */
import { contains, coversWholeSpace, Family, Prefix } from "./net";

/** neutron-lib `IP_PROTOCOL_MAP` (and the `icmpv6` alias). */
export const IP_PROTOCOLS: Readonly<Record<string, number>> = {
    ah: 51, dccp: 33, egp: 8, esp: 50, gre: 47, icmp: 1, icmpv6: 58, igmp: 2, ipip: 4,
    "ipv6-encap": 41, "ipv6-frag": 44, "ipv6-icmp": 58, "ipv6-nonxt": 59, "ipv6-opts": 60,
    "ipv6-route": 43, ospf: 89, pgm: 113, rsvp: 46, sctp: 132, tcp: 6, udp: 17, udplite: 136, vrrp: 112,
};

/** Protocols that carry ports (neutron `SG_PORT_PROTO_NUMS`): tcp, udp, dccp, sctp, udplite. */
export const PORT_PROTOCOLS: readonly number[] = [6, 17, 33, 132, 136];

export type Protocol = "any" | number;

export interface Read<T> {
    value: T;
    /** The service refuses the value: it is read at its most open. */
    loose: boolean;
}

export const ALL_PORTS = { from: 1, to: 65535 } as const;
export interface PortRange {
    from: number;
    to: number;
}

/** Python's `int()` on text, or a JSON integer. */
function integer(v: unknown): number | undefined {
    if (typeof v === "number") return Number.isInteger(v) ? v : undefined;
    if (typeof v !== "string") return undefined;
    const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(v);
    if (!m) return undefined;
    const n = Number(m[2].replace(/_/g, ""));
    return m[1] === "-" && n !== 0 ? -n : n;
}

/** A security-group rule's `protocol`, as Neutron reads it. */
export function neutronProtocol(v: unknown): Read<Protocol> {
    if (v === undefined || v === null || v === "") return { value: "any", loose: false };
    const n = integer(v);
    if (n !== undefined) {
        if (n < 0 || n > 255) return { value: "any", loose: true };
        return { value: n === 0 ? "any" : n, loose: false };
    }
    if (typeof v !== "string") return { value: "any", loose: true };
    const name = v.toLowerCase();
    if (name === "any") return { value: "any", loose: false };
    const num = IP_PROTOCOLS[name];
    return num === undefined ? { value: "any", loose: true } : { value: num, loose: false };
}

/** A compute (Nova) rule's `ipProtocol`: tcp, udp or icmp, any case. */
export function novaProtocol(v: unknown): Read<Protocol> {
    if (typeof v === "string" && ["tcp", "udp", "icmp"].includes(v.toLowerCase())) {
        return { value: IP_PROTOCOLS[v.toLowerCase()], loose: false };
    }
    return { value: "any", loose: true };
}

function isUnset(v: unknown): boolean {
    return v === undefined || v === null || v === "" || integer(v) === 0;
}

/** A Neutron port range for a port-carrying protocol (or every protocol). */
export function neutronPorts(protocol: Protocol, min: unknown, max: unknown): Read<PortRange> {
    const unsetMin = isUnset(min);
    const unsetMax = isUnset(max);
    if (protocol === "any") return { value: ALL_PORTS, loose: !(unsetMin && unsetMax) };
    if (unsetMin && unsetMax) return { value: ALL_PORTS, loose: false };
    const lo = integer(min);
    const hi = integer(max);
    if (lo === undefined || hi === undefined || lo < 1 || hi > 65535 || lo > hi) return { value: ALL_PORTS, loose: true };
    return { value: { from: lo, to: hi }, loose: false };
}

/** A Nova port range for tcp or udp. */
export function novaPorts(from: unknown, to: unknown): Read<PortRange> {
    const lo = integer(from);
    const hi = integer(to);
    if (lo === undefined || hi === undefined || lo < 1 || hi > 65535 || lo > hi) return { value: ALL_PORTS, loose: true };
    return { value: { from: lo, to: hi }, loose: false };
}

/** Whether a protocol (after reading) can open ports: every protocol, or one that carries ports. */
export function opensPorts(p: Protocol): boolean {
    return p === "any" || PORT_PROTOCOLS.includes(p);
}

export function protocolName(p: Protocol): string {
    if (p === "any") return "any";
    const name = Object.keys(IP_PROTOCOLS).find((k) => IP_PROTOCOLS[k] === p && k !== "icmpv6");
    return name ?? String(p);
}

// ------------------------------------------------------------------------------------------------
// What the ingress rules of one group open together.

/** One ingress rule, for one address family, in the form the analysis needs. */
export interface Opening {
    /** Caller's index, returned in findings. */
    id: number;
    /** The security group: rules of one group are applied together. */
    group: string;
    family: Family;
    protocol: Protocol;
    ports: PortRange;
    /** Sources admitted (of `family`); empty for a remote group. */
    sources: readonly Prefix[];
}

/** A port (or every port) of a protocol that the whole address space of a family reaches in a group. */
export interface Finding {
    group: string;
    family: Family;
    protocol: number;
    /** A sensitive port, or `"*"`: every port of the protocol. */
    port: number | "*";
    /** The openings that cover the whole space (reduced: none inside another). */
    contributors: number[];
    /** Each contributor covers the whole space by itself; otherwise they do it together. */
    alone: boolean;
}

export function findingKey(f: Finding): string {
    return `${f.group}|${f.family}|${f.protocol}|${f.port}`;
}

const inside = (a: Opening, b: Opening) => a.sources.every((s) => b.sources.some((t) => contains(t, s)));

/** Drops the openings that lie inside another one (`within`); of equal ones, the first is kept. */
function reduce(list: readonly Opening[], within: (a: Opening, b: Opening) => boolean): Opening[] {
    return list.filter((o, i) => !list.some((b, j) => j !== i && within(o, b) && (!within(b, o) || j < i)));
}

/**
 * Openings that cover the address space at one point: those that cover it alone, when there are
 * any; otherwise all of them, less those whose sources lie inside another one's.
 */
function essential(cover: readonly Opening[], family: Family): { list: Opening[]; alone: boolean } {
    const alone = cover.filter((o) => coversWholeSpace(o.sources, family));
    if (alone.length > 0) return { list: alone, alone: true };
    return { list: reduce(cover, inside), alone: false };
}

/**
 * For each group, family and port-carrying protocol: whether the union of the group's openings
 * reaches every port from the whole address space, else which sensitive ports it reaches so.
 */
export function findings(openings: readonly Opening[], sensitivePorts: readonly number[]): Finding[] {
    const cells = new Map<string, Opening[]>();
    for (const o of openings) {
        if (o.sources.length === 0 || !opensPorts(o.protocol)) continue;
        const k = `${o.group}\u0000${o.family}`;
        const l = cells.get(k);
        if (l) l.push(o);
        else cells.set(k, [o]);
    }
    const out: Finding[] = [];
    for (const list of cells.values()) {
        const { group, family } = list[0];
        for (const protocol of PORT_PROTOCOLS) {
            const own = list.filter((o) => o.protocol === "any" || o.protocol === protocol);
            if (own.length === 0) continue;
            const at = (lo: number, hi: number) => own.filter((o) => o.ports.from <= lo && o.ports.to >= hi);
            // Every port: each elementary segment between range bounds is reached from everywhere.
            const bounds = new Set<number>([ALL_PORTS.from, ALL_PORTS.to + 1]);
            for (const o of own) {
                bounds.add(Math.max(o.ports.from, ALL_PORTS.from));
                bounds.add(Math.min(o.ports.to, ALL_PORTS.to) + 1);
            }
            const cuts = [...bounds].sort((a, b) => a - b);
            const every = new Map<number, Opening>();
            let all = true;
            for (let i = 0; i + 1 < cuts.length && all; i++) {
                const cover = at(cuts[i], cuts[i + 1] - 1);
                if (!coversWholeSpace(cover.flatMap((o) => o.sources), family)) all = false;
                else for (const o of essential(cover, family).list) every.set(o.id, o);
            }
            if (all) {
                // An opening whose ports and sources lie inside another contributor's adds nothing.
                const kept = reduce([...every.values()], (a, b) => b.ports.from <= a.ports.from && a.ports.to <= b.ports.to && inside(a, b));
                out.push({ group, family, protocol, port: "*", contributors: kept.map((o) => o.id), alone: kept.length === 1 });
            }
            for (const port of [...new Set(sensitivePorts)].sort((a, b) => a - b)) {
                const cover = at(port, port);
                if (cover.length > 0 && coversWholeSpace(cover.flatMap((o) => o.sources), family)) {
                    const e = essential(cover, family);
                    out.push({ group, family, protocol, port, contributors: e.list.map((o) => o.id), alone: e.alone });
                }
            }
        }
    }
    return out;
}

/**
 * Whether `wider` (the findings with every unknown value at its most open) says more than
 * `known`: a port or an "every port" that the known values do not establish.
 */
export function saysMore(known: readonly Finding[], wider: readonly Finding[]): boolean {
    const k = new Set(known.map(findingKey));
    return wider.some((f) => !k.has(findingKey(f)));
}
