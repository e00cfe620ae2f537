/**
 * Composants conformes aux besoins du cloud de confiance (SecNumCloud), aux valeurs par défaut
 * conformes. Point d'entrée public unique : `import { GroupeInstances } from "@cloud-de-confiance/composants"`.
 * La documentation de chaque composant nomme les besoins qu'il satisfait.
 */
export { etiquettes, Imputation, metadonnees } from "./imputation";
export { GroupeInstances, GroupeInstancesArgs } from "./groupe-instances";
export { RepartiteurHttps, RepartiteurHttpsArgs } from "./repartiteur";
export { Flux, MatriceDeFlux, MatriceDeFluxArgs, SourceDeFlux } from "./matrice-de-flux";
export { ConteneurSauvegarde, ConteneurSauvegardeArgs } from "./sauvegarde";
export { KubernetesGere, KubernetesGereArgs } from "./kubernetes-gere";
export { VpnSiteASite, VpnSiteASiteArgs } from "./vpn";
export { EspaceDeNoms, EspaceDeNomsArgs } from "./espace-de-noms";
export { ChargeDurcie, ChargeDurcieArgs } from "./charge-durcie";
