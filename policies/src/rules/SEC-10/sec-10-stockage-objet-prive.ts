import { txt } from "../../lib/i18n";
import { strings, touchAll } from "../../lib/props";
import { defineResourceRule, RuleContext } from "../../lib/rule";
import type { Header } from "../../lib/swift-acl";
import type * as SwiftAcl from "../../lib/swift-acl";
import { OS } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const swiftAcl = lazy(() => require("../../lib/swift-acl") as typeof SwiftAcl);

interface Config {
    groupesPublics: string[];
}

export default defineResourceRule<Config>({
    name: "sec-10-stockage-objet-prive",
    needs: ["SEC-10"],
    title: txt("Stockage objet privé", "Private object storage"),
    description: txt(
        "Aucun conteneur de stockage objet (Swift `objectstorage.Container`) n'est public. Les ACL sont lues comme Swift les lit : `containerRead` (X-Container-Read) et `containerWrite` (X-Container-Write) sont nettoyées comme au dépôt (éléments séparés par des virgules, espaces retirés, `.ref:`, `.referer:`, `.referrer:` valent `.r:`, `*.exemple.fr` vaut `.exemple.fr`), puis les désignations de référent sont appliquées dans l'ordre, la dernière qui correspond l'emportant (`.r:-hôte` refuse). Public en lecture : il existe un en-tête Referer, ou son absence, que les désignations laissent lire (`.r:*`, mais aussi `.r:<domaine>` : le Referer est choisi par le client, c'est une lecture anonyme ; `.r:.exemple.fr,.r:-.exemple.fr` ne laisse rien lire), ou un groupe de `groupesPublics` (`*:*` : tout utilisateur authentifié de tout projet de la plateforme, après décodage %XX comme Swift). Public en écriture : un groupe de `groupesPublics` dans `containerWrite`. Un groupe `<projet>:<utilisateur>` ou `<projet>:*` nomme qui accède : il n'est pas public ; un nom de rôle ne vaut que dans le projet du conteneur. `.rlistings` (liste des objets) n'ouvre rien seul et est cité avec une lecture publique. Une ACL que Swift refuse (désignateur inconnu ou en casse différente comme `.R:`, hôte vide, référent dans une ACL d'écriture) est lue au plus ouvert et signalée. Les ACL au format JSON (v2) ne valent que pour les comptes, que ce type de ressource ne porte pas : dans `containerRead`, Swift les lit comme des groupes. Une ACL donnée en tableau de chaînes est lue comme ses éléments joints par des virgules ; toute autre valeur qui n'est pas une chaîne est ignorée.",
        "No object-storage container (Swift `objectstorage.Container`) is public. ACLs are read as Swift reads them: `containerRead` (X-Container-Read) and `containerWrite` (X-Container-Write) are cleaned as on write (comma-separated elements, spaces removed, `.ref:`, `.referer:`, `.referrer:` mean `.r:`, `*.example.com` means `.example.com`), then referrer designations are applied in order, the last match winning (`.r:-host` denies). Public read: some Referer header, or its absence, is let through by the designations (`.r:*`, but also `.r:<domain>`: the Referer is chosen by the client, it is anonymous read; `.r:.example.com,.r:-.example.com` lets nothing through), or a group of `groupesPublics` (`*:*`: every authenticated user of every project of the platform, after %XX decoding as Swift does). Public write: a group of `groupesPublics` in `containerWrite`. A group `<project>:<user>` or `<project>:*` names who gets access: it is not public; a role name only counts in the container's own project. `.rlistings` (object listing) opens nothing by itself and is named with public read. An ACL Swift refuses (unknown designator or one in another case such as `.R:`, empty host, referrer in a write ACL) is read at its most open and flagged. JSON (v2) ACLs only apply to accounts, which this resource type does not carry: in `containerRead`, Swift reads them as groups. An ACL given as an array of strings is read as its elements joined with commas; any other non-string value is ignored.",
    ),
    remediation: txt(
        "Retirer les ACL publiques de `containerRead` et `containerWrite` ; donner l'accès à des projets ou utilisateurs nommés (`<projet>:<utilisateur>`), ou publier par URL temporaire (tempurl).",
        "Remove public ACLs from `containerRead` and `containerWrite`; grant access to named projects or users (`<project>:<user>`), or publish through temporary URLs (tempurl).",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        groupesPublics: {
            type: "array",
            items: { type: "string" },
            default: ["*:*"],
            description: txt(
                "Groupes d'ACL qui valent « tout utilisateur authentifié de la plateforme » (comparés tels que Swift les lit, après décodage %XX).",
                "ACL groups that mean “every authenticated user of the platform” (compared as Swift reads them, after %XX decoding).",
            ),
        },
    },
    types: [OS.container],
    check(r, ctx) {
        judge(r.props["containerRead"], "containerRead", "x-container-read", ctx);
        judge(r.props["containerWrite"], "containerWrite", "x-container-write", ctx);
    },
});

