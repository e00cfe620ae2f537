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

/** A URL with any `user:password@` part replaced, so that an endpoint can be shown safely. */
export function redactUrl(url: string): string {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, "$1***@");
}

/** Whether a Pulumi provider name is a default provider (`default`, `default_3_15_2`). */
export function isDefaultProviderName(name: string | undefined): boolean {
    return name !== undefined && /^default(_|$)/.test(name);
}

/** Whether the resource name or its `name` property matches a pattern (bastion markers, …). */
export function nameMatches(names: readonly (string | undefined)[], patterns: readonly string[]): boolean {
    return names.some((n) => n !== undefined && findAny(n, patterns) !== undefined);
}
