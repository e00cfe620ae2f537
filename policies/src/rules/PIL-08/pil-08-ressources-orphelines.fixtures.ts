import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S_MORE_PILOTAGE, OS } from "../../lib/types";

const volume = (name: string, extra: Record<string, unknown> = {}) => ({
    type: OS.volume,
    name,
    props: { size: 20, volumeType: "classic-luks", availabilityZone: "eu-west-par-a", ...extra },
});
const instance = (name: string, extra: Record<string, unknown> = {}) => ({
    type: OS.instance,
    name,
    props: { flavorName: "b3-8", availabilityZone: "eu-west-par-a", ...extra },
});

export default fixtures(
    {
        title: "volumes attachés (VolumeAttach, disque de démarrage, PersistentVolume), IP du répartiteur, IP associée, volume conservé",
        kind: "compliant",
        resources: [
            {
                ...instance("web", { blockDevices: [{ uuid: unknown(), sourceType: "volume", destinationType: "volume", bootIndex: 0 }] }),
                propertyDependencies: { blockDevices: ["boot"] },
            },
            volume("boot"),
            volume("data"),
            volume("pv"),
            volume("archive", { metadata: { conserver: "true" } }),
            { type: OS.computeVolumeAttach, name: "data-attach", props: { instanceId: unknown(), volumeId: unknown() }, propertyDependencies: { instanceId: ["web"], volumeId: ["data"] } },
            {
                type: K8S_MORE_PILOTAGE.persistentVolume,
                name: "pv-k8s",
                props: { spec: { capacity: { storage: "20Gi" }, csi: { driver: "cinder.csi.openstack.org", volumeHandle: unknown() } } },
                propertyDependencies: { spec: ["pv"] },
            },
            { type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "subnet-1" } },
            { type: OS.floatingIp, name: "lb-ip", props: { pool: "Ext-Net", portId: unknown() }, propertyDependencies: { portId: ["lb"] } },
            { type: OS.floatingIp, name: "web-ip", props: { pool: "Ext-Net" } },
            { type: OS.floatingIpAssociate, name: "web-ip-assoc", props: { floatingIp: unknown(), portId: unknown() }, propertyDependencies: { floatingIp: ["web-ip"] } },
            { type: OS.floatingIp, name: "port-ip", props: { pool: "Ext-Net", portId: "8c5e2f4a-1111-2222-3333-444455556666" } },
            { type: OS.floatingIp, name: "adr-ip", props: { pool: "Ext-Net", address: "203.0.113.10" } },
            { type: OS.computeFloatingIpAssociate, name: "adr-assoc", props: { floatingIp: "203.0.113.10", instanceId: unknown() } },
        ],
        expect: { raises: [], notRaises: ["PIL-08"] },
    },
    {
        title: "volume seul, volume dont seul un instantané dépend, IP flottante sans port, IP compute sans association",
        kind: "non-compliant",
        resources: [
            volume("oublie"),
            volume("source"),
            { type: "openstack:compute/instance:Instance", name: "web", props: { flavorName: "b3-8" }, dependsOn: ["source"] },
            { type: OS.floatingIp, name: "ip", props: { pool: "Ext-Net", portId: "" } },
            { type: OS.computeFloatingIp, name: "ip-nova", props: { pool: "public" } },
            volume("garde", { metadata: { conserver: "false" } }),
        ],
        expect: { raises: ["PIL-08"], notRaises: [], violations: 5, mentions: ["PIL-08"] },
    },
    {
        title: "clé de conservation configurée",
        kind: "non-compliant",
        config: { cleConservation: "garder" },
        resources: [volume("a", { metadata: { conserver: "true" } }), volume("b", { metadata: { garder: "oui" } })],
        expect: { raises: ["PIL-08"], notRaises: [], violations: 1, mentions: ["« a »", "volume"] },
    },
    {
        title: "port de l'IP flottante inconnu sans dépendance",
        kind: "unknown",
        resources: [{ type: OS.floatingIp, name: "ip", props: { pool: "Ext-Net", portId: unknown() } }],
        expect: { raises: [], notRaises: ["PIL-08"], cannotCheck: true },
    },
    {
        title: "volume orphelin à côté d'une instance au mot de passe secret",
        kind: "secret",
        resources: [volume("oublie", { description: secret("projet Pégase confidentiel") }), instance("web", { adminPass: secret("Adm1n-P@ss") })],
        expect: { raises: ["PIL-08"], notRaises: [], violations: 1, hidden: ["Adm1n-P@ss", "Pégase"] },
    },
    {
        title: "propriétés mal formées : port numérique, métadonnées en liste, étiquettes en texte",
        kind: "malformed",
        resources: [
            { type: OS.floatingIp, name: "ip", props: { pool: "Ext-Net", portId: 42, tags: "conserver=true" } },
            volume("v", { metadata: ["conserver=true"] }),
            { type: OS.computeFloatingIpAssociate, name: "assoc", props: { floatingIp: null } },
        ],
        expect: { raises: ["PIL-08"], notRaises: [], violations: 2 },
    },
);
