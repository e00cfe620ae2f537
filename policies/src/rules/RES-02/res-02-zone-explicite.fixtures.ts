import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const ovh = { profil: "ovhcloud" };

export default fixtures(
    {
        title: "instance et volume dans une zone du profil OVHcloud",
        kind: "compliant",
        settings: ovh,
        resources: [
            { type: OS.instance, name: "web-a", props: { flavorName: "b3-8", availabilityZone: "eu-west-par-a" } },
            { type: OS.volume, name: "data-b", props: { size: 20, availabilityZone: "eu-west-par-b" } },
        ],
        expect: { raises: [], notRaises: ["RES-02"] },
    },
    {
        title: "profil par défaut : toute zone explicite est acceptée",
        kind: "compliant",
        resources: [{ type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "s", availabilityZone: "az1" } }],
        expect: { raises: [], notRaises: ["RES-02"] },
    },
    {
        title: "répartiteur régional sans zone sur une offre qui répartit ses amphores (profil OVHcloud)",
        kind: "compliant",
        settings: ovh,
        resources: [{ type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "s" } }],
        expect: { raises: [], notRaises: ["RES-02"] },
    },
    {
        title: "répartiteur épinglé dans une zone sur une offre aux répartiteurs régionaux",
        kind: "non-compliant",
        settings: ovh,
        resources: [{ type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "s", availabilityZone: "eu-west-par-a" } }],
        expect: { raises: ["RES-02"], notRaises: [], violations: 1, mentions: ["availabilityZone", "amphore"] },
    },
    {
        title: "profil par défaut : un répartiteur sans zone a un placement inconnu",
        kind: "non-compliant",
        resources: [{ type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "s" } }],
        expect: { raises: ["RES-02"], notRaises: [], violations: 1, mentions: ["repartiteursRegionaux"] },
    },
    {
        title: "profil par défaut, répartiteurs régionaux déclarés par la configuration",
        kind: "compliant",
        config: { repartiteursRegionaux: true },
        resources: [{ type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "s" } }],
        expect: { raises: [], notRaises: ["RES-02"] },
    },
    {
        title: "répartiteur régional : la zone inconnue à la prévisualisation ne se devine pas",
        kind: "unknown",
        settings: ovh,
        resources: [{ type: OS.loadBalancer, name: "lb", props: { vipSubnetId: "s", availabilityZone: unknown() } }],
        expect: { raises: [], notRaises: ["RES-02"], cannotCheck: true },
    },
    {
        title: "instance sans zone",
        kind: "non-compliant",
        resources: [{ type: OS.instance, name: "web", props: { flavorName: "b3-8" } }],
        expect: { raises: ["RES-02"], notRaises: [], violations: 1, mentions: ["availabilityZone", "« web »"] },
    },
    {
        title: "zone hors du profil OVHcloud",
        kind: "non-compliant",
        settings: ovh,
        resources: [{ type: OS.share, name: "partage", props: { availabilityZone: "nova" } }],
        expect: { raises: ["RES-02"], notRaises: [], violations: 1, mentions: ["\"nova\"", "eu-west-par-a"] },
    },
    {
        title: "la configuration explicite l'emporte sur le profil",
        kind: "compliant",
        settings: ovh,
        config: { zonesAutorisees: ["nova"] },
        resources: [{ type: OS.share, name: "partage", props: { availabilityZone: "nova" } }],
        expect: { raises: [], notRaises: ["RES-02"] },
    },
    {
        title: "zone inconnue à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.instance, name: "web", props: { availabilityZone: unknown() } }],
        expect: { raises: [], notRaises: ["RES-02"], cannotCheck: true },
    },
    {
        title: "zone hors profil passée en secret : la valeur ne s'affiche pas",
        kind: "secret",
        settings: ovh,
        resources: [{ type: OS.instance, name: "web", props: { availabilityZone: secret("zone-secrete-9"), adminPass: secret("Adm1nPass!") } }],
        expect: { raises: ["RES-02"], notRaises: [], violations: 1, hidden: ["zone-secrete-9", "Adm1nPass!"] },
    },
    {
        title: "zone de type inattendu",
        kind: "malformed",
        resources: [{ type: OS.volume, name: "v", props: { availabilityZone: 42, size: "big" } }],
        expect: { raises: ["RES-02"], notRaises: [], violations: 1 },
    },
);
