import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { etiquettes, Imputation } from "./imputation";

export interface RepartiteurHttpsArgs {
    provider?: openstack.Provider;
    /**
     * Sous-réseau du VIP, réservé au répartiteur. Octavia y crée ses ports (VIP et ports VRRP des
     * amphores) et joint les membres depuis ces ports : les groupes de sécurité des membres admettent
     * le port applicatif depuis la plage de ce sous-réseau (voir `MatriceDeFlux`).
     */
    sousReseauVipId: pulumi.Input<string>;
    /**
     * Zone Octavia du répartiteur. Absente (défaut) : le répartiteur est régional, et une offre dont
     * Octavia répartit les amphores (active et de secours) sur plusieurs zones le maintient à la perte
     * d'une zone. Donnée : toutes les amphores sont placées dans cette seule zone (voir RES-02).
     */
    zone?: pulumi.Input<string>;
    /** Référence du conteneur Barbican du certificat TLS (SEC-04). */
    certificatTls: pulumi.Input<string>;
    /** Sources admises sur l'écouteur (`allowedCidrs`) ; absent : toute source. */
    sourcesAutorisees?: pulumi.Input<string>[];
    /** Instances membres, réparties sur plusieurs zones (RES-05). */
    membres: openstack.compute.Instance[];
    portMembres: number;
    cheminSante: string;
    /** Pool d'adresses flottantes : une adresse publique sur le VIP (SEC-08) ; absent : répartiteur interne. */
    poolIpFlottantes?: pulumi.Input<string>;
    imputation: Imputation;
}

/**
 * Répartiteur Octavia HTTPS : écouteur TLS terminé avec un certificat Barbican, pool HTTP, moniteur
 * de santé et un membre par instance.
 *
 * Besoins satisfaits : RES-02 (répartiteur régional par défaut : pas de zone qui l'épinglerait à une
 * seule zone), RES-05 (membres dans toutes les zones de leurs instances, moniteur de santé),
 * SEC-04 (écouteur `TERMINATED_HTTPS`, certificat Barbican, aucun écouteur en clair), SEC-08
 * (l'adresse publique est celle du VIP du répartiteur), PIL-01 (étiquettes d'imputation).
 */
export class RepartiteurHttps extends pulumi.ComponentResource {
    readonly repartiteur: openstack.loadbalancer.LoadBalancer;
    readonly pool: openstack.loadbalancer.Pool;
    readonly ipPublique?: openstack.networking.FloatingIp;

    constructor(name: string, args: RepartiteurHttpsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-de-confiance:composants:RepartiteurHttps", name, {}, opts);
        const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
        const tags = etiquettes(args.imputation);

        this.repartiteur = new openstack.loadbalancer.LoadBalancer(name, {
            name,
            vipSubnetId: args.sousReseauVipId,
            ...(args.zone !== undefined ? { availabilityZone: args.zone } : {}),
            tags,
        }, child);

        const ecouteur = new openstack.loadbalancer.Listener(`${name}-https`, {
            name: `${name}-https`,
            loadbalancerId: this.repartiteur.id,
            protocol: "TERMINATED_HTTPS",
            protocolPort: 443,
            defaultTlsContainerRef: args.certificatTls,
            ...(args.sourcesAutorisees !== undefined ? { allowedCidrs: args.sourcesAutorisees } : {}),
            insertHeaders: { "X-Forwarded-For": "true", "X-Forwarded-Proto": "true" },
            tags,
        }, child);

        this.pool = new openstack.loadbalancer.Pool(`${name}-pool`, {
            name: `${name}-pool`,
            listenerId: ecouteur.id,
            protocol: "HTTP",
            lbMethod: "ROUND_ROBIN",
        }, child);

        new openstack.loadbalancer.Monitor(`${name}-sante`, {
            name: `${name}-sante`,
            poolId: this.pool.id,
            type: "HTTP",
            urlPath: args.cheminSante,
            expectedCodes: "200",
            delay: 10,
            timeout: 5,
            maxRetries: 3,
        }, child);

        // Sans `subnetId`, Octavia joint le membre depuis le sous-réseau du VIP (routé vers celui des
        // instances) : la source du trafic et des contrôles de santé est un port d'amphore de ce sous-réseau.
        args.membres.forEach((instance, i) => {
            new openstack.loadbalancer.Member(`${name}-membre-${i + 1}`, {
                name: `${name}-membre-${i + 1}`,
                poolId: this.pool.id,
                address: instance.accessIpV4,
                protocolPort: args.portMembres,
            }, child);
        });

        if (args.poolIpFlottantes !== undefined) {
            this.ipPublique = new openstack.networking.FloatingIp(`${name}-ip-publique`, {
                pool: args.poolIpFlottantes,
                portId: this.repartiteur.vipPortId,
                description: `Adresse publique du répartiteur ${name}`,
                tags,
            }, child);
        }
        this.registerOutputs({ repartiteur: this.repartiteur.id, ipPublique: this.ipPublique?.address });
    }
}
