import { ChargeDurcie, EspaceDeNoms } from "@cloud-de-confiance/composants";
import * as k8s from "@pulumi/kubernetes";
import { charges, imputation } from "./config";

/**
 * Les charges de l'application sur le cluster (créé par Magnum ou donné par l'offre) : espace de
 * noms isolé, charge durcie, stockage chiffré et zonal, Ingress HTTPS, droits de déploiement limités.
 */
export function creerCharges(provider: k8s.Provider): void {
    const app = imputation.application;
    const espace = new EspaceDeNoms(app, {
        provider,
        nom: charges.namespace,
        quota: { "requests.cpu": "4", "requests.memory": "8Gi", "limits.memory": "16Gi", pods: "30", persistentvolumeclaims: "10" },
        defautConteneur: { cpu: "1", memoire: "512Mi" },
        demandeConteneur: { cpu: "250m", memoire: "256Mi" },
        imputation,
    });
    const namespace = espace.nom;

    // SEC-03 / RES-11 : volumes chiffrés, créés dans la zone du pod qui les utilise.
    new k8s.storage.v1.StorageClass(charges.classeStockage, {
        metadata: { name: charges.classeStockage, labels: imputation },
        provisioner: charges.provisionneurCsi,
        parameters: charges.parametresStockage,
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Retain",
        allowVolumeExpansion: true,
    }, { provider });

    const configMap = new k8s.core.v1.ConfigMap(`${app}-config`, {
        metadata: { name: `${app}-config`, namespace, labels: imputation },
        data: { URL_BASE: `https://${charges.hote}` },
    }, { provider });

    const image = `${charges.registre}/${charges.imageApplication}:${charges.tagImage}${charges.digestImage ? `@${charges.digestImage}` : ""}`;
    const charge = new ChargeDurcie(app, {
        provider,
        namespace,
        image,
        version: charges.tagImage,
        port: 8080,
        cheminSante: "/sante",
        replicas: charges.replicas,
        replicasMax: charges.replicasMax,
        ressources: { cpuDemande: "250m", memoireDemande: "256Mi", memoireLimite: "512Mi" },
        configMaps: [configMap.metadata.name],
        entreesDepuis: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": charges.espaceIngress } } }],
        imputation,
    });

    // SEC-05 : l'Ingress ne sert que du HTTPS.
    new k8s.networking.v1.Ingress(app, {
        metadata: { name: app, namespace, labels: imputation },
        spec: {
            ingressClassName: charges.classeIngress,
            tls: [{ hosts: [charges.hote], secretName: charges.secretTlsIngress }],
            rules: [{ host: charges.hote, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: charge.service.metadata.name, port: { name: "http" } } } }] } }],
        },
    }, { provider });

    // SEC-15 : les personnes qui déploient ont un Role limité à l'espace de noms, sans joker ni verbe
    // d'escalade ; aucune charge ne reçoit de droit.
    const role = new k8s.rbac.v1.Role(`${app}-deploiement`, {
        metadata: { name: "deploiement", namespace, labels: imputation },
        rules: [
            { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch", "patch", "update"] },
            { apiGroups: [""], resources: ["configmaps", "services", "pods", "pods/log"], verbs: ["get", "list", "watch"] },
            { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get", "list", "watch"] },
        ],
    }, { provider });
    new k8s.rbac.v1.RoleBinding(`${app}-deploiement`, {
        metadata: { name: "deploiement", namespace, labels: imputation },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: charges.groupeDeploiement }],
    }, { provider });
}
