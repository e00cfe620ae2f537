import { fullType } from "./k8s-patch";
import { isUnknownValueError } from "./props";
import { isK8sObject, K8S_WORKLOADS } from "./types";

/**
 * What the pack can and cannot read of Kubernetes (the rules « not inspected » of SEC-13).
 *
 * pulumi-kubernetes components that hold Kubernetes objects. Their objects are examined when they
 * are in the stack as the component's children: a Helm v3 Chart, a YAML v1 ConfigFile or a
 * kustomize v1 Directory render client-side (children under a real engine); a Helm v4 Chart, a
 * kustomize v2 Directory and YAML v2 files render in the provider (children under a real engine,
 * none under mocks); the checker reads YAML v2 files itself. A Helm Release never has children: the
 * chart is installed by Helm inside the provider.
 */
export const K8S_COMPONENTS = {
    helmRelease: "kubernetes:helm.sh/v3:Release",
    helmChartV2: "kubernetes:helm.sh/v2:Chart",
    helmChartV3: "kubernetes:helm.sh/v3:Chart",
    helmChartV4: "kubernetes:helm.sh/v4:Chart",
    kustomizeV1: "kubernetes:kustomize:Directory",
    kustomizeV2: "kubernetes:kustomize/v2:Directory",
    configFileV1: "kubernetes:yaml:ConfigFile",
    configGroupV1: "kubernetes:yaml:ConfigGroup",
    configFileV2: "kubernetes:yaml/v2:ConfigFile",
    configGroupV2: "kubernetes:yaml/v2:ConfigGroup",
} as const;

export const K8S_COMPONENT_TYPES: readonly string[] = Object.values(K8S_COMPONENTS);

/** Components rendered by Helm. */
export const HELM_TYPES: readonly string[] = [K8S_COMPONENTS.helmRelease, K8S_COMPONENTS.helmChartV2, K8S_COMPONENTS.helmChartV3, K8S_COMPONENTS.helmChartV4];
/** Components rendered by kustomize. */
export const KUSTOMIZE_TYPES: readonly string[] = [K8S_COMPONENTS.kustomizeV1, K8S_COMPONENTS.kustomizeV2];

/**
 * The needs a Kubernetes object may bear on: those of every rule that reads a Kubernetes kind, SEC-13
 * first (the folder of the « not inspected » rules). A test keeps the list in step with the rules.
 */
export const KUBERNETES_NEEDS = [
    "SEC-13", "RES-08", "RES-09", "RES-10", "RES-11", "SEC-03", "SEC-05", "SEC-09", "SEC-14", "SEC-15",
    "PROD-01", "PROD-02", "PROD-03", "PROD-04", "PROD-05", "PIL-01", "PIL-07",
] as const;

/** The needs a pod template bears on: those of every rule that reads workloads, SEC-13 first. */
export const POD_NEEDS = [
    "SEC-13", "RES-08", "RES-09", "RES-10", "SEC-09", "SEC-14", "PROD-01", "PROD-02", "PROD-03", "PROD-04", "PIL-01", "PIL-07",
] as const;

/** Kinds whose pod template the rules read (and their patches, through `fullType`). */
const READ_WORKLOADS = new Set(K8S_WORKLOADS);

/**
 * Whether a Kubernetes type is an object the pack may not read: neither a component nor a kind
 * whose pod template the rules read (custom resources, older API versions, PodTemplate, lists…).
 */
export function mayHideWorkload(type: string): boolean {
    return isK8sObject(type) && !K8S_COMPONENT_TYPES.includes(type) && !READ_WORKLOADS.has(fullType(type));
}

/** Keys under which an unknown value may hide a pod spec: such an unknown surfaces. */
const POD_KEYS = new Set(["spec", "template", "jobTemplate", "podTemplate", "containers", "initContainers", "items"]);
/** Keys never searched: object metadata and status hold no pod spec. */
const SKIPPED = new Set(["metadata", "status"]);

/**
 * Property paths of the pod specs an object embeds: objects with a `containers` list of container
 * objects (each with a `name` or an `image`), at any depth (`spec.template.spec` of an Argo
 * Rollout, `spec.jobTargetRef.template.spec` of a KEDA ScaledJob, `template.spec` of a
 * PodTemplate, `items[0].spec.template.spec` of a list). A value unknown at preview under a key
 * that may hold a pod spec (`spec`, `template`, `containers`…) lets the unknown-value error
 * through; other unknown values are skipped. Bounded to `limit` objects.
 */
export function embeddedPodSpecs(props: Record<string, unknown>, limit = 5000): string[] {
    const found: string[] = [];
    const queue: { value: unknown; path: string }[] = [{ value: props, path: "" }];
    let seen = 0;
    while (queue.length > 0 && seen < limit) {
        const { value, path } = queue.shift()!;
        if (value === null || typeof value !== "object") continue;
        seen++;
        if (Array.isArray(value)) {
            for (let i = 0; i < value.length; i++) {
                const item = read(() => value[i], "items");
                if (item !== SKIP) queue.push({ value: item, path: `${path}[${i}]` });
            }
            continue;
        }
        const o = value as Record<string, unknown>;
        const keys = Object.keys(o);
        if (keys.includes("containers")) {
            const list = read(() => o["containers"], "containers");
            if (Array.isArray(list) && list.length > 0 && list.every(isContainer)) {
                found.push(path || ".");
                continue;
            }
        }
        for (const k of keys) {
            if (SKIPPED.has(k)) continue;
            const v = read(() => o[k], k);
            if (v !== SKIP) queue.push({ value: v, path: path ? `${path}.${k}` : k });
        }
    }
    return found;
}

const SKIP = Symbol("skip");

function read(get: () => unknown, key: string): unknown {
    try {
        return get();
    } catch (e) {
        if (isUnknownValueError(e) && !POD_KEYS.has(key)) return SKIP;
        throw e;
    }
}

function isContainer(c: unknown): boolean {
    if (c === null || typeof c !== "object" || Array.isArray(c)) return false;
    const o = c as Record<string, unknown>;
    return typeof o["image"] === "string" || typeof o["name"] === "string";
}
