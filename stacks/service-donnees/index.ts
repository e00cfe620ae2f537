/**
 * Pile de référence « service-donnees » : une base PostgreSQL sur instances (un serveur par zone,
 * primaire et secours), volumes de démarrage et de données chiffrés, sauvegardes dans un conteneur
 * objet versionné et privé, flux depuis le seul niveau applicatif.
 *
 * Le mot de passe du rôle applicatif est conservé dans Barbican (conteneur de sécurité, SecNumCloud
 * 10.5), jamais dans les données utilisateur des instances : elles ne reçoivent que la référence du
 * secret. Les serveurs lisent le secret et écrivent leurs sauvegardes avec un identifiant applicatif
 * Keystone restreint (règles d'accès : ce secret et ce conteneur seulement) qui expire ; son secret
 * s'installe une fois par le bastion d'administration (voir le README), puis à chaque rotation.
 */
import { ConteneurSauvegarde, GroupeInstances, MatriceDeFlux, metadonnees } from "@cloud-de-confiance/composants";
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";

const cfg = new pulumi.Config();
const os = new pulumi.Config("openstack");
const imputation = {
    application: cfg.require("application"),
    environnement: cfg.require("environnement"),
    "centre-de-cout": cfg.require("centre-de-cout"),
    proprietaire: cfg.require("proprietaire"),
};
const prefixe = `${imputation.application}-${imputation.environnement}-base`;
const portBase = cfg.requireNumber("portBase");

// SEC-01 / SEC-02 : point d'accès https et région de l'offre qualifiée.
const provider = new openstack.Provider("offre-qualifiee", { authUrl: os.require("authUrl"), region: os.require("region") });
const opts = { provider };

// SEC-06 : la base n'admet son port que du groupe de sécurité du niveau applicatif et des autres
// serveurs de base (réplication) ; SSH que depuis l'administration.
const flux = new MatriceDeFlux(`${prefixe}-sg`, {
    provider,
    roles: { base: "Serveurs PostgreSQL : niveau applicatif, réplication, SSH d'administration" },
    flux: [
        { vers: "base", depuis: { groupeId: cfg.require("groupeSecuriteApplication") }, ports: portBase, description: "PostgreSQL depuis le niveau applicatif" },
        { vers: "base", depuis: { role: "base" }, ports: portBase, description: "Réplication entre serveurs de base" },
        { vers: "base", depuis: { cidr: cfg.require("cidrAdmin") }, ports: 22, description: "SSH depuis le bastion d'administration" },
    ],
    imputation,
});

// RES-06 / SEC-10 / PROD-05 : sauvegardes (pgBackRest, API Swift) dans un conteneur versionné et privé.
const sauvegarde = new ConteneurSauvegarde(`${prefixe}-sauvegardes`, {
    provider, nom: cfg.require("conteneurSauvegarde"), imputation,
    // PIL-03 / PIL-05 : volume attendu des sauvegardes, qui chiffre le stockage objet.
    volumeEstimeGo: cfg.getNumber("volumeEstimeSauvegardeGo") ?? 500,
});

// SEC-09 : le mot de passe est conservé dans Barbican ; l'ACL retire l'accès au projet entier : seul
// son créateur (et donc ses identifiants applicatifs) le lit. Il n'est jamais écrit dans les données
// utilisateur.
const secret = new openstack.keymanager.SecretV1(`${prefixe}-mot-de-passe`, {
    name: `${prefixe}-mot-de-passe`,
    secretType: "passphrase",
    payload: cfg.requireSecret("motDePasseBase"),
    payloadContentType: "text/plain",
    acl: { read: { projectAccess: false } },
    metadata: metadonnees(imputation),
}, opts);

// SEC-12 : identifiant applicatif des serveurs, restreint (ni « unrestricted » ni rôle admin),
// limité par ses règles d'accès à la lecture de ce secret et aux sauvegardes, et qui expire.
const identifiant = new openstack.identity.ApplicationCredential(`${prefixe}-identifiant`, {
    name: `${prefixe}-identifiant`,
    description: "Serveurs de base : lecture du mot de passe dans Barbican, sauvegardes Swift",
    unrestricted: false,
    roles: ["member"],
    expiresAt: cfg.require("expirationIdentifiant"),
    accessRules: [
        { service: "key-manager", method: "GET", path: secret.secretRef.apply((ref) => `${new URL(ref).pathname}/payload`) },
        { service: "object-store", method: "GET", path: pulumi.interpolate`/v1/*/${sauvegarde.conteneur.name}/**` },
        { service: "object-store", method: "PUT", path: pulumi.interpolate`/v1/*/${sauvegarde.conteneur.name}/**` },
        { service: "object-store", method: "HEAD", path: pulumi.interpolate`/v1/*/${sauvegarde.conteneur.name}/**` },
    ],
}, opts);

const cle = new openstack.compute.Keypair(`${prefixe}-cle`, { name: `${prefixe}-cle`, publicKey: cfg.require("clePubliqueSsh") }, opts);
const image = openstack.images.getImageOutput({ name: cfg.require("imageSysteme"), mostRecent: true }, opts);

// Données utilisateur : des noms, aucun secret ; tous connus à la prévisualisation, pour que SEC-09
// les lise (le serveur trouve le secret par son nom dans Barbican).
const nomConteneur = cfg.require("conteneurSauvegarde");
const donneesUtilisateur = `#cloud-config
packages: [postgresql, pgbackrest, python3-openstackclient]
write_files:
  - path: /etc/service-donnees/references.env
    permissions: "0644"
    content: |
      NOM_SECRET_BARBICAN=${prefixe}-mot-de-passe
      CONTENEUR_SAUVEGARDE=${nomConteneur}
      NOM_IDENTIFIANT_APPLICATIF=${prefixe}-identifiant
`;

// RES-01 / RES-02 / RES-03 / RES-04 / SEC-03 : un serveur par zone, anti-affinité, volumes chiffrés
// dans la zone de leur serveur, protégés contre la suppression.
const base = new GroupeInstances(prefixe, {
    provider,
    zones: cfg.requireObject<string[]>("zones"),
    nombre: cfg.requireNumber("serveurs"),
    service: "base",
    gabarit: cfg.require("gabaritBase"),
    imageId: image.id,
    nomCle: cle.name,
    reseauId: cfg.require("reseauApplication"),
    groupesDeSecurite: [flux.groupes["base"].name],
    typeVolumeChiffre: cfg.require("typeVolumeChiffre"),
    tailleDisqueSysteme: cfg.requireNumber("tailleDisqueSysteme"),
    tailleDisqueDonnees: cfg.requireNumber("tailleDisqueDonnees"),
    donneesUtilisateur,
    imputation,
});

export const serveurs = base.instances.map((i) => i.accessIpV4);
export const referenceSecret = secret.secretRef;
export const identifiantApplicatif = identifiant.id;
export const secretIdentifiantApplicatif = pulumi.secret(identifiant.secret);
export const conteneurSauvegarde = sauvegarde.conteneur.name;
