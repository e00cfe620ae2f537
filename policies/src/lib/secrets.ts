/**
 * Secret values of the resources under analysis.
 *
 * `@pulumi/policy` unwraps secrets before policies see them, so a rule cannot tell a secret from a
 * plain value. The pack therefore reads the engine's request itself (intercept.ts): before each
 * Analyze, AnalyzeStack or Remediate call is handed on, the secret paths and values of its
 * resources are recorded here, and every message is scrubbed against them. Our rules run
 * synchronously, so a call's analysis completes before the next call's handler starts.
 */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export interface SecretsOf {
    paths: Set<string>;
    values: Set<string>;
}

const byUrn = new Map<string, SecretsOf>();

export function recordSecrets(urn: string, properties: unknown): void {
    const found: SecretsOf = { paths: new Set(), values: new Set() };
    walk(properties, "", false, found);
    if (found.paths.size > 0) byUrn.set(urn, found);
    else byUrn.delete(urn);
}

export function forgetSecrets(urn?: string): void {
    if (urn === undefined) byUrn.clear();
    else byUrn.delete(urn);
}

export function secretsOf(urn: string | undefined): SecretsOf | undefined {
    return urn === undefined ? undefined : byUrn.get(urn);
}

function walk(v: unknown, path: string, inSecret: boolean, out: SecretsOf): void {
    if (v === null || v === undefined) return;
    if (typeof v === "object" && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG) {
        out.paths.add(path);
        walk((v as Record<string, unknown>)["value"], path, true, out);
        return;
    }
    if (Array.isArray(v)) {
        v.forEach((e, i) => walk(e, `${path}[${i}]`, inSecret, out));
    } else if (typeof v === "object") {
        for (const [k, e] of Object.entries(v as Record<string, unknown>)) walk(e, path ? `${path}.${k}` : k, inSecret, out);
    } else if (inSecret) {
        out.paths.add(path);
        const text = String(v);
        out.values.add(text);
        // A secret `key=value` tag: its value part alone must not show either.
        const eq = text.indexOf("=");
        if (eq >= 0) out.values.add(text.slice(eq + 1));
    }
}

/** Whether a property path is, or lies under, a secret of the resource. */
export function isSecretPath(s: SecretsOf | undefined, path: string): boolean {
    if (!s) return false;
    for (const p of s.paths) {
        if (path === p || path.startsWith(p + ".") || path.startsWith(p + "[") || (p === "" && path !== "")) return true;
    }
    return false;
}

/** Replaces every secret value of 4 characters or more that appears in `text`. */
export function scrub(text: string, s: SecretsOf | undefined, marker: string): string {
    if (!s) return text;
    let out = text;
    for (const v of s.values) if (v.length >= 4) out = out.split(v).join(marker);
    return out;
}
