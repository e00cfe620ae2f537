/**
 * Pulumi type tokens, in one place. The pack never loads `@pulumi/openstack` or
 * `@pulumi/kubernetes` at run time: rules match the engine's type strings.
 */
export const OS = {
    provider: "pulumi:providers:openstack",
    instance: "openstack:compute/instance:Instance",
    serverGroup: "openstack:compute/serverGroup:ServerGroup",
    computeSecGroup: "openstack:compute/secGroup:SecGroup",
    computeVolumeAttach: "openstack:compute/volumeAttach:VolumeAttach",
    computeFloatingIp: "openstack:compute/floatingIp:FloatingIp",
    computeFloatingIpAssociate: "openstack:compute/floatingIpAssociate:FloatingIpAssociate",
    keypair: "openstack:compute/keypair:Keypair",
    flavor: "openstack:compute/flavor:Flavor",
    volume: "openstack:blockstorage/volume:Volume",
    volumeV2: "openstack:blockstorage/volumeV2:VolumeV2",
    volumeV1: "openstack:blockstorage/volumeV1:VolumeV1",
    blockVolumeAttach: "openstack:blockstorage/volumeAttach:VolumeAttach",
    network: "openstack:networking/network:Network",
    subnet: "openstack:networking/subnet:Subnet",
    port: "openstack:networking/port:Port",
    router: "openstack:networking/router:Router",
    routerInterface: "openstack:networking/routerInterface:RouterInterface",
    secGroup: "openstack:networking/secGroup:SecGroup",
    secGroupRule: "openstack:networking/secGroupRule:SecGroupRule",
    floatingIp: "openstack:networking/floatingIp:FloatingIp",
    floatingIpAssociate: "openstack:networking/floatingIpAssociate:FloatingIpAssociate",
    loadBalancer: "openstack:loadbalancer/loadBalancer:LoadBalancer",
    listener: "openstack:loadbalancer/listener:Listener",
    pool: "openstack:loadbalancer/pool:Pool",
    member: "openstack:loadbalancer/member:Member",
    members: "openstack:loadbalancer/members:Members",
    monitor: "openstack:loadbalancer/monitor:Monitor",
    container: "openstack:objectstorage/container:Container",
    containerObject: "openstack:objectstorage/containerObject:ContainerObject",
    magnumCluster: "openstack:containerinfra/cluster:Cluster",
    magnumClusterTemplate: "openstack:containerinfra/clusterTemplate:ClusterTemplate",
    magnumNodeGroup: "openstack:containerinfra/nodeGroup:NodeGroup",
    databaseInstance: "openstack:database/instance:Instance",
    share: "openstack:sharedfilesystem/share:Share",
    applicationCredential: "openstack:identity/applicationCredential:ApplicationCredential",
    ikePolicy: "openstack:vpnaas/ikePolicy:IkePolicy",
    ipSecPolicy: "openstack:vpnaas/ipSecPolicy:IpSecPolicy",
    secretV1: "openstack:keymanager/secretV1:SecretV1",
    containerV1: "openstack:keymanager/containerV1:ContainerV1",
    image: "openstack:images/image:Image",
    project: "openstack:identity/project:Project",
} as const;

export const K8S = {
    provider: "pulumi:providers:kubernetes",
    namespace: "kubernetes:core/v1:Namespace",
    pod: "kubernetes:core/v1:Pod",
    service: "kubernetes:core/v1:Service",
    configMap: "kubernetes:core/v1:ConfigMap",
    secret: "kubernetes:core/v1:Secret",
    resourceQuota: "kubernetes:core/v1:ResourceQuota",
    limitRange: "kubernetes:core/v1:LimitRange",
    persistentVolumeClaim: "kubernetes:core/v1:PersistentVolumeClaim",
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    replicationController: "kubernetes:core/v1:ReplicationController",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    hpaV2: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    hpaV2beta2: "kubernetes:autoscaling/v2beta2:HorizontalPodAutoscaler",
    hpaV1: "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    storageClass: "kubernetes:storage.k8s.io/v1:StorageClass",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
} as const;

/**
 * Kubernetes kinds whose pod template sits at `spec.template` (or `spec.jobTemplate.spec.template`),
 * and Pod. Their patches (`…Patch`, see k8s-patch.ts) are added by the rules that read them.
 */
export const K8S_WORKLOADS: readonly string[] = [
    K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.replicaSet, K8S.replicationController, K8S.job, K8S.cronJob, K8S.pod,
];

/** Workloads whose replica count is meaningful (RES-08, RES-09, RES-10). */
export const K8S_REPLICATED: readonly string[] = [K8S.deployment, K8S.statefulSet, K8S.replicaSet, K8S.replicationController];

export const K8S_HPAS: readonly string[] = [K8S.hpaV2, K8S.hpaV2beta2, K8S.hpaV1];

export const OS_VOLUMES: readonly string[] = [OS.volume, OS.volumeV2, OS.volumeV1];

export const OS_VOLUME_ATTACHMENTS: readonly string[] = [OS.computeVolumeAttach, OS.blockVolumeAttach];

/** Where a resource carries its cost-attribution keys (PIL-01). */
export type AttributionCarrier = "tags" | "metadata" | "labels" | "k8s-labels";

const OS_TAGS: readonly string[] = [
    OS.instance, OS.network, OS.subnet, OS.port, OS.router, OS.secGroup, OS.floatingIp,
    OS.loadBalancer, OS.listener, OS.image, OS.project,
    "openstack:networking/qosPolicy:QosPolicy", "openstack:networking/subnetPool:SubnetPool",
    "openstack:networking/trunk:Trunk", "openstack:orchestration/stackV1:StackV1",
];
const OS_METADATA: readonly string[] = [...OS_VOLUMES, OS.container, OS.share, OS.secretV1];
const OS_LABELS: readonly string[] = [OS.magnumCluster, OS.magnumClusterTemplate, OS.magnumNodeGroup];

export function attributionCarrier(type: string): AttributionCarrier | undefined {
    if (OS_TAGS.includes(type)) return "tags";
    if (OS_METADATA.includes(type)) return "metadata";
    if (OS_LABELS.includes(type)) return "labels";
    if (type.startsWith("kubernetes:") && !type.endsWith("List") && isK8sObject(type)) return "k8s-labels";
    return undefined;
}

/** A Kubernetes object with metadata (not a component, a provider, or a helper such as yaml:ConfigFile). */
export function isK8sObject(type: string): boolean {
    return /^kubernetes:[a-z0-9.-]+\/[a-z0-9]+:[A-Z]/.test(type);
}

export function isOpenStack(type: string): boolean {
    return type.startsWith("openstack:");
}

export function isKubernetes(type: string): boolean {
    return type.startsWith("kubernetes:");
}

/** Short readable label for a type token: `openstack:compute/instance:Instance` → `compute/Instance`. */
export function shortType(type: string): string {
    let short = shortTypes.get(type);
    if (short === undefined) {
        const m = /^([^:]+):([^:]*):(.+)$/.exec(type);
        const mod = m ? m[2].split("/")[0] : "";
        short = !m ? type : mod ? `${mod}/${m[3]}` : m[3];
        // Types are few; a bound all the same, whatever the input.
        if (shortTypes.size >= 10_000) shortTypes.clear();
        shortTypes.set(type, short);
    }
    return short;
}
const shortTypes = new Map<string, string>();

/** Reversibility and steering (PROD-05, PIL-06, PIL-07, PIL-08). */
export const K8S_MORE_PILOTAGE = {
    persistentVolume: "kubernetes:core/v1:PersistentVolume",
    customResourceDefinition: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition",
} as const;
