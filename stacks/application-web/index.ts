/**
 * Pile de référence « application-web » : une application web d'administration déployée de façon
 * conforme aux besoins du cloud de confiance (SecNumCloud) sur une offre OpenStack qualifiée, avec
 * une partie Kubernetes. Chaque bloc indique le besoin qu'il satisfait (voir docs/regles.md).
 */
import * as openstack from "@pulumi/openstack";
import { calcul, etiquettes, fournisseur, prefixe } from "./src/config";
import { creerPartieKubernetes } from "./src/kubernetes";
import { creerRepartiteur } from "./src/repartiteur";
import { creerReseau } from "./src/reseau";
import { creerSauvegarde } from "./src/sauvegarde";
import { ServiceWeb } from "./src/service-web";

// SEC-01 / SEC-02 : fournisseur sur le point d'accès https et la région de l'offre qualifiée
// (configuration `openstack:authUrl` et `openstack:region` de la pile).
const provider = new openstack.Provider("offre-qualifiee", {
    authUrl: fournisseur.authUrl,
    region: fournisseur.region,
});

const net = creerReseau(provider);

// Accès d'administration par clé SSH uniquement (aucun mot de passe d'instance).
const cle = new openstack.compute.Keypair(`${prefixe}-cle`, {
    name: `${prefixe}-cle`,
    publicKey: calcul.clePubliqueSsh,
}, { provider });

const image = openstack.images.getImageOutput({ name: calcul.image, mostRecent: true }, { provider });

// RES-01 / RES-03 / RES-04 / SEC-03 : le service web, composant qui regroupe ses instances.
const web = new ServiceWeb(`${prefixe}-web`, {
    provider,
    reseauId: net.reseau.id,
    groupesDeSecurite: [net.sgApplication.name],
    nomCle: cle.name,
    imageId: image.id,
});

// RES-05 / SEC-04 : répartiteur HTTPS devant les trois instances.
const { ipPublique } = creerRepartiteur(provider, net, web.instances);

// PROD-05 : sauvegardes dans un conteneur objet versionné.
const sauvegarde = creerSauvegarde(provider);

creerPartieKubernetes();

export const adressePublique = ipPublique;
export const conteneurSauvegarde = sauvegarde.name;
export const etiquettesImputation = etiquettes();
