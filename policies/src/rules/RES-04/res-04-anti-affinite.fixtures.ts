import { fixtures, FixtureResource, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const sg = (name: string, policies: unknown): FixtureResource => ({
    type: OS.serverGroup,
    name,
    props: { name, policies },
});

/** An instance of a service whose scheduler hint takes the server group's ID (unknown at preview). */
const vm = (name: string, service: string, zone: string, group?: string, extra: Record<string, unknown> = {}): FixtureResource => ({
    type: OS.instance,
    name,
    props: {
        name,
        flavorName: "b3-8",
        availabilityZone: zone,
        tags: [`service=${service}`],
        ...(group ? { schedulerHints: [{ group: unknown() }] } : {}),
        ...extra,
    },
    ...(group ? { propertyDependencies: { schedulerHints: [group] } } : {}),
});

export default fixtures(
    {
        title: "trois réplicas dans un groupe anti-affinity ; instance isolée non concernée",
        kind: "compliant",
        resources: [
            sg("api-sg", ["anti-affinity"]),
            vm("api-1", "api", "az1", "api-sg"),
            vm("api-2", "api", "az2", "api-sg"),
            vm("api-3", "api", "az3", "api-sg"),
            vm("bastion", "bastion", "az1"),
        ],
        expect: { raises: [], notRaises: ["RES-04"] },
    },
    {
        title: "réplicas d'un composant parent, groupe soft-anti-affinity relié par dependsOn, ID connu",
        kind: "compliant",
        resources: [
            { type: "cdc:app:Service", name: "front", props: {} },
            sg("front-sg", ["soft-anti-affinity"]),
            { type: OS.instance, name: "front-1", parent: "front", props: { availabilityZone: "az1", schedulerHints: [{ group: "front-sg-id" }] }, dependsOn: ["front-sg"] },
            { type: OS.instance, name: "front-2", parent: "front", props: { availabilityZone: "az2", schedulerHints: [{ group: "front-sg-id" }] }, dependsOn: ["front-sg"] },
        ],
        expect: { raises: [], notRaises: ["RES-04"] },
    },
    {
        title: "instances non étiquetées d'un même groupe anti-affinity : un service, conforme ; bastion seul non concerné",
        kind: "compliant",
        resources: [
            sg("app-sg", ["anti-affinity"]),
            { ...vm("app-blue", "-", "az1", "app-sg"), props: { availabilityZone: "az1", schedulerHints: [{ group: unknown() }] } },
            { ...vm("app-green", "-", "az2", "app-sg"), props: { availabilityZone: "az2", schedulerHints: [{ group: unknown() }] } },
            { type: OS.instance, name: "bastion", props: { availabilityZone: "az1" } },
        ],
        expect: { raises: [], notRaises: ["RES-04"] },
    },
    {
        title: "série de noms non étiquetée sans groupe de serveurs : un service, un constat",
        kind: "non-compliant",
        resources: [
            { type: OS.instance, name: "web-1", props: { availabilityZone: "az1" } },
            { type: OS.instance, name: "web-2", props: { availabilityZone: "az2" } },
        ],
        expect: { raises: ["RES-04"], notRaises: [], violations: 1, mentions: ["« web-* »", "web-1", "web-2"] },
    },
    {
        title: "service sans groupe, groupe d'affinité, identifiant littéral : un constat par service",
        kind: "non-compliant",
        resources: [
            sg("db-sg", ["affinity"]),
            vm("api-1", "api", "az1"),
            vm("api-2", "api", "az2"),
            vm("db-1", "db", "az1", "db-sg"),
            vm("db-2", "db", "az2", "db-sg"),
            vm("cache-1", "cache", "az1", undefined, { schedulerHints: [{ group: "4b1c-existing-group" }] }),
            vm("cache-2", "cache", "az2", undefined, { schedulerHints: [{ differentHosts: ["x"] }, { group: "4b1c-existing-group" }] }),
        ],
        expect: { raises: ["RES-04"], notRaises: [], violations: 3 },
    },
    {
        title: "une instance du service hors groupe : chemin exact",
        kind: "non-compliant",
        resources: [sg("api-sg", ["anti-affinity"]), vm("api-1", "api", "az1", "api-sg"), vm("api-2", "api", "az2")],
        expect: { raises: ["RES-04"], notRaises: [], violations: 1, mentions: ["« api »", "« api-2 »", "schedulerHints absent"] },
    },
    {
        title: "groupe d'affinité : chemin et politique nommés",
        kind: "non-compliant",
        resources: [sg("db-sg", ["affinity"]), vm("db-1", "db", "az1", "db-sg"), vm("db-2", "db", "az2", "db-sg")],
        expect: { raises: ["RES-04"], notRaises: [], violations: 1, mentions: ["schedulerHints[0].group", "« db-sg »", "[\"affinity\"]"] },
    },
    {
        title: "réplicas répartis entre deux groupes d'anti-affinité",
        kind: "non-compliant",
        resources: [sg("g1", ["anti-affinity"]), sg("g2", ["anti-affinity"]), vm("w-1", "w", "az1", "g1"), vm("w-2", "w", "az2", "g2")],
        expect: { raises: ["RES-04"], notRaises: [], violations: 1, mentions: ["g1, g2"] },
    },
    {
        title: "soft-anti-affinity refusée par configuration",
        kind: "non-compliant",
        config: { politiquesAcceptees: ["anti-affinity"] },
        resources: [sg("s", ["soft-anti-affinity"]), vm("w-1", "w", "az1", "s"), vm("w-2", "w", "az2", "s")],
        expect: { raises: ["RES-04"], notRaises: [], violations: 1, mentions: ["soft-anti-affinity"] },
    },
    {
        title: "politique du groupe inconnue à la prévisualisation",
        kind: "unknown",
        resources: [sg("api-sg", unknown()), vm("api-1", "api", "az1", "api-sg"), vm("api-2", "api", "az2", "api-sg")],
        expect: { raises: [], notRaises: ["RES-04"], cannotCheck: true },
    },
    {
        title: "mot de passe secret sur une instance d'un service sans groupe : jamais affiché",
        kind: "secret",
        resources: [vm("api-1", "api", "az1", undefined, { adminPass: secret("P4ss-S3cret") }), vm("api-2", "api", "az2")],
        expect: { raises: ["RES-04"], notRaises: [], violations: 1, hidden: ["P4ss-S3cret"] },
    },
    {
        title: "valeurs mal formées : policies en texte, schedulerHints en texte, indications nulles",
        kind: "malformed",
        resources: [
            sg("s", "anti-affinity"),
            vm("w-1", "w", "az1", "s"),
            { ...vm("w-2", "w", "az2"), props: { availabilityZone: "az2", tags: ["service=w"], schedulerHints: "group=s" } },
            { ...vm("x-1", "x", "az1"), props: { tags: ["service=x"], schedulerHints: [null, 3, { group: null }] } },
            { ...vm("x-2", "x", "az2"), props: { tags: ["service=x"], schedulerHints: null } },
        ],
        // policies as a string holds no accepted policy; hints that are not objects name no group: one finding per service.
        expect: { raises: ["RES-04"], notRaises: [], violations: 2 },
    },
);
