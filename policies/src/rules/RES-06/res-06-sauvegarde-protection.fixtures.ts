import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

export default fixtures(
    {
        title: "conteneur de sauvegarde versionné et protégé, volume et base protégés",
        kind: "compliant",
        resources: [
            { type: OS.container, name: "sauvegardes", props: { name: "app-sauvegardes", versioning: true, metadata: { usage: "sauvegarde" } }, protect: true },
            { type: OS.volume, name: "data", props: { size: 100, volumeType: "classic-luks", availabilityZone: "az1" }, protect: true },
            { type: OS.databaseInstance, name: "pg", props: { name: "pg", flavorId: "db-1", size: 20, datastore: { type: "postgresql", version: "15" } }, protect: true },
        ],
        expect: { raises: [], notRaises: ["RES-06"] },
    },
    {
        title: "versionnage historique (versioningLegacy) sur un conteneur marqué par métadonnée",
        kind: "compliant",
        resources: [
            {
                type: OS.container,
                name: "archives",
                props: { name: "archives-app", metadata: { Usage: "Backup" }, versioningLegacy: { type: "versions", location: "archives-app-versions" } },
                protect: true,
            },
        ],
        expect: { raises: [], notRaises: ["RES-06"] },
    },
    {
        title: "conteneur ordinaire non versionné mais protégé ; protection non exigée des conteneurs par configuration",
        kind: "compliant",
        config: { typesProteges: [OS.volume] },
        resources: [
            { type: OS.container, name: "medias", props: { name: "medias" } },
            { type: OS.volume, name: "data", props: { size: 10 }, protect: true },
        ],
        expect: { raises: [], notRaises: ["RES-06"] },
    },
    {
        title: "conteneur de sauvegarde ni versionné ni protégé : deux constats",
        kind: "non-compliant",
        resources: [{ type: OS.container, name: "backup", props: { name: "backup-app", versioning: false } }],
        expect: { raises: ["RES-06"], notRaises: [], violations: 2, mentions: ["objectstorage/Container « backup »"] },
    },
    {
        title: "conteneur marqué par métadonnée, sans versionnage : chemin exact",
        kind: "non-compliant",
        resources: [{ type: OS.container, name: "c1", props: { name: "depot", metadata: { usage: "sauvegarde" } }, protect: true }],
        expect: { raises: ["RES-06"], notRaises: [], violations: 1, mentions: ["versioning = (absent)", "metadata.usage = \"sauvegarde\""] },
    },
    {
        title: "volume et base de données sans protect",
        kind: "non-compliant",
        resources: [
            { type: OS.volume, name: "data", props: { size: 100, volumeType: "classic-luks" } },
            { type: OS.databaseInstance, name: "pg", props: { name: "pg", flavorId: "db-1", size: 20 } },
        ],
        expect: { raises: ["RES-06"], notRaises: [], violations: 2, mentions: ["opts.protect = false"] },
    },
    {
        title: "motif de nom personnalisé",
        kind: "non-compliant",
        config: { motifsNomSauvegarde: ["bkp-.*"] },
        resources: [
            { type: OS.container, name: "bkp-app", props: { name: "bkp-app" }, protect: true },
            { type: OS.container, name: "backup-app", props: { name: "backup-app" }, protect: true },
        ],
        expect: { raises: ["RES-06"], notRaises: [], violations: 1, mentions: ["« bkp-app »"] },
    },
    {
        title: "versionnage inconnu à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.container, name: "sauvegarde", props: { name: "sauvegarde", versioning: unknown() }, protect: true }],
        expect: { raises: [], notRaises: ["RES-06"], cannotCheck: true },
    },
    {
        title: "clé de synchronisation secrète sur un conteneur de sauvegarde en défaut",
        kind: "secret",
        resources: [
            { type: OS.container, name: "sauvegarde", props: { name: "sauvegarde", containerSyncKey: secret("Sync-S3cret-Key"), containerSyncTo: "//site/compte/sauvegarde" } },
        ],
        expect: { raises: ["RES-06"], notRaises: [], violations: 2, hidden: ["Sync-S3cret-Key"] },
    },
    {
        title: "valeurs mal formées : versioning en texte, versioningLegacy vide, métadonnées en liste",
        kind: "malformed",
        resources: [
            { type: OS.container, name: "sauvegarde-1", props: { name: 12, versioning: "yes" }, protect: true },
            { type: OS.container, name: "c2", props: { name: "depot", metadata: ["usage=sauvegarde"], versioningLegacy: {} }, protect: true },
            { type: OS.container, name: "backup-3", props: { name: null, versioningLegacy: [] }, protect: true },
        ],
        // "yes" is not true; the resource name still marks sauvegarde-1 and backup-3; c2's list metadata marks nothing.
        expect: { raises: ["RES-06"], notRaises: [], violations: 2, mentions: ["versioning"] },
    },
);
