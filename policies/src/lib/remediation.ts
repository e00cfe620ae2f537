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
 * Properties a remediation must not change, by resource type, with the reason. Established from
 * the providers' schemas for every property a remediation writes (`tags`, `metadata`, `labels`,
 * Kubernetes `metadata.labels`): in terraform-provider-openstack, which pulumi-openstack bridges,
 * only the Magnum cluster's and node group's `labels` are `ForceNew`; every `tags` and `metadata`
 * is updated in place. Magnum also refuses any change to the labels of a cluster template that a
 * cluster uses (`ClusterTemplateReferenced`). Kubernetes `metadata.labels` are mutable.
 */
export const UNSAFE_TO_CHANGE: Readonly<Record<string, readonly { path: string; why: { fr: string; en: string } }[]>> = {
    [OS.magnumCluster]: [{ path: "labels", why: { fr: "modifier `labels` forcerait le remplacement du cluster", en: "changing `labels` would force the cluster's replacement" } }],
    [OS.magnumNodeGroup]: [{ path: "labels", why: { fr: "modifier `labels` forcerait le remplacement du groupe de nœuds", en: "changing `labels` would force the node group's replacement" } }],
    [OS.magnumClusterTemplate]: [{ path: "labels", why: { fr: "Magnum refuse de modifier les `labels` d'un modèle utilisé par un cluster", en: "Magnum refuses to change the `labels` of a template a cluster uses" } }],
};

/** Why a remediation must not change this property of this type, or undefined when it may. */
export function unsafeChange(type: string, path: string): { fr: string; en: string } | undefined {
    return (UNSAFE_TO_CHANGE[type] ?? []).find((u) => path === u.path || path.startsWith(u.path + ".") || path.startsWith(u.path + "["))?.why;
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
    if (patches.some((p) => unsafeChange(type, p.path))) return undefined;
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

// Nova: `^[^,/]*$`, 1 to 60 characters, 50 tags per server. Keystone: `^[^,/]*$`, 1 to 255, 80
// tags per project. Glance: 255 characters, 128 tags per image by default. Neutron and Octavia:
// 255 characters (a comma would split the tag in the APIs' filters). Heat receives the tags as one
// comma-joined string and stores 80 characters.
const NOVA_TAGS: TagRules = { service: "Nova", maxLength: 60, forbidden: ["/", ","], maxCount: 50 };
const NEUTRON_TAGS: TagRules = { service: "Neutron", maxLength: 255, forbidden: [","] };
const OCTAVIA_TAGS: TagRules = { service: "Octavia", maxLength: 255, forbidden: [","] };
const GLANCE_TAGS: TagRules = { service: "Glance", maxLength: 255, forbidden: [","], maxCount: 128 };
const KEYSTONE_TAGS: TagRules = { service: "Keystone", maxLength: 255, forbidden: ["/", ","], maxCount: 80 };
const HEAT_TAGS: TagRules = { service: "Heat", maxLength: 80, forbidden: [","] };

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

/** What a service accepts in a metadata map. */
interface MetadataRules {
    service: string;
    key: RegExp;
    keyText: string;
    maxValue: number;
}

// Cinder: keys `^[a-zA-Z0-9-_:. /]{1,255}$`, values 255. Swift (`X-Container-Meta-<key>` headers):
// keys of 128 characters, values of 256. Manila: keys of 255, values of 1 to 1023. Barbican: keys
// `^[A-Za-z0-9_-]*$` (stored lower-cased), values 255.
const METADATA: Readonly<Record<string, MetadataRules>> = {
    cinder: { service: "Cinder", key: /^[a-zA-Z0-9\-_:. /]{1,255}$/, keyText: "[a-zA-Z0-9-_:. /]{1,255}", maxValue: 255 },
    swift: { service: "Swift", key: /^[A-Za-z0-9_-]{1,128}$/, keyText: "[A-Za-z0-9_-]{1,128}", maxValue: 256 },
    manila: { service: "Manila", key: /^.{1,255}$/s, keyText: ".{1,255}", maxValue: 1023 },
    barbican: { service: "Barbican", key: /^[a-z0-9_-]{1,255}$/, keyText: "[a-z0-9_-]{1,255}", maxValue: 255 },
};

function metadataRules(type: string): MetadataRules {
    if (type === OS.container) return METADATA.swift;
    if (type === OS.share) return METADATA.manila;
    if (type === OS.secretV1) return METADATA.barbican;
    return METADATA.cinder;
}

/** Why the service would refuse this metadata entry, or undefined when it accepts it. */
export function metadataRefusal(type: string, key: string, value: string): { fr: string; en: string } | undefined {
    const r = metadataRules(type);
    if (!r.key.test(key)) return { fr: `${r.service} n'accepte que les clés de métadonnées \`${r.keyText}\``, en: `${r.service} only accepts metadata keys \`${r.keyText}\`` };
    if (value.length === 0 || value.length > r.maxValue) return { fr: `${r.service} accepte des valeurs de 1 à ${r.maxValue} caractères`, en: `${r.service} accepts values of 1 to ${r.maxValue} characters` };
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
