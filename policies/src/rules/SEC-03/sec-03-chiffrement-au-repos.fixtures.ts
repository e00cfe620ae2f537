import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S, OS } from "../../lib/types";

const sc = (name: string, provisioner: unknown, parameters?: unknown) => ({
    type: K8S.storageClass,
    name,
    props: { metadata: { name }, provisioner, ...(parameters === undefined ? {} : { parameters }) },
});

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
            sc("sc", "cinder.csi.openstack.org", { type: "classic-luks" }),
        ],
        expect: { raises: [], notRaises: ["SEC-03"] },
    },
    {
        title: "écritures équivalentes : casse du type (Cinder/MySQL), identifiant déclaré, EBS, Ceph RBD, Azure, GCE, provisionneur déclaré",
        kind: "compliant",
        settings: { profil: "ovhcloud" },
        config: { typesVolumeChiffres: ["classic-luks", "high-speed-luks", "6f2b9c1e-4a7d-4c3e-9b8a-1d2e3f4a5b6c"], provisionneursChiffrants: ["csi.exemple.fr"] },
        resources: [
            { type: OS.volume, name: "a", props: { size: 10, volumeType: "High-Speed-LUKS" } },
            { type: OS.volume, name: "b", props: { size: 10, volumeType: "6F2B9C1E-4A7D-4C3E-9B8A-1D2E3F4A5B6C" } },
            { type: OS.volumeV2, name: "c", props: { size: 10, volumeType: "classic-luks", snapshotId: "snap-1" } },
            sc("ebs", "ebs.csi.aws.com", { type: "gp3", encrypted: "true" }),
            sc("rbd", "rbd.csi.ceph.com", { pool: "kube", encrypted: "True", encryptionKMSID: "vault" }),
            sc("azure", "disk.csi.azure.com", { skuName: "Premium_LRS" }),
            sc("gce", "pd.csi.storage.gke.io", { type: "pd-balanced" }),
            sc("maison", "csi.exemple.fr", {}),
        ],
        expect: { raises: [], notRaises: ["SEC-03"] },
    },
    {
        title: "type par défaut de l'offre déclaré chiffré : volume sans type accepté",
        kind: "compliant",
        config: { typesVolumeChiffres: ["ssd-luks"], typeVolumeParDefaut: "ssd-luks" },
        resources: [
            { type: OS.volume, name: "a", props: { size: 10 } },
            { type: OS.volume, name: "b", props: { size: 10, volumeType: "" } },
            sc("sc", "cinder.csi.openstack.org", { availability: "nova" }),
        ],
        expect: { raises: [], notRaises: ["SEC-03"] },
    },
    {
        title: "disques locaux déclarés chiffrés par configuration",
        kind: "compliant",
        config: { disquesLocauxChiffres: true },
        resources: [
            { type: OS.instance, name: "vm", props: { flavorName: "b3-8" } },
            sc("local", "kubernetes.io/no-provisioner"),
        ],
        expect: { raises: [], notRaises: ["SEC-03"] },
    },
    {
        title: "volume sans type (défaut classic de l'offre), type non chiffré, StorageClass sans chiffrement",
        kind: "non-compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.volume, name: "a", props: { size: 10 } },
            { type: OS.volume, name: "b", props: { size: 10, volumeType: "classic" } },
            sc("sc", "cinder.csi.openstack.org", { type: "classic" }),
        ],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 3, mentions: ["classic-luks"] },
    },
    {
        title: "noms qui contiennent « encrypt » ou « luks » sans être déclarés : en défaut, avec la façon de les déclarer",
        kind: "non-compliant",
        resources: [
            { type: OS.volume, name: "a", props: { size: 10, volumeType: "not-encrypted" } },
            { type: OS.volume, name: "b", props: { size: 10, volumeType: "unencrypted" } },
            { type: OS.volume, name: "c", props: { size: 10, volumeType: "ssd-luks" } },
        ],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 3, mentions: ["typesVolumeChiffres"] },
    },
    {
        title: "StorageClass : type sous une clé que Cinder CSI ne lit pas, EBS sans « true » exact, Ceph RBD illisible",
        kind: "non-compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            sc("cle", "cinder.csi.openstack.org", { volumeType: "classic-luks" }),
            sc("ebs", "ebs.csi.aws.com", { encrypted: "yes" }),
            sc("rbd", "rbd.csi.ceph.com", { encrypted: "oui" }),
            sc("longhorn", "driver.longhorn.io", { numberOfReplicas: "3" }),
        ],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 4 },
    },
    {
        title: "instance sur disque local et bloc de démarrage non chiffré",
        kind: "non-compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.instance, name: "vm1", props: { flavorName: "b3-8" } },
            { type: OS.instance, name: "vm2", props: { blockDevices: [{ sourceType: "image", uuid: "img", destinationType: "volume", volumeType: "ssd" }] } },
            { type: OS.instance, name: "vm3", props: { blockDevices: [{ sourceType: "image", uuid: "img", bootIndex: 0 }] } },
        ],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 3 },
    },
    {
        title: "type de volume inconnu à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.volume, name: "a", props: { size: 10, volumeType: unknown() } }],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
    {
        title: "profil par défaut : volume sans type (type par défaut de l'offre inconnu)",
        kind: "unknown",
        resources: [{ type: OS.volume, name: "a", props: { size: 10 } }],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
    {
        title: "volume créé d'un instantané sans type : type de la source, invérifiable",
        kind: "unknown",
        settings: { profil: "ovhcloud" },
        resources: [{ type: OS.volume, name: "a", props: { size: 10, snapshotId: "0f3c5e8a-1111-4222-8333-944455556666" } }],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
    {
        title: "provisionneur que le pack ne connaît pas : non inspecté",
        kind: "unknown",
        resources: [sc("nfs", "nfs.csi.k8s.io", { server: "nfs.interne", share: "/exports", encrypted: "true" })],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
    {
        title: "bloc de démarrage illisible (une liste) contenant une valeur inconnue : invérifiable",
        kind: "unknown",
        resources: [{ type: OS.instance, name: "vm", props: { flavorName: "b3-8", blockDevices: [[{ sourceType: "volume", uuid: unknown(), destinationType: "volume", bootIndex: 0 }]] } }],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
    {
        title: "le même bloc passé en secret : invérifiable de même (un secret ne change aucun verdict)",
        kind: "unknown",
        resources: [{ type: OS.instance, name: "vm", props: { flavorName: "b3-8", blockDevices: [secret([{ sourceType: "volume", uuid: unknown(), destinationType: "volume", bootIndex: 0 }])] } }],
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
            { type: K8S.storageClass, name: "sc", props: { provisioner: "cinder.csi.openstack.org", parameters: ["type=classic-luks"] } },
            { type: K8S.storageClass, name: "sans", props: { parameters: { type: "classic-luks" } } },
        ],
        expect: { raises: ["SEC-03"], notRaises: [], violations: 4 },
    },
);
