/**
 * Documents generated from the rules' metadata and fixtures: the rules table of the README and the
 * reference `docs/regles.md`. `npm run docs` writes them; a test fails when they are stale.
 */
import * as fs from "fs";
import * as path from "path";
import type { ConfigProperty, Rule } from "@cloud-de-confiance/policies/dist/lib/rule";
import type { Fixture } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { NEEDS, needById } from "@cloud-de-confiance/policies/dist/lib/catalogue";
import { DEROGATION_PREFIX, K8S_ANNOTATION_PREFIX } from "@cloud-de-confiance/policies/dist/lib/derogations";
import { MAX_ITEMS, MAX_QUOTE } from "@cloud-de-confiance/policies/dist/lib/message";
import { PATCH_SEMANTICS } from "@cloud-de-confiance/policies/dist/lib/k8s-patch";
import { ENVIRONMENT_PRESETS } from "@cloud-de-confiance/policies/dist/lib/levels";
import { PROVIDER_PROFILES } from "@cloud-de-confiance/policies/dist/lib/profiles";
import { DEFAULT_SETTINGS, SETTINGS_KEY, SETTINGS_SCHEMA } from "@cloud-de-confiance/policies/dist/lib/settings";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";

export const ROOT = path.resolve(__dirname, "../../..");
export const README = path.join(ROOT, "README.md");
export const REFERENCE = path.join(ROOT, "docs/regles.md");
const BEGIN = "<!-- regles:debut -->";
const END = "<!-- regles:fin -->";

const LEVEL: Record<string, string> = { mandatory: "obligatoire", advisory: "recommandé" };
const SCOPE: Record<string, string> = { resource: "ressource", stack: "pile" };

