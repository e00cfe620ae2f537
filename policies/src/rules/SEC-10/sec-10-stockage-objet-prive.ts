import { txt } from "../../lib/i18n";
import { matchesAny } from "../../lib/profiles";
import { str, strings } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    aclPubliques: string[];
}

export default defineResourceRule<Config>({
    name: "sec-10-stockage-objet-prive",
    needs: ["SEC-10"],
    title: txt("Stockage objet privé", "Private object storage"),
    description: txt(
        "Aucun conteneur de stockage objet (Swift `objectstorage.Container`) n'accorde de lecture publique. `containerRead` est une liste d'ACL séparées par des virgules ; une entrée qui correspond à l'un des motifs `aclPubliques` (expressions régulières sur l'entrée entière, sans casse) est en défaut. Par défaut : `.r:*` (tout référent), toute autre ACL de référent positive `.r:<domaine>` (l'en-tête Referer se falsifie : c'est une lecture anonyme), et `*:*` (tout utilisateur de tout projet de la plateforme). Les entrées de référent négatives (`.r:-…`) sont acceptées ; `.rlistings` (liste des objets) n'ouvre rien seul et est cité dans le message quand il accompagne une lecture publique. Un `containerRead` qui n'est pas une chaîne est lu comme une liste d'entrées s'il s'agit d'un tableau de chaînes, ignoré sinon.",
        "No object-storage container (Swift `objectstorage.Container`) grants public read. `containerRead` is a comma-separated list of ACLs; an entry matching one of the `aclPubliques` patterns (regular expressions on the whole entry, case-insensitive) fails. By default: `.r:*` (any referrer), any other positive referrer ACL `.r:<domain>` (the Referer header can be forged: it is anonymous read), and `*:*` (any user of any project of the platform). Negative referrer entries (`.r:-…`) are accepted; `.rlistings` (object listing) opens nothing by itself and is named in the message when it comes with public read. A `containerRead` that is not a string is read as a list of entries if it is an array of strings, ignored otherwise.",
    ),
    remediation: txt(
        "Retirer les ACL publiques de `containerRead` ; donner l'accès à des projets ou utilisateurs nommés (`<projet>:<utilisateur>`), ou publier par URL temporaire (tempurl).",
        "Remove public ACLs from `containerRead`; grant access to named projects or users (`<project>:<user>`), or publish through temporary URLs (tempurl).",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        aclPubliques: {
            type: "array",
            items: { type: "string" },
            default: ["\\.r:\\*", "\\.r:[^-].*", "\\*:\\*"],
            description: txt(
                "Entrées d'ACL de lecture publiques (expressions régulières sur l'entrée entière, sans casse).",
                "Public read ACL entries (regular expressions on the whole entry, case-insensitive).",
            ),
        },
    },
    types: [OS.container],
    check(r, ctx) {
        const raw = r.props["containerRead"];
        const text = str(raw);
        const entries = (text !== undefined ? text.split(",") : strings(raw)).map((e) => e.trim()).filter(Boolean);
        const bad = entries.filter((e) => matchesAny(e, ctx.config.aclPubliques));
        if (bad.length === 0) return;
        const listing = entries.some((e) => e.toLowerCase() === ".rlistings");
        ctx.report({
            property: "containerRead",
            value: raw,
            problem: msg(
                m`lecture publique accordée (${items(bad)})${listing ? ", avec la liste des objets (.rlistings)" : ""}.`,
                m`public read granted (${items(bad)})${listing ? ", with object listing (.rlistings)" : ""}.`,
            ),
        });
    },
});
