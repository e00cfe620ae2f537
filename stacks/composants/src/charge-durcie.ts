import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Imputation } from "./imputation";

type Pair = k8s.types.input.networking.v1.NetworkPolicyPeer;

export interface ChargeDurcieArgs {
    provider?: k8s.Provider;
    /** Espace de noms (de préférence `EspaceDeNoms.nom`, pour que les objets en dépendent). */
    namespace: pulumi.Input<string>;
    /** Image épinglée : registre de l'organisation, étiquette fixe, empreinte sha256 quand elle est connue (PROD-02). */
    image: pulumi.Input<string>;
    version: string;
    /** Port applicatif, au-dessus de 1024 (SEC-13). */
    port: number;
    cheminSante: string;
    replicas: number;
    replicasMax: number;
    ressources: { cpuDemande: string; memoireDemande: string; cpuLimite?: string; memoireLimite: string };
    /** ConfigMaps et Secrets dont le conteneur reçoit les variables (PROD-04, SEC-09). */
    configMaps?: pulumi.Input<string>[];
    secrets?: pulumi.Input<string>[];
    /** Sources admises sur le port applicatif (contrôleur d'Ingress, autres charges). */
    entreesDepuis: Pair[];
    /** Destinations de sortie, en plus du DNS du cluster (base de données, API…). */
    sortiesVers?: { vers: Pair[]; port: number; protocole?: string }[];
    imputation: Imputation;
}

/**
 * Charge Kubernetes durcie : Deployment, ServiceAccount sans jeton, PodDisruptionBudget,
 * HorizontalPodAutoscaler, NetworkPolicy des flux de la charge et Service.
 *
 * Besoins satisfaits : SEC-13 (non root, sans escalade, sans privilège, capacités retirées, seccomp
 * RuntimeDefault, port > 1024, système de fichiers racine en lecture seule), SEC-09 et PROD-04
 * (configuration et secrets par `envFrom`, aucune valeur littérale), SEC-15 (compte de service dédié,
 * sans jeton monté, sans droit), SEC-14 (flux de la charge seuls ouverts, sur le refus par défaut de
 * l'espace de noms), RES-08 (réplicas et autoscaler au moins à 2), RES-09 (étalement sur les zones),
 * RES-10 (budget de perturbation qui ne bloque pas les drains), PROD-01 (étiquettes
 * `app.kubernetes.io/*`), PROD-02 (image de la configuration, épinglée), PROD-03 (sondes), PIL-07
 * (requêtes et limites), PIL-01 (labels d'imputation).
 */
export class ChargeDurcie extends pulumi.ComponentResource {
    readonly deployment: k8s.apps.v1.Deployment;
    readonly service: k8s.core.v1.Service;
    /** Étiquettes qui sélectionnent les pods de la charge. */
    readonly selecteur: Record<string, string>;

    constructor(name: string, args: ChargeDurcieArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-de-confiance:composants:ChargeDurcie", name, {}, opts);
        if (args.replicas < 2) throw new Error(`${name} : au moins deux réplicas (RES-08)`);
        if (args.port <= 1024) throw new Error(`${name} : le port applicatif doit dépasser 1024 (SEC-13)`);
        const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
        const namespace = args.namespace;
        const instance = `${name}-${args.imputation["environnement"] ?? "defaut"}`;
        this.selecteur = { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": instance };
        const labels = {
            ...this.selecteur,
            "app.kubernetes.io/version": args.version,
            "app.kubernetes.io/part-of": args.imputation["application"] ?? name,
            "app.kubernetes.io/managed-by": "pulumi",
            ...args.imputation,
        };

        const compte = new k8s.core.v1.ServiceAccount(name, {
            metadata: { name, namespace, labels },
            automountServiceAccountToken: false,
        }, child);

        const envFrom = [
            ...(args.configMaps ?? []).map((n) => ({ configMapRef: { name: n } })),
            ...(args.secrets ?? []).map((n) => ({ secretRef: { name: n } })),
        ];
        this.deployment = new k8s.apps.v1.Deployment(name, {
            metadata: { name, namespace, labels },
            spec: {
                replicas: args.replicas,
                selector: { matchLabels: this.selecteur },
                template: {
                    metadata: { labels },
                    spec: {
                        serviceAccountName: compte.metadata.name,
                        automountServiceAccountToken: false,
                        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
                        topologySpreadConstraints: [{
                            maxSkew: 1,
                            topologyKey: "topology.kubernetes.io/zone",
                            whenUnsatisfiable: "DoNotSchedule",
                            labelSelector: { matchLabels: this.selecteur },
                        }],
                        containers: [{
                            name,
                            image: args.image,
                            imagePullPolicy: "IfNotPresent",
                            ports: [{ name: "http", containerPort: args.port, protocol: "TCP" }],
                            ...(envFrom.length ? { envFrom } : {}),
                            securityContext: {
                                runAsNonRoot: true,
                                allowPrivilegeEscalation: false,
                                privileged: false,
                                readOnlyRootFilesystem: true,
                                capabilities: { drop: ["ALL"] },
                            },
                            resources: {
                                requests: { cpu: args.ressources.cpuDemande, memory: args.ressources.memoireDemande },
                                limits: { memory: args.ressources.memoireLimite, ...(args.ressources.cpuLimite ? { cpu: args.ressources.cpuLimite } : {}) },
                            },
                            readinessProbe: { httpGet: { path: args.cheminSante, port: "http" }, periodSeconds: 10 },
                            livenessProbe: { httpGet: { path: args.cheminSante, port: "http" }, initialDelaySeconds: 15, periodSeconds: 20 },
                            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                        }],
                        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
                    },
                },
            },
        }, child);

        new k8s.policy.v1.PodDisruptionBudget(name, {
            metadata: { name, namespace, labels },
            spec: { maxUnavailable: 1, selector: { matchLabels: this.selecteur } },
        }, child);

        new k8s.autoscaling.v2.HorizontalPodAutoscaler(name, {
            metadata: { name, namespace, labels },
            spec: {
                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
                minReplicas: args.replicas,
                maxReplicas: Math.max(args.replicas, args.replicasMax),
                metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
            },
        }, child);

        const dns = { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }], ports: [{ port: 53, protocol: "UDP" }, { port: 53, protocol: "TCP" }] };
        new k8s.networking.v1.NetworkPolicy(`${name}-flux`, {
            metadata: { name: `${name}-flux`, namespace, labels },
            spec: {
                podSelector: { matchLabels: this.selecteur },
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: args.entreesDepuis, ports: [{ port: args.port, protocol: "TCP" }] }],
                egress: [dns, ...(args.sortiesVers ?? []).map((s) => ({ to: s.vers, ports: [{ port: s.port, protocol: s.protocole ?? "TCP" }] }))],
            },
        }, child);

        this.service = new k8s.core.v1.Service(name, {
            metadata: { name, namespace, labels },
            spec: { type: "ClusterIP", selector: this.selecteur, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
        }, child);
        this.registerOutputs({ deployment: this.deployment.metadata.name });
    }
}
