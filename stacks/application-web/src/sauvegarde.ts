import * as openstack from "@pulumi/openstack";
import { metadonnees, stockage } from "./config";

/** PROD-05 / SEC-03 : conteneur de sauvegarde versionné, privé, protégé contre la suppression. */
export function creerSauvegarde(provider: openstack.Provider): openstack.objectstorage.Container {
    return new openstack.objectstorage.Container(stockage.conteneurSauvegarde, {
        name: stockage.conteneurSauvegarde,
        versioning: true,
        // Privé : ni containerRead ni containerWrite publics.
        // PIL-03 / PIL-05 : volume attendu des sauvegardes, qui chiffre le stockage objet.
        metadata: metadonnees({ usage: "sauvegarde", "volume-estime-go": String(stockage.volumeEstimeSauvegardeGo) }),
    }, { provider, protect: true });
}
