import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const sc = (name: string, props: Record<string, unknown>) => ({
    type: K8S.storageClass,
    name,
    props: { metadata: { name }, provisioner: "cinder.csi.openstack.org", parameters: { type: "classic-luks" }, ...props },
});

export default fixtures(
    {
        title: "WaitForFirstConsumer, ou Immediate restreint à une zone Cinder",
        kind: "compliant",
        resources: [
            sc("wffc", { volumeBindingMode: "WaitForFirstConsumer" }),
            sc("zone-a", {
                volumeBindingMode: "Immediate",
                allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.cinder.csi.openstack.org/zone", values: ["eu-west-par-a"] }] }],
            }),
        ],
        expect: { raises: [], notRaises: ["RES-11"] },
    },
    {
        title: "mode absent, Immediate sans topologie, topologie sur une autre clé ou sans valeur",
        kind: "non-compliant",
        resources: [
            sc("defaut", {}),
            sc("immediate", { volumeBindingMode: "Immediate" }),
            sc("region", { allowedTopologies: [{ matchLabelExpressions: [{ key: "topology.kubernetes.io/region", values: ["eu-west-par"] }] }] }),
            sc("vide", {
                allowedTopologies: [
                    { matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: ["eu-west-par-a"] }] },
                    { matchLabelExpressions: [{ key: "topology.kubernetes.io/zone", values: [] }] },
                ],
            }),
        ],
        expect: { raises: ["RES-11"], notRaises: [], violations: 4, mentions: ["volumeBindingMode", "Immediate"] },
    },
    {
        title: "mode de liaison inconnu à la prévisualisation",
        kind: "unknown",
        resources: [sc("inconnu", { volumeBindingMode: unknown() })],
        expect: { raises: [], notRaises: ["RES-11"], cannotCheck: true },
    },
    {
        title: "paramètre secret dans une StorageClass en défaut",
        kind: "secret",
        resources: [sc("secrete", { volumeBindingMode: "Immediate", parameters: { type: "classic-luks", "csi.storage.k8s.io/secret": secret("Cl3-Cinder-S3cret") } })],
        expect: { raises: ["RES-11"], notRaises: [], violations: 1, hidden: ["Cl3-Cinder-S3cret"] },
    },
    {
        title: "types inattendus : mode numérique, topologies en texte, expressions nulles",
        kind: "malformed",
        resources: [
            sc("a", { volumeBindingMode: 3 }),
            sc("b", { allowedTopologies: "topology.kubernetes.io/zone=eu-west-par-a" }),
            sc("c", { volumeBindingMode: null, allowedTopologies: [{ matchLabelExpressions: null }, null] }),
        ],
        expect: { raises: ["RES-11"], notRaises: [], violations: 3 },
    },
);
