import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { Imputation, metadonnees } from "./imputation";

export interface ConteneurSauvegardeArgs {
    provider?: openstack.Provider;
    /** Nom du conteneur Swift. */
    nom: pulumi.Input<string>;
    imputation: Imputation;
    /**
     * Volume attendu des sauvegardes, en Go : posé en métadonnée `volume-estime-go`, il chiffre le
     * stockage objet dans l'estimation du coût et de l'empreinte (PIL-03, PIL-05). Sans lui, le
     * conteneur est listé comme non chiffré.
     */
    volumeEstimeGo?: number;
}

/**
 * Conteneur de sauvegarde : conteneur objet Swift versionné, privé, protégé contre la suppression.
 *
 * Besoins satisfaits : RES-06 (versionné, `protect`), SEC-10 (aucune ACL de lecture ni d'écriture :
 * seul le projet y accède), PROD-05 (API Swift standard : les sauvegardes se reprennent ailleurs),
 * PIL-01 (métadonnées d'imputation, `usage=sauvegarde`), PIL-03 et PIL-05 (volume estimé, s'il est donné).
 */
export class ConteneurSauvegarde extends pulumi.ComponentResource {
    readonly conteneur: openstack.objectstorage.Container;

    constructor(name: string, args: ConteneurSauvegardeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-de-confiance:composants:ConteneurSauvegarde", name, {}, opts);
        this.conteneur = new openstack.objectstorage.Container(name, {
            name: args.nom,
            versioning: true,
            metadata: metadonnees(args.imputation, {
                usage: "sauvegarde",
                ...(args.volumeEstimeGo !== undefined ? { "volume-estime-go": String(args.volumeEstimeGo) } : {}),
            }),
        }, { parent: this, protect: true, ...(args.provider ? { provider: args.provider } : {}) });
        this.registerOutputs({ nom: this.conteneur.name });
    }
}
