import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";

export interface VpnSiteASiteArgs {
    provider?: openstack.Provider;
    /** Routeur Neutron qui porte le service VPN. */
    routeurId: pulumi.Input<string>;
    /** Sous-réseaux locaux joignables par le tunnel. */
    sousReseauxLocaux: pulumi.Input<string>[];
    /** Passerelle distante (adresse publique du site de l'administration). */
    adresseDistante: pulumi.Input<string>;
    /** Plages distantes (réseau d'administration). */
    plagesDistantes: pulumi.Input<string>[];
    /** Clé pré-partagée : un secret (configuration chiffrée de la pile), jamais écrit en clair. */
    clePartagee: pulumi.Input<string>;
}

/**
 * VPN site à site (VPNaaS) vers le réseau d'administration : IKEv2, AES-256, SHA-256, PFS groupe 14,
 * ESP.
 *
 * Besoins satisfaits : SEC-16 (algorithmes robustes, explicites : aucun défaut d'OpenStack — IKEv1,
 * AES-128, SHA-1, groupe 5 — n'est laissé), SEC-09 (la clé pré-partagée vient d'un secret Pulumi), et
 * il donne l'accès privé à l'API Kubernetes qu'exige SEC-11.
 */
export class VpnSiteASite extends pulumi.ComponentResource {
    readonly connexion: openstack.vpnaas.SiteConnection;

    constructor(name: string, args: VpnSiteASiteArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-de-confiance:composants:VpnSiteASite", name, {}, opts);
        const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
        const ike = new openstack.vpnaas.IkePolicy(`${name}-ike`, {
            name: `${name}-ike`,
            ikeVersion: "v2",
            encryptionAlgorithm: "aes-256",
            authAlgorithm: "sha256",
            pfs: "group14",
        }, child);
        const ipsec = new openstack.vpnaas.IpSecPolicy(`${name}-ipsec`, {
            name: `${name}-ipsec`,
            transformProtocol: "esp",
            encryptionAlgorithm: "aes-256",
            authAlgorithm: "sha256",
            pfs: "group14",
        }, child);
        const service = new openstack.vpnaas.Service(`${name}-service`, {
            name: `${name}-service`,
            routerId: args.routeurId,
            adminStateUp: true,
        }, child);
        const locaux = new openstack.vpnaas.EndpointGroup(`${name}-local`, {
            name: `${name}-local`,
            type: "subnet",
            endpoints: args.sousReseauxLocaux,
        }, child);
        const distants = new openstack.vpnaas.EndpointGroup(`${name}-distant`, {
            name: `${name}-distant`,
            type: "cidr",
            endpoints: args.plagesDistantes,
        }, child);
        this.connexion = new openstack.vpnaas.SiteConnection(name, {
            name,
            ikepolicyId: ike.id,
            ipsecpolicyId: ipsec.id,
            vpnserviceId: service.id,
            localEpGroupId: locaux.id,
            peerEpGroupId: distants.id,
            peerAddress: args.adresseDistante,
            peerId: args.adresseDistante,
            psk: pulumi.secret(args.clePartagee),
            initiator: "bi-directional",
            adminStateUp: true,
        }, child);
        this.registerOutputs({ connexion: this.connexion.id });
    }
}
