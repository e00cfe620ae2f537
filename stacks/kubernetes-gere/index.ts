/**
 * Pile de référence « kubernetes-gere » : un Kubernetes géré par Magnum sur l'offre OpenStack
 * qualifiée (plan de contrôle hautement disponible, groupes de nœuds sur les zones, API privée
 * joignable par le VPN d'administration), avec ses charges. Avec `cluster: donne`, c'est aussi la
 * pile d'une offre Kubernetes qualifiée sans API OpenStack : l'application tourne sur le cluster que
 * l'offre donne (kubeconfig chiffré dans la configuration de la pile).
 */
import { KubernetesGere, VpnSiteASite, etiquettes } from "@cloud-de-confiance/composants";
import * as k8s from "@pulumi/kubernetes";
import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { creerCharges } from "./src/charges";
import { imputation, kubeconfigDonne, magnum, modeCluster, prefixe } from "./src/config";

function clusterMagnum(): pulumi.Output<string> {
    const c = magnum();
    // SEC-01 / SEC-02 : point d'accès https et région de l'offre qualifiée.
    const provider = new openstack.Provider("offre-qualifiee", { authUrl: c.authUrl, region: c.region });
    const opts = { provider };
    const tags = etiquettes(imputation);
    const net = new openstack.networking.Network(`${prefixe}-reseau-k8s`, { name: `${prefixe}-reseau-k8s`, adminStateUp: true, tags }, opts);
    const sousReseau = new openstack.networking.Subnet(`${prefixe}-sous-reseau-k8s`, {
        name: `${prefixe}-sous-reseau-k8s`, networkId: net.id, cidr: c.cidr, ipVersion: 4, dnsNameservers: c.resolveursDns, tags,
    }, opts);
    const externe = openstack.networking.getNetworkOutput({ name: c.reseauExterne }, opts);
    const routeur = new openstack.networking.Router(`${prefixe}-routeur-k8s`, { name: `${prefixe}-routeur-k8s`, externalNetworkId: externe.id, tags }, opts);
    new openstack.networking.RouterInterface(`${prefixe}-routeur-k8s-interface`, { routerId: routeur.id, subnetId: sousReseau.id }, opts);

    // SEC-11 / SEC-16 : l'API n'a pas d'adresse publique ; l'administration la joint par un tunnel
    // IPsec robuste depuis son réseau.
    new VpnSiteASite(`${prefixe}-vpn-admin`, {
        provider,
        routeurId: routeur.id,
        sousReseauxLocaux: [sousReseau.id],
        adresseDistante: c.vpn.adresseDistante,
        plagesDistantes: c.vpn.plages,
        clePartagee: c.vpn.clePartagee,
    });

    // RES-07 / SEC-11 / PIL-06 : trois maîtres répartis sur les zones, un groupe de nœuds par zone.
    const k = new KubernetesGere(`${prefixe}-k8s`, {
        provider,
        image: c.image,
        reseauId: net.id,
        sousReseauId: sousReseau.id,
        reseauExterneId: externe.id,
        zones: c.zones,
        gabaritMaitres: c.gabaritMaitres,
        gabaritNoeuds: c.gabaritNoeuds,
        noeudsParZone: c.noeudsParZone,
        ...(c.versionKubernetes ? { versionKubernetes: c.versionKubernetes } : {}),
        imputation,
    }, { dependsOn: [sousReseau] });
    return pulumi.secret(k.grappe.kubeconfig.rawConfig);
}

const kubeconfig = modeCluster === "magnum" ? clusterMagnum() : kubeconfigDonne();
const cluster = new k8s.Provider("cluster", { kubeconfig });
creerCharges(cluster);

export const mode = modeCluster;
