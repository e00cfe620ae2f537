import type { StackValidationPolicy } from "@pulumi/policy";
import { needById } from "./catalogue";
import { Approval, DerogationSpec, validDate } from "./derogations";
import { Lang } from "./i18n";
import { PROVIDER_PROFILES } from "./profiles";

/**
 * Pack-wide settings. They are read from the policy-pack configuration under the key
 * `cloud-de-confiance` (the pack's name), next to the per-policy entries:
 *
 * ```json
 * { "cloud-de-confiance": { "langue": "en", "profil": "ovhcloud" },
 *   "res-01-repartition-multi-zones": { "zonesMin": 3 } }
 * ```
 *
 * That key is a policy of the pack (`settingsPolicy`), which owns the settings' schema and reports
 * nothing but stale derogations. So the CLI accepts the entry as it accepts any policy's (its
 * reconcile gives it a level, which Configure requires), fills its defaults, validates it against
 * the schema, and lists it in `pulumi policy` commands. The pack reads the entry from the Configure
 * call (see intercept.ts) before any policy runs, and refuses what the CLI's validation lets through:
 * unknown keys, need ids and policy names that name nothing of this pack, dates that are no
 * calendar dates, an approved reference given twice. The error names the key at fault.
 */
export const SETTINGS_KEY = "cloud-de-confiance";

export type Environment = "production" | "hors-production";

export interface PackSettings {
    langue: Lang;
    profil: string;
    environnement: Environment;
    /** Values used by remediations to fill missing cost-attribution keys (PIL-01). */
    imputation: Record<string, string>;
    /** Levels by need id or policy name; they win over everything else (see levels.ts). */
    niveaux: Record<string, "advisory" | "mandatory" | "disabled">;
    /** Derogations granted in the configuration, by resource (see derogations.ts). */
    derogations: DerogationSpec[];
    /** References that let the derogations carried by resources take effect (see derogations.ts). */
    derogationsApprouvees: Approval[];
    /** Whether a derogation carried by a resource takes effect without an approved reference. */
    derogationsLibres: boolean;
    /** Maximum validity of a derogation, in months from today. */
    dureeMaxDerogationMois: number;
    /** Overrides of the cost and carbon data, and added flavors and types (PIL-03, PIL-04, PIL-05; see cost/data.ts). */
    estimation: Record<string, unknown>;
}

export const DEFAULT_SETTINGS: Readonly<PackSettings> = Object.freeze({
    langue: "fr",
    profil: "defaut",
    environnement: "production",
    imputation: {},
    niveaux: {},
    derogations: [],
    derogationsApprouvees: [],
    derogationsLibres: false,
    dureeMaxDerogationMois: 12,
    estimation: {},
});

/** A date as the settings write it; that it is a calendar date is checked at Configure. */
const DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";
/** Text with at least one visible character. */
const TEXT = { type: "string", pattern: "\\S" } as const;

const num = (description: string, extra: Record<string, number> = {}) => ({ type: "number", minimum: 0, ...extra, description });
const provenance = {
    source: { type: "string", description: "Source de la valeur (défaut : « configuration »)." },
    date: { type: "string", description: "Date de la valeur (AAAA-MM-JJ)." },
    note: { type: "string", description: "Remarque." },
};
const entries = (properties: Record<string, unknown>, description: string) => ({
    type: "object",
    description,
    additionalProperties: { type: "object", additionalProperties: false, properties: { ...properties, ...provenance } },
});
const medium = { type: "string", enum: ["ssd", "hdd"], description: "Support : ssd ou hdd." };

/**
 * The `estimation` setting: it overrides any value of the price book of the profile and of the
 * carbon coefficients (policies/donnees/), and adds flavors and types (see cost/data.ts).
 */
