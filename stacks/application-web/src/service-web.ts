import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { calcul, etiquettes, metadonnees, stockage, zones } from "./config";

export interface ServiceWebArgs {
    provider: openstack.Provider;
    reseauId: pulumi.Input<string>;
    groupesDeSecurite: pulumi.Input<string>[];
    nomCle: pulumi.Input<string>;
    imageId: pulumi.Input<string>;
}

/**
 * Le service web : une instance par zone, dans un groupe d'anti-affinité, démarrant sur un volume
 * chiffré et portant un volume de données chiffré dans sa zone.
 */
export class ServiceWeb extends pulumi.ComponentResource {
    readonly instances: openstack.compute.Instance[] = [];

    constructor(name: string, args: ServiceWebArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cdc:app:ServiceWeb", name, {}, opts);
        const child: pulumi.CustomResourceOptions = { parent: this, provider: args.provider };

        // RES-04 : groupe de serveurs d'anti-affinité, partagé par toutes les instances du service.
        const groupe = new openstack.compute.ServerGroup(`${name}-anti-affinite`, {
            name: `${name}-anti-affinite`,
            policies: ["anti-affinity"],
        }, child);

        for (let i = 0; i < calcul.instancesParService; i++) {
            // RES-01 : une instance par zone, réparties sur les trois zones de l'offre.
            // RES-02 : zone explicite, tirée de la configuration.
            const zone = zones[i % zones.length];
            const nom = `${name}-${i + 1}`;
            const instance = new openstack.compute.Instance(nom, {
                name: nom,
                availabilityZone: zone,
                flavorName: calcul.gabarit, // PIL-06 : gabarit sobre, tiré de la configuration
                keyPair: args.nomCle, // accès par clé SSH, aucun adminPass
                securityGroups: args.groupesDeSecurite,
                networks: [{ uuid: args.reseauId }],
                // SEC-03 : démarrage sur un volume chiffré (type LUKS de l'offre), pas sur le disque local.
                blockDevices: [{
                    uuid: args.imageId,
                    sourceType: "image",
                    destinationType: "volume",
                    volumeType: stockage.typeVolumeChiffre,
                    volumeSize: stockage.tailleDisqueSysteme,
                    bootIndex: 0,
                    deleteOnTermination: true,
                }],
                // RES-04 : membre du groupe d'anti-affinité.
                schedulerHints: [{ group: groupe.id }],
                // RES-01 : l'étiquette service regroupe les instances du service ; PIL-01 : imputation.
                tags: etiquettes({ service: "web" }),
                metadata: metadonnees({ service: "web" }),
            }, child);
            this.instances.push(instance);

            // SEC-03 : volume de données chiffré ; RES-03 : dans la zone de son instance ;
            // PIL-01 : imputation en métadonnées ; protégé contre la suppression.
            const donnees = new openstack.blockstorage.Volume(`${nom}-donnees`, {
                name: `${nom}-donnees`,
                size: stockage.tailleDisqueDonnees,
                volumeType: stockage.typeVolumeChiffre,
                availabilityZone: zone,
                metadata: metadonnees({ service: "web" }),
            }, { ...child, protect: true });
            // RES-03 : attachement compute, qui relie le volume à son instance.
            new openstack.compute.VolumeAttach(`${nom}-donnees-attache`, {
                instanceId: instance.id,
                volumeId: donnees.id,
            }, child);
        }
        this.registerOutputs({ instances: this.instances.map((i) => i.id) });
    }
}
