import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const vm = (name: string, zone: unknown, extra: Record<string, unknown> = {}) => ({
    type: OS.instance,
    name,
    props: { name, flavorName: "b3-8", imageName: "debian-12", availabilityZone: zone, ...extra },
});

const vol = (name: string, zone: unknown, extra: Record<string, unknown> = {}) => ({
    type: OS.volume,
    name,
    props: { name, size: 50, volumeType: "classic-luks", availabilityZone: zone, ...extra },
});

/** A compute VolumeAttach as a Pulumi program creates it: IDs unknown at preview, related by property dependencies. */
const attach = (name: string, instance: string, volume: string, ids: "preview" | "update" = "preview") => ({
    type: OS.computeVolumeAttach,
    name,
    props: ids === "preview" ? { instanceId: unknown(), volumeId: unknown() } : { instanceId: `${instance}-id`, volumeId: `${volume}-id` },
    propertyDependencies: { instanceId: [instance], volumeId: [volume] },
});

export default fixtures(
    {
        title: "volume attaché dans la zone de son instance (prévisualisation, IDs inconnus)",
        kind: "compliant",
        resources: [vm("web", "eu-west-par-a"), vol("data", "eu-west-par-a"), attach("data-att", "web", "data")],
        expect: { raises: [], notRaises: ["RES-03"] },
    },
    {
        title: "démarrage sur un volume existant de la même zone (blockDevices sourceType volume)",
        kind: "compliant",
        resources: [
            vol("boot", "az1", { imageName: "debian-12" }),
            {
                ...vm("db", "az1", {
                    blockDevices: [{ sourceType: "volume", uuid: unknown(), destinationType: "volume", bootIndex: 0 }],
                }),
                propertyDependencies: { blockDevices: ["boot"] },
            },
        ],
        expect: { raises: [], notRaises: ["RES-03"] },
    },
    {
        title: "attachement relié par dependsOn seulement (repli), mêmes zones",
        kind: "compliant",
        resources: [
            vm("web", "az2"),
            vol("data", "az2"),
            { type: OS.computeVolumeAttach, name: "att", props: { instanceId: "web-id", volumeId: "data-id" }, dependsOn: ["web", "data"] },
        ],
        expect: { raises: [], notRaises: ["RES-03"] },
    },
    {
        title: "volume d'un volume existant hors de la pile : non jugé",
        kind: "compliant",
        resources: [vm("web", "az1"), { type: OS.computeVolumeAttach, name: "att", props: { instanceId: unknown(), volumeId: "0f3c-existing" }, propertyDependencies: { instanceId: ["web"] } }],
        expect: { raises: [], notRaises: ["RES-03"] },
    },
    {
        title: "volume dans une autre zone que l'instance (mise à jour, IDs connus)",
        kind: "non-compliant",
        resources: [vm("web", "eu-west-par-a"), vol("data", "eu-west-par-b"), attach("data-att", "web", "data", "update")],
        expect: {
            raises: ["RES-03"],
            notRaises: [],
            violations: 1,
            mentions: ["« data »", "availabilityZone = \"eu-west-par-b\"", "« web »", "eu-west-par-a", "data-att"],
        },
    },
    {
        title: "deux attachements : un volume sans zone, un volume dans une autre zone ; démarrage sur un volume d'une autre zone",
        kind: "non-compliant",
        resources: [
            vm("web", "az1"),
            vol("logs", undefined),
            vol("data", "az3"),
            attach("logs-att", "web", "logs"),
            attach("data-att", "web", "data"),
            vol("boot", "az2"),
            {
                ...vm("db", "az1", {
                    blockDevices: [
                        { sourceType: "image", uuid: "img-1", destinationType: "local", bootIndex: -1 },
                        { sourceType: "volume", uuid: unknown(), destinationType: "volume", bootIndex: 0 },
                    ],
                }),
                propertyDependencies: { blockDevices: ["boot"] },
            },
        ],
        expect: { raises: ["RES-03"], notRaises: [], violations: 3 },
    },
    {
        title: "volume monté au démarrage dans une autre zone : chemin exact",
        kind: "non-compliant",
        resources: [
            vol("boot", "az2"),
            {
                ...vm("db", "az1", { blockDevices: [{ sourceType: "volume", uuid: unknown(), destinationType: "volume", bootIndex: 0 }] }),
                propertyDependencies: { blockDevices: ["boot"] },
            },
        ],
        expect: { raises: ["RES-03"], notRaises: [], violations: 1, mentions: ["blockDevices[0].uuid", "« boot »", "« db »"] },
    },
    {
        title: "zones absentes tolérées par configuration, zones différentes toujours en défaut",
        kind: "non-compliant",
        config: { zoneAbsenteEnDefaut: false },
        resources: [vm("web", "az1"), vol("logs", undefined), vol("data", "az2"), attach("a1", "web", "logs"), attach("a2", "web", "data")],
        expect: { raises: ["RES-03"], notRaises: [], violations: 1, mentions: ["« data »"] },
    },
    {
        title: "zone de l'instance inconnue à la prévisualisation",
        kind: "unknown",
        resources: [vm("web", unknown()), vol("data", "az1"), attach("att", "web", "data")],
        expect: { raises: [], notRaises: ["RES-03"], cannotCheck: true },
    },
    {
        title: "instance en défaut avec un mot de passe secret : jamais affiché",
        kind: "secret",
        resources: [vm("web", "az1", { adminPass: secret("Sup3r-S3cret") }), vol("data", "az2", { metadata: { cle: secret("Vol-S3cret") } }), attach("att", "web", "data")],
        expect: { raises: ["RES-03"], notRaises: [], violations: 1, hidden: ["Sup3r-S3cret", "Vol-S3cret"] },
    },
    {
        title: "valeurs mal formées : zone numérique du volume, blockDevices en texte, attachement sans dépendances",
        kind: "malformed",
        resources: [
            vm("web", "az1"),
            vol("data", 3),
            attach("att", "web", "data"),
            { ...vm("db", "az1", { blockDevices: "volume" }), propertyDependencies: { blockDevices: ["data"] } },
            { type: OS.computeVolumeAttach, name: "orphan", props: { instanceId: null, volumeId: 42 } },
        ],
        // Only the attachment "att" is judged: the volume's zone 3 is no zone. blockDevices as text has no volume device.
        expect: { raises: ["RES-03"], notRaises: [], violations: 1, mentions: ["« data »", "availabilityZone = 3"] },
    },
);
