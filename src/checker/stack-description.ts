/**
 * What the checker knows of the stack besides its resources — its tags and its configuration —
 * and how it tells the pack, through ConfigureStack, what it does not know.
 *
 * Sources, by mode:
 * - a program (`check DIR`): the configuration is known (`Pulumi.yaml`, `Pulumi.<stack>.yaml`,
 *   `--config`); of the tags, only those Pulumi derives from the project (`pulumi:project`, …) and
 *   `pulumi:tags` are known, not those set with `pulumi stack tag set`;
 * - a preview (`--preview`): the JSON holds the whole configuration (secrets blinded), no tags
 *   beyond `pulumi:tags`;
 * - a state (`--state`): `pulumi stack export` holds neither tags nor configuration (a
 *   file-backend checkpoint may have kept a configuration).
 *
 * Options complete what the input lacks, in every mode: `--stack-tag NAME=VALUE` (repeatable) and
 * `--stack-tags FILE` (the JSON of `pulumi stack tag ls --json`) give the stack's tags, which are
 * then known; `--stack-config FILE` (a `Pulumi.<stack>.yaml`, with the `Pulumi.yaml` beside it)
 * and `--config KEY=VALUE` (repeatable) give configuration values, over those of the input, and
 * make the configuration known. A stack file that imports ESC environments (`environment:`) leaves
 * the configuration partly unknown: the environments' values are not read.
 *
 * The checker always calls ConfigureStack with what it knows, and names what it does not know in
 * the reserved tag `UNKNOWN_PARTS_TAG` (see policies/src/lib/stack-knowledge.ts): a rule that
 * needs the whole of a part (PIL-02) then says « cannot be checked » instead of a violation.
 */
import * as fs from "fs";
import * as path from "path";
import { UNKNOWN_PARTS_TAG, unknownPartsValue } from "@cloud-de-confiance/policies/dist/lib/stack-knowledge";
import { StackContext } from "../engine/engine";
import { blindSecure, configString, declaredValue, namespaced, readYamlFile } from "./config-values";
import { InputError } from "./errors";

/** Stack tag names the CLI and Pulumi Cloud accept (`validateStackTagName`), and the longest value. */
export const STACK_TAG_NAME = /^[a-zA-Z0-9\-_.:]{1,40}$/;
export const STACK_TAG_VALUE_MAX = 256;

export interface StackOptions {
    /** The stack's tags, when given (`givenStackTags`): then all of them. */
    tags?: Record<string, string>;
    /** `--config KEY=VALUE`, repeatable. */
    config?: string[];
    /** `--stack-config FILE`: `Pulumi.<stack>.yaml`. */
    stackConfig?: string;
}

/** What the checker knows of the stack's tags and configuration. */
export interface StackKnowledge {
    /** Tags known to be set; `complete` when they are all of the stack's tags. */
    tags: { values: Record<string, string>; complete: boolean };
    /** Configuration values known (namespaced keys, secrets "[secret]"); `complete` when they are all of it. */
    config: { values: Record<string, string>; secretKeys: string[]; complete: boolean };
}

/** What the input itself holds about the stack. */
export interface InputStack {
    project: string;
    /** Tags the input shows (`pulumi:tags`, the project's automatic tags). */
    tags?: Record<string, string>;
    /** The configuration the input holds; undefined when it holds none. */
    config?: Record<string, string>;
    secretKeys?: string[];
    /** Whether `config` is all of the stack's configuration (default: true when given). */
    configComplete?: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function checkTag(name: string, value: string, where: string): void {
    if (!STACK_TAG_NAME.test(name)) {
        throw new InputError(
            `${where}: invalid stack tag name "${name}" (stack tag names may only contain alphanumerics, hyphens, underscores, periods, or colons, 40 at most)`,
        );
    }
    if (value.length > STACK_TAG_VALUE_MAX) {
        throw new InputError(`${where}: stack tag "${name}" value is too long (max length ${STACK_TAG_VALUE_MAX} characters)`);
    }
}

/** `--stack-tag NAME=VALUE` pairs. */
export function parseStackTagPairs(pairs: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of pairs) {
        const i = p.indexOf("=");
        if (i <= 0) throw new InputError(`--stack-tag ${p}: expected NAME=VALUE`);
        const name = p.slice(0, i);
        const value = p.slice(i + 1);
        checkTag(name, value, `--stack-tag ${p}`);
        out[name] = value;
    }
    return out;
}

/** The JSON of `pulumi stack tag ls --json`: an object of tag names to string values. */
export function readStackTagsFile(file: string): Record<string, string> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(`${file}: cannot read the stack tags (${code === "ENOENT" ? "no such file" : code ?? (e as Error).message})`);
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (e) {
        throw new InputError(`${file}: invalid JSON in the stack tags (expected the output of pulumi stack tag ls --json): ${(e as Error).message.split("\n")[0]}`);
    }
    if (!isObject(json)) {
        throw new InputError(`${file}: the stack tags are not a JSON object of names to values (expected the output of pulumi stack tag ls --json)`);
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(json)) {
        if (typeof v !== "string") {
            const got = v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
            throw new InputError(`${file}: stack tag "${k}" is ${got}, expected a string`);
        }
        checkTag(k, v, file);
        out[k] = v;
    }
    return out;
}