function judge(raw: unknown, property: string, header: Header, ctx: RuleContext<Config>): void {
    // A value holding an unknown anywhere inside cannot be judged yet.
    if (typeof raw === "object" && raw !== null) touchAll(raw);
    const text = typeof raw === "string" ? raw : Array.isArray(raw) ? strings(raw).join(",") : undefined;
    if (text === undefined) return;
    const write = header === "x-container-write";
    const cleaned = swiftAcl().cleanAcl(header, text);
    if (!cleaned.ok) {
        const why: Message = cleaned.reason === "designator"
            ? msg(m`désignateur inconnu`, m`unknown designator`)
            : cleaned.reason === "empty-host"
              ? msg(m`référent sans hôte`, m`referrer without a host`)
              : msg(m`référent dans une ACL d'écriture`, m`referrer in a write ACL`);
        ctx.report({
            property,
            value: raw,
            problem: msg(
                m`ACL que Swift refuse (${why.fr} : « ${cleaned.element} ») : lue au plus ouvert, l'accès ${write ? "en écriture" : "en lecture"} public ne peut pas être exclu.`,
                m`ACL that Swift refuses (${why.en}: "${cleaned.element}"): read at its most open, public ${write ? "write" : "read"} access cannot be ruled out.`,
            ),
        });
        return;
    }
    const { referrers, groups } = swiftAcl().parseAcl(cleaned.value);
    const everyone = groups.filter((g) => ctx.config.groupesPublics.includes(g));
    const anonymous = write ? undefined : swiftAcl().anonymousRead(referrers);
    if (!anonymous && everyone.length === 0) return;
    const listing = !write && groups.includes(".rlistings");
    const parts: Message[] = [];
    if (anonymous !== undefined) {
        parts.push(anonymous.shown === "*"
            ? msg(m`lecture anonyme pour tout référent`, m`anonymous read for any referrer`)
            : msg(m`lecture anonyme pour le référent ${anonymous.shown}, que le client choisit`, m`anonymous read for the referrer ${anonymous.shown}, which the client chooses`));
    }
    if (everyone.length > 0) {
        parts.push(write
            ? msg(m`écriture pour tout utilisateur authentifié de la plateforme (${items(everyone)})`, m`write for every authenticated user of the platform (${items(everyone)})`)
            : msg(m`lecture pour tout utilisateur authentifié de la plateforme (${items(everyone)})`, m`read for every authenticated user of the platform (${items(everyone)})`));
    }
    ctx.report({
        property,
        value: raw,
        problem: msg(
            m`conteneur public : ${items(parts.map((p) => p.fr), { sep: " ; " })}${listing ? ", avec la liste des objets (.rlistings)" : ""}.`,
            m`public container: ${items(parts.map((p) => p.en), { sep: "; " })}${listing ? ", with object listing (.rlistings)" : ""}.`,
        ),
    });
}
