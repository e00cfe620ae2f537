/**
 * Safe readers over resource properties.
 *
 * Properties come from the engine as plain JSON wrapped by `@pulumi/policy` in a proxy that
 * throws `UnknownValueError` when a value is unknown at preview. These readers never throw on
 * missing, null or wrongly typed values; they let the unknown-value error through on purpose, so
 * that the engine reports "can't run policy during preview" instead of a silent pass.
 */
export type Props = Record<string, unknown>;
export type PathPart = string | number;

/**
 * `a.b[0].c` as `["a", "b", 0, "c"]` (keys with dots can be given as an array). The rules read the
 * same few paths for every resource: each is split once.
 */
const splitPaths = new Map<string, readonly PathPart[]>();

function pathParts(path: string | readonly PathPart[]): readonly PathPart[] {
    if (typeof path !== "string") return path;
    let parts = splitPaths.get(path);
    if (!parts) {
        parts = splitPath(path);
        if (splitPaths.size >= 10_000) splitPaths.clear();
        splitPaths.set(path, parts);
    }
    return parts;
}

function splitPath(path: string): PathPart[] {
    const parts: PathPart[] = [];
    for (const seg of path.split(".")) {
        const re = /([^[\]]+)|\[(\d+)\]/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(seg)) !== null) {
            parts.push(m[1] !== undefined ? m[1] : Number(m[2]));
        }
    }
    return parts;
}

/** Reads a nested value; `undefined` when any step is missing or not a container. */
export function get(value: unknown, path: string | readonly PathPart[]): unknown {
    let cur: unknown = value;
    for (const part of pathParts(path)) {
        if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
        if (typeof part === "number") {
            if (!Array.isArray(cur)) return undefined;
            cur = cur[part];
        } else {
            if (Array.isArray(cur)) return undefined;
            if (!Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
            cur = (cur as Record<string, unknown>)[part];
        }
    }
    return cur;
}

/**
 * Reads every value inside an object or array, so that one unknown anywhere inside it raises the
 * unknown-value error: a value that holds an unknown is "cannot be checked yet", never a value of
 * the wrong type. Bounded: a huge value is read up to `limit` leaves.
 */
export function touchAll(value: unknown, limit = 10000): void {
    const stack: unknown[] = [value];
    let seen = 0;
    while (stack.length > 0 && seen < limit) {
        const v = stack.pop();
        if (v === null || typeof v !== "object") continue;
        seen++;
        if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push(v[i]);
        else for (const k of Object.keys(v)) stack.push((v as Record<string, unknown>)[k]);
    }
}

export function str(value: unknown): string | undefined {
    if (typeof value === "string") return value;
    if (typeof value === "object" && value !== null) touchAll(value);
    return undefined;
}

/** A finite number, or a string holding one (YAML-decoded manifests sometimes carry those). */
export function num(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
    if (typeof value === "object" && value !== null) touchAll(value);
    return undefined;
}

export function bool(value: unknown): boolean | undefined {
    if (typeof value === "boolean") return value;
    if (value === "true") return true;
    if (value === "false") return false;
    if (typeof value === "object" && value !== null) touchAll(value);
    return undefined;
}

/**
 * A plain copy of the array, or an empty one for anything else. Copying by index keeps array
 * methods away from the engine's proxies (species lookups through a proxy may throw).
 */
export function arr(value: unknown): unknown[] {
    if (!Array.isArray(value)) return [];
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = value[i];
    return out;
}

/** A plain object (not an array), or `undefined`. */
export function rec(value: unknown): Record<string, unknown> | undefined {
    return value !== null && typeof value === "object" && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** String entries of an object (labels, metadata), skipping non-string values. */
export function stringMap(value: unknown): Map<string, string> {
    const out = new Map<string, string>();
    const r = rec(value);
    if (!r) return out;
    for (const k of Object.keys(r)) {
        const v = r[k];
        if (typeof v === "string") out.set(k, v);
        else if (typeof v === "number" || typeof v === "boolean") out.set(k, String(v));
    }
    return out;
}

export function strings(value: unknown): string[] {
    return arr(value).filter((v): v is string => typeof v === "string");
}

export function isMissing(value: unknown): boolean {
    return value === undefined || value === null || value === "";
}

/**
 * Whether an error is `@pulumi/policy`'s unknown-value error. Rules that must catch errors use
 * this to rethrow it, so that unknown values keep surfacing as "cannot be checked yet".
 */
export function isUnknownValueError(e: unknown): boolean {
    return e instanceof Error && e.constructor.name === "UnknownValueError";
}

/**
 * Evaluates `read` and returns `undefined` when it touches a value unknown at preview. Only for
 * relating resources to each other, where the dependency graph already answers: a check itself
 * must let unknown values surface.
 */
export function known<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (isUnknownValueError(e)) return undefined;
        throw e;
    }
}
