import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { etiquettes, Imputation, metadonnees } from "./imputation";

export interface GroupeInstancesArgs {
    provider?: openstack.Provider;
    /** Zones de disponibilité de l'offre (au moins deux, trois recommandées) : une instance par zone, en tourniquet. */
    zones: string[];
    /** Nombre d'instances ; par défaut, une par zone. */
    nombre?: number;
    /** Nom du service : étiquette `service=…` qui regroupe les instances (RES-01, RES-04). */
    service: string;
    /** Gabarit (flavor) de l'offre, tiré de la configuration (PIL-06). */
    gabarit: pulumi.Input<string>;
    imageId: pulumi.Input<string>;
    /** Paire de clés SSH : l'accès d'administration se fait par clé, jamais par mot de passe (SEC-09). */
    nomCle: pulumi.Input<string>;
    reseauId: pulumi.Input<string>;
    /** Noms des groupes de sécurité (matrice de flux, SEC-06). */
    groupesDeSecurite: pulumi.Input<string>[];
    /** Type de volume chiffré (LUKS) de l'offre, pour le disque système et les données (SEC-03). */
    typeVolumeChiffre: pulumi.Input<string>;
    tailleDisqueSysteme: number;
    /** Taille du volume de données (Gio) ; absent : pas de volume de données. */
    tailleDisqueDonnees?: number;
    /**
     * Données utilisateur (cloud-init) : paramètres non secrets seulement. Un secret n'y a pas sa
     * place (SEC-09) : il passe par Barbican ou un secret Kubernetes.
     */
    donneesUtilisateur?: pulumi.Input<string>;
    imputation: Imputation;
}

/**
 * Groupe d'instances multi-zones : les instances d'un service, une par zone de l'offre.
 *
 * Besoins satisfaits : RES-01 (instances d'un même service, étiquette `service`, sur plusieurs
 * zones), RES-02 (zone explicite, tirée de la configuration), RES-03 (chaque volume de données dans
 * la zone de son instance, attaché par `compute.VolumeAttach`), RES-04 (groupe de serveurs
 * d'anti-affinité partagé), RES-06 (volumes de données protégés contre la suppression), SEC-03
 * (démarrage et données sur le type de volume chiffré), SEC-09 (clé SSH, aucun mot de passe
 * d'administration), PIL-01 (étiquettes et métadonnées d'imputation), PIL-06 (gabarit de la
 * configuration).
 */
export class GroupeInstances extends pulumi.ComponentResource {
    readonly instances: openstack.compute.Instance[] = [];
    readonly volumesDonnees: openstack.blockstorage.Volume[] = [];
    readonly groupeServeurs: openstack.compute.ServerGroup;

    constructor(name: string, args: GroupeInstancesArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-de-confiance:composants:GroupeInstances", name, {}, opts);
        if (args.zones.length === 0) throw new Error(`${name} : aucune zone de disponibilité (RES-01, RES-02)`);
        const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
        const marques = { service: args.service };

        this.groupeServeurs = new openstack.compute.ServerGroup(`${name}-anti-affinite`, {
            name: `${name}-anti-affinite`,
            policies: ["anti-affinity"],
        }, child);

        const nombre = args.nombre ?? args.zones.length;
        for (let i = 0; i < nombre; i++) {
            const zone = args.zones[i % args.zones.length];
            const nom = `${name}-${i + 1}`;
            const instance = new openstack.compute.Instance(nom, {
                name: nom,
                availabilityZone: zone,
                flavorName: args.gabarit,
                keyPair: args.nomCle,
                securityGroups: args.groupesDeSecurite,
                networks: [{ uuid: args.reseauId }],
                blockDevices: [{
                    uuid: args.imageId,
                    sourceType: "image",
                    destinationType: "volume",
                    volumeType: args.typeVolumeChiffre,
                    volumeSize: args.tailleDisqueSysteme,
                    bootIndex: 0,
                    deleteOnTermination: true,
                }],
                schedulerHints: [{ group: this.groupeServeurs.id }],
                ...(args.donneesUtilisateur !== undefined ? { userData: args.donneesUtilisateur } : {}),
                tags: etiquettes(args.imputation, marques),
                metadata: metadonnees(args.imputation, marques),
            }, child);
            this.instances.push(instance);

            if (args.tailleDisqueDonnees === undefined) continue;
            const donnees = new openstack.blockstorage.Volume(`${nom}-donnees`, {
                name: `${nom}-donnees`,
                size: args.tailleDisqueDonnees,
                volumeType: args.typeVolumeChiffre,
                availabilityZone: zone,
                metadata: metadonnees(args.imputation, marques),
            }, { ...child, protect: true });
            this.volumesDonnees.push(donnees);
            new openstack.compute.VolumeAttach(`${nom}-donnees-attache`, {
                instanceId: instance.id,
                volumeId: donnees.id,
            }, child);
        }
        this.registerOutputs({ instances: this.instances.map((i) => i.id) });
    }
}
