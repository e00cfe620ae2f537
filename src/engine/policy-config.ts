/**
 * The policy configuration as the Pulumi CLI handles it, step by step, so that a configuration the
 * CLI refuses is refused here with the CLI's words:
 *
 * 1. `--policy-pack-config FILE` is parsed (`parsePolicyPackConfig`, pkg/resource/analyzer/config.go):
 *    each key maps to an enforcement level or to an object that may hold `enforcementLevel`;
 *    entries with neither a level nor properties are dropped.
 * 2. It is reconciled with the pack's metadata (`ReconcilePolicyPackConfig`): every policy starts
 *    from its default level and its schema defaults; `all` then sets the level of every policy;
 *    then each entry sets its policy's level and properties. Keys that name no policy are kept.
 * 3. Each policy's properties are validated against its schema (gojsonschema, with the
 *    `enforcementLevel` property the CLI injects); errors are printed as
 *    `validating policy config: <pack> <version>  <policy>: <field>: <error>`.
 * 4. `Configure` refuses any entry without a valid enforcement level
 *    (`invalid enforcement level ""`, sdk/go/common/resource/plugin/analyzer_plugin.go): a key
 *    that names no policy and gives no level stops the preview.
 */
import Ajv, { ErrorObject } from "ajv";
import { AnalyzerInfo, EnforcementLevel, PolicyConfig } from "./types";

export class PolicyConfigError extends Error {}

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** A reconciled entry: the level may be "" (no level), which Configure refuses. */
export interface ReconciledConfig {
    enforcementLevel: EnforcementLevel | "";
    properties?: Record<string, unknown>;
}

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/** Go's `%v` of a JSON value, as the CLI's messages print it. */
function goValue(v: unknown): string {
    if (v === null) return "<nil>";
    if (Array.isArray(v)) return `[${v.map(goValue).join(" ")}]`;
    if (typeof v === "object") return `map[${Object.keys(v as object).sort().map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`).join(" ")}]`;
    return String(v);
}

/** Step 1, from the file's text: empty content is no configuration. */
export function parsePolicyConfigText(text: string, source = "policy configuration"): Record<string, PolicyConfig> {
    if (text.trim() === "") return {};
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new PolicyConfigError(`${source}: invalid JSON: ${(e as Error).message}`);
    }
    return parsePolicyConfig(json, source);
}

/** Step 1, from parsed JSON. */
export function parsePolicyConfig(json: unknown, source = "policy configuration"): Record<string, PolicyConfig> {
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
        const kind = Array.isArray(json) ? "array" : json === null ? "null" : typeof json;
        throw new PolicyConfigError(`${source}: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
    }
    const out: Record<string, PolicyConfig> = {};
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
        let level: EnforcementLevel | undefined;
        let properties: Record<string, unknown> = {};
        if (typeof v === "string") {
            if (!isLevel(v)) throw new PolicyConfigError(`${source}: parsing enforcement level for "${k}": "${v}" is not a valid enforcement level`);
            level = v;
        } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
            const { enforcementLevel, ...rest } = v as Record<string, unknown>;
            if ("enforcementLevel" in (v as object)) {
                if (typeof enforcementLevel !== "string") {
                    throw new PolicyConfigError(`${source}: parsing enforcement level for "${k}": ${goValue(enforcementLevel)} is not a valid enforcement level; must be a string`);
                }
                if (!isLevel(enforcementLevel)) {
                    throw new PolicyConfigError(`${source}: parsing enforcement level for "${k}": "${enforcementLevel}" is not a valid enforcement level`);
                }
                level = enforcementLevel;
            }
            properties = rest;
        } else {
            throw new PolicyConfigError(`${source}: parsing "${k}": ${goValue(v)} is not a valid value; must be a string or object`);
        }
        // The CLI drops empty entries.
        if (level === undefined && Object.keys(properties).length === 0) continue;
        out[k] = { enforcementLevel: level, properties };
    }
    return out;
}

/** Step 2: defaults, then the pack's initial configuration, then the given one. */
export function reconcile(info: AnalyzerInfo, given: Record<string, PolicyConfig> = {}): Record<string, ReconciledConfig> {
    let result: Record<string, ReconciledConfig> = {};
    for (const p of info.policies) {
        let properties: Record<string, unknown> | undefined;
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) {
            if ("default" in s) (properties ??= {})[k] = structuredClone(s.default);
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties };
    }
    for (const layer of [info.initialConfig, given]) result = applyConfig(result, layer);
    return result;
}

