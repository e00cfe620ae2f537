/**
 * Remediations that keep secrets and never harm a stack.
 *
 * A rule's remediation says what to add (`Patch`); the pack applies it to the properties exactly
 * as the engine sent them (the wire form, read by intercept.ts), not to `@pulumi/policy`'s
 * unwrapped copy. So:
 * - a value inside a secret stays secret (a key added to a secret map is written inside the
 *   secret), and the secret values already there are returned untouched, still secret;
 * - values unknown at preview, assets and archives come back as they came;
 * - a patch that would go through a value unknown at preview, or through a value of the wrong
 *   type, is not applied.
 *
 * A patch on a property that forces the resource's replacement (`forcesReplacement`) is never
 * applied: the whole remediation is dropped, and the rule's check says what it would have added.
 */
import { OS } from "./types";
import { SECRET_SIG, SIG_KEY } from "./secrets";

/** Wire form of a value unknown at preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export type Patch =
    /** Appends strings to the list at `path` (created when absent). */
    | { op: "append"; path: string; values: readonly string[] }
    /** Adds the entries whose key is absent from the map at `path` (created when absent). */
    | { op: "merge"; path: string; entries: Readonly<Record<string, string>> };

/**
 * Properties whose change forces a replacement, by resource type, for the properties a
 * remediation may write (the providers' schemas: `ForceNew` in terraform-provider-openstack,
 * which pulumi-openstack bridges). Kubernetes `metadata.labels` never forces a replacement.
 */
export const REPLACE_ON_CHANGE: Readonly<Record<string, readonly string[]>> = {
    [OS.magnumCluster]: ["labels"],
    [OS.magnumNodeGroup]: ["labels"],
    [OS.magnumClusterTemplate]: ["labels"],
};

export function forcesReplacement(type: string, path: string): boolean {
    return (REPLACE_ON_CHANGE[type] ?? []).some((p) => path === p || path.startsWith(p + ".") || path.startsWith(p + "["));
}

// ------------------------------------------------------------------------------------------------
// The wire properties of the Remediate calls under way (set by intercept.ts).

const wires = new Map<string, unknown>();

export function holdWireProperties(urn: string, properties: unknown): () => void {
    wires.set(urn, properties);
    return () => wires.delete(urn);
}

export function wireProperties(urn: string): Record<string, unknown> | undefined {
    const w = wires.get(urn);
    return w !== null && typeof w === "object" && !Array.isArray(w) ? (w as Record<string, unknown>) : undefined;
}

function isSecretWrapper(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

function isSpecial(v: unknown): boolean {
    return typeof v === "object" && v !== null && !Array.isArray(v) && SIG_KEY in (v as Record<string, unknown>) && !isSecretWrapper(v);
}

/**
 * Applies patches to a copy of the wire properties. Returns undefined when nothing can be applied
 * safely (no wire form, a replacement, an unknown or ill-typed value on the way).
 */
export function applyPatches(type: string, wire: Record<string, unknown> | undefined, patches: readonly Patch[]): Record<string, unknown> | undefined {
    if (!wire) return undefined;
    if (patches.some((p) => forcesReplacement(type, p.path))) return undefined;
    const out = structuredClone(wire);
    for (const p of patches) if (!applyOne(out, p)) return undefined;
    return out;
}

function applyOne(root: Record<string, unknown>, p: Patch): boolean {
    const keys = p.path.split(".");
    let holder: Record<string, unknown> = root;
    for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const last = i === keys.length - 1;
        let cur = holder[k];
        // Through a secret: write inside it, so that what is added is secret too.
        let host: Record<string, unknown> = holder;
        let slot = k;
        if (isSecretWrapper(cur)) {
            host = cur as unknown as Record<string, unknown>;
            slot = "value";
            cur = cur.value;
        }
        if (cur === UNKNOWN || isSpecial(cur)) return false;
        if (cur === undefined || cur === null) {
            cur = last && p.op === "append" ? [] : {};
            host[slot] = cur;
        }
        if (!last) {
            if (typeof cur !== "object" || Array.isArray(cur)) return false;
            holder = cur as Record<string, unknown>;
            continue;
        }
        if (p.op === "append") {
            if (!Array.isArray(cur)) return false;
            cur.push(...p.values);
        } else {
            if (typeof cur !== "object" || Array.isArray(cur)) return false;
            const map = cur as Record<string, unknown>;
            for (const [ek, ev] of Object.entries(p.entries)) if (!(ek in map)) map[ek] = ev;
        }
    }
    return true;
}

// ------------------------------------------------------------------------------------------------
// What the providers accept, for the values a remediation writes.

/** Constraints an OpenStack service puts on the tags of a resource. */
export interface TagRules {
    service: string;
    maxLength: number;
    forbidden: readonly string[];
    maxCount?: number;
}

const NOVA_TAGS: TagRules = { service: "Nova", maxLength: 60, forbidden: ["/", ","], maxCount: 50 };
const NEUTRON_TAGS: TagRules = { service: "Neutron", maxLength: 255, forbidden: [","] };
const OCTAVIA_TAGS: TagRules = { service: "Octavia", maxLength: 255, forbidden: [","] };
const GLANCE_TAGS: TagRules = { service: "Glance", maxLength: 255, forbidden: [","] };
const KEYSTONE_TAGS: TagRules = { service: "Keystone", maxLength: 255, forbidden: ["/", ","], maxCount: 80 };
const HEAT_TAGS: TagRules = { service: "Heat", maxLength: 255, forbidden: [","] };

export function tagRules(type: string): TagRules {
    if (type === OS.instance) return NOVA_TAGS;
    if (type.startsWith("openstack:loadbalancer/")) return OCTAVIA_TAGS;
    if (type.startsWith("openstack:images/")) return GLANCE_TAGS;
    if (type.startsWith("openstack:identity/")) return KEYSTONE_TAGS;
    if (type.startsWith("openstack:orchestration/")) return HEAT_TAGS;
    return NEUTRON_TAGS;
}

/** Why the service would refuse this tag, or undefined when it accepts it. */
export function tagRefusal(type: string, tag: string): { fr: string; en: string } | undefined {
    const r = tagRules(type);
    if (tag.length > r.maxLength) return { fr: `${r.service} refuse les étiquettes de plus de ${r.maxLength} caractères`, en: `${r.service} refuses tags longer than ${r.maxLength} characters` };
    const bad = r.forbidden.find((c) => tag.includes(c));
    if (bad) return { fr: `${r.service} refuse « ${bad} » dans une étiquette`, en: `${r.service} refuses "${bad}" in a tag` };
    return undefined;
}

/** Cinder, Swift, Manila and Barbican metadata: keys and values of at most 255 characters. */
export function metadataRefusal(key: string, value: string): { fr: string; en: string } | undefined {
    if (key.length > 255 || value.length > 255) return { fr: "les métadonnées sont limitées à 255 caractères par clé et par valeur", en: "metadata is limited to 255 characters per key and per value" };
    return undefined;
}

/** A Kubernetes label key: an optional DNS-subdomain prefix and a name of 63 characters at most. */
export function isLabelKey(key: string): boolean {
    const slash = key.lastIndexOf("/");
    const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
    const name = slash >= 0 ? key.slice(slash + 1) : key;
    if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(prefix))) return false;
    return name.length > 0 && name.length <= 63 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name);
}

/** A Kubernetes label value: at most 63 characters, empty or alphanumeric at both ends, `-_.` inside. */
export function isLabelValue(v: string): boolean {
    return v.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(v);
}
