import * as fs from "fs";
import * as path from "path";

/**
 * The data of the cost and carbon estimate (PIL-03, PIL-04, PIL-05), kept apart from the code:
 * versioned JSON files under `policies/donnees/`, shipped with the pack.
 *
 * - `tarifs/<profil>.json`: the price book of a provider profile (flavors with vCPU, memory, GPU
 *   and hourly price; volume types in € per GB-month; load balancers; flat-priced types such as
 *   public IPs; object storage; Kubernetes node prices per vCPU and GB) and its data centre facts
 *   (PUE, country of the grid);
 * - `carbone.json`: the coefficients of the carbon method (power per vCPU between idle and full
 *   load, memory power, storage, replication, embodied emissions, default PUE) and where the grid's
 *   carbon intensity comes from (the `@tgwf/co2` package);
 * - `perimetre.json`: the OpenStack types that cost nothing by themselves.
 *
 * Every value carries its source, the date it was recorded in the table and the word "indicatif".
 * The pack's `estimation` setting overrides any value and adds flavors and types (`mergeData`).
 */

export const DATA_DIR = path.resolve(__dirname, "../../../donnees");

/** Where a value comes from. */
export interface Provenance {
    /** Key of the file's `sources` table, or "configuration" for a value of the pack's configuration. */
    source: string;
    /** When the value was recorded (AAAA-MM-JJ). */
    date: string;
    nature: "indicatif";
    note?: string;
}

export interface Source {
    titre: string;
    url: string;
}

export interface Quantity extends Provenance {
    valeur: number;
    unite: string;
}

export interface Flavor extends Provenance {
    vcpu: number;
    memoireGo: number;
    gpu?: number;
    /** Local disk of the flavor (counted as SSD storage for carbon). */
    disqueGo?: number;
    /** € per hour, taxes excluded; absent: the flavor's price is unknown. */
    prixHoraire?: number;
}

export interface VolumeType extends Provenance {
    prixGoMois?: number;
    support?: "ssd" | "hdd";
}

export interface LoadBalancerFlavor extends Provenance {
    prixHoraire?: number;
    /** vCPU and memory of one amphora, and how many amphorae the load balancer runs. */
    vcpu: number;
    memoireGo: number;
    amphores: number;
}

export interface FlatPrice extends Provenance {
    prixHoraire: number;
}

export interface ObjectStorage extends Provenance {
    prixGoMois?: number;
    support?: "ssd" | "hdd";
}

export interface KubernetesPrices extends Provenance {
    prixVcpuHeure?: number;
    prixGoHeure?: number;
}

export interface PriceBook {
    profil: string;
    devise: string;
    taxes: string;
    version: string;
    sources: Record<string, Source>;
    centreDeDonnees: { pue: Quantity; pays: Provenance & { valeur: string; unite: string } };
    gabarits: Record<string, Flavor>;
    typesVolume: Record<string, VolumeType>;
    repartiteurs: { parDefaut: string; gabarits: Record<string, LoadBalancerFlavor> };
    forfaits: Record<string, FlatPrice>;
    stockageObjet?: ObjectStorage;
    kubernetes?: KubernetesPrices;
}

export const CARBON_COEFFICIENTS = [
    "heuresParMois",
    "tauxUtilisation",
    "wattsMinVcpu",
    "wattsMaxVcpu",
    "wattsGoMemoire",
    "whTeraOctetHeureSsd",
    "whTeraOctetHeureHdd",
    "replicationBloc",
    "replicationObjet",
    "gpuWattsMin",
    "gpuWattsMax",
    "fabricationServeurKg",
    "vcpuParServeur",
    "dureeVieHeures",
    "fabricationGoStockageKg",
    "dureeVieStockageMois",
    "pueParDefaut",
] as const;
export type CarbonCoefficient = (typeof CARBON_COEFFICIENTS)[number];

export interface CarbonData {
    version: string;
    sources: Record<string, Source>;
    coefficients: Record<CarbonCoefficient, Quantity>;
    intensiteReseau: Provenance & { paquet: string; jeu: string };
}

