import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

export default fixtures(
    {
        title: "sécurité des ports activée ou laissée par défaut",
        kind: "compliant",
        resources: [
            { type: OS.network, name: "net", props: { name: "net", portSecurityEnabled: true } },
            { type: OS.port, name: "p1", props: { networkId: "n", securityGroupIds: ["sg"] } },
            { type: OS.port, name: "vip", props: { networkId: "n", portSecurityEnabled: true, allowedAddressPairs: [{ ipAddress: "10.0.0.10" }] } },
        ],
        expect: { raises: [], notRaises: ["SEC-07"] },
    },
    {
        title: "réseau et port sans sécurité des ports",
        kind: "non-compliant",
        resources: [
            { type: OS.network, name: "net", props: { name: "net", portSecurityEnabled: false } },
            { type: OS.port, name: "p1", props: { networkId: "n", portSecurityEnabled: false, noSecurityGroups: true } },
        ],
        expect: { raises: ["SEC-07"], notRaises: [], violations: 2, mentions: ["portSecurityEnabled = false"] },
    },
    {
        title: "sécurité des ports inconnue à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.port, name: "p1", props: { networkId: "n", portSecurityEnabled: unknown() } }],
        expect: { raises: [], notRaises: ["SEC-07"], cannotCheck: true },
    },
    {
        title: "port désactivé avec une adresse MAC secrète",
        kind: "secret",
        resources: [{ type: OS.port, name: "p1", props: { networkId: "n", portSecurityEnabled: false, macAddress: secret("fa:16:3e:aa:bb:cc") } }],
        expect: { raises: ["SEC-07"], notRaises: [], violations: 1, hidden: ["fa:16:3e:aa:bb:cc"] },
    },
    {
        title: "valeurs mal formées : chaîne « false », nombre 0, null",
        kind: "malformed",
        resources: [
            { type: OS.port, name: "a", props: { networkId: "n", portSecurityEnabled: "false" } },
            { type: OS.port, name: "b", props: { networkId: "n", portSecurityEnabled: 0 } },
            { type: OS.network, name: "c", props: { portSecurityEnabled: null } },
        ],
        // Only the string "false" is read as false (1); 0 and null are not booleans: Neutron's default applies.
        expect: { raises: ["SEC-07"], notRaises: [], violations: 1, mentions: ["« a »"] },
    },
);