/** `--config KEY=VALUE` pairs; a bare key takes the project's namespace, as `pulumi config set` does. */
export function parseConfigPairs(pairs: readonly string[], project?: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const p of pairs) {
        const i = p.indexOf("=");
        if (i <= 0) throw new InputError(`--config ${p}: expected KEY=VALUE`);
        const key = p.slice(0, i);
        out[project ? namespaced(key, project) : key] = p.slice(i + 1);
    }
    return out;
}

/**
 * A stack configuration file `Pulumi.<stack>.yaml`, over the `config:` of the `Pulumi.yaml`
 * beside it when there is one (values and defaults of its declarations), as the CLI merges them.
 * `secure:` values stay secret ("[secret]"). Incomplete when it imports ESC environments.
 */
export function readStackConfigFile(file: string, project: string): { values: Record<string, string>; secretKeys: string[]; complete: boolean } {
    if (!fs.existsSync(file)) throw new InputError(`${file}: cannot read the stack configuration (no such file)`);
    const values: Record<string, string> = {};
    const secret = new Set<string>();
    const set = (key: string, raw: unknown) => {
        if (raw === undefined || raw === null) return;
        const r = blindSecure(raw);
        values[key] = configString(r.value);
        if (r.secret) secret.add(key);
        else secret.delete(key);
    };
    const dir = path.dirname(path.resolve(file));
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    let ns = project;
    if (projectFile && path.resolve(projectFile) !== path.resolve(file)) {
        const doc = readYamlFile(projectFile);
        if (isObject(doc)) {
            if (typeof doc.name === "string" && doc.name.trim()) ns = doc.name;
            if (isObject(doc.config)) for (const [k, decl] of Object.entries(doc.config)) set(namespaced(k, ns), declaredValue(decl));
        }
    }
    const doc = readYamlFile(file);
    if (doc !== null && doc !== undefined && !isObject(doc)) {
        throw new InputError(`${file}: expected a mapping (a Pulumi.<stack>.yaml stack configuration file)`);
    }
    const config = isObject(doc) ? doc.config : undefined;
    if (config !== undefined && config !== null && !isObject(config)) {
        throw new InputError(`${file}: 'config' must be a mapping`);
    }
    for (const [k, v] of Object.entries(config ?? {})) set(namespaced(k, ns), v);
    const env = isObject(doc) ? doc.environment : undefined;
    const importsEnvironments = env !== undefined && env !== null && !(Array.isArray(env) && env.length === 0);
    return { values, secretKeys: [...secret], complete: !importsEnvironments };
}

/** Stack tags a configuration sets through `pulumi:tags` (a mapping, or its JSON). */
export function tagsFromConfig(config: Record<string, string>): Record<string, string> {
    const raw = config["pulumi:tags"];
    if (raw === undefined) return {};
    let obj: unknown;
    try {
        obj = JSON.parse(raw);
    } catch {
        return {};
    }
    const out: Record<string, string> = {};
    if (!isObject(obj)) return out;
    for (const [k, v] of Object.entries(obj)) {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[k] = String(v);
    }
    return out;
}

/**
 * The tags `--stack-tags FILE` (the JSON of `pulumi stack tag ls --json`) and `--stack-tag
 * NAME=VALUE` give, the latter winning; undefined when neither is given.
 */
export function givenStackTags(pairs: readonly string[] = [], file?: string): Record<string, string> | undefined {
    if (file === undefined && pairs.length === 0) return undefined;
    return { ...(file !== undefined ? readStackTagsFile(file) : {}), ...parseStackTagPairs(pairs) };
}

/** Puts together what the input and the options say about the stack. */
export function stackKnowledge(input: InputStack, opts: StackOptions = {}): StackKnowledge {
    const values: Record<string, string> = { ...(input.config ?? {}) };
    const secret = new Set(input.secretKeys ?? []);
    let complete = input.config !== undefined && input.configComplete !== false;
    if (opts.stackConfig) {
        const file = readStackConfigFile(opts.stackConfig, input.project);
        for (const [k, v] of Object.entries(file.values)) {
            values[k] = v;
            if (file.secretKeys.includes(k)) secret.add(k);
            else secret.delete(k);
        }
        // Given for a stack whose input holds no configuration, the file is all of it (unless it
        // imports environments); over a known configuration, it only adds values.
        complete = input.config === undefined ? file.complete : complete && file.complete;
    }
    const pairs = parseConfigPairs(opts.config ?? [], input.project);
    for (const [k, v] of Object.entries(pairs)) {
        values[k] = v;
        secret.delete(k);
    }
    if (input.config === undefined && !opts.stackConfig && Object.keys(pairs).length > 0) complete = true;

    const tags = { ...(input.tags ?? {}), ...tagsFromConfig(values), ...(opts.tags ?? {}) };
    return {
        tags: { values: tags, complete: opts.tags !== undefined },
        config: { values, secretKeys: [...secret].filter((k) => k in values), complete },
    };
}

/**
 * The ConfigureStack the checker sends: the known tags (names the CLI would refuse are left out,
 * so that none can pass for the reserved tag), the known configuration, and the reserved tag
 * naming the unknown parts.
 */
export function stackContext(base: Omit<StackContext, "tags" | "config" | "secretKeys">, k: StackKnowledge): StackContext {
    const tags: Record<string, string> = {};
    for (const [name, value] of Object.entries(k.tags.values)) if (STACK_TAG_NAME.test(name)) tags[name] = value;
    const unknown = unknownPartsValue({ tags: !k.tags.complete, config: !k.config.complete });
    if (unknown) tags[UNKNOWN_PARTS_TAG] = unknown;
    return { ...base, tags, config: k.config.values, secretKeys: k.config.secretKeys };
}