function applyConfig(result: Record<string, ReconciledConfig>, layer: Record<string, PolicyConfig>): Record<string, ReconciledConfig> {
    const all = layer["all"];
    if (all && isLevel(all.enforcementLevel)) {
        for (const k of Object.keys(result)) result[k] = { enforcementLevel: all.enforcementLevel, properties: result[k].properties };
    }
    for (const [k, c] of Object.entries(layer)) {
        const cur = result[k];
        let level: EnforcementLevel | "" = cur?.enforcementLevel ?? "";
        let properties = cur?.properties;
        if (isLevel(c.enforcementLevel)) level = c.enforcementLevel;
        const given = c.properties ?? {};
        if (Object.keys(given).length > 0) properties = { ...(properties ?? {}), ...given };
        result[k] = { enforcementLevel: level, properties };
    }
    return result;
}

/** Step 3: the validation errors, as the CLI prints them (without its prefix). */
export function validate(info: AnalyzerInfo, config: Record<string, ReconciledConfig>): string[] {
    if (!info.supportsConfig) return [];
    // Each schema validates one small object once: generating unoptimised code halves the
    // compilation (the checker's largest start-up cost) and validates alike.
    const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, code: { optimize: false } });
    const errors: string[] = [];
    for (const p of [...info.policies].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        const properties: Record<string, unknown> = {
            ...(p.configSchema?.properties ?? {}),
            enforcementLevel: { type: "string", enum: ENFORCEMENT_LEVELS },
        };
        const schema: Record<string, unknown> = { type: "object", properties };
        if (p.configSchema?.required?.length) schema["required"] = p.configSchema.required;
        const check = ajv.compile(schema);
        if (!check(config[p.name]?.properties ?? {})) {
            for (const e of check.errors ?? []) errors.push(`${p.name}: ${gojsonschemaMessage(e)}`);
        }
    }
    return errors;
}

/** gojsonschema's English message for an ajv error: `<field>: <description>`, root errors bare. */
export function gojsonschemaMessage(e: ErrorObject): string {
    const segs = e.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const field = segs.length ? segs.join(".") : "(root)";
    const p = e.params as Record<string, unknown>;
    let description: string;
    switch (e.keyword) {
        case "type":
            description = `Invalid type. Expected: ${p["type"]}, given: ${jsonType(e.data)}`;
            break;
        case "enum":
            description = `${field} must be one of the following: ${((p["allowedValues"] as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(", ")}`;
            break;
        case "required":
            description = `${p["missingProperty"]} is required`;
            break;
        case "additionalProperties":
            description = `Additional property ${p["additionalProperty"]} is not allowed`;
            break;
        case "minimum":
            description = `Must be greater than or equal to ${p["limit"]}`;
            break;
        case "maximum":
            description = `Must be less than or equal to ${p["limit"]}`;
            break;
        case "exclusiveMinimum":
            description = `Must be greater than ${p["limit"]}`;
            break;
        case "exclusiveMaximum":
            description = `Must be less than ${p["limit"]}`;
            break;
        case "minItems":
            description = `Array must have at least ${p["limit"]} items`;
            break;
        case "maxItems":
            description = `Array must have at most ${p["limit"]} items`;
            break;
        case "minLength":
            description = `String length must be greater than or equal to ${p["limit"]}`;
            break;
        case "maxLength":
            description = `String length must be less than or equal to ${p["limit"]}`;
            break;
        case "pattern":
            description = `Does not match pattern '${p["pattern"]}'`;
            break;
        case "uniqueItems":
            description = `array items must be unique`;
            break;
        default:
            description = e.message ?? e.keyword;
    }
    return field === "(root)" ? description : `${field}: ${description}`;
}

function jsonType(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

/** Step 4: Configure's check of every entry's level. */
export function configureCheck(config: Record<string, ReconciledConfig>): string | undefined {
    for (const [, c] of Object.entries(config)) {
        if (!isLevel(c.enforcementLevel)) return `invalid enforcement level "${c.enforcementLevel}"`;
    }
    return undefined;
}

/**
 * Steps 2 to 4 together, as `pulumi preview --policy-pack DIR --policy-pack-config FILE` runs them:
 * the configuration the pack receives, or the CLI's error.
 */
export function reconcilePolicyConfig(info: AnalyzerInfo, given: Record<string, PolicyConfig> = {}, packDir = "policies"): Record<string, PolicyConfig> {
    const config = reconcile(info, given);
    const errors = validate(info, config);
    if (errors.length) {
        throw new PolicyConfigError(errors.sort().map((e) => `validating policy config: ${info.name} ${info.version}  ${e}`).join("; "));
    }
    const refused = configureCheck(config);
    if (refused) throw new PolicyConfigError(`configuring policy pack "${info.name}" at "${packDir}": ${refused}`);
    const out: Record<string, PolicyConfig> = {};
    for (const [k, c] of Object.entries(config)) out[k] = { enforcementLevel: c.enforcementLevel as EnforcementLevel, properties: c.properties ?? {} };
    return out;
}
