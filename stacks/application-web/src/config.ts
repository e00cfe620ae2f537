/**
 * Lecture de la configuration de la pile. Aucun fait de fournisseur (zone, région, type de volume,
 * gabarit, image, registre…) n'est écrit dans le code : tout vient de Pulumi.<pile>.yaml.
 */
import * as pulumi from "@pulumi/pulumi";

const cfg = new pulumi.Config();
const os = new pulumi.Config("openstack");

/** PIL-01 / PIL-02 : valeurs d'imputation des coûts, lues une fois et posées partout. */
export const imputation = {
    application: cfg.require("application"),
    environnement: cfg.require("environnement"),
    "centre-de-cout": cfg.require("centre-de-cout"),
    proprietaire: cfg.require("proprietaire"),
};
/** PIL-02 : le ministère est déclaré au niveau de la pile (configuration `application-web:ministere`). */
export const ministere = cfg.require("ministere");

/** Étiquettes OpenStack `tags` (format clé=valeur) : PIL-01. */
export function etiquettes(extra: Record<string, string> = {}): string[] {
    return Object.entries({ ...imputation, ...extra }).map(([k, v]) => `${k}=${v}`);
}
/** Métadonnées (volumes, conteneurs objet) et labels Kubernetes : PIL-01. */
export function metadonnees(extra: Record<string, string> = {}): Record<string, string> {
    return { ...imputation, ...extra };
}

export const prefixe = `${imputation.application}-${imputation.environnement}`;

export const fournisseur = {
    authUrl: os.require("authUrl"),
    region: os.require("region"),
};

/** RES-01 / RES-02 : zones de disponibilité de l'offre (au moins trois). */
export const zones = cfg.requireObject<string[]>("zones");

export const reseau = {
    cidr: cfg.require("cidrReseau"),
    resolveursDns: cfg.requireObject<string[]>("resolveursDns"),
    reseauExterne: cfg.require("reseauExterne"),
    cidrAdmin: cfg.require("cidrAdmin"),
};

export const calcul = {
    instancesParService: cfg.requireNumber("instances"),
    gabarit: cfg.require("gabaritWeb"),
    image: cfg.require("imageSysteme"),
    clePubliqueSsh: cfg.require("clePubliqueSsh"),
    portApplication: cfg.requireNumber("portApplication"),
    portBase: cfg.requireNumber("portBase"),
};

export const stockage = {
    /** SEC-03 : type de volume chiffré de l'offre (LUKS). */
    typeVolumeChiffre: cfg.require("typeVolumeChiffre"),
    tailleDisqueSysteme: cfg.requireNumber("tailleDisqueSysteme"),
    tailleDisqueDonnees: cfg.requireNumber("tailleDisqueDonnees"),
    conteneurSauvegarde: cfg.require("conteneurSauvegarde"),
    /** PIL-03 / PIL-05 : volume attendu des sauvegardes (Go), pour l'estimation du stockage objet. */
    volumeEstimeSauvegardeGo: cfg.requireNumber("volumeEstimeSauvegardeGo"),
};

export const repartiteur = {
    /** SEC-04 : référence du conteneur Barbican qui porte le certificat TLS. */
    certificatTls: cfg.require("certificatTls"),
    cheminSante: cfg.require("cheminSante"),
    poolIpFlottantes: cfg.require("poolIpFlottantes"),
};

/** Mot de passe de la base : secret chiffré dans la configuration de la pile. */
export const motDePasseBase = cfg.requireSecret("motDePasseBase");

export const kube = {
    kubeconfig: cfg.requireSecret("kubeconfig"),
    namespace: cfg.require("namespaceKubernetes"),
    registre: cfg.require("registre"),
    imageApplication: cfg.require("imageApplication"),
    tagImage: cfg.require("tagImage"),
    digestImage: cfg.get("digestImage"),
    replicas: cfg.requireNumber("replicas"),
    replicasMax: cfg.requireNumber("replicasMax"),
    hote: cfg.require("hoteIngress"),
    classeIngress: cfg.require("classeIngress"),
    secretTlsIngress: cfg.require("secretTlsIngress"),
    classeStockage: cfg.require("classeStockage"),
    provisionneurCsi: cfg.require("provisionneurCsi"),
    cpuDemande: cfg.require("cpuDemande"),
    cpuLimite: cfg.require("cpuLimite"),
    memoireDemande: cfg.require("memoireDemande"),
    memoireLimite: cfg.require("memoireLimite"),
    urlBase: cfg.require("urlBase"),
};
