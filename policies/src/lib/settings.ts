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
});

/** A date as the settings write it; that it is a calendar date is checked at Configure. */
const DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";
/** Text with at least one visible character. */
const TEXT = { type: "string", pattern: "\\S" } as const;

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
