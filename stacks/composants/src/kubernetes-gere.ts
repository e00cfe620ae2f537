import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { Imputation, metadonnees } from "./imputation";

export interface KubernetesGereArgs {
    provider?: openstack.Provider;
    /** Image Glance du système des nœuds (Fedora CoreOS, Ubuntu…), selon le pilote Magnum de l'offre. */
    image: pulumi.Input<string>;
    /** Réseau et sous-réseau privés des nœuds. */
    reseauId: pulumi.Input<string>;
    sousReseauId: pulumi.Input<string>;
    /** Réseau externe de l'offre (sortie des nœuds par le routeur) : aucune IP flottante n'est donnée. */
    reseauExterneId: pulumi.Input<string>;
    /** Zones de l'offre : maîtres répartis sur toutes, un groupe de nœuds par zone. */
    zones: string[];
    gabaritMaitres: pulumi.Input<string>;
    gabaritNoeuds: pulumi.Input<string>;
    /** Nœuds de travail par zone (minimum de l'autoscaler). */
    noeudsParZone: number;
    noeudsParZoneMax?: number;
    /** Nombre de maîtres, impair et au moins 3 (RES-07). */
    maitres?: number;
    /** Paire de clés SSH d'administration des nœuds. */
    nomCle?: pulumi.Input<string>;
    /** Version de Kubernetes (label `kube_tag`), selon le pilote Magnum de l'offre. */
    versionKubernetes?: string;
    /** Labels supplémentaires du gabarit (propres au pilote Magnum de l'offre). */
    labels?: Record<string, string>;
    imputation: Imputation;
}

/**
 * Kubernetes géré (Magnum) : gabarit de grappe, grappe au plan de contrôle hautement disponible et
 * groupes de nœuds répartis sur les zones, API privée.
 *
 * Besoins satisfaits : SEC-11 (TLS actif, aucune IP flottante sur les nœuds ni sur le répartiteur de
 * l'API : l'API n'est joignable que depuis le réseau privé, par le VPN ou le bastion), RES-07 (trois
 * maîtres derrière le répartiteur de Magnum, répartis sur les zones par le label
 * `control_plane_availability_zones`), RES-01 et RES-09 côté nœuds (un groupe de nœuds par zone, label
 * `availability_zone`), PIL-01 (labels d'imputation), PIL-06 (gabarits de la configuration).
 * Les labels de zone sont ceux du pilote magnum-cluster-api ; un autre pilote peut en lire d'autres :
 * à confirmer avec l'offre.
 */
export class KubernetesGere extends pulumi.ComponentResource {
    readonly gabarit: openstack.containerinfra.ClusterTemplate;
    readonly grappe: openstack.containerinfra.Cluster;
    readonly groupesDeNoeuds: openstack.containerinfra.NodeGroup[] = [];

    constructor(name: string, args: KubernetesGereArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-de-confiance:composants:KubernetesGere", name, {}, opts);
        if (args.zones.length === 0) throw new Error(`${name} : aucune zone de disponibilité`);
        const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
        const maitres = args.maitres ?? 3;
        const max = args.noeudsParZoneMax ?? args.noeudsParZone * 2;
        const labels = metadonnees(args.imputation, {
            master_lb_enabled: "true",
            master_lb_floating_ip_enabled: "false",
            control_plane_availability_zones: args.zones.join(","),
            auto_scaling_enabled: "true",
            cinder_csi_enabled: "true",
            ...(args.versionKubernetes ? { kube_tag: args.versionKubernetes } : {}),
            ...(args.labels ?? {}),
        });

        this.gabarit = new openstack.containerinfra.ClusterTemplate(`${name}-gabarit`, {
            name: `${name}-gabarit`,
            coe: "kubernetes",
            image: args.image,
            externalNetworkId: args.reseauExterneId,
            fixedNetwork: args.reseauId,
            fixedSubnet: args.sousReseauId,
            masterFlavor: args.gabaritMaitres,
            flavor: args.gabaritNoeuds,
            masterLbEnabled: true,
            floatingIpEnabled: false,
            tlsDisabled: false,
            public: false,
            networkDriver: "calico",
            ...(args.nomCle !== undefined ? { keypairId: args.nomCle } : {}),
            labels,
        }, child);

        // Groupe de nœuds par défaut dans la première zone, un groupe de plus dans chaque autre zone.
        this.grappe = new openstack.containerinfra.Cluster(name, {
            name,
            clusterTemplateId: this.gabarit.id,
            masterCount: maitres,
            nodeCount: args.noeudsParZone,
            floatingIpEnabled: false,
            mergeLabels: true,
            ...(args.nomCle !== undefined ? { keypair: args.nomCle } : {}),
            labels: metadonnees(args.imputation, {
                availability_zone: args.zones[0],
                min_node_count: String(args.noeudsParZone),
                max_node_count: String(max),
            }),
        }, child);

        args.zones.slice(1).forEach((zone) => {
            this.groupesDeNoeuds.push(new openstack.containerinfra.NodeGroup(`${name}-${zone}`, {
                name: `${name}-${zone}`,
                clusterId: this.grappe.id,
                role: "worker",
                flavorId: args.gabaritNoeuds,
                nodeCount: args.noeudsParZone,
                minNodeCount: args.noeudsParZone,
                maxNodeCount: max,
                mergeLabels: true,
                labels: metadonnees(args.imputation, { availability_zone: zone }),
            }, child));
        });
        this.registerOutputs({ grappe: this.grappe.id });
    }
}
