import { get, stringMap, strings } from "./props";
import { tagsToMap } from "./tags";

/**
 * Markers (reversibility exit path, GPU justification, volume kept on purpose, …) that a resource
 * carries as a key/value pair, wherever its type keeps such pairs. Read in this order, the first
 * non-empty value wins:
 * - `tags`: OpenStack plain strings `key=value`, or a key/value map (most other providers);
 * - `metadata`: OpenStack map (volumes, instances, containers, shares);
 * - `labels`: Magnum (and other providers') map;
 * - Kubernetes `metadata.annotations`, then `metadata.labels`.
 * Values unknown at preview are not caught: the caller's verdict depends on them.
 */
export function markerValue(props: Record<string, unknown>, key: string): string | undefined {
    const sources: (() => Map<string, string>)[] = [
        () => {
            const t = props["tags"];
            return Array.isArray(t) ? tagsToMap(strings(t)) : stringMap(t);
        },
        () => stringMap(props["metadata"]),
        () => stringMap(props["labels"]),
        () => stringMap(get(props, "metadata.annotations")),
        () => stringMap(get(props, "metadata.labels")),
    ];
    for (const read of sources) {
        const v = read().get(key);
        if (v !== undefined && v.trim() !== "") return v.trim();
    }
    return undefined;
}

/** The package of a type token: `openstack:compute/instance:Instance` → `openstack`. */
export function packageOf(type: string): string {
    const i = type.indexOf(":");
    return i < 0 ? type : type.slice(0, i);
}

/** The module of a type token: `kubernetes:apps/v1:Deployment` → `apps/v1`. */
export function moduleOf(type: string): string {
    const parts = type.split(":");
    return parts.length >= 3 ? parts[1] : "";
}

/** Whether a value reads as "yes": `true`, `oui`, `yes`, `1` (any case). */
export function isYes(value: string | undefined): boolean {
    return value !== undefined && /^(true|oui|yes|1)$/i.test(value.trim());
}
