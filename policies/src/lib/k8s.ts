import { fullType } from "./k8s-patch";
import { arr, get, rec, str, stringMap } from "./props";
import { K8S } from "./types";

/** Where a workload kind (or its patch) keeps its pod spec. */
export function podSpecPath(type: string): string | undefined {
    const kind = fullType(type);
    if (kind === K8S.pod) return "spec";
    if (kind === K8S.cronJob) return "spec.jobTemplate.spec.template.spec";
    const templated: readonly string[] = [K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.replicaSet, K8S.replicationController, K8S.job];
    if (templated.includes(kind)) return "spec.template.spec";
    return undefined;
}

export interface PodSpec {
    path: string;
    spec: Record<string, unknown>;
}

export function podSpec(type: string, props: Record<string, unknown>): PodSpec | undefined {
    const path = podSpecPath(type);
    if (!path) return undefined;
    const spec = rec(get(props, path));
    return spec ? { path, spec } : undefined;
}

/** Labels of the pod template (what selectors match). */
export function podTemplateLabels(type: string, props: Record<string, unknown>): Map<string, string> {
    const path = podSpecPath(type);
    if (!path) return new Map();
    const meta = path === "spec" ? "metadata.labels" : path.replace(/spec$/, "metadata.labels");
    return stringMap(get(props, meta));
}

export interface ContainerAt {
    container: Record<string, unknown>;
    path: string;
    name: string;
}

/** Containers and init containers of a pod spec, with their property paths. */
export function containers(pod: PodSpec): ContainerAt[] {
    const out: ContainerAt[] = [];
    for (const field of ["initContainers", "containers"]) {
        arr(pod.spec[field]).forEach((c, i) => {
            const container = rec(c);
            if (container) out.push({ container, path: `${pod.path}.${field}[${i}]`, name: str(container["name"]) ?? `#${i}` });
        });
    }
    return out;
}

/**
 * The `kind` a Kubernetes type token names: `kubernetes:apps/v1:Deployment` → `Deployment`; a patch
 * names the kind it patches (`DeploymentPatch` → `Deployment`).
 */
export function kindOf(type: string): string {
    const kind = fullType(type);
    return kind.slice(kind.lastIndexOf(":") + 1);
}
