import { Lang } from "../i18n";
import type { PartKind, Reason } from "./estimate";

/**
 * Words and figures of the estimate, in French and English, shared by the pack's summaries
 * (PIL-03, PIL-04, PIL-05) and the checker's cost reports, so that both say the same thing.
 */

const REASONS: Record<Reason, { fr: string; en: string }> = {
    "gabarit-inconnu": { fr: "gabarit absent du barème", en: "flavor not in the price book" },
    "gabarit-identifiant": { fr: "gabarit donné par un identifiant que le barème ne connaît pas", en: "flavor given by an ID the price book does not know" },
    "gabarit-absent": { fr: "aucun gabarit donné", en: "no flavor given" },
    "prix-absent": { fr: "prix absent du barème", en: "price not in the price book" },
    "bareme-absent": { fr: "le barème du profil ne tarife pas ce poste", en: "the profile's price book does not price this item" },
    "type-volume-inconnu": { fr: "type de volume absent du barème", en: "volume type not in the price book" },
    "type-volume-defaut-inconnu": { fr: "type de volume par défaut de Cinder inconnu du profil", en: "Cinder's default volume type unknown to the profile" },
    "type-volume-herite": { fr: "type de volume hérité de la source (volume, instantané ou sauvegarde)", en: "volume type inherited from the source (volume, snapshot or backup)" },
    "taille-inconnue": { fr: "taille non donnée par le programme", en: "size not given by the program" },
    "valeur-inconnue": { fr: "valeur inconnue avant le déploiement", en: "value unknown until the update" },
    "valeur-invalide": { fr: "valeur illisible", en: "unreadable value" },
    "quantite-stockee-inconnue": { fr: "quantité stockée inconnue (marqueur de volume estimé absent)", en: "stored quantity unknown (no estimated-size marker)" },
    "type-sans-tarif": { fr: "type de ressource sans tarif", en: "resource type without a price" },
    "requetes-absentes": { fr: "conteneur sans requête de ressources (ni limite, ni LimitRange)", en: "container without resource requests (no limit, no LimitRange)" },
    "replicas-inconnues": { fr: "un pod par nœud : nombre de nœuds inconnu", en: "one pod per node: number of nodes unknown" },
    "duree-inconnue": { fr: "durée d'exécution inconnue", en: "run time unknown" },
    "classe-stockage-inconnue": { fr: "classe de stockage inconnue ou hors Cinder", en: "storage class unknown or not Cinder" },
    "repartiteur-inconnu": { fr: "gabarit de répartiteur absent du barème", en: "load balancer flavor not in the price book" },
    "intensite-reseau-inconnue": { fr: "intensité carbone du réseau inconnue pour le pays", en: "grid carbon intensity unknown for the country" },
    "caracteristiques-absentes": { fr: "vCPU ou mémoire absents du barème", en: "vCPU or memory not in the price book" },
};

export function reasonText(reason: Reason, lang: Lang): string {
    return REASONS[reason][lang];
}

const PART_KINDS: Record<PartKind, { fr: string; en: string }> = {
    gabarit: { fr: "gabarit", en: "flavor" },
    disque: { fr: "volume de démarrage", en: "boot volume" },
    volume: { fr: "volume", en: "volume" },
    repartiteur: { fr: "répartiteur", en: "load balancer" },
    forfait: { fr: "forfait", en: "flat price" },
    objet: { fr: "stockage objet", en: "object storage" },
    charge: { fr: "réplicas (requêtes)", en: "replicas (requests)" },
    noeuds: { fr: "nœuds", en: "nodes" },
};

export function partKindText(kind: PartKind, lang: Lang): string {
    return PART_KINDS[kind][lang];
}

/** How an unattributed amount is shown under a key. */
export function unattributed(lang: Lang): string {
    return lang === "fr" ? "(non imputé)" : "(unattributed)";
}

export function keyValueLabel(value: string, lang: Lang): string {
    return value === "" ? unattributed(lang) : value;
}

/** A number with `decimals` decimals, grouped by thousands: `1 234,56` (fr), `1,234.56` (en). */
export function formatNumber(n: number, lang: Lang, decimals = 2): string {
    const fixed = Math.abs(n).toFixed(decimals);
    const [int, frac] = fixed.split(".");
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, lang === "fr" ? "\u00a0" : ",");
    const sign = n < 0 && Number(fixed) !== 0 ? "-" : "";
    return `${sign}${grouped}${frac !== undefined ? (lang === "fr" ? "," : ".") + frac : ""}`;
}

/** `1 234,56 €` (fr), `€1,234.56` (en). */
export function formatEur(n: number, lang: Lang): string {
    return lang === "fr" ? `${formatNumber(n, lang)}\u00a0€` : `€${formatNumber(n, lang)}`;
}

/** `12,34 kgCO2e`. */
export function formatKg(n: number, lang: Lang): string {
    return `${formatNumber(n, lang)}\u00a0kgCO2e`;
}

/** Amounts are compared to budgets to the cent. */
export function cents(n: number): number {
    return Math.round(n * 100) / 100;
}
