/** Helpers of the steering and reversibility rules (PROD-05, PIL-06, PIL-08). */

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
