import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

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