export const ESTIMATION_SCHEMA = {
    type: "object",
    additionalProperties: false,
    default: {},
    description:
        "Estimation du coût et de l'empreinte (PIL-03, PIL-04, PIL-05) : remplace toute valeur du barème du profil et des coefficients carbone (policies/donnees/), ajoute gabarits et types. Voir docs/methode-cout-carbone.md.",
    properties: {
        gabarits: entries(
            {
                vcpu: num("vCPU du gabarit."),
                memoireGo: num("Mémoire du gabarit (Go)."),
                gpu: num("Nombre de GPU."),
                disqueGo: num("Disque local (Go)."),
                prixHoraire: num("Prix horaire hors taxes (€)."),
            },
            "Gabarits par nom (ou identifiant) : vCPU, mémoire, GPU, disque local, prix horaire.",
        ),
        typesVolume: entries({ prixGoMois: num("Prix par Go et par mois (€)."), support: medium }, "Types de volume par nom : prix par Go·mois, support."),
        repartiteurs: entries(
            {
                prixHoraire: num("Prix horaire (€)."),
                vcpu: num("vCPU d'une amphore."),
                memoireGo: num("Mémoire d'une amphore (Go)."),
                amphores: num("Nombre d'amphores."),
            },
            "Gabarits de répartiteur (flavorId Octavia) : prix horaire, vCPU, mémoire et nombre d'amphores.",
        ),
        repartiteurParDefaut: { type: "string", description: "Gabarit de répartiteur d'un répartiteur sans flavorId." },
        forfaits: entries({ prixHoraire: num("Prix horaire (€).") }, "Prix horaire forfaitaire par type Pulumi (IP publique, routeur…)."),
        typesSansCout: { type: "array", items: { type: "string" }, description: "Types OpenStack sans coût propre (un `*` final vaut tout suffixe)." },
        stockageObjet: {
            type: "object",
            additionalProperties: false,
            description: "Stockage objet : prix par Go·mois, support.",
            properties: { prixGoMois: num("Prix par Go et par mois (€)."), support: medium, ...provenance },
        },
        kubernetes: {
            type: "object",
            additionalProperties: false,
            description: "Prix des nœuds Kubernetes par vCPU·h et par Go·h, pour les requêtes des charges de travail.",
            properties: { prixVcpuHeure: num("Prix par vCPU et par heure (€)."), prixGoHeure: num("Prix par Go de mémoire et par heure (€)."), ...provenance },
        },
        carbone: {
            type: "object",
            additionalProperties: false,
            description: "Coefficients de la méthode carbone.",
            properties: {
                heuresParMois: num("Heures par mois.", { minimum: 1 }),
                tauxUtilisation: num("Taux d'utilisation supposé des vCPU, de 0 à 1.", { maximum: 1 }),
                wattsMinVcpu: num("Puissance par vCPU à vide (W)."),
                wattsMaxVcpu: num("Puissance par vCPU à pleine charge (W)."),
                wattsGoMemoire: num("Puissance par Go de mémoire (W)."),
                whTeraOctetHeureSsd: num("Énergie du stockage SSD (Wh par To·h)."),
                whTeraOctetHeureHdd: num("Énergie du stockage HDD (Wh par To·h)."),
                replicationBloc: num("Copies d'un volume en mode bloc."),
                replicationObjet: num("Copies du stockage objet."),
                gpuWattsMin: num("Puissance d'un GPU au repos (W)."),
                gpuWattsMax: num("Puissance d'un GPU à pleine charge (W)."),
                fabricationServeurKg: num("Émissions de fabrication d'un serveur (kgCO2e)."),
                vcpuParServeur: num("vCPU d'un serveur.", { minimum: 1 }),
                dureeVieHeures: num("Durée de vie d'un serveur (h).", { minimum: 1 }),
                fabricationGoStockageKg: num("Émissions de fabrication par Go de stockage (kgCO2e)."),
                dureeVieStockageMois: num("Durée de vie du stockage (mois).", { minimum: 1 }),
                pueParDefaut: num("PUE quand le profil n'en donne pas."),
                pue: num("PUE du centre de données (remplace celui du profil)."),
                intensiteReseau: num("Intensité carbone du réseau (gCO2e/kWh), au lieu de celle du pays."),
                paysReseau: { type: "string", pattern: "^[A-Za-z]{3}$", description: "Pays du réseau électrique (ISO 3166-1 alpha-3), lu dans @tgwf/co2." },
            },
        },
        cleVolumeEstime: { type: "string", description: "Clé du marqueur (métadonnée, étiquette) qui donne le volume estimé d'un conteneur objet, en Go (défaut : volume-estime-go)." },
        clesRegroupement: {
            type: "array",
            items: { type: "string" },
            description: "Clés d'imputation de regroupement des totaux (défaut : celles du profil).",
        },
    },
};

