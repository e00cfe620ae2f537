import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S, OS } from "../../lib/types";

export default fixtures(
    {
        title: "volume LUKS, instance démarrant sur un volume chiffré, StorageClass chiffrée",
        kind: "compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.volume, name: "data", props: { size: 50, volumeType: "high-speed-luks" } },
            {
                type: OS.instance,
                name: "vm",
                props: { blockDevices: [{ sourceType: "image", uuid: "img", destinationType: "volume", volumeSize: 20, volumeType: "classic-luks", bootIndex: 0 }] },
            },
            { type: K8S.storageClass, name: "sc", props: { provisioner: "cinder.csi.openstack.org", parameters: { type: "classic-luks" } } },
        ],
        expect: { raises: [], notRaises: ["SEC-03"] },
    },
    {
        title: "disques locaux déclarés chiffrés par configuration",
        kind: "compliant",
        config: { disquesLocauxChiffres: true },
        resources: [{ type: OS.instance, name: "vm", props: { flavorName: "b3-8" } }],
        expect: { raises: [], notRaises: ["SEC-03"] },
    },
    {
        title: "volume sans type, type non chiffré, StorageClass sans chiffrement",
        kind: "non-compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.volume, name: "a", props: { size: 10 } },
            { type: OS.volume, name: "b", props: { size: 10, volumeType: "classic" } },
            { type: K8S.storageClass, name: "sc", props: { provisioner: "cinder.csi.openstack.org", parameters: { type: "classic" } } },
        ],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 3, mentions: ["classic-luks"] },
    },
    {
        title: "instance sur disque local et bloc de démarrage non chiffré",
        kind: "non-compliant",
        resources: [
            { type: OS.instance, name: "vm1", props: { flavorName: "b3-8" } },
            { type: OS.instance, name: "vm2", props: { blockDevices: [{ sourceType: "image", destinationType: "volume", volumeType: "ssd" }] } },
        ],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 2 },
    },
    {
        title: "type de volume inconnu à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.volume, name: "a", props: { size: 10, volumeType: unknown() } }],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
    {
        title: "type de volume non chiffré passé en secret : la valeur ne s'affiche pas",
        kind: "secret",
        resources: [{ type: OS.volume, name: "a", props: { size: 10, volumeType: secret("type-tres-confidentiel") } }],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 1, hidden: ["type-tres-confidentiel"] },
    },
    {
        title: "valeurs mal formées",
        kind: "malformed",
        resources: [
            { type: OS.volume, name: "a", props: { volumeType: ["classic-luks"] } },
            { type: OS.instance, name: "vm", props: { blockDevices: "volume" } },
            { type: K8S.storageClass, name: "sc", props: { parameters: ["type=classic-luks"] } },
        ],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 3 },
    },
);
