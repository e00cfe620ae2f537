/**
 * Imputation des coûts (PIL-01) : les clés d'imputation (`application`, `environnement`,
 * `centre-de-cout`, `proprietaire`) posées sur chaque ressource, sous la forme que chaque service
 * accepte : étiquettes OpenStack `clé=valeur`, métadonnées (volumes, conteneurs, secrets Barbican),
 * labels Magnum et Kubernetes.
 */
export type Imputation = Readonly<Record<string, string>>;

/** Étiquettes OpenStack (`tags`) au format `clé=valeur` (PIL-01). */
export function etiquettes(imputation: Imputation, extra: Record<string, string> = {}): string[] {
    return Object.entries({ ...imputation, ...extra }).map(([k, v]) => `${k}=${v}`);
}

/** Métadonnées (volumes, conteneurs objet, secrets) et labels (Magnum, Kubernetes) : PIL-01. */
export function metadonnees(imputation: Imputation, extra: Record<string, string> = {}): Record<string, string> {
    return { ...imputation, ...extra };
}