export interface Perimeter {
    version: string;
    typesSansCout: string[];
}

const cache = new Map<string, unknown>();

function readJson<T>(file: string): T {
    const hit = cache.get(file);
    if (hit !== undefined) return hit as T;
    const value = JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), "utf8")) as T;
    cache.set(file, value);
    return value;
}

/** The price book of a profile; the `defaut` one when the profile has none. */
export function priceBook(profile: string): PriceBook {
    const file = `tarifs/${profile}.json`;
    return readJson<PriceBook>(fs.existsSync(path.join(DATA_DIR, file)) ? file : "tarifs/defaut.json");
}

export function carbonData(): CarbonData {
    return readJson<CarbonData>("carbone.json");
}

export function perimeter(): Perimeter {
    return readJson<Perimeter>("perimetre.json");
}

/** Profiles that have a price book. */
export function priceBookProfiles(): string[] {
    return fs
        .readdirSync(path.join(DATA_DIR, "tarifs"))
        .filter((f) => f.endsWith(".json"))
        .map((f) => f.slice(0, -5))
        .sort();
}

// ------------------------------------------------------------------------------------------------
// Grid carbon intensity, from @tgwf/co2.

export interface GridIntensity {
    /** gCO2e per kWh. */
    value: number;
    country: string;
    /** "@tgwf/co2 <version> (averageIntensity)", or "configuration". */
    source: string;
}

let co2Package: { data: Record<string, number>; version: string } | undefined | null;

/** The yearly average intensity of a country's grid (ISO 3166-1 alpha-3), from @tgwf/co2. */
export function gridIntensity(country: string): GridIntensity | undefined {
    if (co2Package === undefined) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-var-requires
            const mod = require("@tgwf/co2/data") as { averageIntensity?: { data?: Record<string, number> } };
            co2Package = { data: mod.averageIntensity?.data ?? {}, version: co2Version() };
        } catch {
            co2Package = null;
        }
    }
    const value = co2Package?.data[country.toUpperCase()];
    if (typeof value !== "number" || !Number.isFinite(value)) return undefined;
    return { value, country: country.toUpperCase(), source: `@tgwf/co2 ${co2Package!.version} (${carbonData().intensiteReseau.jeu})` };
}

/** The version of the installed @tgwf/co2 (its package.json is not exported: read beside its entry point). */
function co2Version(): string {
    try {
        let dir = path.dirname(require.resolve("@tgwf/co2/data"));
        for (let i = 0; i < 5; i++) {
            const file = path.join(dir, "package.json");
            if (fs.existsSync(file)) {
                const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
                if (pkg.name === "@tgwf/co2" && pkg.version) return pkg.version;
            }
            dir = path.dirname(dir);
        }
    } catch {
        // unknown version
    }
    return "?";
}

// ------------------------------------------------------------------------------------------------
// The configuration (`estimation` setting of the pack) over the files.

/** The `estimation` setting, as the schema in settings.ts accepts it. */
export interface EstimationSettings {
    gabarits?: Record<string, Partial<Flavor>>;
    typesVolume?: Record<string, Partial<VolumeType>>;
    repartiteurs?: Record<string, Partial<LoadBalancerFlavor>>;
    repartiteurParDefaut?: string;
    forfaits?: Record<string, Partial<FlatPrice>>;
    typesSansCout?: string[];
    stockageObjet?: Partial<ObjectStorage>;
    kubernetes?: Partial<KubernetesPrices>;
    carbone?: Partial<Record<CarbonCoefficient | "pue" | "intensiteReseau", number>> & { paysReseau?: string };
    cleVolumeEstime?: string;
    clesRegroupement?: string[];
}

/** A value and where it comes from, after configuration. */
export interface Sourced {
    valeur: number;
    source: string;
    date: string;
}

/** Everything the estimator uses: the profile's book and the method's coefficients, configuration applied. */
export interface EstimationData {
    profil: string;
    devise: string;
    book: PriceBook;
    coefficients: Record<CarbonCoefficient, Sourced>;
    pue: Sourced;
    grid: GridIntensity | undefined;
    freeTypes: string[];
    /** Marker (metadata, tag, label) giving an object storage container's expected size in GB. */
    sizeMarker: string;
    /** Sources cited by the values in use (files' tables, plus "configuration"). */
    sources: Record<string, Source>;
}

