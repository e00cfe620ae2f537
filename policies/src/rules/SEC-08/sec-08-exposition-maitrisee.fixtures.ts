import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const vm = (name: string, extra: Record<string, unknown> = {}) => ({
    type: OS.instance,
    name,
    props: { name, flavorName: "b3-8", imageName: "debian-12", keyPair: "admin", ...extra },
});

export default fixtures(
    {
        title: "IP du répartiteur (vipPortId), du bastion marqué, du port du bastion, et IP non associée",
        kind: "compliant",
        resources: [
            { type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "s", vipPortId: unknown() } },
            { type: OS.floatingIp, name: "ip-lb", props: { pool: "Ext-Net", portId: unknown() }, propertyDependencies: { portId: ["lb"] } },
            vm("admin-1", { tags: ["role=bastion"] }),
            { type: OS.floatingIp, name: "ip-admin", props: { pool: "Ext-Net" } },
            { type: OS.computeFloatingIpAssociate, name: "assoc-admin", props: { floatingIp: unknown(), instanceId: unknown() }, propertyDependencies: { floatingIp: ["ip-admin"], instanceId: ["admin-1"] } },
            { type: OS.port, name: "port-b", props: { networkId: "n" } },
            { ...vm("bastion-2", { networks: [{ port: unknown() }] }), propertyDependencies: { networks: ["port-b"] } },
            { type: OS.floatingIpAssociate, name: "assoc-b", props: { floatingIp: "203.0.113.7", portId: unknown() }, propertyDependencies: { portId: ["port-b"] } },
            { type: OS.floatingIp, name: "ip-libre", props: { pool: "Ext-Net" } },
        ],
        expect: { raises: [], notRaises: ["SEC-08"] },
    },
    {
        title: "correspondance littérale avec le vipPortId d'un répartiteur",
        kind: "compliant",
        resources: [
            { type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "s", vipPortId: "8d2f-port" } },
            { type: OS.floatingIp, name: "ip", props: { pool: "Ext-Net", portId: "8d2f-port" } },
        ],
        expect: { raises: [], notRaises: ["SEC-08"] },
    },
    {
        title: "IP sur une instance applicative, sur un port applicatif, et association inconnue",
        kind: "non-compliant",
        resources: [
            vm("app-1"),
            { type: OS.computeFloatingIpAssociate, name: "assoc-app", props: { floatingIp: "203.0.113.8", instanceId: unknown() }, propertyDependencies: { instanceId: ["app-1"] } },
            { type: OS.port, name: "port-app", props: { networkId: "n" } },
            { ...vm("app-2", { networks: [{ port: unknown() }] }), propertyDependencies: { networks: ["port-app"] } },
            { type: OS.floatingIp, name: "ip-app", props: { pool: "Ext-Net", portId: unknown() }, propertyDependencies: { portId: ["port-app"] } },
            { type: OS.floatingIpAssociate, name: "assoc-ext", props: { floatingIp: "203.0.113.9", portId: "0b1c-port-externe" } },
        ],
        expect: { raises: ["SEC-08"], notRaises: [], violations: 3, mentions: ["IP"] },
    },
    {
        title: "instance avec la propriété dépréciée floatingIp",
        kind: "non-compliant",
        resources: [vm("app", { floatingIp: "203.0.113.10" })],
        expect: { raises: ["SEC-08"], notRaises: [], violations: 1, mentions: ["floatingIp", "« app »"] },
    },
    {
        title: "marqueurs de l'instance cible inconnus à la prévisualisation",
        kind: "unknown",
        resources: [
            vm("app-1", { tags: unknown() }),
            { type: OS.computeFloatingIpAssociate, name: "assoc", props: { floatingIp: "203.0.113.8", instanceId: unknown() }, propertyDependencies: { instanceId: ["app-1"] } },
        ],
        expect: { raises: [], notRaises: ["SEC-08"], cannotCheck: true },
    },
    {
        title: "instance applicative exposée avec un mot de passe administrateur secret",
        kind: "secret",
        resources: [
            vm("app-1", { adminPass: secret("R00tPassw0rd!") }),
            { type: OS.computeFloatingIpAssociate, name: "assoc", props: { floatingIp: "203.0.113.8", instanceId: unknown() }, propertyDependencies: { instanceId: ["app-1"] } },
        ],
        expect: { raises: ["SEC-08"], notRaises: [], violations: 1, hidden: ["R00tPassw0rd!"] },
    },
    {
        title: "valeurs mal formées : tags texte, metadata tableau, portId nombre, networks texte",
        kind: "malformed",
        resources: [
            vm("app-1", { tags: "role=bastion", metadata: ["role=bastion"], networks: "port-x" }),
            { type: OS.computeFloatingIpAssociate, name: "assoc", props: { floatingIp: 7, instanceId: unknown() }, propertyDependencies: { instanceId: ["app-1"] } },
            { type: OS.floatingIp, name: "ip", props: { pool: "Ext-Net", portId: 42 } },
        ],
        // Unreadable markers do not make a bastion (1 violation); a numeric portId counts as no association (not reported).
        expect: { raises: ["SEC-08"], notRaises: [], violations: 1, mentions: ["app-1"] },
    },
);