export const SETTINGS_SCHEMA = {
    type: "object",
    additionalProperties: false,
    properties: {
        langue: { type: "string", enum: ["fr", "en"], default: "fr", description: "Langue des messages et des rapports (fr, en)." },
        profil: {
            type: "string",
            enum: PROVIDER_PROFILES.map((p) => p.id),
            default: "defaut",
            description: "Profil de fournisseur : zones, régions, types de volume chiffrés, registres, clés d'imputation.",
        },
        environnement: {
            type: "string",
            enum: ["production", "hors-production"],
            default: "production",
            description: "Environnement de la pile.",
        },
        imputation: {
            type: "object",
            additionalProperties: { type: "string" },
            default: {},
            description: "Valeurs des clés d'imputation que la remédiation de PIL-01 ajoute quand les étiquettes de la pile ne les donnent pas.",
        },
        niveaux: {
            type: "object",
            additionalProperties: { type: "string", enum: ["advisory", "mandatory", "disabled"] },
            default: {},
            description: "Niveaux par identifiant de besoin ou nom de politique ; ils l'emportent sur tout le reste.",
        },
        derogations: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["besoin", "ressource", "reference", "expiration", "justification"],
                properties: {
                    besoin: { type: "string", description: "Identifiant de besoin (SEC-06) ou nom de politique." },
                    ressource: { ...TEXT, description: "Nom de ressource, URN ou motif avec *." },
                    reference: { ...TEXT, description: "Référence de la décision qui accorde la dérogation." },
                    expiration: { type: "string", pattern: DATE_PATTERN, description: "Date d'expiration, AAAA-MM-JJ (incluse)." },
                    justification: { ...TEXT, description: "Motif de la dérogation." },
                },
            },
            default: [],
            description:
                "Dérogations accordées par la configuration : { besoin, ressource, reference, expiration (AAAA-MM-JJ), justification } ; elles prennent effet telles quelles, dans la limite de dureeMaxDerogationMois.",
        },
        derogationsApprouvees: {
            type: "array",
            items: {
                type: "object",
                additionalProperties: false,
                required: ["reference", "besoins", "expiration"],
                properties: {
                    reference: { ...TEXT, description: "Référence de décision que les ressources peuvent porter." },
                    besoins: { type: "array", minItems: 1, items: { type: "string" }, description: "Besoins (ou politiques) que la décision couvre." },
                    expiration: { type: "string", pattern: DATE_PATTERN, description: "Fin de l'approbation, AAAA-MM-JJ (incluse)." },
                    justification: { type: "string", description: "Motif de la décision (documentaire)." },
                },
            },
            default: [],
            description:
                "Références approuvées : { reference, besoins, expiration (AAAA-MM-JJ), justification? } ; une dérogation portée par une ressource ne prend effet que si sa référence y figure pour le besoin, jusqu'à la plus proche des deux échéances.",
        },
        derogationsLibres: {
            type: "boolean",
            default: false,
            description: "Si vrai, une dérogation portée par une ressource prend effet sans référence approuvée (libre-service).",
        },
        dureeMaxDerogationMois: {
            type: "integer",
            minimum: 1,
            // A hundred years: beyond, the latest expiry would be no calendar date.
            maximum: 1200,
            default: 12,
            description: "Durée maximale de validité d'une dérogation ou d'une approbation, en mois à compter du jour : une échéance plus lointaine est refusée.",
        },
        estimation: ESTIMATION_SCHEMA,
    },
} as const;

/** Raised when the settings entry is malformed; its message is one line, in French and English. */
export class SettingsError extends Error {}

let current: PackSettings = { ...DEFAULT_SETTINGS };
/** Incremented at each configuration: what was derived from the previous one is stale. */
let generation = 0;

export function configurationGeneration(): number {
    return generation;
}
/** The stack as ConfigureStack describes it; undefined until the engine calls it. */
export interface StackConfiguration {
    /** Non-secret values, `project:key` → value. */
    values: ReadonlyMap<string, string>;
    /** Every key the stack sets, secret ones included. */
    keys: ReadonlySet<string>;
    /** Parts of the stack the engine says it does not know (see stack-knowledge.ts); none when absent. */
    unknown?: { tags: boolean; config: boolean };
}
let stackConfig: StackConfiguration | undefined;

export function settings(): Readonly<PackSettings> {
    return current;
}

/** The stack's non-secret configuration (`project:key` → value), from ConfigureStack. */
export function stackConfiguration(): ReadonlyMap<string, string> {
    return stackConfig?.values ?? new Map();
}

/**
 * Whether the engine described the stack (ConfigureStack, CLI 3.221 and later). Without it, the
 * stack tags are unknown to the pack and its configuration keys are only known from the
 * `PULUMI_CONFIG` variable the CLI gives the pack's process (whose values may hold decrypted
 * secrets: the pack reads only its keys).
 */