export const CONFIGURATION_SOURCE = "configuration";
export const DEFAULT_SIZE_MARKER = "volume-estime-go";

function fromConfig<T extends object>(base: T | undefined, given: Partial<T> | undefined): T | undefined {
    if (!given) return base;
    const out = { ...(base ?? {}), ...given } as T & Partial<Provenance>;
    // A value given by configuration is the configuration's unless it names its own source.
    if (!("source" in given)) out.source = CONFIGURATION_SOURCE;
    if (!("date" in given)) out.date = "";
    out.nature = "indicatif";
    return out;
}

function mergeRecord<T extends object>(base: Record<string, T>, given: Record<string, Partial<T>> | undefined): Record<string, T> {
    const out: Record<string, T> = { ...base };
    for (const [k, v] of Object.entries(given ?? {})) {
        if (v && typeof v === "object") out[k] = fromConfig(base[k], v) as T;
    }
    return out;
}

/** The data for a profile with the `estimation` setting applied (configuration wins). */
export function mergeData(profile: string, settings: EstimationSettings = {}): EstimationData {
    const base = priceBook(profile);
    const carbon = carbonData();
    const lbGiven = settings.repartiteurs;
    const book: PriceBook = {
        ...base,
        gabarits: mergeRecord(base.gabarits, settings.gabarits),
        typesVolume: mergeRecord(base.typesVolume, settings.typesVolume),
        repartiteurs: {
            parDefaut: settings.repartiteurParDefaut ?? base.repartiteurs.parDefaut,
            gabarits: mergeRecord(base.repartiteurs.gabarits, lbGiven),
        },
        forfaits: mergeRecord(base.forfaits, settings.forfaits),
        stockageObjet: fromConfig(base.stockageObjet, settings.stockageObjet),
        kubernetes: fromConfig(base.kubernetes, settings.kubernetes),
    };
    const given = settings.carbone ?? {};
    const coefficients = {} as Record<CarbonCoefficient, Sourced>;
    for (const k of CARBON_COEFFICIENTS) {
        const v = given[k];
        const c = carbon.coefficients[k];
        coefficients[k] = typeof v === "number" && Number.isFinite(v) ? { valeur: v, source: CONFIGURATION_SOURCE, date: "" } : { valeur: c.valeur, source: c.source, date: c.date };
    }
    const pue: Sourced =
        typeof given.pue === "number"
            ? { valeur: given.pue, source: CONFIGURATION_SOURCE, date: "" }
            : base.centreDeDonnees?.pue
              ? { valeur: base.centreDeDonnees.pue.valeur, source: base.centreDeDonnees.pue.source, date: base.centreDeDonnees.pue.date }
              : coefficients.pueParDefaut;
    const country = settings.carbone?.paysReseau ?? base.centreDeDonnees?.pays?.valeur ?? "FRA";
    const grid: GridIntensity | undefined =
        typeof given.intensiteReseau === "number"
            ? { value: given.intensiteReseau, country: country.toUpperCase(), source: CONFIGURATION_SOURCE }
            : gridIntensity(country);
    const sources: Record<string, Source> = {
        ...carbon.sources,
        ...base.sources,
        [CONFIGURATION_SOURCE]: { titre: "Configuration du pack (réglage estimation)", url: "" },
    };
    return {
        profil: base.profil,
        devise: base.devise,
        book,
        coefficients,
        pue,
        grid,
        freeTypes: [...perimeter().typesSansCout, ...(settings.typesSansCout ?? [])],
        sizeMarker: settings.cleVolumeEstime || DEFAULT_SIZE_MARKER,
        sources,
    };
}

/** Whether a type is in a list of types, where a final `*` matches any suffix. */
export function inTypeList(type: string, list: readonly string[]): boolean {
    return list.some((t) => (t.endsWith("*") ? type.startsWith(t.slice(0, -1)) : t === type));
}
