import { txt } from "../../lib/i18n";
import { arr, num, rec, str } from "../../lib/props";
import { defineResourceRule, RuleContext } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    portsAdministration: number[];
    portsBasesDeDonnees: number[];
    prefixesOuverts: string[];
}

/** One ingress opening, whatever resource declares it. */
interface Opening {
    path: string;
    protocol: string | undefined;
    from: number | undefined;
    to: number | undefined;
    remote: string | undefined;
    remoteGroup: boolean;
}

export default defineResourceRule<Config>({
    name: "sec-06-filtrage-reseau",
    needs: ["SEC-06"],
    title: txt("Filtrage réseau", "Network filtering"),
    description: txt(
        "Aucune règle entrante n'ouvre à tout Internet (0.0.0.0/0, ::/0) un port d'administration, un port de base de données, ou tous les ports (SecNumCloud 13.2 : seuls les flux de la matrice de flux). Une règle sans préfixe distant ni groupe distant est ouverte à tous ; une règle sans protocole ni plage de ports ouvre tous les ports. Les règles ICMP et les règles sortantes ne sont pas concernées.",
        "No ingress rule opens to the whole Internet (0.0.0.0/0, ::/0) an administration port, a database port, or every port (SecNumCloud 13.2: only the flows of the flow matrix). A rule with neither remote prefix nor remote group is open to all; a rule with no protocol or no port range opens every port. ICMP rules and egress rules are out of scope.",
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
        prefixesOuverts: {
            type: "array",
            items: { type: "string" },
            default: ["0.0.0.0/0", "::/0"],
            description: txt("Préfixes qui valent « tout Internet ».", "Prefixes that mean “the whole Internet”."),
        },
    },
    types: [OS.secGroupRule, OS.computeSecGroup],
    check(r, ctx) {
        const openings: Opening[] = [];
        if (r.type === OS.secGroupRule) {
            if ((str(r.props["direction"]) ?? "ingress") !== "ingress") return;
            openings.push({
                path: "",
                protocol: str(r.props["protocol"]),
                from: num(r.props["portRangeMin"]),
                to: num(r.props["portRangeMax"]),
                remote: str(r.props["remoteIpPrefix"]),
                remoteGroup: !!str(r.props["remoteGroupId"]),
            });
        } else {
            arr(r.props["rules"]).forEach((x, i) => {
                const rule = rec(x);
                if (!rule) return;
                openings.push({
                    path: `rules[${i}].`,
                    protocol: str(rule["ipProtocol"]),
                    from: num(rule["fromPort"]),
                    to: num(rule["toPort"]),
                    remote: str(rule["cidr"]),
                    remoteGroup: !!str(rule["fromGroupId"]) || rule["self"] === true,
                });
            });
        }
        for (const o of openings) check(o, r.type === OS.secGroupRule ? "remoteIpPrefix" : "cidr", ctx);
    },
});

function check(o: Opening, remoteKey: string, ctx: RuleContext<Config>): void {
    const protocol = (o.protocol ?? "").toLowerCase();
    if (protocol === "icmp" || protocol === "ipv6-icmp" || protocol === "icmpv6" || protocol === "1" || protocol === "58") return;
    const remote = o.remote?.trim();
    const world = remote ? ctx.config.prefixesOuverts.includes(remote) : !o.remoteGroup;
    if (!world) return;
    const allPorts = protocol === "" || protocol === "any" || o.from === undefined || o.to === undefined
        || (o.from <= 1 && o.to >= 65535) || (o.from === 0 && o.to === 0 && protocol !== "tcp" && protocol !== "udp");
    const from = o.from ?? 0;
    const to = o.to ?? 65535;
    const inRange = (p: number) => allPorts || (p >= from && p <= to);
    const admin = ctx.config.portsAdministration.filter(inRange);
    const db = ctx.config.portsBasesDeDonnees.filter(inRange);
    if (!allPorts && admin.length === 0 && db.length === 0) return;
    const what = allPorts
        ? msg(m`tous les ports`, m`every port`)
        : msg(
              m`${items([admin.length ? m`administration ${items(admin)}` : undefined, db.length ? m`base de données ${items(db)}` : undefined].filter((x) => x !== undefined))}`,
              m`${items([admin.length ? m`administration ${items(admin)}` : undefined, db.length ? m`database ${items(db)}` : undefined].filter((x) => x !== undefined))}`,
          );
    const ports = allPorts ? "*" : from === to ? String(from) : `${from}-${to}`;
    ctx.report({
        property: `${o.path}${remoteKey}`,
        value: remote ?? null,
        problem: msg(
            m`règle entrante ${protocol || "tout protocole"}/${ports} ouverte à tout Internet : ${what.fr}.`,
            m`ingress rule ${protocol || "any protocol"}/${ports} open to the whole Internet: ${what.en}.`,
        ),
    });
}
