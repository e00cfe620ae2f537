/**
 * Helpers shared by the OpenStack security rules (SEC-01 … SEC-16).
 */

/**
 * The first pattern found anywhere in `value` (case-insensitive search, not anchored), or
 * `undefined`. A pattern that is not a valid regular expression is searched literally.
 */
export function findAny(value: string, patterns: readonly string[]): string | undefined {
    for (const p of patterns) {
        let hit: boolean;
        try {
            hit = new RegExp(p, "i").test(value);
        } catch {
            hit = value.toLowerCase().includes(p.toLowerCase());
        }
        if (hit) return p;
    }
    return undefined;
}

/**
 * A URL that can be shown: credentials (`user:password@`), query and fragment (tokens travel
 * there) are replaced by `***`, as a URL parser reads them.
 */
export function redactUrl(url: string): string {
    let u: URL;
    try {
        u = new URL(url.trim());
    } catch {
        return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, "$1***@").replace(/[?#].*$/s, "?***");
    }
    const auth = u.username || u.password ? "***@" : "";
    const rest = u.search || u.hash ? "?***" : "";
    return `${u.protocol}//${auth}${u.host}${u.pathname}${rest}`;
}

/** Whether a Pulumi provider name is a default provider (`default`, `default_3_15_2`). */
export function isDefaultProviderName(name: string | undefined): boolean {
    return name !== undefined && /^default(_|$)/.test(name);
}

/** Whether the resource name or its `name` property matches a pattern (bastion markers, …). */
export function nameMatches(names: readonly (string | undefined)[], patterns: readonly string[]): boolean {
    return names.some((n) => n !== undefined && findAny(n, patterns) !== undefined);
}
