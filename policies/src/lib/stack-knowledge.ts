import { stackConfiguration, stackDescribed } from "./settings";

/**
 * What the pack knows of the stack it checks: its tags and its configuration, each complete or not.
 *
 * The Pulumi CLI (3.221 and later) describes the stack completely in ConfigureStack: its tags and
 * its configuration. Older CLIs do not call ConfigureStack: the tags are then unknown and only the
 * keys of the configuration are known, from `PULUMI_CONFIG` (see settings.ts).
 *
 * The checker (`cloud-de-confiance check`) often knows less than the CLI: a preview JSON holds the
 * configuration but not the tags, a state file holds neither, a program run knows the
 * configuration but not the tags set with `pulumi stack tag set`. It still calls ConfigureStack
 * with what it knows, and names what it does not know in the reserved tag `UNKNOWN_PARTS_TAG`,
 * whose value lists `etiquettes` and/or `configuration`. No real engine sends that tag: a stack tag
 * name only holds letters, digits, `-`, `_`, `.` and `:` (the CLI and Pulumi Cloud refuse others),
 * and this name has a `/`. The pack removes it from the tags before any policy sees them.
 */
export const UNKNOWN_PARTS_TAG = "cloud-de-confiance/inconnu";

export interface StackParts {
    /** The stack's tags. */
    tags: boolean;
    /** The stack's configuration. */
    config: boolean;
}

/** The value of `UNKNOWN_PARTS_TAG` for the parts that are unknown (`undefined` when none is). */
export function unknownPartsValue(unknown: StackParts): string | undefined {
    const parts = [unknown.tags ? "etiquettes" : "", unknown.config ? "configuration" : ""].filter(Boolean);
    return parts.length ? parts.join(",") : undefined;
}

/** Reads the value of `UNKNOWN_PARTS_TAG`; a value naming no known part means both are unknown. */
export function parseUnknownParts(value: string): StackParts {
    const parts = new Set(value.split(",").map((p) => p.trim()));
    const tags = parts.has("etiquettes");
    const config = parts.has("configuration");
    return tags || config ? { tags, config } : { tags: true, config: true };
}

/**
 * The stack tags that the stack's configuration sets through `pulumi:tags` (a mapping of names to
 * values, which the CLI merges into the stack's tags), from ConfigureStack, else from the
 * `PULUMI_CONFIG` the CLI gives the pack's process. Only names with a value are returned.
 */
export function configuredStackTags(): Map<string, string> {
    let raw: unknown;
    if (stackDescribed()) raw = stackConfiguration().get("pulumi:tags");
    else {
        try {
            const env = process.env["PULUMI_CONFIG"];
            const parsed = env ? (JSON.parse(env) as unknown) : undefined;
            if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) raw = (parsed as Record<string, unknown>)["pulumi:tags"];
        } catch {
            raw = undefined;
        }
    }
    const out = new Map<string, string>();
    let obj: unknown = raw;
    if (typeof raw === "string") {
        try {
            obj = JSON.parse(raw);
        } catch {
            return out;
        }
    }
    if (!obj || typeof obj !== "object" || Array.isArray(obj)) return out;
    for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out.set(k, String(v));
    }
    return out;
}
