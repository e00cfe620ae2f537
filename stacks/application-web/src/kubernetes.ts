import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { imputation, kube, motDePasseBase, stockage } from "./config";

/** La partie Kubernetes de l'application : espace de noms isolé, charge durcie et répartie. */
export function creerPartieKubernetes(): void {
    // Fournisseur Kubernetes créé depuis la configuration (kubeconfig secret).
    const provider = new k8s.Provider("cluster", { kubeconfig: kube.kubeconfig, namespace: kube.namespace });
    const opts: pulumi.CustomResourceOptions = { provider };

    const app = imputation.application;
    const selecteur = { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": `${app}-${imputation.environnement}` };
    // PROD-01 : étiquettes standard app.kubernetes.io/* ; PIL-01 : labels d'imputation sur chaque objet.
    const labels = {
        ...selecteur,
        "app.kubernetes.io/version": kube.tagImage,
        "app.kubernetes.io/part-of": app,
        "app.kubernetes.io/managed-by": "pulumi",
        ...imputation,
    };

    // PIL-01 : espace de noms étiqueté ; SEC-13 : profil « restricted » des Pod Security Standards.
    const ns = new k8s.core.v1.Namespace(kube.namespace, {
        metadata: {
            name: kube.namespace,
            labels: { ...imputation, "pod-security.kubernetes.io/enforce": "restricted" },
        },
    }, opts);
    const namespace = ns.metadata.name;

    // SEC-06 : tout est refusé par défaut dans l'espace de noms…
    new k8s.networking.v1.NetworkPolicy(`${app}-refus-par-defaut`, {
        metadata: { name: "refus-par-defaut", namespace, labels },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    }, opts);
    // … sauf le trafic entrant vers le port applicatif et la résolution DNS sortante.
    new k8s.networking.v1.NetworkPolicy(`${app}-flux-autorises`, {
        metadata: { name: "flux-autorises", namespace, labels },
        spec: {
            podSelector: { matchLabels: selecteur },
            policyTypes: ["Ingress", "Egress"],
            ingress: [{ ports: [{ port: 8080, protocol: "TCP" }] }],
            egress: [{ ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] }],
        },
    }, opts);

    // PIL-06 : quotas et valeurs par défaut qui bornent la consommation.
    new k8s.core.v1.ResourceQuota(`${app}-quota`, {
        metadata: { name: "quota", namespace, labels },
        spec: { hard: { "requests.cpu": "4", "requests.memory": "8Gi", "limits.cpu": "8", "limits.memory": "16Gi", pods: "20" } },
    }, opts);
    new k8s.core.v1.LimitRange(`${app}-limites`, {
        metadata: { name: "limites", namespace, labels },
        spec: {
            limits: [{
                type: "Container",
                default: { cpu: kube.cpuLimite, memory: kube.memoireLimite },
                defaultRequest: { cpu: kube.cpuDemande, memory: kube.memoireDemande },
            }],
        },
    }, opts);

    // SEC-03 / RES-11 : classe de stockage chiffrée (type LUKS), volume créé dans la zone du pod.
    new k8s.storage.v1.StorageClass(kube.classeStockage, {
        metadata: { name: kube.classeStockage, labels },
        provisioner: kube.provisionneurCsi,
        parameters: { type: stockage.typeVolumeChiffre },
        volumeBindingMode: "WaitForFirstConsumer",
        reclaimPolicy: "Retain",
        allowVolumeExpansion: true,
    }, opts);

    // Configuration et secrets : jamais de valeur littérale dans le modèle de pod.
    const configMap = new k8s.core.v1.ConfigMap(`${app}-config`, {
        metadata: { name: `${app}-config`, namespace, labels },
        data: { URL_BASE: kube.urlBase },
    }, opts);
    const secret = new k8s.core.v1.Secret(`${app}-secret`, {
        metadata: { name: `${app}-secret`, namespace, labels },
        type: "Opaque",
        stringData: { MOT_DE_PASSE_BASE: motDePasseBase },
    }, opts);

    // Image épinglée depuis le registre de la configuration (digest quand il est connu).
    const image = `${kube.registre}/${kube.imageApplication}:${kube.tagImage}${kube.digestImage ? `@${kube.digestImage}` : ""}`;

    // RES-08 : trois réplicas ; RES-09 : étalement sur les zones ; SEC-13 : pods durcis.
    const deployment = new k8s.apps.v1.Deployment(app, {
        metadata: { name: app, namespace, labels },
        spec: {
            replicas: kube.replicas,
            selector: { matchLabels: selecteur },
            template: {
                metadata: { labels },
                spec: {
                    automountServiceAccountToken: false,
                    securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
                    topologySpreadConstraints: [{
                        maxSkew: 1,
                        topologyKey: "topology.kubernetes.io/zone",
                        whenUnsatisfiable: "DoNotSchedule",
                        labelSelector: { matchLabels: selecteur },
                    }],
                    containers: [{
                        name: app,
                        image,
                        imagePullPolicy: "IfNotPresent",
                        ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
                        envFrom: [{ configMapRef: { name: configMap.metadata.name } }, { secretRef: { name: secret.metadata.name } }],
                        securityContext: {
                            runAsNonRoot: true,
                            allowPrivilegeEscalation: false,
                            privileged: false,
                            readOnlyRootFilesystem: true,
                            capabilities: { drop: ["ALL"] },
                        },
                        resources: {
                            requests: { cpu: kube.cpuDemande, memory: kube.memoireDemande },
                            limits: { cpu: kube.cpuLimite, memory: kube.memoireLimite },
                        },
                        readinessProbe: { httpGet: { path: "/sante", port: "http" }, periodSeconds: 10 },
                        livenessProbe: { httpGet: { path: "/sante", port: "http" }, initialDelaySeconds: 15, periodSeconds: 20 },
                    }],
                },
            },
        },
    }, opts);

    // RES-10 : budget de perturbation qui sélectionne les pods du Deployment.
    new k8s.policy.v1.PodDisruptionBudget(`${app}-pdb`, {
        metadata: { name: `${app}-pdb`, namespace, labels },
        spec: { maxUnavailable: 1, selector: { matchLabels: selecteur } },
    }, opts);

    // RES-08 : l'autoscaler ne descend jamais sous trois réplicas.
    new k8s.autoscaling.v2.HorizontalPodAutoscaler(`${app}-hpa`, {
        metadata: { name: `${app}-hpa`, namespace, labels },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
            minReplicas: kube.replicas,
            maxReplicas: kube.replicasMax,
            metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
        },
    }, opts);

    const service = new k8s.core.v1.Service(app, {
        metadata: { name: app, namespace, labels },
        spec: { type: "ClusterIP", selector: selecteur, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
    }, opts);

    // SEC-04 : l'Ingress ne sert que du HTTPS, son certificat couvre l'hôte publié.
    new k8s.networking.v1.Ingress(app, {
        metadata: { name: app, namespace, labels },
        spec: {
            ingressClassName: kube.classeIngress,
            tls: [{ hosts: [kube.hote], secretName: kube.secretTlsIngress }],
            rules: [{
                host: kube.hote,
                http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: "http" } } } }] },
            }],
        },
    }, opts);
}
