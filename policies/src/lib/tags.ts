import { get, strings, stringMap } from "./props";
import { AttributionCarrier, attributionCarrier } from "./types";

/**
 * Cost-attribution keys (PIL-01, PIL-02) and other key/value markers, read from wherever the
 * resource type carries them:
 * - OpenStack `tags`: plain strings, by convention `key=value` (a bare `key` counts as present, empty);
 * - OpenStack `metadata` (volumes, containers, shares): a string map;
 * - Magnum `labels`: a string map;
 * - Kubernetes `metadata.labels` (and `metadata.annotations` for markers).
 */
export function parseTag(tag: string): [string, string] {
    const i = tag.indexOf("=");
    return i < 0 ? [tag.trim(), ""] : [tag.slice(0, i).trim(), tag.slice(i + 1).trim()];
}

/** Tags as a map; a key given twice keeps its first non-empty value. */
export function tagsToMap(tags: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const t of tags) {
        const [k, v] = parseTag(t);
        if (k && (!out.has(k) || (out.get(k) === "" && v !== ""))) out.set(k, v);
    }
    return out;
}

/** The key/value pairs a resource carries for attribution, from its type's carrier. */
export function keyValues(type: string, props: Record<string, unknown>, carrier = attributionCarrier(type)): Map<string, string> {
    switch (carrier) {
        case "tags":
            return tagsToMap(strings(props["tags"]));
        case "metadata":
            return stringMap(props["metadata"]);
        case "labels":
            return stringMap(props["labels"]);
        case "k8s-labels":
            return stringMap(get(props, "metadata.labels"));
        default:
            return new Map();
    }
}

/** Kubernetes annotations as a string map. */
export function annotations(props: Record<string, unknown>): Map<string, string> {
    return stringMap(get(props, "metadata.annotations"));
}

/** The property path that carries attribution keys for a carrier, for messages. */
export function carrierPath(carrier: AttributionCarrier): string {
    return carrier === "k8s-labels" ? "metadata.labels" : carrier;
}

/** Kubernetes label values: at most 63 characters of [A-Za-z0-9._-], starting and ending alphanumeric. */
export function toLabelValue(v: string): string {
    const s = v.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 63);
    return s.replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

/**
 * Markers (reversibility exit path, GPU justification, volume kept on purpose, …) that a resource
 * carries as a key/value pair, wherever its type keeps such pairs. Read in this order, the first
 * non-empty value wins:
 * - `tags`: OpenStack plain strings `key=value`, or a key/value map (most other providers);
 * - `metadata`: OpenStack map (volumes, instances, containers, shares);
 * - `labels`: Magnum (and other providers') map;
 * - Kubernetes `metadata.annotations`, then `metadata.labels`.
 * Values unknown at preview are not caught: the caller's verdict depends on them. An empty value
 * counts as absent unless `keepEmpty` (a derogation without content is malformed, not absent).
 */
export function markerValue(props: Record<string, unknown>, key: string, keepEmpty = false): string | undefined {
    const maps = markerMaps(props);
    for (let i = 0; i < MARKER_SOURCES.length; i++) {
        const v = (maps[i] ??= MARKER_SOURCES[i](props)).get(key);
        if (v !== undefined && (keepEmpty || v.trim() !== "")) return v.trim();
    }
    return undefined;
}

const MARKER_SOURCES: readonly ((props: Record<string, unknown>) => ReadonlyMap<string, string>)[] = [
    (props) => {
        const t = props["tags"];
        return Array.isArray(t) ? tagsToMap(strings(t)) : stringMap(t);
    },
    (props) => stringMap(props["metadata"]),
    (props) => stringMap(props["labels"]),
    (props) => stringMap(get(props, "metadata.annotations")),
    (props) => stringMap(get(props, "metadata.labels")),
];

/**
 * The marker maps of one resource's properties, each read once, when first needed: every rule
 * and every finding asks for markers (derogations) of the same properties object, which the pack
 * gives all the policies of one call. A source that cannot be read (a value unknown at preview)
 * is read, and fails, again each time, as before.
 */
const markerMapsOf = new WeakMap<object, (ReadonlyMap<string, string> | undefined)[]>();

function markerMaps(props: Record<string, unknown>): (ReadonlyMap<string, string> | undefined)[] {
    if (typeof props !== "object" || props === null) return [];
    let maps = markerMapsOf.get(props);
    if (!maps) {
        maps = [];
        markerMapsOf.set(props, maps);
    }
    return maps;
}
