import { Text } from "./i18n";

/**
 * Provider profiles: the facts that differ per SecNumCloud offer (zones, regions, encrypted volume
 * types, registries, …). They live here as data, never in rule code. A rule's configuration property
 * names the profile value it defaults to (`profileKey`); explicit configuration wins.
 *
 * Zones are regular expressions matched against the whole value, case-insensitively (RES-02).
 * Regions, volume types and registries are names, compared as the system that receives them does
 * (see SEC-02, SEC-03 and PROD-02): never patterns, never substrings.
 */
export interface ProfileValues {
    /** Availability zones offered; empty = any explicit zone is accepted. */
    zones: string[];
    /**
     * Regions located in France (SEC-02), spelt as the offer's Keystone catalog spells them: the
     * OpenStack provider looks a region up by exact equality. Empty = the profile knows none.
     */
    regions: string[];
    /** Regions located in the European Union outside France (SEC-02): allowed only with `perimetre: "ue"`. */
    euRegions: string[];
    /**
     * Names (or IDs) of the offer's encrypted block-storage volume types (SEC-03): volume types whose
     * Cinder encryption specification is set. Empty = the profile knows none: every type must be
     * declared by configuration. Never a pattern: a name proves nothing, only the offer does.
     */
    encryptedVolumeTypes: string[];
    /**
     * The volume type Cinder gives a volume created without one (its `default_volume_type`), or ""
     * when the profile does not know it (SEC-03).
     */
    defaultVolumeType: string;
    /**
     * Registries (`host[:port][/path]`, `*.domain` for every subdomain) images may come from
     * (PROD-02). Empty = any registry not refused.
     */
    registries: string[];
    /** Public registries refused (PROD-02), same form as `registries`. */
    publicRegistries: string[];
    /** Cost-attribution keys every taggable resource carries (PIL-01). */
    costKeys: string[];
    /**
     * Whether the offer's Octavia spreads a load balancer created without `availability_zone` over
     * several zones (active and standby amphorae in distinct zones, moved after the loss of a zone):
     * such a load balancer is regional (RES-02). False when the profile does not know it.
     */
    regionalLoadBalancers: boolean;
}

export interface ProviderProfile {
    id: string;
    title: Text;
    description: Text;
    values: ProfileValues;
    /**
     * The APIs the offer exposes (OpenStack, Kubernetes); both when absent. A need whose rules inspect
     * only resources of an API the offer lacks does not apply to the offer.
     */
    apis?: readonly ("openstack" | "kubernetes")[];
}

export const COST_KEYS = ["application", "environnement", "centre-de-cout", "proprietaire"];

/**
 * Public registries, where anyone can publish and where the organisation does not control what a
 * name points to: Docker Hub (`docker.io`, its aliases `index.docker.io` and `registry-1.docker.io`
 * are the same registry), GitHub, Quay, the Kubernetes project, Google (gcr.io and its regional
 * hosts), Amazon ECR Public, Microsoft, GitLab.com, NVIDIA NGC and Elastic.
 */
export const PUBLIC_REGISTRIES = [
    "docker.io",
    "ghcr.io",
    "quay.io",
    "registry.k8s.io",
    "k8s.gcr.io",
    "gcr.io",
    "*.gcr.io",
    "public.ecr.aws",
    "mcr.microsoft.com",
    "registry.gitlab.com",
    "nvcr.io",
    "docker.elastic.co",
];

/** The values of a profile that knows nothing of the offer's zones, regions, volume types or registries. */
function knowsNothing(): ProviderProfile["values"] {
    return {
        zones: [],
        regions: [],
        euRegions: [],
        encryptedVolumeTypes: [],
        defaultVolumeType: "",
        registries: [],
        publicRegistries: PUBLIC_REGISTRIES,
        costKeys: COST_KEYS,
        regionalLoadBalancers: false,
    };
}

