import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const vm = (name: string, zone: unknown, extra: Record<string, unknown> = {}) => ({
    type: OS.instance,
    name,
    props: { flavorName: "b3-8", availabilityZone: zone, ...extra },
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
        title: "deux services : l'un réparti, l'autre dans une seule zone",
        kind: "non-compliant",
        resources: [
            vm("api-1", "az1", { tags: ["service=api"] }),
            vm("api-2", "az2", { tags: ["service=api"] }),
            vm("db-1", "az1", { metadata: { service: "db" } }),
            vm("db-2", "az1", { metadata: { service: "db" } }),
        ],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["« db »", "db-1", "db-2"] },
    },
    {
        title: "trois zones exigées par configuration",
        kind: "non-compliant",
        config: { zonesMin: 3 },
        resources: [vm("api-1", "az1", { tags: ["service=api"] }), vm("api-2", "az2", { tags: ["service=api"] })],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["au moins 3"] },
    },
    {
        title: "instance isolée sans service",
        kind: "non-compliant",
        resources: [vm("bastion", "az1")],
        expect: { raises: ["RES-01"], notRaises: [], violations: 1, mentions: ["bastion"] },
    },
    {
        title: "zone inconnue à la prévisualisation",
        kind: "unknown",
        resources: [vm("api-1", unknown(), { tags: ["service=api"] }), vm("api-2", "az2", { tags: ["service=api"] })],
        expect: { raises: [], notRaises: ["RES-01"], cannotCheck: true },
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
);
