import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

// Dates relative to the moment the fixtures are loaded: the verdict depends on today's date.
const inDays = (d: number) => new Date(Date.now() + d * 24 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

const cred = (name: string, props: Record<string, unknown>) => ({
    type: OS.applicationCredential,
    name,
    props: { name, description: "CI", ...props },
});

export default fixtures(
    {
        title: "identifiant restreint expirant dans 90 jours, avec règles d'accès exigées",
        kind: "compliant",
        config: { exigerReglesAcces: true },
        resources: [
            cred("ci", {
                expiresAt: inDays(90),
                roles: ["member", "reader"],
                accessRules: [{ method: "PUT", path: "/v1/AUTH_*/backups/*", service: "object-store" }],
            }),
        ],
        expect: { raises: [], notRaises: ["SEC-12"] },
    },
    {
        title: "identifiant non restreint, sans expiration, avec le rôle admin",
        kind: "non-compliant",
        resources: [cred("ci", { unrestricted: true, roles: ["member", "Admin"] })],
        expect: { raises: ["SEC-12"], notRaises: [], violations: 3, mentions: ["« ci »"] },
    },
    {
        title: "expiration dans 10 ans, date illisible, règles d'accès exigées mais absentes",
        kind: "non-compliant",
        config: { exigerReglesAcces: true },
        resources: [cred("a", { expiresAt: inDays(3650), accessRules: [{ method: "GET", path: "/", service: "compute" }] }), cred("b", { expiresAt: "31/12/2030" })],
        // a: too far (1); b: unreadable date (1) and no access rule (1).
        expect: { raises: ["SEC-12"], notRaises: [], violations: 3, mentions: ["expiresAt"] },
    },
    {
        title: "date d'expiration inconnue à la prévisualisation",
        kind: "unknown",
        resources: [cred("ci", { expiresAt: unknown() })],
        expect: { raises: [], notRaises: ["SEC-12"], cannotCheck: true },
    },
    {
        title: "secret de l'identifiant fixé dans le code : jamais affiché",
        kind: "secret",
        resources: [cred("ci", { secret: secret("appcred-S3cr3t-v4lue"), unrestricted: true, expiresAt: inDays(30) })],
        expect: { raises: ["SEC-12"], notRaises: [], violations: 1, hidden: ["appcred-S3cr3t-v4lue"] },
    },
    {
        title: "valeurs mal formées : date nombre, rôles texte, unrestricted texte",
        kind: "malformed",
        resources: [cred("ci", { expiresAt: 1893456000, roles: "admin", unrestricted: "false", accessRules: "tout" })],
        // A numeric expiresAt counts as missing (1); a string roles is ignored; "false" is read as false.
        expect: { raises: ["SEC-12"], notRaises: [], violations: 1, mentions: ["expiresAt"] },
    },
);
