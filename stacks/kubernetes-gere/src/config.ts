/** Lecture de la configuration de la pile : aucun fait de fournisseur n'est écrit dans le code. */
import * as pulumi from "@pulumi/pulumi";

const cfg = new pulumi.Config();

/** PIL-01 / PIL-02 : valeurs d'imputation des coûts. */
export const imputation = {
    application: cfg.require("application"),
    environnement: cfg.require("environnement"),
    "centre-de-cout": cfg.require("centre-de-cout"),
    proprietaire: cfg.require("proprietaire"),
};
export const prefixe = `${imputation.application}-${imputation.environnement}`;

/** `magnum` : la pile crée le cluster ; `donne` : offre Kubernetes qualifiée, cluster donné par son kubeconfig. */
export const modeCluster = cfg.require("cluster");
if (modeCluster !== "magnum" && modeCluster !== "donne") {
    throw new Error(`kubernetes-gere:cluster doit valoir « magnum » ou « donne » (reçu : « ${modeCluster} »)`);
}

export function magnum() {
    const os = new pulumi.Config("openstack");
    return {
        authUrl: os.require("authUrl"),
        region: os.require("region"),
        zones: cfg.requireObject<string[]>("zones"),
        cidr: cfg.require("cidrReseau"),
        resolveursDns: cfg.requireObject<string[]>("resolveursDns"),
        reseauExterne: cfg.require("reseauExterne"),
        image: cfg.require("imageNoeuds"),
        gabaritMaitres: cfg.require("gabaritMaitres"),
        gabaritNoeuds: cfg.require("gabaritNoeuds"),
        noeudsParZone: cfg.requireNumber("noeudsParZone"),
        versionKubernetes: cfg.get("versionKubernetes"),
        vpn: {
            adresseDistante: cfg.require("adresseVpnDistante"),
            plages: cfg.requireObject<string[]>("plagesAdministration"),
            clePartagee: cfg.requireSecret("clePartageeVpn"),
        },
    };
}

export const kubeconfigDonne = () => cfg.requireSecret("kubeconfig");

export const charges = {
    namespace: cfg.require("namespaceKubernetes"),
    registre: cfg.require("registre"),
    imageApplication: cfg.require("imageApplication"),
    tagImage: cfg.require("tagImage"),
    digestImage: cfg.get("digestImage"),
    replicas: cfg.requireNumber("replicas"),
    replicasMax: cfg.requireNumber("replicasMax"),
    hote: cfg.require("hoteIngress"),
    classeIngress: cfg.require("classeIngress"),
    espaceIngress: cfg.require("espaceIngress"),
    secretTlsIngress: cfg.require("secretTlsIngress"),
    classeStockage: cfg.require("classeStockage"),
    provisionneurCsi: cfg.require("provisionneurCsi"),
    parametresStockage: cfg.requireObject<Record<string, string>>("parametresStockage"),
    groupeDeploiement: cfg.require("groupeDeploiement"),
};
