import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const container = (name: string, props: Record<string, unknown>) => ({ type: OS.container, name, props: { name, ...props } });

export default fixtures(
    {
        title: "conteneurs privés, partagés avec un projet nommé, référent négatif",
        kind: "compliant",
        resources: [
            container("prive", {}),
            container("partage", { containerRead: "a1b2c3d4e5:*,f6a7b8c9d0:ops" }),
            container("refus", { containerRead: ".r:-bad.example.com", containerWrite: "a1b2c3d4e5:*" }),
        ],
        expect: { raises: [], notRaises: ["SEC-10"] },
    },
    {
        title: "référent accordé puis refusé, liste seule, rôle du projet, ACL d'écriture nommée, format JSON lu comme des groupes",
        kind: "compliant",
        resources: [
            container("domaine-refuse", { containerRead: ".r:.example.fr, .r:-.example.fr" }),
            container("hote-refuse", { containerRead: ".referrer : cdn.example.fr,.r:-cdn.example.fr,.rlistings" }),
            container("majuscules", { containerRead: ".r:CDN.EXAMPLE.FR" }),
            container("role", { containerRead: "lecteur, a1b2c3d4e5:*", containerWrite: "a1b2c3d4e5:ops ,, f6a7b8c9d0:ci" }),
            container("json", { containerRead: '{"read-only":["*:*"]}' }),
            container("etat", { containerRead: "", containerWrite: "" }),
        ],
        expect: { raises: [], notRaises: ["SEC-10"] },
    },
    {
        title: "lecture publique avec liste, référent de domaine, tout utilisateur de la plateforme",
        kind: "non-compliant",
        resources: [
            container("site", { containerRead: ".r:*,.rlistings" }),
            container("medias", { containerRead: " .r:.example.fr" }),
            container("commun", { containerRead: "*:*" }),
        ],
        expect: { raises: ["SEC-10"], notRaises: [], violations: 3, mentions: ["containerRead", "conteneur public"] },
    },
    {
        title: "autres écritures de la lecture publique, écriture pour toute la plateforme, ACL refusée par Swift",
        kind: "non-compliant",
        resources: [
            container("referrer", { containerRead: ".referrer: *" }),
            container("ref", { containerRead: "  .ref:*.example.fr" }),
            container("refus-partiel", { containerRead: ".r:*,.r:-.voleur.example" }),
            container("encode", { containerRead: "%2A:%2A" }),
            container("ecriture", { containerWrite: "*:*" }),
            container("refusee", { containerRead: ".R:*" }),
        ],
        expect: { raises: ["SEC-10"], notRaises: [], violations: 6, mentions: ["SEC-10"] },
    },
    {
        title: "ACL de lecture inconnue à la prévisualisation",
        kind: "unknown",
        resources: [container("site", { containerRead: unknown() })],
        expect: { raises: [], notRaises: ["SEC-10"], cannotCheck: true },
    },
    {
        title: "conteneur public avec une clé de synchronisation secrète",
        kind: "secret",
        resources: [container("site", { containerRead: ".r:*", containerSyncKey: secret("cle-de-synchro-9f8e7d") })],
        expect: { raises: ["SEC-10"], notRaises: [], violations: 1, hidden: ["cle-de-synchro-9f8e7d"] },
    },
    {
        title: "valeurs mal formées : tableau d'ACL, nombre, objet",
        kind: "malformed",
        resources: [
            container("a", { containerRead: [".r:*", ".rlistings"] }),
            container("b", { containerRead: 42 }),
            container("c", { containerRead: { acl: ".r:*" } }),
        ],
        // a: an array of strings is read as its elements joined with commas (1); b, c: ignored.
        expect: { raises: ["SEC-10"], notRaises: [], violations: 1, mentions: ["« a »", ".rlistings"] },
    },
);