export const PROVIDER_PROFILES: readonly ProviderProfile[] = [
    {
        id: "defaut",
        title: { fr: "Profil par défaut (OpenStack générique)", en: "Default profile (generic OpenStack)" },
        description: {
            fr: "Profil d'une offre qui n'a pas le sien : il ne devine rien. Toute zone explicite est acceptée ; aucune région n'est connue (la région de l'offre se déclare par `regionsAutorisees` de SEC-02, ou en choisissant le profil de l'offre) ; aucun type de volume n'est réputé chiffré et le type par défaut de Cinder est inconnu (les types chiffrés se déclarent par `typesVolumeChiffres` et `typeVolumeParDefaut` de SEC-03) ; tout registre est accepté sauf les registres publics.",
            en: "Profile of an offer without its own: it guesses nothing. Any explicit zone is accepted; no region is known (the offer's region is declared with SEC-02's `regionsAutorisees`, or by choosing the offer's profile); no volume type is taken as encrypted and Cinder's default type is unknown (encrypted types are declared with SEC-03's `typesVolumeChiffres` and `typeVolumeParDefaut`); any registry is accepted except public ones.",
        },
        values: knowsNothing(),
    },
    {
        id: "ovhcloud",
        title: { fr: "OVHcloud (OpenStack, région EU-WEST-PAR)", en: "OVHcloud (OpenStack, region EU-WEST-PAR)" },
        description: {
            fr: "Région EU-WEST-PAR (Paris), zones eu-west-par-a, -b et -c ; types de volume chiffrés (LUKS) classic-luks, high-speed-luks et high-speed-gen2-luks ; type par défaut classic (non chiffré) ; tout registre sauf les registres publics (le registre de l'organisation se déclare par `registresAutorises` de PROD-02) ; répartiteurs régionaux : créé sans zone, le répartiteur Octavia a ses nœuds actif et de secours dans deux zones distinctes et passe dans la troisième à la perte d'une zone (architecture de référence 3-AZ d'OVHcloud). Faits à confirmer pour l'offre qualifiée.",
            en: "Region EU-WEST-PAR (Paris), zones eu-west-par-a, -b and -c; encrypted (LUKS) volume types classic-luks, high-speed-luks and high-speed-gen2-luks; default type classic (not encrypted); any registry except public ones (the organisation's registry is declared with PROD-02's `registresAutorises`); regional load balancers: created without a zone, the Octavia load balancer has its active and standby nodes in two distinct zones and moves to the third after the loss of a zone (OVHcloud 3-AZ reference architecture). Facts to be confirmed for the qualified offer.",
        },
        values: {
            zones: ["eu-west-par-a", "eu-west-par-b", "eu-west-par-c"],
            regions: ["EU-WEST-PAR"],
            euRegions: [],
            encryptedVolumeTypes: ["classic-luks", "high-speed-luks", "high-speed-gen2-luks"],
            defaultVolumeType: "classic",
            registries: [],
            publicRegistries: PUBLIC_REGISTRIES,
            costKeys: COST_KEYS,
            regionalLoadBalancers: true,
        },
    },
    {
        id: "kubernetes-qualifie",
        title: { fr: "Offre Kubernetes qualifiée, sans API OpenStack", en: "Qualified Kubernetes offer, without an OpenStack API" },
        description: {
            fr: "Offre qualifiée SecNumCloud qui ne fournit qu'un cluster Kubernetes géré (3DS Outscale, Cloud Temple, S3NS… n'exposent pas d'API OpenStack) : l'application tourne sur le cluster donné par l'offre. Seuls les besoins dont les règles examinent des objets Kubernetes s'y appliquent. Aucune zone, région ni type de volume n'est connu ; les StorageClasses de l'offre se déclarent par `provisionneursChiffrants` de SEC-03 ; tout registre sauf les registres publics.",
            en: "SecNumCloud-qualified offer that provides only a managed Kubernetes cluster (3DS Outscale, Cloud Temple, S3NS… expose no OpenStack API): the application runs on the cluster the offer gives. Only the needs whose rules inspect Kubernetes objects apply. No zone, region or volume type is known; the offer's StorageClasses are declared with SEC-03's `provisionneursChiffrants`; any registry except public ones.",
        },
        apis: ["kubernetes"],
        values: knowsNothing(),
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
        const re = wholeValuePattern(p);
        return re ? re.test(value) : p.toLowerCase() === value.toLowerCase();
    });
}

/** Patterns come from the configuration: each is compiled once (null: it does not compile). */
const compiled = new Map<string, RegExp | null>();

function wholeValuePattern(p: string): RegExp | null {
    let re = compiled.get(p);
    if (re === undefined) {
        try {
            re = new RegExp(`^(?:${p})$`, "i");
        } catch {
            re = null;
        }
        if (compiled.size >= 1_000) compiled.clear();
        compiled.set(p, re);
    }
    return re;
}