function cell(s: string): string {
    return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function anchor(rule: Rule): string {
    return rule.name;
}

/** The rules table of the README, in catalogue order. */
export function rulesTable(): string {
    const rules = sortedRules();
    const lines = [
        "| besoin | politique | portée | niveau par défaut | titre |",
        "|---|---|---|---|---|",
        ...rules.map((r) => `| ${r.needs.join(", ")} | [\`${r.name}\`](docs/regles.md#${anchor(r)}) | ${SCOPE[r.kind]} | ${LEVEL[r.enforcementLevel]} | ${cell(r.title.fr)} |`),
    ];
    return lines.join("\n");
}

function sortedRules(): Rule[] {
    const order = new Map(NEEDS.map((n, i) => [n.id, i]));
    return ruleModules()
        .map((m) => m.rule)
        .sort((a, b) => (order.get(a.needs[0])! - order.get(b.needs[0])!) || a.name.localeCompare(b.name));
}

function fixturesOf(rule: Rule): Fixture[] {
    const m = ruleModules().find((x) => x.rule.name === rule.name);
    return m?.fixturesFile ? (require(m.fixturesFile) as { default: Fixture[] }).default : [];
}

function json(v: unknown): string {
    return JSON.stringify(v);
}

function example(f: Fixture | undefined): string[] {
    if (!f) return ["_(aucune)_"];
    const body = f.resources.map((r) => ({ type: r.type, name: r.name, ...(r.parent ? { parent: r.parent } : {}), props: r.props }));
    const out = [`_${f.title}_`];
    if (f.config) out.push("", `Configuration : \`${json(f.config)}\``);
    if (f.settings) out.push("", `Réglages du pack : \`${json(f.settings)}\``);
    // Fixtures may compute dates relative to today (expiries): shown as placeholders, so that the
    // document does not change from one day to the next.
    const stable = JSON.stringify(body, null, 2).replace(/"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z"/g, '"<date relative à aujourd\'hui>"');
    out.push("", "```json", stable, "```");
    return out;
}

/** The reference document: per need id, its rules with everything a user needs. */
export function referenceDoc(): string {
    const rules = sortedRules();
    const out: string[] = [
        "# Référence des règles",
        "",
        "_Document généré par `npm run docs` à partir des métadonnées et des fixtures des règles ; ne pas modifier à la main._",
        "",
        "Chaque règle vérifie un ou plusieurs besoins du catalogue (`../shared/NEEDS.md`). Les paramètres se donnent dans le",
        "fichier passé à `pulumi preview --policy-pack-config`, sous le nom de la politique :",
        "",
        "```json",
        '{ "res-01-repartition-multi-zones": { "enforcementLevel": "mandatory", "zonesMin": 3 } }',
        "```",
        "",
        "## Réglages du pack",
        "",
        `Sous la clé \`${SETTINGS_KEY}\` :`,
        "",
        "| réglage | type | défaut | description |",
        "|---|---|---|---|",
        ...Object.entries(SETTINGS_SCHEMA.properties)
            .filter(([k]) => k !== "enforcementLevel")
            .map(([k, p]) => `| \`${k}\` | ${(p as { type: string }).type} | \`${json((p as { default?: unknown }).default)}\` | ${cell((p as { description?: string }).description ?? "")} |`),
        "",
        "### Profils de fournisseur",
        "",
        ...PROVIDER_PROFILES.flatMap((p) => [
            `- **\`${p.id}\`** — ${p.title.fr}. ${p.description.fr}`,
            `  zones \`${json(p.values.zones)}\`, régions en France \`${json(p.values.regions)}\`, régions de l'UE hors de France \`${json(p.values.euRegions)}\`, types de volume chiffrés \`${json(p.values.encryptedVolumeTypes)}\`, type de volume par défaut \`${json(p.values.defaultVolumeType)}\`, registres autorisés \`${json(p.values.registries)}\`, registres publics refusés \`${json(p.values.publicRegistries)}\`, clés d'imputation \`${json(p.values.costKeys)}\``,
        ]),
        "",
        "### Environnements",
        "",
        ...Object.entries(ENVIRONMENT_PRESETS).map(([env, levels]) =>
            `- **\`${env}\`** : ${Object.keys(levels).length ? Object.entries(levels).map(([k, v]) => `${k} → ${v}`).join(", ") : "niveaux par défaut des règles"}`),
        "",
        "Précédence des niveaux, du plus faible au plus fort : niveau par défaut de la règle < préréglage d'environnement < niveau",
        "donné pour la politique dans la configuration (ou `all`) < réglage `niveaux` (par identifiant de besoin ou nom de politique).",
        "La CLI remplit le niveau de chaque politique avec son défaut : un niveau configuré égal au défaut ne se distingue pas de",
        "l'absence de niveau ; pour imposer un niveau quel que soit l'environnement, utiliser `niveaux`.",
        "",
        "Précédence des paramètres : défaut du schéma < profil du fournisseur < valeur explicite (différente du défaut du schéma).",
        "",
        "Les paramètres de chaque règle sont vérifiés à Configure, avant toute analyse, même quand la CLI les a laissés passer :",
        "une clé que la règle ne connaît pas (`res-01-repartition-multi-zones.zoneMin`), une valeur du mauvais type, hors de ses",
        "bornes (`minimum`, `maximum`) ou de ses valeurs permises (éléments des listes et valeurs des objets compris), une",
        "expression régulière qui ne se compile pas (paramètres marqués « (regex) » ci-dessous, compilés comme JavaScript ; pour",
        "`metadonneesSauvegarde` de RES-06, la partie après le premier `=`) arrêtent Configure avec un message d'une ligne qui nomme",
        "la clé (`pil-06-gabarits-sobres.gabaritsAutorises.production.0 : expression régulière invalide / invalid regular expression: …`).",
        "",
        "### Messages",
        "",
        `Chaque message commence par les identifiants de besoin, nomme la ressource, la propriété et la valeur, dit le défaut et sa`,
        `correction. Une valeur citée (et le nom d'une ressource, une propriété) est coupée à ${MAX_QUOTE} caractères (« … »), une liste à`,
        `${MAX_ITEMS} éléments (« … (+N) ») ; une valeur n'est lue que sur ses ${4 * MAX_QUOTE} premiers caractères, quelle que soit sa taille.`,
        "Un même défaut répété dans une ressource (conteneurs d'un Deployment, règles d'un groupe de sécurité, étiquettes,",
        "variables d'environnement, ports…) donne **un seul constat par règle**, qui compte les occurrences et nomme les premières :",
        `\`PROD-02 · apps/Deployment « web » · 10000 occurrences, premières : spec.template.spec.containers[0].image = "nginx:latest", … (+${10000 - MAX_ITEMS}) · la première : …\`.`,
        "Même défaut : même règle, même ressource, même propriété aux indices de liste près (`containers[0].image` et",
        "`containers[7].image`), même texte de défaut et de correction aux valeurs près ; des défauts distincts d'une ressource",
        "(un point d'accès en http et une région absente) restent des constats distincts.",
        "",
        "### Dérogations",
        "",
        "Une dérogation est une décision, pas un commentaire : elle nomme le besoin, la décision qui l'accorde (référence), une",
        "date d'expiration et une justification. Une violation dérogée reste signalée, au niveau `advisory`, avec sa justification",
        "et son échéance. Une dérogation sans effet (mal formée, expirée, non approuvée, trop longue) laisse la violation",
        "obligatoire, et son message dit pourquoi.",
        "",
        "- **Dans la configuration** (`derogations`) : la dérogation est la décision et prend effet telle quelle.",
        `  \`"${SETTINGS_KEY}": { "derogations": [{ "besoin": "SEC-06", "ressource": "bastion-*", "reference": "DEC-2026-014", "expiration": "2026-12-31", "justification": "…" }] }\``,
        "  (`besoin` : identifiant de besoin ou nom de politique ; `ressource` : nom, URN ou motif avec `*`).",
        "- **Sur la ressource**, valeur `référence|AAAA-MM-JJ|justification` :",
        `  étiquette OpenStack \`${DEROGATION_PREFIX}SEC-06=DEC-2026-014|2026-12-31|bastion d'administration unique\` ;`,
        `  \`metadata\` (volumes, conteneurs, partages) ou \`labels\` Magnum, clé \`${DEROGATION_PREFIX}SEC-06\` ;`,
        `  annotation Kubernetes \`${K8S_ANNOTATION_PREFIX}RES-08: "DEC-2026-015|2026-06-30|service en extinction"\`.`,
        "  Elle ne prend effet que si sa référence est approuvée pour ce besoin dans `derogationsApprouvees`",
        `  (\`{ "reference": "DEC-2026-014", "besoins": ["SEC-06"], "expiration": "2026-12-31", "justification": "…" }\`), jusqu'à la`,
        "  plus proche des deux échéances, ou si la configuration ouvre le libre-service (`derogationsLibres: true`).",
        "- **Durée maximale** : aucune échéance (d'une dérogation ou d'une approbation) ne peut dépasser aujourd'hui plus",
        `  \`dureeMaxDerogationMois\` mois (${DEFAULT_SETTINGS.dureeMaxDerogationMois} par défaut) ; au-delà, la dérogation est refusée.`,
        "- **Dérogations sans objet** : une dérogation configurée qui ne nomme aucune ressource de la pile, une référence approuvée",
        `  qu'aucune ressource ne porte pour ses besoins, sont signalées par la politique \`${SETTINGS_KEY}\` (au niveau de cette entrée,`,
        "  `advisory` par défaut), pour que les décisions périmées soient retirées.",
        "- **Erreurs** : une clé inconnue, un identifiant de besoin ou un nom de politique qui ne désigne rien dans le pack (dans",
        "  `niveaux`, `derogations`, `derogationsApprouvees`, ou comme clé de la configuration), une date qui n'existe pas, une",
        "  référence approuvée deux fois, arrêtent Configure avec un message qui nomme la clé.",
        "",
        "### Correctifs Kubernetes",
        "",
        PATCH_SEMANTICS.fr,
        "",
        "## Règles par besoin",
        "",
    ];
    for (const need of NEEDS) {
        const own = rules.filter((r) => r.needs[0] === need.id);
        const also = rules.filter((r) => r.needs[0] !== need.id && r.needs.includes(need.id));
        out.push(`### ${need.id} — ${need.title.fr}`, "", `_${need.title.en}_ · priorité ${need.priority}`, "");
        if (own.length === 0 && also.length === 0) out.push("_Pas de règle dans cette version du pack._", "");
        for (const r of also) out.push(`Vérifié aussi par [\`${r.name}\`](#${anchor(r)}).`, "");
        for (const r of own) out.push(...ruleSection(r));
    }
    return out.join("\n") + "\n";
}

function ruleSection(r: Rule): string[] {
    const fx = fixturesOf(r);
    const props = Object.entries(r.config as Record<string, ConfigProperty>);
    return [
        `<a id="${anchor(r)}"></a>`,
        `#### \`${r.name}\` — ${r.title.fr}`,
        "",
        `- besoins : ${r.needs.map((n) => `${n} (${needById(n)?.title.fr ?? "?"})`).join(", ")}`,
        `- portée : ${SCOPE[r.kind]} · niveau par défaut : \`${r.enforcementLevel}\` · gravité : \`${r.severity}\``,
        `- types inspectés : ${r.types.length ? r.types.map((t) => `\`${t}\``).join(", ") : "la pile elle-même"}`,
        "",
        r.description.fr,
        "",
        `_${r.description.en}_`,
        "",
        `**Correction** : ${r.remediation.fr}`,
        "",
        ...(props.length
            ? [
                  "| paramètre | type | défaut | description |",
                  "|---|---|---|---|",
                  ...props.map(([k, p]) => `| \`${k}\` | ${p.type}${p.regex ? " (regex)" : ""} | \`${cell(json(p.default))}\`${p.profileKey ? ` (profil : \`${p.profileKey}\`)` : ""} | ${cell(p.description.fr)} |`),
                  "",
              ]
            : ["_Aucun paramètre._", ""]),
        "Exemple conforme :",
        "",
        ...example(fx.find((f) => f.kind === "compliant")),
        "",
        "Exemple non conforme :",
        "",
        ...example(fx.find((f) => f.kind === "non-compliant")),
        "",
    ];
}

export function readmeWithTable(readme: string): string {
    const b = readme.indexOf(BEGIN);
    const e = readme.indexOf(END);
    if (b < 0 || e < b) throw new Error(`README.md : marqueurs ${BEGIN} / ${END} absents`);
    return readme.slice(0, b + BEGIN.length) + "\n" + rulesTable() + "\n" + readme.slice(e);
}

if (require.main === module) {
    fs.mkdirSync(path.dirname(REFERENCE), { recursive: true });
    fs.writeFileSync(REFERENCE, referenceDoc());
    fs.writeFileSync(README, readmeWithTable(fs.readFileSync(README, "utf8")));
    console.log(`écrit : ${path.relative(ROOT, README)}, ${path.relative(ROOT, REFERENCE)}`);
}
