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
export const prefixe = `${imputation.application}-${imputation.environnement}`;

export const fournisseur = { authUrl: os.require("authUrl"), region: os.require("region") };

/** RES-01 / RES-02 : zones de disponibilité de l'offre (au moins trois). */
export const zones = cfg.requireObject<string[]>("zones");

export const reseau = {
    cidr: cfg.require("cidrReseau"),
    /** Sous-réseau réservé au répartiteur (VIP et ports des amphores Octavia). */
    cidrRepartiteur: cfg.require("cidrRepartiteur"),
    resolveursDns: cfg.requireObject<string[]>("resolveursDns"),
    reseauExterne: cfg.require("reseauExterne"),
    cidrAdmin: cfg.require("cidrAdmin"),
};

export const calcul = {
    instances: cfg.requireNumber("instances"),
    gabarit: cfg.require("gabaritWeb"),
    image: cfg.require("imageSysteme"),
    clePubliqueSsh: cfg.require("clePubliqueSsh"),
    portApplication: cfg.requireNumber("portApplication"),
};

export const stockage = {
    typeVolumeChiffre: cfg.require("typeVolumeChiffre"),
    tailleDisqueSysteme: cfg.requireNumber("tailleDisqueSysteme"),
    tailleDisqueDonnees: cfg.requireNumber("tailleDisqueDonnees"),
    conteneurSauvegarde: cfg.require("conteneurSauvegarde"),
    /** PIL-03 / PIL-05 : volume attendu des sauvegardes (Go), pour l'estimation du stockage objet. */
    volumeEstimeSauvegardeGo: cfg.requireNumber("volumeEstimeSauvegardeGo"),
};

export const repartiteur = {
    certificatTls: cfg.require("certificatTls"),
    cheminSante: cfg.require("cheminSante"),
    poolIpFlottantes: cfg.require("poolIpFlottantes"),
    /** Absente (recommandé) : répartiteur régional ; donnée : ses amphores sont épinglées dans cette zone (RES-02). */
    zone: cfg.get("zoneRepartiteur"),
};

export const kube = {
    /** kubeconfig du cluster qualifié : secret chiffré de la configuration de la pile. */
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