export function stackDescribed(): boolean {
    return stackConfig !== undefined;
}

/**
 * Whether the pack knows the stack's tags and its configuration completely: both when ConfigureStack
 * described the stack without naming unknown parts, neither without ConfigureStack.
 */
export function stackComplete(): { tags: boolean; config: boolean } {
    if (!stackConfig) return { tags: false, config: false };
    return { tags: !stackConfig.unknown?.tags, config: !stackConfig.unknown?.config };
}

/** The keys the stack's configuration sets (`project:key`), secret ones included. */
export function stackConfigurationKeys(): ReadonlySet<string> {
    if (stackConfig) return stackConfig.keys;
    try {
        const raw = process.env["PULUMI_CONFIG"];
        const parsed = raw ? JSON.parse(raw) : {};
        return new Set(parsed && typeof parsed === "object" && !Array.isArray(parsed) ? Object.keys(parsed) : []);
    } catch {
        return new Set();
    }
}

export function setStackConfiguration(config: StackConfiguration): void {
    stackConfig = config;
}

type Validator = ((v: unknown) => boolean) & { errors?: { instancePath: string; message?: string; params?: Record<string, unknown> }[] | null };
let validator: Validator | undefined;

/** Validates and installs the settings; `undefined` restores the defaults. Throws SettingsError. */
export function applySettings(raw: unknown): void {
    generation++;
    if (raw === undefined || raw === null) {
        current = { ...DEFAULT_SETTINGS };
        return;
    }
    if (!validator) {
        // Loaded on first configuration only: the pack's start-up stays as light as possible.
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const Ajv = require("ajv").default;
        validator = new Ajv({ allErrors: true, strict: false }).compile(SETTINGS_SCHEMA) as Validator;
    }
    // The level the engine gives this entry is not a setting.
    if (typeof raw === "object" && !Array.isArray(raw)) {
        const { enforcementLevel: _level, ...given } = raw as Record<string, unknown>;
        raw = given;
    }
    if (!validator(raw)) {
        const errs = (validator.errors ?? []).map(settingsError);
        throw new SettingsError(
            `configuration « ${SETTINGS_KEY} » invalide / invalid « ${SETTINGS_KEY} » configuration: ${errs.join("; ")}`,
        );
    }
    const r = raw as Partial<PackSettings>;
    const errs = referenceErrors(r);
    if (errs.length) {
        throw new SettingsError(
            `configuration « ${SETTINGS_KEY} » invalide / invalid « ${SETTINGS_KEY} » configuration: ${errs.join("; ")}`,
        );
    }
    current = {
        langue: r.langue ?? DEFAULT_SETTINGS.langue,
        profil: r.profil ?? DEFAULT_SETTINGS.profil,
        environnement: r.environnement ?? DEFAULT_SETTINGS.environnement,
        imputation: { ...(r.imputation ?? {}) },
        niveaux: { ...(r.niveaux ?? {}) },
        derogations: (r.derogations ?? []).map((d) => ({ ...d })),
        derogationsApprouvees: (r.derogationsApprouvees ?? []).map((a) => ({ ...a, besoins: [...a.besoins] })),
        derogationsLibres: r.derogationsLibres ?? DEFAULT_SETTINGS.derogationsLibres,
        dureeMaxDerogationMois: r.dureeMaxDerogationMois ?? DEFAULT_SETTINGS.dureeMaxDerogationMois,
        estimation: structuredClone(r.estimation ?? {}),
    };
}

/** What the pack is made of, for the checks of names in the configuration. */
export interface PackPolicy {
    name: string;
    needs: readonly string[];
}
let packPolicies: readonly PackPolicy[] | undefined;

/**
 * Declares the pack's policies (the pack's entry point does, once, from the registry): the
 * configuration may then only name their need ids and policy names. Until then, need ids are
 * checked against the catalogue only.
 */
export function setPackPolicies(policies: readonly PackPolicy[]): void {
    packPolicies = policies.map((p) => ({ name: p.name, needs: [...p.needs] }));
}

