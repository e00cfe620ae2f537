import { txt } from "../../lib/i18n";
import { matchesAny } from "../../lib/profiles";
import { str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { markerValue } from "../../lib/tags";
import { OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    gabaritsAutorises: Record<string, unknown>;
    gabaritsGpu: string[];
    cleJustificationGpu: string;
    motifIdentifiant: string;
}

/** The flavor properties of each type, in @pulumi/openstack 3.15. */
const FLAVOR_PROPS: Record<string, readonly string[]> = {
    [OS.instance]: ["flavorName", "flavorId"],
    [OS.magnumCluster]: ["flavor", "masterFlavor"],
    [OS.magnumClusterTemplate]: ["flavor", "masterFlavor"],
    [OS.magnumNodeGroup]: ["flavorId"],
};

export default defineResourceRule<Config>({
    name: "pil-06-gabarits-sobres",
    needs: ["PIL-06"],
    title: txt("Gabarits sobres", "Sober flavors"),
    description: txt(
        "Les gabarits (flavors) viennent de la liste autorisée pour l'environnement, et un gabarit GPU est justifié. Propriétés lues : instance `flavorName` et `flavorId`, cluster et modèle de cluster Magnum `flavor` et `masterFlavor`, groupe de nœuds Magnum `flavorId`. Une valeur absente ou vide n'est pas jugée (le gabarit par défaut du fournisseur ou du modèle s'applique). Une valeur qui a la forme d'un identifiant (motif `motifIdentifiant` : UUID ou nombre, par défaut) ne peut pas être jugée sans appeler l'API : elle est acceptée ; les autres valeurs sont comprises comme des noms (OpenStack accepte un nom dans `flavorId` des groupes de nœuds et dans `flavor` des clusters). Liste autorisée : `gabaritsAutorises` associe à chaque environnement (`production`, `hors-production`, réglage `environnement` du pack) des motifs (expressions régulières sur le nom entier, insensibles à la casse) ; une liste vide ou absente pour l'environnement accepte tout gabarit (défaut : les listes dépendent de l'offre et relèvent du profil de fournisseur). GPU : un nom qui correspond à un motif de `gabaritsGpu` (par défaut, un segment `gpu`, `vgpu`, `t4`, `a10`, `a16`, `a30`, `a40`, `a100`, `h100`, `h200`, `l4`, `l40`, `l40s`, `v100` ou `rtx…` séparé par `-`, `_` ou `.` ; les GPU OVHcloud `t1-…`/`t2-…` sont à ajouter par le profil) exige le marqueur `cleJustificationGpu` (défaut `justification-gpu`) avec une valeur non vide : étiquette `justification-gpu=…`, métadonnée ou label. Un gabarit GPU peut produire deux violations (hors liste et non justifié).",
        "Flavors come from the allowed list for the environment, and a GPU flavor is justified. Properties read: instance `flavorName` and `flavorId`, Magnum cluster and cluster template `flavor` and `masterFlavor`, Magnum node group `flavorId`. A missing or empty value is not judged (the provider's or template's default flavor applies). A value shaped like an identifier (pattern `motifIdentifiant`: UUID or number, by default) cannot be judged without calling the API: it is accepted; other values are taken as names (OpenStack accepts a name in node groups' `flavorId` and clusters' `flavor`). Allowed list: `gabaritsAutorises` maps each environment (`production`, `hors-production`, the pack's `environnement` setting) to patterns (regular expressions over the whole name, case-insensitive); an empty or missing list for the environment accepts any flavor (default: the lists depend on the offer and belong to the provider profile). GPU: a name matching a pattern of `gabaritsGpu` (by default a segment `gpu`, `vgpu`, `t4`, `a10`, `a16`, `a30`, `a40`, `a100`, `h100`, `h200`, `l4`, `l40`, `l40s`, `v100` or `rtx…` delimited by `-`, `_` or `.`; OVHcloud's `t1-…`/`t2-…` GPUs are to be added by the profile) requires the marker `cleJustificationGpu` (default `justification-gpu`) with a non-empty value: tag `justification-gpu=…`, metadata or label. A GPU flavor may yield two violations (not allowed and not justified).",
    ),
    remediation: txt(
        "Choisir un gabarit de la liste autorisée pour l'environnement ; pour un GPU, ajouter la justification (`tags: [\"justification-gpu=inférence du modèle X\"]`, métadonnée ou label) ou choisir un gabarit sans GPU.",
        "Pick a flavor from the allowed list for the environment; for a GPU, add the justification (`tags: [\"justification-gpu=inference of model X\"]`, metadata or label) or pick a flavor without GPU.",
    ),
    severity: "low",
    enforcementLevel: "advisory",
    config: {
        gabaritsAutorises: {
            regex: true,
            type: "object",
            additionalProperties: { type: "array", items: { type: "string" } },
            default: { production: [], "hors-production": [] },
            description: txt(
                "Par environnement (`production`, `hors-production`), motifs des noms de gabarits autorisés ; liste vide = tout gabarit.",
                "Per environment (`production`, `hors-production`), patterns of the allowed flavor names; empty list = any flavor.",
            ),
        },
        gabaritsGpu: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: [".*(^|[-_.])(gpu|vgpu|t4|a10|a16|a30|a40|a100|h100|h200|l4|l40s?|v100|rtx[a-z0-9]*)([-_.].*|$)"],
            description: txt("Motifs des noms de gabarits GPU (nom entier, insensible à la casse).", "Patterns of GPU flavor names (whole name, case-insensitive)."),
        },
        cleJustificationGpu: {
            type: "string",
            default: "justification-gpu",
            description: txt("Clé du marqueur (étiquette, métadonnée, label) qui justifie un GPU.", "Key of the marker (tag, metadata, label) that justifies a GPU."),
        },
        motifIdentifiant: {
            regex: true,
            type: "string",
            default: "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9]+",
            description: txt(
                "Motif des valeurs qui sont des identifiants de gabarit (non jugées).",
                "Pattern of the values that are flavor identifiers (not judged).",
            ),
        },
    },
    types: Object.keys(FLAVOR_PROPS),
    check(r, ctx) {
        const cfg = ctx.config;
        const env = ctx.settings.environnement;
        const allowed = Array.isArray(cfg.gabaritsAutorises[env])
            ? (cfg.gabaritsAutorises[env] as unknown[]).filter((p): p is string => typeof p === "string")
            : [];
        let justified: boolean | undefined;
        for (const prop of FLAVOR_PROPS[r.type] ?? []) {
            const flavor = str(r.props[prop])?.trim();
            if (!flavor || matchesAny(flavor, [cfg.motifIdentifiant])) continue;
            if (allowed.length > 0 && !matchesAny(flavor, allowed)) {
                ctx.report({
                    property: prop,
                    value: flavor,
                    problem: msg(
                        m`gabarit hors de la liste autorisée en ${env} (${items(allowed)}).`,
                        m`flavor not in the allowed list for ${env} (${items(allowed)}).`,
                    ),
                });
            }
            if (matchesAny(flavor, cfg.gabaritsGpu)) {
                if (justified === undefined) justified = markerValue(r.props, cfg.cleJustificationGpu) !== undefined;
                if (!justified) {
                    ctx.report({
                        property: prop,
                        value: flavor,
                        problem: msg(
                            m`gabarit GPU sans justification (marqueur « ${cfg.cleJustificationGpu} »).`,
                            m`GPU flavor without justification (marker "${cfg.cleJustificationGpu}").`,
                        ),
                        fix: msg(
                            m`ajouter \`${cfg.cleJustificationGpu}=<motif>\` aux étiquettes (ou métadonnées, labels), ou choisir un gabarit sans GPU.`,
                            m`add \`${cfg.cleJustificationGpu}=<reason>\` to the tags (or metadata, labels), or pick a flavor without GPU.`,
                        ),
                    });
                }
            }
        }
    },
});
