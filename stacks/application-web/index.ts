/**
 * Pile de référence « application-web » : une application web d'administration déployée de façon
 * conforme aux besoins du cloud de confiance (SecNumCloud) sur une offre OpenStack qualifiée, avec
 * une partie Kubernetes. Elle assemble les composants de `@cloud-de-confiance/composants`, importés
 * par leur point d'entrée public ; chaque bloc indique le besoin qu'il satisfait (docs/regles.md).
 */
import { ConteneurSauvegarde, etiquettes, GroupeInstances, MatriceDeFlux, RepartiteurHttps } from "@cloud-de-confiance/composants";
import * as openstack from "@pulumi/openstack";
import { calcul, fournisseur, imputation, prefixe, repartiteur, reseau, stockage, zones } from "./src/config";
import { creerPartieKubernetes } from "./src/kubernetes";

// SEC-01 / SEC-02 : fournisseur sur le point d'accès https et la région de l'offre qualifiée.
const provider = new openstack.Provider("offre-qualifiee", { authUrl: fournisseur.authUrl, region: fournisseur.region });
const opts = { provider };
const tags = etiquettes(imputation);

// Réseau privé des serveurs web, et sous-réseau réservé au répartiteur (VIP et ports des amphores
// Octavia), reliés par le routeur : Octavia joint les membres depuis ce sous-réseau.
const net = new openstack.networking.Network(`${prefixe}-reseau`, { name: `${prefixe}-reseau`, adminStateUp: true, tags }, opts);
const sousReseau = new openstack.networking.Subnet(`${prefixe}-sous-reseau`, {
    name: `${prefixe}-sous-reseau`, networkId: net.id, cidr: reseau.cidr, ipVersion: 4, dnsNameservers: reseau.resolveursDns, tags,
}, opts);
const netVip = new openstack.networking.Network(`${prefixe}-reseau-repartiteur`, { name: `${prefixe}-reseau-repartiteur`, adminStateUp: true, tags }, opts);
const sousReseauVip = new openstack.networking.Subnet(`${prefixe}-sous-reseau-repartiteur`, {
    name: `${prefixe}-sous-reseau-repartiteur`, networkId: netVip.id, cidr: reseau.cidrRepartiteur, ipVersion: 4, dnsNameservers: reseau.resolveursDns, tags,
}, opts);
const externe = openstack.networking.getNetworkOutput({ name: reseau.reseauExterne }, opts);
const routeur = new openstack.networking.Router(`${prefixe}-routeur`, { name: `${prefixe}-routeur`, externalNetworkId: externe.id, tags }, opts);
new openstack.networking.RouterInterface(`${prefixe}-routeur-web`, { routerId: routeur.id, subnetId: sousReseau.id }, opts);
new openstack.networking.RouterInterface(`${prefixe}-routeur-repartiteur`, { routerId: routeur.id, subnetId: sousReseauVip.id }, opts);

// SEC-06 : matrice de flux. Les serveurs web n'admettent le port applicatif (trafic et contrôles de
// santé) que depuis le sous-réseau du répartiteur, où Octavia place ses amphores — un groupe distant
// ne les désignerait pas : leurs ports sont dans les groupes d'Octavia —, et SSH que depuis
// l'administration. L'écouteur HTTPS est filtré par Octavia lui-même (groupe de sécurité du VIP).
const flux = new MatriceDeFlux(`${prefixe}-sg`, {
    provider,
    roles: { application: "Serveurs web : trafic et contrôles de santé du répartiteur, SSH depuis l'administration" },
    flux: [
        { vers: "application", depuis: { cidr: reseau.cidrRepartiteur }, ports: calcul.portApplication, description: "Trafic et contrôles de santé depuis les amphores du répartiteur" },
        { vers: "application", depuis: { cidr: reseau.cidrAdmin }, ports: 22, description: "SSH depuis le bastion d'administration" },
    ],
    imputation,
});

const cle = new openstack.compute.Keypair(`${prefixe}-cle`, { name: `${prefixe}-cle`, publicKey: calcul.clePubliqueSsh }, opts);
const image = openstack.images.getImageOutput({ name: calcul.image, mostRecent: true }, opts);

// RES-01 / RES-03 / RES-04 / SEC-03 : le service web, une instance par zone.
const web = new GroupeInstances(`${prefixe}-web`, {
    provider,
    zones,
    nombre: calcul.instances,
    service: "web",
    gabarit: calcul.gabarit,
    imageId: image.id,
    nomCle: cle.name,
    reseauId: net.id,
    groupesDeSecurite: [flux.groupes["application"].name],
    typeVolumeChiffre: stockage.typeVolumeChiffre,
    tailleDisqueSysteme: stockage.tailleDisqueSysteme,
    tailleDisqueDonnees: stockage.tailleDisqueDonnees,
    imputation,
}, { dependsOn: [sousReseau] });

// RES-02 / RES-05 / SEC-04 / SEC-08 : répartiteur HTTPS régional devant les instances des trois zones.
const lb = new RepartiteurHttps(`${prefixe}-repartiteur`, {
    provider,
    sousReseauVipId: sousReseauVip.id,
    ...(repartiteur.zone ? { zone: repartiteur.zone } : {}),
    certificatTls: repartiteur.certificatTls,
    membres: web.instances,
    portMembres: calcul.portApplication,
    cheminSante: repartiteur.cheminSante,
    poolIpFlottantes: repartiteur.poolIpFlottantes,
    imputation,
});

// RES-06 / SEC-10 / PROD-05 : sauvegardes dans un conteneur objet versionné et privé.
const sauvegarde = new ConteneurSauvegarde(`${prefixe}-sauvegardes`, { provider, nom: stockage.conteneurSauvegarde, imputation,
    volumeEstimeGo: stockage.volumeEstimeSauvegardeGo });

creerPartieKubernetes();

export const adressePublique = lb.ipPublique?.address;
export const conteneurSauvegarde = sauvegarde.conteneur.name;
/** Groupe de sécurité du niveau applicatif : la seule source qu'admet la base de `service-donnees`. */
export const groupeSecuriteApplication = flux.groupes["application"].id;
/** Réseau privé de l'application : la base de `service-donnees` y place ses serveurs. */
export const reseauPrive = net.id;
