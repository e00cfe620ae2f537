import { ChargeDurcie, EspaceDeNoms } from "@cloud-de-confiance/composants";
import * as k8s from "@pulumi/kubernetes";
import { imputation, kube, stockage } from "./config";

/**
 * La partie Kubernetes de l'application, sur le cluster qualifié donné par la configuration :
 * espace de noms isolé, charge durcie et répartie, publiée en HTTPS. L'application web est sans
 * état : elle n'a ni base de données ni secret de base.
 */
export function creerPartieKubernetes(): void {
    const provider = new k8s.Provider("cluster", { kubeconfig: kube.kubeconfig, namespace: kube.namespace });
    const app = imputation.application;

    const espace = new EspaceDeNoms(app, {
        provider,
        nom: kube.namespace,
        quota: { "requests.cpu": "4", "requests.memory": "8Gi", "limits.cpu": "8", "limits.memory": "16Gi", pods: "20" },
        defautConteneur: { cpu: kube.cpuLimite, memoire: kube.memoireLimite },
        demandeConteneur: { cpu: kube.cpuDemande, memoire: kube.memoireDemande },
        imputation,
    });
    const namespace = espace.nom;

    // SEC-03 / RES-11 : classe de stockage chiffrée (type LUKS), volume créé dans la zone du pod.
    new k8s.storage.v1.StorageClass(kube.classeStockage, {
        metadata: { name: kube.classeStockage, labels: imputation },
        provisioner: kube.provisionneurCsi,
        parameters: { type: stockage.typeVolumeChiffre },
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Retain",
        allowVolumeExpansion: true,
    }, { provider });

    const configMap = new k8s.core.v1.ConfigMap(`${app}-config`, {
        metadata: { name: `${app}-config`, namespace, labels: imputation },
        data: { URL_BASE: kube.urlBase },
    }, { provider });

    const image = `${kube.registre}/${kube.imageApplication}:${kube.tagImage}${kube.digestImage ? `@${kube.digestImage}` : ""}`;
    const charge = new ChargeDurcie(app, {
        provider,
        namespace,
        image,
        version: kube.tagImage,
        port: 8080,
        cheminSante: "/sante",
        replicas: kube.replicas,
        replicasMax: kube.replicasMax,
        ressources: { cpuDemande: kube.cpuDemande, memoireDemande: kube.memoireDemande, cpuLimite: kube.cpuLimite, memoireLimite: kube.memoireLimite },
        configMaps: [configMap.metadata.name],
        // Seul le contrôleur d'Ingress du cluster joint les pods.
        entreesDepuis: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }],
        imputation,
    });

    // SEC-05 : l'Ingress ne sert que du HTTPS, son certificat couvre l'hôte publié.
    new k8s.networking.v1.Ingress(app, {
        metadata: { name: app, namespace, labels: imputation },
        spec: {
            ingressClassName: kube.classeIngress,
            tls: [{ hosts: [kube.hote], secretName: kube.secretTlsIngress }],
            rules: [{
                host: kube.hote,
                http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: charge.service.metadata.name, port: { name: "http" } } } }] },
            }],
        },
    }, { provider });
}
