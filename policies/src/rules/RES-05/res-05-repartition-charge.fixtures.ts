import { fixtures, FixtureResource, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const vm = (name: string, zone: unknown, extra: Record<string, unknown> = {}): FixtureResource => ({
    type: OS.instance,
    name,
    props: { name, flavorName: "b3-8", availabilityZone: zone, networks: [{ name: "prive" }], ...extra },
});

const pool = (name = "pool"): FixtureResource => ({
    type: OS.pool,
    name,
    props: { name, protocol: "HTTP", lbMethod: "ROUND_ROBIN", listenerId: unknown() },
});

/** A Member whose address comes from the instance (`address: web1.accessIpV4`), unknown at preview. */
const member = (name: string, instance: string | undefined, poolName = "pool", extra: Record<string, unknown> = {}): FixtureResource => ({
    type: OS.member,
    name,
    props: { poolId: unknown(), address: unknown(), protocolPort: 8080, subnetId: unknown(), ...extra },
    propertyDependencies: { poolId: [poolName], subnetId: ["subnet"], ...(instance ? { address: [instance] } : {}) },
});

const monitor = (name = "sante", poolName = "pool", extra: Record<string, unknown> = {}): FixtureResource => ({
    type: OS.monitor,
    name,
    props: { poolId: unknown(), type: "HTTP", delay: 5, timeout: 3, maxRetries: 3, urlPath: "/sante", ...extra },
    propertyDependencies: { poolId: [poolName] },
});

const subnet: FixtureResource = { type: OS.subnet, name: "subnet", props: { cidr: "10.0.0.0/24", networkId: unknown() } };

export default fixtures(
    {
        title: "deux membres dans deux zones et un moniteur (prévisualisation)",
        kind: "compliant",
        resources: [subnet, vm("web-1", "az1"), vm("web-2", "az2"), pool(), member("m1", "web-1"), member("m2", "web-2"), monitor()],
        expect: { raises: [], notRaises: ["RES-05"] },
    },
    {
        title: "Members (pluriel) reliés par la propriété members, et adresses tirées de Ports",
        kind: "compliant",
        resources: [
            subnet,
            vm("web-1", "az1"),
            { type: OS.port, name: "p2", props: { networkId: unknown() } },
            { ...vm("web-2", "az2", { networks: [{ port: unknown() }] }), propertyDependencies: { networks: ["p2"] } },
            pool(),
            {
                type: OS.members,
                name: "membres",
                props: { poolId: unknown(), members: [{ address: unknown(), protocolPort: 8080 }, { address: unknown(), protocolPort: 8080 }] },
                propertyDependencies: { poolId: ["pool"], members: ["web-1", "p2"] },
            },
            monitor(),
        ],
        expect: { raises: [], notRaises: ["RES-05"] },
    },
    {
        title: "mise à jour : adresses connues reliées aux adresses fixes des instances",
        kind: "compliant",
        resources: [
            vm("web-1", "az1", { networks: [{ name: "prive", fixedIpV4: "10.0.0.11" }] }),
            vm("web-2", "az3", { accessIpV4: "10.0.0.12" }),
            { type: OS.pool, name: "pool", props: { protocol: "HTTP", lbMethod: "ROUND_ROBIN", listenerId: "lst-id" }, dependsOn: [] },
            { type: OS.member, name: "m1", props: { poolId: "pool-id", address: "10.0.0.11", protocolPort: 80 }, propertyDependencies: { poolId: ["pool"] } },
            { type: OS.member, name: "m2", props: { poolId: "pool-id", address: "10.0.0.12", protocolPort: 80 }, propertyDependencies: { poolId: ["pool"] } },
            { type: OS.monitor, name: "sante", props: { poolId: "pool-id", type: "TCP", delay: 5, timeout: 3, maxRetries: 3 }, dependsOn: ["pool"] },
        ],
        expect: { raises: [], notRaises: ["RES-05"] },
    },
    {
        title: "membres dans une seule zone, sans moniteur : deux constats",
        kind: "non-compliant",
        resources: [subnet, vm("web-1", "az1"), vm("web-2", "az1"), pool(), member("m1", "web-1"), member("m2", "web-2")],
        expect: { raises: ["RES-05"], notRaises: [], violations: 2, mentions: ["« pool »"] },
    },
    {
        title: "un membre non relié à une instance ne compte pour aucune zone",
        kind: "non-compliant",
        resources: [subnet, vm("web-1", "az1"), pool(), member("m1", "web-1"), member("m2", undefined, "pool", { address: "192.0.2.10" }), monitor()],
        expect: { raises: ["RES-05"], notRaises: [], violations: 1, mentions: ["« m2 »", "instance non reliée", "1 zone(s)"] },
    },
    {
        title: "moniteur désactivé et membre désactivé ; pool sans membre",
        kind: "non-compliant",
        resources: [
            subnet,
            vm("web-1", "az1"),
            vm("web-2", "az2"),
            pool(),
            member("m1", "web-1"),
            member("m2", "web-2", "pool", { adminStateUp: false }),
            monitor("sante", "pool", { adminStateUp: false }),
            pool("vide"),
            monitor("sante-vide", "vide"),
        ],
        expect: { raises: ["RES-05"], notRaises: [], violations: 3 },
    },
    {
        title: "trois zones exigées par configuration",
        kind: "non-compliant",
        config: { zonesMin: 3 },
        resources: [subnet, vm("web-1", "az1"), vm("web-2", "az2"), pool(), member("m1", "web-1"), member("m2", "web-2"), monitor()],
        expect: { raises: ["RES-05"], notRaises: [], violations: 1, mentions: ["au moins 3", "az1, az2"] },
    },
    {
        title: "zone d'une instance membre inconnue à la prévisualisation",
        kind: "unknown",
        resources: [subnet, vm("web-1", "az1"), vm("web-2", unknown()), pool(), member("m1", "web-1"), member("m2", "web-2"), monitor()],
        expect: { raises: [], notRaises: ["RES-05"], cannotCheck: true },
    },
    {
        title: "mot de passe secret sur une instance d'un pool en défaut : jamais affiché",
        kind: "secret",
        resources: [subnet, vm("web-1", "az1", { adminPass: secret("Adm1n-S3cret") }), pool(), member("m1", "web-1", "pool", { name: secret("membre-S3cret") }), monitor()],
        expect: { raises: ["RES-05"], notRaises: [], violations: 1, hidden: ["Adm1n-S3cret", "membre-S3cret"] },
    },
    {
        title: "valeurs mal formées : members en texte, adresse numérique, adminStateUp en texte",
        kind: "malformed",
        resources: [
            subnet,
            vm("web-1", "az1"),
            vm("web-2", ["az2"]),
            pool(),
            { type: OS.members, name: "ms", props: { poolId: unknown(), members: "web-1,web-2" }, propertyDependencies: { poolId: ["pool"], members: ["web-1"] } },
            member("m1", undefined, "pool", { address: 10 }),
            member("m2", "web-2", "pool", { adminStateUp: "oui" }),
            monitor("sante", "pool", { adminStateUp: null }),
        ],
        // members as text has no entry; m1's numeric address relates to nothing; web-2's zone is not a string: 0 zone, monitor counts.
        expect: { raises: ["RES-05"], notRaises: [], violations: 1, mentions: ["0 zone(s)", "« m1 »", "« m2 »"] },
    },
);
