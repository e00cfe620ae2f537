/**
 * Kubernetes resource quantities (`resource.Quantity` of apimachinery), read as the API server
 * reads them: a signed decimal number followed by a binary suffix (Ki, Mi, Gi, Ti, Pi, Ei), a
 * decimal suffix (n, u, m, "", k, M, G, T, P, E) or a decimal exponent (e3, E-2). A number given
 * as a JSON number is that number. Anything else is not a quantity (the API server refuses it).
 */

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?\d+|[numkMGTPE])?$/;

/** The value of a quantity in base units (cores for CPU, bytes for memory and storage), or undefined. */
export function parseQuantity(value: unknown): number | undefined {
    if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
    if (typeof value !== "string") return undefined;
    const m = QUANTITY.exec(value.trim());
    if (!m) return undefined;
    const n = Number(m[1]);
    const suffix = m[2] ?? "";
    let factor: number;
    if (suffix in BINARY) factor = BINARY[suffix];
    else if (/^[eE][+-]?\d+$/.test(suffix)) factor = 10 ** Number(suffix.slice(1));
    else factor = DECIMAL[suffix];
    const v = n * factor;
    return Number.isFinite(v) ? v : undefined;
}

/** Bytes to GiB, the unit of the estimate's memory and storage ("Go" = 2^30 bytes, as Nova and Cinder count). */
export function bytesToGib(bytes: number): number {
    return bytes / 2 ** 30;
}
