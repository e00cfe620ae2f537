import { txt } from "../../lib/i18n";
import { matchesAny } from "../../lib/profiles";
import { arr, bool, rec, str, stringMap } from "../../lib/props";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { OS, OS_VOLUMES } from "../../lib/types";
import { m, Message, msg } from "../../lib/message";

interface Config {
    motifsNomSauvegarde: string[];
    metadonneesSauvegarde: string[];
    typesProteges: string[];
}

export default defineResourceRule<Config>({
    name: "res-06-sauvegarde-protection",
    needs: ["RES-06"],
    title: txt("Sauvegarde et protection des données", "Backup and data protection"),
    description: txt(
        "Deux vérifications (SecNumCloud 12.5). (1) Un conteneur objectstorage Container marqué comme conteneur de sauvegarde est versionné : `versioning` vaut true, ou `versioningLegacy` est renseigné (objet non vide ou liste non vide). Un conteneur est marqué sauvegarde quand sa propriété `name` ou son nom de ressource Pulumi correspond à l'un des motifs `motifsNomSauvegarde` (expressions régulières sur le nom entier, sans casse ; par défaut tout nom qui contient « sauvegarde » ou « backup »), ou quand l'une de ses `metadata` vaut l'un des couples `metadonneesSauvegarde` (« clé=valeur », clé sans casse, valeur en expression régulière sans casse ; par défaut `usage=sauvegarde` ou `usage=backup`). (2) Les ressources à état des types `typesProteges` (par défaut blockstorage Volume, objectstorage Container, database Instance) portent l'option de ressource `protect: true` (`opts.protect`), pour qu'un `pulumi destroy` ou un remplacement ne les supprime pas. Les deux constats sont distincts.",
        "Two checks (SecNumCloud 12.5). (1) An objectstorage Container marked as a backup container is versioned: `versioning` is true, or `versioningLegacy` is set (non-empty object or non-empty list). A container is marked as backup when its `name` property or its Pulumi resource name matches one of the `motifsNomSauvegarde` patterns (regular expressions on the whole name, case-insensitive; by default any name containing \"sauvegarde\" or \"backup\"), or when one of its `metadata` entries equals one of the `metadonneesSauvegarde` pairs (\"key=value\", key case-insensitive, value a case-insensitive regular expression; by default `usage=sauvegarde` or `usage=backup`). (2) Stateful resources of the `typesProteges` types (by default blockstorage Volume, objectstorage Container, database Instance) carry the resource option `protect: true` (`opts.protect`), so that `pulumi destroy` or a replacement cannot delete them. The two findings are separate.",
    ),
    remediation: txt(
        "Activer `versioning: true` sur les conteneurs de sauvegarde, et passer l'option `{ protect: true }` aux volumes, conteneurs et bases de données.",
        "Set `versioning: true` on backup containers, and pass the `{ protect: true }` option to volumes, containers and databases.",
    ),
    severity: "medium",
    enforcementLevel: "advisory",
    config: {
        motifsNomSauvegarde: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: [".*(sauvegarde|backup).*"],
            description: txt(
                "Motifs (expressions régulières sur le nom entier, sans casse) d'un nom de conteneur de sauvegarde.",
                "Patterns (regular expressions on the whole name, case-insensitive) of a backup container's name.",
            ),
        },
        metadonneesSauvegarde: {
            regex: "after=",
            type: "array",
            items: { type: "string" },
            default: ["usage=sauvegarde", "usage=backup"],
            description: txt(
                "Métadonnées « clé=valeur » qui marquent un conteneur de sauvegarde (valeur en expression régulière).",
                "\"key=value\" metadata that mark a backup container (value as a regular expression).",
            ),
        },
        typesProteges: {
            type: "array",
            items: { type: "string" },
            default: [...OS_VOLUMES, OS.container, OS.databaseInstance],
            description: txt(
                "Types de ressources à état qui doivent porter l'option `protect: true`.",
                "Stateful resource types that must carry the `protect: true` option.",
            ),
        },
    },
    types: [...OS_VOLUMES, OS.container, OS.databaseInstance],
    applies: (type, config) => type === OS.container || config.typesProteges.includes(type),
    check(r, ctx) {
        // Read everything first: an unknown value stops the check before any finding.
        const unversionedBackup = r.type === OS.container ? backupUnversioned(r, ctx) : undefined;
        if (unversionedBackup) {
            ctx.report({
                property: unversionedBackup.property,
                value: unversionedBackup.value,
                problem: msg(
                    m`conteneur de sauvegarde (${unversionedBackup.why.fr}) non versionné : ni \`versioning\` à true, ni \`versioningLegacy\`.`,
                    m`backup container (${unversionedBackup.why.en}) not versioned: neither \`versioning\` true nor \`versioningLegacy\`.`,
                ),
                fix: msg(
                    m`activer \`versioning: true\` (Swift ≥ 2.24), ou \`versioningLegacy: { type: "versions", location: <conteneur d'archives> }\`.`,
                    m`set \`versioning: true\` (Swift ≥ 2.24), or \`versioningLegacy: { type: "versions", location: <archive container> }\`.`,
                ),
            });
        }
        if (ctx.config.typesProteges.includes(r.type) && r.opts?.protect !== true) {
            ctx.report({
                property: "opts.protect",
                value: r.opts?.protect ?? false,
                problem: msg(
                    m`ressource à état sans l'option \`protect\` : un \`pulumi destroy\` ou un remplacement la supprimerait avec ses données.`,
                    m`stateful resource without the \`protect\` option: \`pulumi destroy\` or a replacement would delete it with its data.`,
                ),
                fix: msg(m`passer l'option de ressource \`{ protect: true }\`.`, m`pass the resource option \`{ protect: true }\`.`),
            });
        }
    },
});

interface Finding {
    property: string;
    value: unknown;
    why: Message;
}

function backupUnversioned(r: ResourceView, ctx: RuleContext<Config>): Finding | undefined {
    const name = str(r.props["name"]);
    const byName = [name, r.name].find((n) => n && matchesAny(n, ctx.config.motifsNomSauvegarde));
    const meta = stringMap(r.props["metadata"]);
    let byMeta: string | undefined;
    for (const pair of ctx.config.metadonneesSauvegarde) {
        const i = pair.indexOf("=");
        const key = (i < 0 ? pair : pair.slice(0, i)).trim().toLowerCase();
        const want = i < 0 ? ".*" : pair.slice(i + 1).trim();
        for (const [k, v] of meta) {
            if (k.toLowerCase() === key && matchesAny(v, [want])) byMeta = `metadata.${k} = ${JSON.stringify(v)}`;
        }
        if (byMeta) break;
    }
    if (!byName && !byMeta) return undefined;
    const versioning = bool(r.props["versioning"]);
    const legacyRaw = r.props["versioningLegacy"];
    const legacy = Array.isArray(legacyRaw) ? arr(legacyRaw).length > 0 : Object.keys(rec(legacyRaw) ?? {}).length > 0;
    if (versioning === true || legacy) return undefined;
    const why = byName
        ? msg(m`nom « ${byName} »`, m`name "${byName}"`)
        : msg(m`${byMeta}`, m`${byMeta}`);
    return { property: "versioning", value: r.props["versioning"], why };
}
