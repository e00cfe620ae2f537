import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import type { Family, Prefix } from "../../lib/net";
import type * as Net from "../../lib/net";
import { arr, isUnknownValueError, rec, touchAll } from "../../lib/props";
import { defineStackRule, StackView } from "../../lib/rule";
import type { Opening, PortRange, Protocol } from "../../lib/secgroups";
import type * as Secgroups from "../../lib/secgroups";
import { OS } from "../../lib/types";
import { at, items, m, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const net = lazy(() => require("../../lib/net") as typeof Net);
const secgroups = lazy(() => require("../../lib/secgroups") as typeof Secgroups);

interface Config {
    portsAdministration: number[];
    portsBasesDeDonnees: number[];
}

const ADDRESS_GROUP = "openstack:networking/addressGroupV2:AddressGroupV2";

/** A value unknown at preview. */
const UNKNOWN: unique symbol = Symbol("unknown");
type U = typeof UNKNOWN;

/** Reads `obj[key]`; a value unknown at preview (anywhere inside, unless `shallow`) gives UNKNOWN. */
function readKey(obj: Record<string, unknown>, key: string | number, shallow = false): unknown {
    try {
        const v = (obj as Record<string | number, unknown>)[key];
        if (!shallow && typeof v === "object" && v !== null) touchAll(v);
        return v;
    } catch (e) {
        if (isUnknownValueError(e)) return UNKNOWN;
        throw e;
    }
}

function read(r: PolicyResource, key: string, shallow = false): unknown {
    return readKey(r.props, key, shallow);
}

type Remote = { kind: "group" } | { kind: "prefixes"; list: Prefix[] } | { kind: "world" };

/** One ingress rule as declared, with what preview cannot tell yet. */
interface Spec {
    resource: PolicyResource;
    /** `rules[i].` for a compute group's rules. */
    path: string;
    remoteKey: string;
    remoteValue: unknown;
    group: string;
    families: Family[] | U;
    protocol: Protocol | U;
    ports: PortRange | U;
    remote: Remote | U;
    /** Properties whose value the service refuses, read at their most open. */
    loose: string[];
}

export default defineStackRule<Config>({
    name: "sec-06-filtrage-reseau",
    needs: ["SEC-06"],
    title: txt("Filtrage réseau", "Network filtering"),
    description: txt(
        "Aucune règle entrante n'ouvre à tout Internet un port d'administration, un port de base de données, ou tous les ports (SecNumCloud 13.2 : seuls les flux de la matrice de flux). Les règles sont lues comme Neutron les applique. « Tout Internet » est tout l'espace d'adresses d'une famille, quelle qu'en soit l'écriture : préfixes lus comme netaddr (`0.0.0.0/0`, `0/0`, `10.1.2.3/0`, `::/0`, `0:0::/0`, masque `0.0.0.0`…), et les règles entrantes d'un même groupe de sécurité (`SecGroupRule` reliées par `securityGroupId` — dépendance de la propriété, ou même identifiant — et règles `rules` d'un `compute.SecGroup`) comptent ensemble : `0.0.0.0/1` et `128.0.0.0/1` ouvrent à tout Internet les ports qu'elles partagent. Sans préfixe ni groupe distant, une règle admet tout l'espace de sa famille (`ethertype`, IPv4 par défaut) ; une règle à groupe distant (`remoteGroupId`, `fromGroupId`, `self`) n'est pas ouverte au monde ; un groupe d'adresses (`remoteAddressGroupId`) vaut ses adresses quand il est dans la pile, sinon un groupe distant. Protocole absent, nul, `any` ou `0` : tout protocole ; un numéro vaut son nom (`6` = `tcp`), sans casse. Seuls tcp, udp, sctp, dccp et udplite portent des ports : sans plage (ou 0/0, comme le fournisseur la relit) une règle ouvre tous les ports ; les autres protocoles (ICMP, GRE, ESP…) n'ouvrent aucun port et ne sont pas concernés. Les règles sortantes (`egress`) ne sont pas concernées. Une valeur que Neutron ou Nova refuse (préfixe, protocole, plage, direction, ethertype illisibles) est lue au plus ouvert (tout protocole, tous les ports, tout l'espace), et le message la nomme. Une valeur inconnue à la prévisualisation n'empêche de conclure que si, lue au plus ouverte, elle ouvrirait davantage ; un `remoteGroupId` inconnu est l'identifiant d'un groupe.",
        "No ingress rule opens an administration port, a database port, or every port to the whole Internet (SecNumCloud 13.2: only the flows of the flow matrix). Rules are read as Neutron applies them. \"The whole Internet\" is the whole address space of a family, however written: prefixes read as netaddr reads them (`0.0.0.0/0`, `0/0`, `10.1.2.3/0`, `::/0`, `0:0::/0`, mask `0.0.0.0`…), and the ingress rules of one security group (`SecGroupRule` related by `securityGroupId` — property dependency, or same id — and the `rules` of a `compute.SecGroup`) count together: `0.0.0.0/1` and `128.0.0.0/1` open the ports they share to the whole Internet. With neither remote prefix nor remote group, a rule admits the whole space of its family (`ethertype`, IPv4 by default); a rule with a remote group (`remoteGroupId`, `fromGroupId`, `self`) is not open to the world; an address group (`remoteAddressGroupId`) counts as its addresses when it is in the stack, else as a remote group. Protocol missing, null, `any` or `0`: every protocol; a number equals its name (`6` = `tcp`), case-insensitive. Only tcp, udp, sctp, dccp and udplite carry ports: without a range (or 0/0, as the provider reads it back) a rule opens every port; other protocols (ICMP, GRE, ESP…) open no port and are out of scope. Egress rules are out of scope. A value Neutron or Nova refuses (unreadable prefix, protocol, range, direction, ethertype) is read at its most open (every protocol, every port, the whole space), and the message names it. A value unknown at preview prevents a conclusion only if, read at its most open, it would open more; an unknown `remoteGroupId` is a group's id.",
    ),
    remediation: txt(
        "Restreindre `remoteIpPrefix` aux réseaux d'administration (bastion, VPN) ou à un groupe de sécurité distant, et n'ouvrir que les ports de la matrice de flux.",
        "Restrict `remoteIpPrefix` to administration networks (bastion, VPN) or a remote security group, and open only the ports of the flow matrix.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    config: {
        portsAdministration: {
            type: "array",
            items: { type: "integer", minimum: 0, maximum: 65535 },
            default: [22, 3389, 5985, 5986, 2375, 2376, 6443, 10250, 2379, 2380],
            description: txt("Ports d'administration (SSH, RDP, WinRM, Docker, API Kubernetes, kubelet, etcd).", "Administration ports (SSH, RDP, WinRM, Docker, Kubernetes API, kubelet, etcd)."),
        },
        portsBasesDeDonnees: {
            type: "array",
            items: { type: "integer", minimum: 0, maximum: 65535 },
            default: [1433, 1521, 3306, 5432, 5984, 6379, 9042, 9200, 9300, 11211, 27017],
            description: txt("Ports de bases de données.", "Database ports."),
        },
    },
    types: [OS.secGroupRule, OS.computeSecGroup],
    check(stack, ctx) {
        const specs = collect(stack);
        const sensitive = [...ctx.config.portsAdministration, ...ctx.config.portsBasesDeDonnees];
        const known = openings(specs, false);
        const found = secgroups().findings(known, sensitive);

        // Per rule: what it opens to the whole Internet, and with which rules of its group.
        const byRule = new Map<number, { every: boolean; ports: Set<number>; partners: Set<number> }>();
        for (const f of found) {
            for (const id of f.contributors) {
                const e = byRule.get(id) ?? { every: false, ports: new Set<number>(), partners: new Set<number>() };
                if (f.port === "*") e.every = true;
                else e.ports.add(f.port);
                if (!f.alone) for (const other of f.contributors) if (other !== id) e.partners.add(other);
                byRule.set(id, e);
            }
        }
        const admin = new Set(ctx.config.portsAdministration);
        const db = new Set(ctx.config.portsBasesDeDonnees);
        for (const [id, e] of byRule) {
            const s = specs[id];
            const protocol = s.protocol === UNKNOWN ? "any" : s.protocol;
            const ports = s.ports === UNKNOWN ? secgroups().ALL_PORTS : s.ports;
            const proto = protocol === "any" ? msg(m`tout protocole`, m`any protocol`) : msg(m`${secgroups().protocolName(protocol)}`, m`${secgroups().protocolName(protocol)}`);
            const range = ports.from <= 1 && ports.to >= 65535 ? "*" : ports.from === ports.to ? String(ports.from) : `${ports.from}-${ports.to}`;
            const adminPorts = [...e.ports].filter((p) => admin.has(p)).sort((a, b) => a - b);
            const dbPorts = [...e.ports].filter((p) => db.has(p)).sort((a, b) => a - b);
            const what = e.every
                ? msg(m`tous les ports`, m`every port`)
                : msg(
                      m`${items([adminPorts.length ? m`administration ${items(adminPorts)}` : undefined, dbPorts.length ? m`base de données ${items(dbPorts)}` : undefined].filter((x) => x !== undefined))}`,
                      m`${items([adminPorts.length ? m`administration ${items(adminPorts)}` : undefined, dbPorts.length ? m`database ${items(dbPorts)}` : undefined].filter((x) => x !== undefined))}`,
                  );
            const partners = [...e.partners].map((i) => specs[i]);
            const others = partners.map((p) => m`« ${label(p)} » (${at(p.remoteValue ?? "—", `${p.path}${p.remoteKey}`, p.resource)})`);
            const othersEn = partners.map((p) => m`"${label(p)}" (${at(p.remoteValue ?? "—", `${p.path}${p.remoteKey}`, p.resource)})`);
            const together = partners.length
                ? msg(m` avec ${items(others)} du même groupe de sécurité, qui couvrent ensemble tout l'espace d'adresses`, m` together with ${items(othersEn)} of the same security group, which cover the whole address space together`)
                : msg(m``, m``);
            const loose = s.loose.length
                ? msg(m` Valeurs que le service refuse, lues au plus ouvert : ${items(s.loose)}.`, m` Values the service refuses, read at their most open: ${items(s.loose)}.`)
                : msg(m``, m``);
            ctx.report({
                resource: s.resource,
                property: `${s.path}${s.remoteKey}`,
                value: s.remoteValue ?? null,
                problem: msg(
                    m`règle entrante ${proto.fr}/${range} ouverte à tout Internet${together.fr} : ${what.fr}.${loose.fr}`,
                    m`ingress rule ${proto.en}/${range} open to the whole Internet${together.en}: ${what.en}.${loose.en}`,
                ),
            });
        }

        // Values unknown at preview: conclude only if, at their most open, they would open nothing more.
        if (secgroups().saysMore(found, secgroups().findings(openings(specs, true), sensitive))) {
            const pending = specs.filter(hasUnknown).map((s) => label(s));
            ctx.cannotCheck(msg(
                m`règles entrantes dont une valeur n'est connue qu'au déploiement (${items(pending)}) : leur ouverture à tout Internet ne peut pas être établie à la prévisualisation.`,
                m`ingress rules with a value known only at deployment (${items(pending)}): whether they open to the whole Internet cannot be established at preview.`,
            ));
        }
    },
});

function label(s: Spec): string {
    return s.path ? `${s.resource.name} ${s.path.slice(0, -1)}` : s.resource.name;
}

function hasUnknown(s: Spec): boolean {
    return s.families === UNKNOWN || s.protocol === UNKNOWN || s.ports === UNKNOWN || s.remote === UNKNOWN;
}

/** The openings of the declared rules: known values only, or unknown values at their most open. */
function openings(specs: readonly Spec[], widest: boolean): Opening[] {
    const out: Opening[] = [];
    specs.forEach((s, id) => {
        if (!widest && hasUnknown(s)) return;
        const protocol = s.protocol === UNKNOWN ? "any" : s.protocol;
        if (!secgroups().opensPorts(protocol)) return;
        const ports = s.ports === UNKNOWN ? secgroups().ALL_PORTS : s.ports;
        const families: Family[] = s.families === UNKNOWN ? [4, 6] : s.families;
        const remote: Remote = s.remote === UNKNOWN ? { kind: "world" } : s.remote;
        for (const family of families) {
            const sources = remote.kind === "group" ? [] : remote.kind === "world" ? [net().wholeSpace(family)] : remote.list.filter((p) => p.family === family);
            out.push({ id, group: s.group, family, protocol, ports, sources });
        }
    });
    return out;
}

function collect(stack: StackView): Spec[] {
    const specs: Spec[] = [];
    // Groups by provider id, for rules that name their group literally (a stack state).
    const groupById = new Map<string, string>();
    for (const g of stack.ofType(OS.secGroup, OS.computeSecGroup)) {
        const id = read(g, "id");
        if (typeof id === "string" && id) groupById.set(id, g.urn);
    }
    for (const r of stack.ofType(OS.secGroupRule)) {
        const s = fromNeutronRule(r, stack, groupById);
        if (s) specs.push(s);
    }
    for (const g of stack.ofType(OS.computeSecGroup)) specs.push(...fromComputeGroup(g));
    return specs;
}

function groupOf(r: PolicyResource, stack: StackView, groupById: Map<string, string>): string {
    const deps = stack.propertyDependency(r, "securityGroupId");
    const groups = deps.filter((d) => d.type === OS.secGroup || d.type === OS.computeSecGroup);
    if (groups.length > 0) return groups[0].urn;
    if (deps.length > 0) return deps.map((d) => d.urn).sort().join(" ");
    const literal = read(r, "securityGroupId");
    if (typeof literal === "string" && literal) return groupById.get(literal) ?? `id:${literal}`;
    return `rule:${r.urn}`;
}

function ethertypeFamilies(v: unknown, loose: string[]): Family[] | U {
    if (v === UNKNOWN) return UNKNOWN;
    if (v === undefined || v === null || v === "") return [4];
    if (typeof v === "string" && v.toLowerCase() === "ipv4") return [4];
    if (typeof v === "string" && v.toLowerCase() === "ipv6") return [6];
    loose.push("ethertype");
    return [4, 6];
}

function isSetId(v: unknown): boolean {
    return v === UNKNOWN || (typeof v === "string" && v !== "");
}

function fromNeutronRule(r: PolicyResource, stack: StackView, groupById: Map<string, string>): Spec | undefined {
    const loose: string[] = [];
    const direction = read(r, "direction");
    if (direction === "egress") return undefined;
    if (direction !== "ingress" && direction !== UNKNOWN) loose.push("direction");

    const rawProtocol = read(r, "protocol");
    let protocol: Protocol | U = UNKNOWN;
    if (rawProtocol !== UNKNOWN) {
        const p = secgroups().neutronProtocol(rawProtocol);
        if (p.loose) loose.push("protocol");
        protocol = p.value;
    }
    let ports: PortRange | U = secgroups().ALL_PORTS;
    if (protocol !== UNKNOWN && secgroups().opensPorts(protocol)) {
        const min = read(r, "portRangeMin");
        const max = read(r, "portRangeMax");
        if (min === UNKNOWN || max === UNKNOWN) ports = UNKNOWN;
        else {
            const p = secgroups().neutronPorts(protocol, min, max);
            if (p.loose) loose.push("portRangeMin/portRangeMax");
            ports = p.value;
        }
    }

    let families = ethertypeFamilies(read(r, "ethertype"), loose);
    let remote: Remote | U;
    let remoteKey = "remoteIpPrefix";
    const prefix = read(r, "remoteIpPrefix");
    const remoteGroup = read(r, "remoteGroupId");
    if (typeof prefix === "string" && prefix !== "") {
        const p = net().parsePrefix(prefix);
        if (p) {
            remote = { kind: "prefixes", list: [p] };
            families = [p.family];
        } else {
            loose.push("remoteIpPrefix");
            remote = { kind: "world" };
        }
    } else if (prefix !== undefined && prefix !== null && prefix !== "" && prefix !== UNKNOWN) {
        loose.push("remoteIpPrefix");
        remote = { kind: "world" };
    } else if (isSetId(remoteGroup)) {
        remote = { kind: "group" };
    } else if (prefix === UNKNOWN) {
        remote = UNKNOWN;
    } else {
        const addressGroup = read(r, "remoteAddressGroupId");
        if (isSetId(addressGroup) || stack.propertyDependency(r, "remoteAddressGroupId").length > 0) {
            remoteKey = "remoteAddressGroupId";
            remote = addressGroupRemote(r, addressGroup, stack, loose);
        } else {
            remote = { kind: "world" };
        }
    }
    return {
        resource: r,
        path: "",
        remoteKey,
        remoteValue: remoteKey === "remoteIpPrefix" ? (prefix === UNKNOWN ? undefined : prefix) : undefined,
        group: groupOf(r, stack, groupById),
        families,
        protocol,
        ports,
        remote,
        loose,
    };
}

/** An address group in the stack counts as its addresses; one outside the stack as a remote group. */
function addressGroupRemote(r: PolicyResource, literal: unknown, stack: StackView, loose: string[]): Remote | U {
    let groups = stack.propertyDependency(r, "remoteAddressGroupId").filter((d) => d.type === ADDRESS_GROUP);
    if (groups.length === 0 && typeof literal === "string") groups = stack.ofType(ADDRESS_GROUP).filter((g) => read(g, "id") === literal);
    if (groups.length === 0) return { kind: "group" };
    const list: Prefix[] = [];
    for (const g of groups) {
        const addresses = read(g, "addresses");
        if (addresses === UNKNOWN) return UNKNOWN;
        for (const a of arr(addresses)) {
            const p = typeof a === "string" ? net().parsePrefix(a) : undefined;
            if (!p) {
                loose.push("remoteAddressGroupId");
                return { kind: "world" };
            }
            list.push(p);
        }
    }
    return { kind: "prefixes", list };
}

function fromComputeGroup(g: PolicyResource): Spec[] {
    const rules = read(g, "rules", true);
    const base = { resource: g, group: g.urn, remoteValue: undefined };
    const whole = (path: string): Spec => ({ ...base, path, remoteKey: "cidr", families: UNKNOWN, protocol: UNKNOWN, ports: UNKNOWN, remote: UNKNOWN, loose: [] });
    if (rules === UNKNOWN) return [whole("rules.")];
    const out: Spec[] = [];
    const count = Array.isArray(rules) ? rules.length : 0;
    for (let i = 0; i < count; i++) {
        const x = readKey(rules as unknown as Record<string, unknown>, i, true);
        if (x === UNKNOWN) {
            out.push(whole(`rules[${i}].`));
            continue;
        }
        const rule = rec(x);
        if (!rule) continue;
        const loose: string[] = [];
        const path = `rules[${i}].`;
        const rawProtocol = readKey(rule, "ipProtocol");
        let protocol: Protocol | U = UNKNOWN;
        if (rawProtocol !== UNKNOWN) {
            const p = secgroups().novaProtocol(rawProtocol);
            if (p.loose) loose.push(`${path}ipProtocol`);
            protocol = p.value;
        }
        let ports: PortRange | U = secgroups().ALL_PORTS;
        if (protocol !== UNKNOWN && protocol !== "any" && secgroups().opensPorts(protocol)) {
            const from = readKey(rule, "fromPort");
            const to = readKey(rule, "toPort");
            if (from === UNKNOWN || to === UNKNOWN) ports = UNKNOWN;
            else {
                const p = secgroups().novaPorts(from, to);
                if (p.loose) loose.push(`${path}fromPort/toPort`);
                ports = p.value;
            }
        }
        const cidr = readKey(rule, "cidr");
        const fromGroup = readKey(rule, "fromGroupId");
        const self = readKey(rule, "self");
        let families: Family[] | U = [4];
        let remote: Remote | U;
        if (typeof cidr === "string" && cidr !== "") {
            // Nova requires the length (`oslo_utils.netutils.is_valid_cidr`).
            const p = cidr.includes("/") ? net().parsePrefix(cidr) : undefined;
            if (p) {
                remote = { kind: "prefixes", list: [p] };
                families = [p.family];
            } else {
                loose.push(`${path}cidr`);
                remote = { kind: "world" };
                families = [4, 6];
            }
        } else if (isSetId(fromGroup) || self === true || self === UNKNOWN) {
            remote = { kind: "group" };
        } else if (cidr === UNKNOWN) {
            remote = UNKNOWN;
            families = UNKNOWN;
        } else {
            // Nova's default source: 0.0.0.0/0.
            remote = { kind: "world" };
        }
        out.push({ ...base, path, remoteKey: "cidr", remoteValue: cidr === UNKNOWN ? undefined : cidr, families, protocol, ports, remote, loose });
    }
    return out;
}
