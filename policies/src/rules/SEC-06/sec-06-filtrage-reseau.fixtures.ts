import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const ADDRESS_GROUP = "openstack:networking/addressGroupV2:AddressGroupV2";
const rule = (name: string, props: Record<string, unknown>) => ({
    type: OS.secGroupRule,
    name,
    props: { direction: "ingress", ethertype: "IPv4", securityGroupId: "sg", ...props },
});

export default fixtures(
    {
        title: "HTTPS ouvert au monde, SSH depuis le réseau d'administration, sortie libre",
        kind: "compliant",
        resources: [
            rule("https", { protocol: "tcp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "0.0.0.0/0" }),
            rule("ssh", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "10.10.0.0/24" }),
            rule("pg", { protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteGroupId: "sg-app" }),
            rule("egress", { direction: "egress", remoteIpPrefix: "0.0.0.0/0" }),
            rule("ping", { protocol: "icmp", remoteIpPrefix: "0.0.0.0/0" }),
        ],
        expect: { raises: [], notRaises: ["SEC-06"] },
    },
    {
        title: "moitiés de l'espace dans deux groupes différents, groupe distant connu au déploiement, GRE et ESP ouverts, groupe d'adresses interne",
        kind: "compliant",
        resources: [
            { type: OS.secGroup, name: "front", props: { name: "front" } },
            { type: OS.secGroup, name: "back", props: { name: "back" } },
            { type: ADDRESS_GROUP, name: "admin", props: { name: "admin", addresses: ["10.20.0.0/16", "fd00:20::/48"] } },
            { ...rule("bas", { securityGroupId: unknown(), protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/1" }), propertyDependencies: { securityGroupId: ["front"] } },
            { ...rule("haut", { securityGroupId: unknown(), protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "128.0.0.0/1" }), propertyDependencies: { securityGroupId: ["back"] } },
            { ...rule("depuis-front", { securityGroupId: unknown(), protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteGroupId: unknown() }), propertyDependencies: { securityGroupId: ["back"], remoteGroupId: ["front"] } },
            rule("gre", { protocol: "gre", remoteIpPrefix: "0/0" }),
            rule("esp6", { ethertype: "IPv6", protocol: "50", remoteIpPrefix: "::/0" }),
            rule("ping6", { ethertype: "IPv6", protocol: "ipv6-icmp" }),
            { ...rule("ssh-admin", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteAddressGroupId: unknown() }), propertyDependencies: { remoteAddressGroupId: ["admin"] } },
            rule("sortie", { direction: "egress", ethertype: "IPv6", remoteIpPrefix: "0:0::/0" }),
        ],
        expect: { raises: [], notRaises: ["SEC-06"] },
    },
    {
        title: "SSH, PostgreSQL et tous les ports ouverts à Internet",
        kind: "non-compliant",
        resources: [
            rule("ssh", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/0" }),
            rule("pg6", { ethertype: "IPv6", protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: "::/0" }),
            rule("tout", { protocol: "tcp" }),
        ],
        expect: { raises: ["SEC-06"], notRaises: [], violations: 3, mentions: ["remoteIpPrefix", "tout Internet"] },
    },
    {
        title: "deux moitiés de l'espace IPv4 dans un même groupe ouvrent SSH à tout Internet",
        kind: "non-compliant",
        resources: [
            { type: OS.secGroup, name: "web", props: { name: "web" } },
            { ...rule("bas", { securityGroupId: unknown(), protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/1" }), propertyDependencies: { securityGroupId: ["web"] } },
            { ...rule("haut", { securityGroupId: unknown(), protocol: "6", portRangeMin: 20, portRangeMax: 25, remoteIpPrefix: "128.0.0.0/1" }), propertyDependencies: { securityGroupId: ["web"] } },
        ],
        expect: { raises: ["SEC-06"], notRaises: [], violations: 2, mentions: ["même groupe de sécurité", "administration 22"] },
    },
    {
        title: "autres écritures de tout Internet : 0/0, ::0/0, bits d'hôte, masque, protocole en nombre, plage 0/0",
        kind: "non-compliant",
        resources: [
            rule("ssh", { protocol: "TCP", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0/0" }),
            rule("mysql6", { ethertype: "IPv6", protocol: "tcp", portRangeMin: 3306, portRangeMax: 3306, remoteIpPrefix: "::0/0" }),
            rule("rdp", { protocol: "tcp", portRangeMin: 3389, portRangeMax: 3389, remoteIpPrefix: "10.1.2.3/0" }),
            rule("redis", { protocol: "tcp", portRangeMin: 6379, portRangeMax: 6379, remoteIpPrefix: "192.168.0.0/0.0.0.0" }),
            rule("udp", { protocol: "17", portRangeMin: 0, portRangeMax: 0, remoteIpPrefix: "0.0.0.0/0" }),
            rule("tout6", { ethertype: "IPv6", protocol: "any", remoteIpPrefix: "::FFFF:1.2.3.4/0" }),
        ],
        expect: { raises: ["SEC-06"], notRaises: [], violations: 6, mentions: ["tout Internet"] },
    },
    {
        title: "groupe de sécurité compute : plage qui couvre RDP",
        kind: "non-compliant",
        resources: [{ type: OS.computeSecGroup, name: "legacy", props: { rules: [{ ipProtocol: "tcp", fromPort: 3000, toPort: 4000, cidr: "0.0.0.0/0" }] } }],
        expect: { raises: ["SEC-06"], notRaises: [], violations: 1, mentions: ["3389", "rules[0].cidr"] },
    },
    {
        title: "port d'administration ajouté par configuration",
        kind: "non-compliant",
        config: { portsAdministration: [8443] },
        resources: [rule("console", { protocol: "tcp", portRangeMin: 8443, portRangeMax: 8443, remoteIpPrefix: "0.0.0.0/0" })],
        expect: { raises: ["SEC-06"], notRaises: [], violations: 1 },
    },
    {
        title: "préfixe distant inconnu à la prévisualisation",
        kind: "unknown",
        resources: [rule("ssh", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: unknown() })],
        expect: { raises: [], notRaises: ["SEC-06"], cannotCheck: true },
    },
    {
        title: "description secrète d'une règle fautive",
        kind: "secret",
        resources: [rule("ssh", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/0", description: secret("acces-ssh-pour-M.Dupont") })],
        expect: { raises: ["SEC-06"], notRaises: [], violations: 1, hidden: ["acces-ssh-pour-M.Dupont"] },
    },
    {
        title: "ports en texte et règles compute mal formées",
        kind: "malformed",
        resources: [
            rule("ssh", { protocol: "tcp", portRangeMin: "22", portRangeMax: "22", remoteIpPrefix: "0.0.0.0/0" }),
            { type: OS.computeSecGroup, name: "bad", props: { rules: [null, "x", { ipProtocol: 6 }] } },
        ],
        expect: { raises: ["SEC-06"], notRaises: [], violations: 2 },
    },
);
