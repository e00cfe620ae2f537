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
 * The engine forwards every entry of `--policy-pack-config` with Configure; the pack captures this
 * one (see intercept.ts) before any policy runs.
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
    /** Derogations granted in the configuration (see derogations.ts); checked when used. */
    derogations: unknown[];
}

export const DEFAULT_SETTINGS: Readonly<PackSettings> = Object.freeze({
    langue: "fr",
    profil: "defaut",
    environnement: "production",
    imputation: {},
    niveaux: {},
    derogations: [],
});

export const SETTINGS_SCHEMA = {
    type: "object",
    additionalProperties: false,
    properties: {
        enforcementLevel: { type: "string" },
        langue: { type: "string", enum: ["fr", "en"], default: "fr", description: "Langue des messages et des rapports (fr, en)." },
        profil: {
            type: "string",
            enum: PROVIDER_PROFILES.map((p) => p.id),
            default: "defaut",
            description: "Profil de fournisseur : zones, régions, types de volume chiffrés, clés d'imputation.",
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
            items: { type: "object" },
            default: [],
            description: "Dérogations : objets { besoin, ressource, reference, expiration (AAAA-MM-JJ), justification } ; une dérogation expirée ou mal formée ne déroge pas.",
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
let stackConfig: ReadonlyMap<string, string> = new Map();

export function settings(): Readonly<PackSettings> {
    return current;
}

/** The stack's configuration (`project:key` → value), from ConfigureStack; secrets are left out. */
export function stackConfiguration(): ReadonlyMap<string, string> {
    return stackConfig;
}

export function setStackConfiguration(config: ReadonlyMap<string, string>): void {
    stackConfig = config;
}

type Validator = ((v: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
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
    if (!validator(raw)) {
        const errs = (validator.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`.trim());
        throw new SettingsError(
            `configuration « ${SETTINGS_KEY} » invalide / invalid « ${SETTINGS_KEY} » configuration: ${errs.join("; ")}`,
        );
    }
    const r = raw as Partial<PackSettings>;
    current = {
        langue: r.langue ?? DEFAULT_SETTINGS.langue,
        profil: r.profil ?? DEFAULT_SETTINGS.profil,
        environnement: r.environnement ?? DEFAULT_SETTINGS.environnement,
        imputation: { ...(r.imputation ?? {}) },
        niveaux: { ...(r.niveaux ?? {}) },
        derogations: [...(r.derogations ?? [])],
    };
}