/** Why `id` names nothing of the pack (a need id with a rule, or a policy name); undefined when it does. */
function unknownTarget(id: string): string | undefined {
    const need = needById(id);
    if (!packPolicies) return need ? undefined : `besoin inconnu « ${id} » / unknown need "${id}"`;
    if (packPolicies.some((p) => p.name === id)) return undefined;
    if (need) {
        return packPolicies.some((p) => p.needs.includes(id))
            ? undefined
            : `le besoin « ${id} » n'a pas de règle dans cette version du pack / need "${id}" has no rule in this version of the pack`;
    }
    return `ni besoin ni politique du pack : « ${id} » / neither a need nor a policy of the pack: "${id}"`;
}

/**
 * The errors of names and dates the schema cannot see, each naming its key: need ids and policy
 * names (in `niveaux`, `derogations`, `derogationsApprouvees`), calendar dates, approved references
 * given twice.
 */
function referenceErrors(r: Partial<PackSettings>): string[] {
    const errs: string[] = [];
    const target = (key: string, id: string) => {
        const why = unknownTarget(id);
        if (why) errs.push(`${key} : ${why}`);
    };
    const date = (key: string, v: string) => {
        if (!validDate(v)) errs.push(`${key} : « ${v} » n'est pas une date du calendrier / "${v}" is no calendar date`);
    };
    for (const k of Object.keys(r.niveaux ?? {})) target(`niveaux.${k}`, k);
    (r.derogations ?? []).forEach((d, i) => {
        target(`derogations.${i}.besoin`, d.besoin);
        date(`derogations.${i}.expiration`, d.expiration);
    });
    const seen = new Map<string, number>();
    (r.derogationsApprouvees ?? []).forEach((a, i) => {
        a.besoins.forEach((b, j) => target(`derogationsApprouvees.${i}.besoins.${j}`, b));
        date(`derogationsApprouvees.${i}.expiration`, a.expiration);
        const ref = a.reference.trim();
        const first = seen.get(ref);
        if (first !== undefined) {
            errs.push(
                `derogationsApprouvees.${i}.reference : « ${ref} » déjà approuvée en derogationsApprouvees.${first} / "${ref}" already approved in derogationsApprouvees.${first}`,
            );
        } else seen.set(ref, i);
    });
    return errs;
}

/**
 * The keys of the policy-pack configuration that name no policy of the pack: a policy name with a
 * typo would otherwise be silently ignored. `all` is the CLI's own key.
 */
export function unknownPolicyKeys(keys: Iterable<string>): string[] {
    if (!packPolicies) return [];
    const known = new Set([SETTINGS_KEY, "all", ...packPolicies.map((p) => p.name)]);
    return [...keys].filter((k) => !known.has(k));
}

/** Refuses a configuration whose keys name no policy of the pack, naming them. */
export function checkPolicyKeys(keys: Iterable<string>): void {
    const unknown = unknownPolicyKeys(keys);
    if (unknown.length) {
        throw new SettingsError(
            `configuration du pack invalide / invalid policy pack configuration: ${unknown
                .map((k) => `politique inconnue « ${k} » / unknown policy "${k}"`)
                .join("; ")}`,
        );
    }
}

/** One validation error, naming the key at fault. */
function settingsError(e: { instancePath: string; message?: string; params?: Record<string, unknown> }): string {
    const key = e.instancePath.split("/").slice(1).join(".");
    const extra = e.params?.["additionalProperty"];
    if (extra !== undefined) {
        const where = key ? `${key}.${String(extra)}` : String(extra);
        return `clé inconnue « ${where} » / unknown key "${where}"`;
    }
    return `${key || "/"} ${e.message ?? ""}`.trim();
}

/**
 * The policy that owns the settings: named after the pack, so that the settings entry of
 * `--policy-pack-config` is a policy's entry for the CLI. It checks no need; given `validateStack`
 * (the pack gives the audit of derogations, derogation-audit.ts), it reports on the configuration
 * itself at AnalyzeStack.
 */
export function settingsPolicy(validateStack?: StackValidationPolicy["validateStack"]): StackValidationPolicy {
    const { additionalProperties: _additional, type: _type, properties } = SETTINGS_SCHEMA;
    return {
        name: SETTINGS_KEY,
        description:
            "Réglages du pack (langue, profil de fournisseur, environnement, imputation, niveaux, dérogations) : cette entrée ne vérifie aucun besoin ; elle signale les dérogations configurées et les références approuvées qui ne correspondent à rien dans la pile.",
        displayName: "Réglages du pack cloud-de-confiance",
        enforcementLevel: "advisory",
        configSchema: { properties: structuredClone(properties) as Record<string, any> },
        validateStack: validateStack ?? ((args) => args.notApplicable("réglages du pack / pack settings")),
    };
}
