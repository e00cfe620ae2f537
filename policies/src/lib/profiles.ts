import { Text } from "./i18n";

/**
 * Provider profiles: the facts that differ per SecNumCloud offer (zones, regions, encrypted volume
 * types, endpoints, …). They live here as data, never in rule code. A rule's configuration property
 * names the profile value it defaults to (`profileKey`); explicit configuration wins.
 *
 * Volume types and regions are lists of regular expressions matched against the whole value,
 * case-insensitively: a plain name such as `classic-luks` matches exactly that name.
 */
export interface ProfileValues {
    /** Availability zones offered; empty = any explicit zone is accepted. */
    zones: string[];
    /** Regions allowed for data and processing (SEC-02); empty = any explicit region. */
    regions: string[];
    /** Encrypted block-storage volume types (SEC-03). */
    encryptedVolumeTypes: string[];
    /** Cost-attribution keys every taggable resource carries (PIL-01). */
    costKeys: string[];
}

export interface ProviderProfile {
    id: string;
    title: Text;
    description: Text;
    values: ProfileValues;
}

export const COST_KEYS = ["application", "environnement", "centre-de-cout", "proprietaire"];

export const PROVIDER_PROFILES: readonly ProviderProfile[] = [
    {
        id: "defaut",
        title: { fr: "Profil par défaut (OpenStack générique)", en: "Default profile (generic OpenStack)" },
        description: {
            fr: "Toute zone explicite est acceptée ; les volumes chiffrés se reconnaissent à un type en -luks ou contenant « encrypt » / « chiffr ». À préciser pour chaque offre.",
            en: "Any explicit zone is accepted; encrypted volumes are recognised by a type ending in -luks or containing “encrypt” / “chiffr”. To be narrowed for each offer.",
        },
        values: {
            zones: [],
            regions: [],
            encryptedVolumeTypes: [".*-luks", ".*encrypt.*", ".*chiffr.*"],
            costKeys: COST_KEYS,
        },
    },
    {
        id: "ovhcloud",
        title: { fr: "OVHcloud (OpenStack, région EU-WEST-PAR)", en: "OVHcloud (OpenStack, region EU-WEST-PAR)" },
        description: {
            fr: "Région EU-WEST-PAR, zones eu-west-par-a, -b et -c ; types de volume chiffrés (LUKS) classic-luks, high-speed-luks et high-speed-gen2-luks. Faits à confirmer pour l'offre qualifiée.",
            en: "Region EU-WEST-PAR, zones eu-west-par-a, -b and -c; encrypted (LUKS) volume types classic-luks, high-speed-luks and high-speed-gen2-luks. Facts to be confirmed for the qualified offer.",
        },
        values: {
            zones: ["eu-west-par-a", "eu-west-par-b", "eu-west-par-c"],
            regions: ["EU-WEST-PAR"],
            encryptedVolumeTypes: ["classic-luks", "high-speed-luks", "high-speed-gen2-luks"],
            costKeys: COST_KEYS,
        },
    },
];

export type ProfileKey = keyof ProfileValues;

export function providerProfile(id: string): ProviderProfile | undefined {
    return PROVIDER_PROFILES.find((p) => p.id === id);
}

export const DEFAULT_PROFILE = PROVIDER_PROFILES[0];

/** Whether `value` matches one of the patterns (whole value, case-insensitive). Bad patterns match literally. */
export function matchesAny(value: string, patterns: readonly string[]): boolean {
    return patterns.some((p) => {
        try {
            return new RegExp(`^(?:${p})$`, "i").test(value);
        } catch {
            return p.toLowerCase() === value.toLowerCase();
        }
    });
}
