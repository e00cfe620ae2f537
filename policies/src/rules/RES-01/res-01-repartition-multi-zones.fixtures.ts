import { fixtures, FixtureResource, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const vm = (name: string, zone: unknown, extra: Record<string, unknown> = {}): FixtureResource => ({
    type: OS.instance,
    name,
    props: { flavorName: "b3-8", availabilityZone: zone, ...extra },
});

/** An untagged instance whose scheduler hint takes the ID of a ServerGroup of the stack. */
const inGroup = (name: string, zone: string, group: string): FixtureResource => ({
    ...vm(name, zone, { schedulerHints: [{ group: unknown() }] }),
    propertyDependencies: { schedulerHints: [group] },
});

const serverGroup = (name: string): FixtureResource => ({ type: OS.serverGroup, name, props: { name, policies: ["anti-affinity"] } });
const pool = (name: string): FixtureResource => ({ type: OS.pool, name, props: { protocol: "HTTP", lbMethod: "ROUND_ROBIN" } });
/** A pool member whose address comes from an instance (property dependency, unknown at preview). */
const member = (name: string, poolName: string, instance: string): FixtureResource => ({
    type: OS.member,
    name,
    props: { poolId: unknown(), address: unknown(), protocolPort: 8080 },
    propertyDependencies: { poolId: [poolName], address: [instance] },
});

export default fixtures(
    {
        title: "service étiqueté réparti sur trois zones",
        kind: "compliant",
        resources: [
            vm("api-1", "eu-west-par-a", { tags: ["service=api"] }),
            vm("api-2", "eu-west-par-b", { tags: ["service=api"] }),
            vm("api-3", "eu-west-par-c", { tags: ["service=api"] }),
        ],
        expect: { raises: [], notRaises: ["RES-01"] },
    },
    {
        title: "instances d'un composant parent dans deux zones",
        kind: "compliant",
        resources: [
            { type: "cdc:app:Service", name: "front", props: {} },
            { ...vm("front-1", "az1"), parent: "front" },
            { ...vm("front-2", "az2"), parent: "front" },
        ],
        expect: { raises: [], notRaises: ["RES-01"] },
    },
    {
        title: "sans étiquette service : série de noms, groupe de serveurs et pool répartis ; bastion isolé",
        kind: "compliant",
        resources: [
            vm("web-1", "az1"),
            vm("web-2", "az2"),
            vm("web-3", "az3"),
            serverGroup("app-sg"),
            inGroup("app-blue", "az1", "app-sg"),
            inGroup("app-green", "az2", "app-sg"),
            pool("api-pool"),
            vm("api-east", "az1"),
            vm("api-west", "az2"),
            member("m-east", "api-pool", "api-east"),
            member("m-west", "api-pool", "api-west"),
            vm("bastion", "az1"),
        ],
        expect: { raises: [], notRaises: ["RES-01"] },
    },
    {
        title: "instances isolées sans service (bastion, outil) dans une seule zone, zone inconnue comprise",
        kind: "compliant",
        resources: [
            vm("bastion", "az1"),
            vm("outillage", "az1", { tags: ["role=ci"] }),
            { type: "cdc:app:Admin", name: "admin", props: {} },
            { ...vm("console", unknown()), parent: "admin" },
        ],
        expect: { raises: [], notRaises: ["RES-01"] },
    },
    {
        title: "deux services : l'un réparti, l'autre dans une seule zone",
        kind: "non-compliant",
        resources: [
            vm("api-1", "az1", { tags: ["service=api"] }),
            vm("api-2", "az2", { tags: ["service=api"] }),
            vm("db-1", "az1", { metadata: { service: "db" } }),
            vm("db-2", "az1", { metadata: { service: "db" } }),
        ],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["« db »", "db-1", "db-2", "même valeur de la clé « service »"] },
    },
    {
        title: "trois zones exigées par configuration",
        kind: "non-compliant",
        config: { zonesMin: 3 },
        resources: [vm("api-1", "az1", { tags: ["service=api"] }), vm("api-2", "az2", { tags: ["service=api"] })],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["au moins 3"] },
    },
    {
        title: "service déclaré d'une seule instance : pas de redondance",
        kind: "non-compliant",
        resources: [vm("paiement", "az1", { tags: ["service=paiement"] }), vm("bastion", "az1")],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["« paiement »"] },
    },
    {
        title: "groupe de serveurs non étiqueté dans une seule zone",
        kind: "non-compliant",
        resources: [serverGroup("app-sg"), inGroup("app-blue", "az1", "app-sg"), inGroup("app-green", "az1", "app-sg"), vm("bastion", "az2")],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["même groupe de serveurs « app-sg »", "app-blue", "app-green"] },
    },
    {
        title: "membres d'un pool dans une seule zone, noms sans série",
        kind: "non-compliant",
        resources: [
            pool("api-pool"),
            vm("api-east", "az1"),
            vm("api-west", "az1"),
            member("m-east", "api-pool", "api-east"),
            member("m-west", "api-pool", "api-west"),
        ],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["membres du même pool « api-pool »"] },
    },
    {
        title: "série de noms dans une seule zone (une instance sans zone) ; le bastion n'en fait pas partie",
        kind: "non-compliant",
        resources: [vm("web-a", "az1"), vm("web-b", "az1"), { type: OS.instance, name: "web-c", props: { flavorName: "b3-8" } }, vm("bastion", "az2")],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["série de noms « web-* »", "web-a", "web-b", "web-c"] },
    },
    {
        title: "zone inconnue à la prévisualisation",
        kind: "unknown",
        resources: [vm("api-1", unknown(), { tags: ["service=api"] }), vm("api-2", "az2", { tags: ["service=api"] })],
        expect: { raises: [], notRaises: ["RES-01"], cannotCheck: true },
    },
    {
        title: "zone inconnue mais zones connues suffisantes",
        kind: "unknown",
        resources: [vm("api-1", unknown(), { tags: ["service=api"] }), vm("api-2", "az2", { tags: ["service=api"] }), vm("api-3", "az1", { tags: ["service=api"] })],
        expect: { raises: [], notRaises: ["RES-01"] },
    },
    {
        title: "mot de passe secret sur une instance en défaut : jamais affiché",
        kind: "secret",
        resources: [vm("solo", "az1", { adminPass: secret("S3cr3t-Passw0rd"), tags: [secret("service=S3cr3t-Service")] })],
        expect: { raises: ["RES-01"], notRaises: [], hidden: ["S3cr3t-Passw0rd", "S3cr3t-Service"] },
    },
    {
        title: "valeurs mal formées : zone numérique, étiquettes non textuelles",
        kind: "malformed",
        resources: [vm("x-1", 12, { tags: [1, null, "service"] }), vm("x-2", null, { tags: "service=x" })],
        expect: { raises: ["RES-01"], notRaises: [] },
    },
    {
        title: "valeurs mal formées : schedulerHints et membres de pool sans forme attendue",
        kind: "malformed",
        resources: [
            vm("alpha", "az1", { schedulerHints: "group=g" }),
            vm("beta", "az1", { schedulerHints: [null, 3, { group: 7 }] }),
            { type: OS.members, name: "ms", props: { poolId: "p", members: [null, { address: 12 }, "x"] } },
        ],
        expect: { raises: [], notRaises: ["RES-01"] },
    },
);
