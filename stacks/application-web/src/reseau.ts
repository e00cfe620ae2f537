import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { calcul, etiquettes, prefixe, reseau } from "./config";

export interface Reseau {
    reseau: openstack.networking.Network;
    sousReseau: openstack.networking.Subnet;
    sgRepartiteur: openstack.networking.SecGroup;
    sgApplication: openstack.networking.SecGroup;
    sgBase: openstack.networking.SecGroup;
}

export function creerReseau(provider: openstack.Provider): Reseau {
    const opts: pulumi.CustomResourceOptions = { provider };

    // SEC-06 / PIL-01 : réseau privé dédié, étiqueté pour l'imputation.
    const net = new openstack.networking.Network(`${prefixe}-reseau`, {
        name: `${prefixe}-reseau`,
        adminStateUp: true,
        tags: etiquettes(),
    }, opts);
    const sousReseau = new openstack.networking.Subnet(`${prefixe}-sous-reseau`, {
        name: `${prefixe}-sous-reseau`,
        networkId: net.id,
        cidr: reseau.cidr,
        ipVersion: 4,
        dnsNameservers: reseau.resolveursDns,
        tags: etiquettes(),
    }, opts);
    const externe = openstack.networking.getNetworkOutput({ name: reseau.reseauExterne }, { provider });
    const routeur = new openstack.networking.Router(`${prefixe}-routeur`, {
        name: `${prefixe}-routeur`,
        externalNetworkId: externe.id,
        tags: etiquettes(),
    }, opts);
    new openstack.networking.RouterInterface(`${prefixe}-routeur-interface`, {
        routerId: routeur.id,
        subnetId: sousReseau.id,
    }, opts);

    // SEC-06 : matrice de flux. Trois groupes de sécurité, un par rôle.
    const sg = (role: string, description: string) =>
        new openstack.networking.SecGroup(`${prefixe}-sg-${role}`, {
            name: `${prefixe}-sg-${role}`,
            description,
            deleteDefaultRules: false,
            tags: etiquettes({ role }),
        }, opts);
    const sgRepartiteur = sg("repartiteur", "Répartiteur : HTTPS depuis Internet");
    const sgApplication = sg("application", "Serveurs web : trafic du répartiteur, SSH depuis l'administration");
    const sgBase = sg("base", "Base de données : uniquement depuis les serveurs web");

    // SEC-06 : seul HTTPS (443) est ouvert au monde, et seulement vers le répartiteur.
    new openstack.networking.SecGroupRule(`${prefixe}-https-internet`, {
        securityGroupId: sgRepartiteur.id,
        direction: "ingress",
        ethertype: "IPv4",
        protocol: "tcp",
        portRangeMin: 443,
        portRangeMax: 443,
        remoteIpPrefix: "0.0.0.0/0",
        description: "HTTPS public vers le répartiteur",
    }, opts);
    // SEC-06 : l'application n'accepte que le répartiteur (groupe distant).
    new openstack.networking.SecGroupRule(`${prefixe}-app-depuis-repartiteur`, {
        securityGroupId: sgApplication.id,
        direction: "ingress",
        ethertype: "IPv4",
        protocol: "tcp",
        portRangeMin: calcul.portApplication,
        portRangeMax: calcul.portApplication,
        remoteGroupId: sgRepartiteur.id,
        description: "Trafic applicatif depuis le répartiteur",
    }, opts);
    // SEC-06 : SSH (port d'administration) seulement depuis le réseau d'administration.
    new openstack.networking.SecGroupRule(`${prefixe}-ssh-admin`, {
        securityGroupId: sgApplication.id,
        direction: "ingress",
        ethertype: "IPv4",
        protocol: "tcp",
        portRangeMin: 22,
        portRangeMax: 22,
        remoteIpPrefix: reseau.cidrAdmin,
        description: "SSH depuis le bastion d'administration",
    }, opts);
    // SEC-06 : port de base de données seulement depuis le groupe des serveurs web.
    new openstack.networking.SecGroupRule(`${prefixe}-base-depuis-app`, {
        securityGroupId: sgBase.id,
        direction: "ingress",
        ethertype: "IPv4",
        protocol: "tcp",
        portRangeMin: calcul.portBase,
        portRangeMax: calcul.portBase,
        remoteGroupId: sgApplication.id,
        description: "Base de données depuis les serveurs web",
    }, opts);

    return { reseau: net, sousReseau, sgRepartiteur, sgApplication, sgBase };
}
