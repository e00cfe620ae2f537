/**
 * Reads what the Pulumi CLI writes about a stack and turns it into the resources the engine would
 * hand to a policy pack (`EngineResource[]`, with the engine's wire conventions):
 *
 * - `pulumi preview --json` (a `PreviewDigest`, pulumi/pulumi `sdk/pkg/display/json.go`): one step
 *   per resource operation, each with `newState`/`oldState` serialized as `apitype.ResourceV3`. The
 *   engine analyzes the INPUTS of the goal state, so `newState.inputs` is used; deletions are
 *   skipped. The CLI blinds secrets in this file as the literal string `"[secret]"`
 *   (`stateForJSONOutput`/`MassageSecrets`), which is read back as a secret whose value is
 *   `"[secret]"`; unknown values are the `UNKNOWN` sentinel and are kept.
 * - `pulumi stack export` (an `apitype.UntypedDeployment` `{version, deployment}`, deployment
 *   schema versions 1 to 3), or a file-backend checkpoint `{version, checkpoint: {latest}}`: the
 *   OUTPUTS of each resource are used (what the provider actually created), falling back to the
 *   inputs when a resource has no outputs, as `pulumi policy`'s stack analysis does. Secrets are
 *   `{sig, ciphertext}` (never decrypted: value `"[secret]"`) or `{sig, plaintext}` with
 *   `--show-secrets` (plaintext is the JSON encoding of the value).
 *
 * Provider resources (`pulumi:providers:*`, default and explicit) are returned as resources, as the
 * engine submits them, before the first resource that uses them (see `assemble`); a resource's
 * `provider` carries its provider's urn, type, name and inputs. The root stack
 * (`pulumi:pulumi:Stack`) is not returned.
 *
 * Besides resources, the stack's configuration where the file holds it: a preview's `config` (the
 * engine's prelude: every key of the stack's configuration, secrets blinded as "[secret]", object
 * values as JSON), a file-backend checkpoint's `config` (kept by old CLIs only; `{secure}` values
 * stay secret). No file holds the stack's tags (a state's root stack resource has the program's
 * outputs, not the tags): only those the configuration sets through `pulumi:tags` are returned.
 */
import {
    EngineResource,
    ProviderResource,
    ResourceOptions,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
    secret,
} from "../engine/types";
import { blindSecure, configString, SECRET_PLACEHOLDER } from "./config-values";
import { InputError, quoted } from "./errors";
import { SecretSource, secretsIn } from "./secrets";

export interface ImportedStack {
    project?: string;
    stack?: string;
    resources: EngineResource[];
    /** Stack tags the file shows: those the configuration sets through `pulumi:tags` (never all of the stack's tags). */
    stackTags?: Record<string, string>;
    /**
     * Every secret value of the document, in the engine's wire form: besides the properties
     * analyzed, the other side of each resource (inputs or outputs), the root stack's outputs,
     * providers, deleted resources and pending operations (see secrets.ts).
     */
    secretSources: SecretSource[];
    /**
     * The stack configuration the file holds (namespaced keys; secret values are "[secret]"):
     * always for a preview, whose JSON holds the whole configuration; for a state, only a
     * file-backend checkpoint that kept one. Undefined when the file holds none.
     */
    config?: Record<string, string>;
    /** Keys of `config` whose value is secret. */
    secretKeys?: string[];
    /**
     * Providers that resources of the file use but that the file does not hold (an explicit
     * provider left unchanged by a preview, a truncated state): their configuration cannot be
     * examined. Undefined when there is none.
     */
    unseenProviders?: UnseenProvider[];
}

export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";
export const PROVIDER_TYPE_PREFIX = "pulumi:providers:";
export { SECRET_PLACEHOLDER };

/** Signatures of Pulumi's property encoding (sdk/go/common/resource/sig). */
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";

/** Highest deployment schema version this reader understands (apitype.DeploymentSchemaVersionCurrent). */
export const DEPLOYMENT_VERSION_MAX = 3;

export function isProviderType(type: string): boolean {
    return type.startsWith(PROVIDER_TYPE_PREFIX);
}

// ---------------------------------------------------------------------------------------------
// URNs and provider references
// ---------------------------------------------------------------------------------------------

export interface ParsedUrn {
    stack: string;
    project: string;
    /** Parent types and own type joined by `$`. */
    qualifiedType: string;
    type: string;
    name: string;
}

/** Parses `urn:pulumi:<stack>::<project>::<qualified type>::<name>` (the name may contain `::`). */
export function parseUrn(urn: string): ParsedUrn | undefined {
    const prefix = "urn:pulumi:";
    if (typeof urn !== "string" || !urn.startsWith(prefix)) {
        return undefined;
    }
    const parts = urn.slice(prefix.length).split("::");
    if (parts.length < 4) {
        return undefined;
    }
    const [stack, project, qualifiedType] = parts;
    const name = parts.slice(3).join("::");
    const type = qualifiedType.split("$").pop() ?? qualifiedType;
    return { stack, project, qualifiedType, type, name };
}

/** Builds a URN the way the engine does (resource.NewURN): the root stack does not prefix its children's type. */
export function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
    let qualifiedType = type;
    if (parentUrn) {
        const parent = parseUrn(parentUrn);
        if (parent && parent.type !== ROOT_STACK_TYPE) {
            qualifiedType = `${parent.qualifiedType}$${type}`;
        }
    }
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** Splits a provider reference `<urn>::<id>` at its last `::` (providers.ParseReference). */
export function parseProviderRef(ref: string): { urn: string; id: string } | undefined {
    if (typeof ref !== "string" || ref === "") {
        return undefined;
    }
    const i = ref.lastIndexOf("::");
    if (i <= 0) {
        return undefined;
    }
    const urn = ref.slice(0, i);
    if (!parseUrn(urn)) {
        return undefined;
    }
    return { urn, id: ref.slice(i + 2) };
}

// ---------------------------------------------------------------------------------------------
// Property values
// ---------------------------------------------------------------------------------------------

export interface NormalizeOptions {
    /** Read the literal string "[secret]" as a secret (preview JSON blinds secrets this way). */
    blindedSecrets?: boolean;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Brings a serialized property value to the form the engine sends to analyzers (MarshalProperties
 * with KeepUnknowns, KeepSecrets, SkipInternalKeys and without KeepResources):
 * - secrets become `{[SIG_KEY]: SECRET_SIG, value}`; a secret whose plaintext is not available
 *   (ciphertext) gets the value "[secret]";
 * - unknowns stay the UNKNOWN sentinel; an output value without a value becomes UNKNOWN;
 * - resource references are downgraded to the resource's id (or its URN for a component);
 * - keys starting with "__" are dropped; assets and archives are kept as they are.
 */
export function normalizeValue(v: unknown, opts: NormalizeOptions = {}): unknown {
    if (v === null || v === undefined) {
        return v === undefined ? undefined : null;
    }
    if (typeof v === "string") {
        if (opts.blindedSecrets && v === SECRET_PLACEHOLDER) {
            return secret(SECRET_PLACEHOLDER);
        }
        return v;
    }
    if (typeof v !== "object") {
        return v;
    }
    if (Array.isArray(v)) {
        return v.map((e) => {
            const n = normalizeValue(e, opts);
            return n === undefined ? null : n;
        });
    }
    const o = v as Record<string, unknown>;
    const sig = o[SIG_KEY];
    if (typeof sig === "string") {
        if (sig === SECRET_SIG) {
            if ("value" in o) {
                return secret(normalizeValue(o.value, opts) ?? null);
            }
            if (typeof o.plaintext === "string") {
                let inner: unknown;
                try {
                    inner = JSON.parse(o.plaintext);
                } catch {
                    inner = o.plaintext;
                }
                return secret(normalizeValue(inner, opts) ?? null);
            }
            return secret(SECRET_PLACEHOLDER);
        }
        if (sig === RESOURCE_REFERENCE_SIG) {
            if (typeof o.id === "string" && o.id !== "") {
                return o.id;
            }
            if ("id" in o && o.id !== undefined && o.id !== null && o.id !== "") {
                return normalizeValue(o.id, opts);
            }
            return typeof o.urn === "string" ? o.urn : UNKNOWN;
        }
        if (sig === OUTPUT_VALUE_SIG) {
            const inner = "value" in o ? normalizeValue(o.value, opts) : UNKNOWN;
            return o.secret === true ? secret(inner ?? null) : inner;
        }
        // Assets, archives and unknown signatures: kept as serialized.
        return o;
    }
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(o)) {
        if (k.startsWith("__")) {
            continue;
        }
        const n = normalizeValue(e, opts);
        if (n !== undefined) {
            out[k] = n;
        }
    }
    return out;
}

export function normalizeProperties(v: unknown, opts: NormalizeOptions = {}): Record<string, unknown> {
    if (!isPlainObject(v)) {
        return {};
    }
    return normalizeValue(v, opts) as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// JSON reading and validation
// ---------------------------------------------------------------------------------------------

function lineColumn(text: string, pos: number): { line: number; column: number } {
    let line = 1;
    let last = -1;
    for (let i = 0; i < pos && i < text.length; i++) {
        if (text.charCodeAt(i) === 10) {
            line++;
            last = i;
        }
    }
    return { line, column: pos - last };
}

/** True when the text looks like the streamed engine events of PULUMI_ENABLE_STREAMING_JSON_PREVIEW. */
function looksLikeEventStream(text: string): boolean {
    const first = text.split(/\r?\n/, 1)[0];
    try {
        const o = JSON.parse(first) as unknown;
        return isPlainObject(o) && "sequence" in o && "timestamp" in o;
    } catch {
        return false;
    }
}

/** Parses JSON; throws an InputError with one line naming the file, the place and the cause. */
export function readJson(text: string, path: string): unknown {
    if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
    }
    if (text.trim() === "") {
        throw new InputError(`${path}: the file is empty (expected JSON)`);
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const end = text.trimEnd().length;
        const m = /at position (\d+)/.exec(msg);
        const pos = m ? Number(m[1]) : undefined;
        if (/Unexpected end of JSON input/i.test(msg) || (pos !== undefined && pos >= end)) {
            const { line, column } = lineColumn(text, end);
            throw new InputError(
                `${path}: truncated JSON: the document ends unexpectedly at line ${line}, column ${column} ` +
                    `(incomplete file? was the command interrupted?)`,
            );
        }
        if (/non-whitespace character after JSON/i.test(msg) && looksLikeEventStream(text)) {
            throw new InputError(
                `${path}: this is a stream of engine events (one JSON per line), not a preview document: ` +
                    `run pulumi preview --json without PULUMI_ENABLE_STREAMING_JSON_PREVIEW`,
            );
        }
        const cause = jsonErrorCause(msg, text);
        const where = cause.pos !== undefined ? lineColumn(text, cause.pos) : undefined;
        throw new InputError(
            `${path}: invalid JSON${where ? ` at line ${where.line}, column ${where.column}` : ""}: ${cause.reason}`,
        );
    }
}

/** Characters of JSON's own syntax: an error may name them, they are no value of the document. */
const JSON_PUNCTUATION = new Set(["{", "}", "[", "]", ":", ",", '"']);

/**
 * The cause of a JSON.parse error, and its position in `text` when known, WITHOUT the excerpt of
 * the document V8 puts in some messages (`Unexpected token 'x', ..."password": x…"... is not
 * valid JSON`): the document may be a state exported with --show-secrets, and the excerpt would
 * print a secret on the error line. The position is recovered from the excerpt, which V8 cuts at
 * 10 characters on each side of the error.
 */
export function jsonErrorCause(message: string, text: string): { reason: string; pos?: number } {
    const unexpected = /^Unexpected token '(.*?)', (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/s.exec(message);
    if (unexpected) {
        const [, token, before, excerpt, after] = unexpected;
        let pos: number | undefined;
        if (before) {
            const start = text.indexOf(excerpt);
            pos = start >= 0 ? start + 10 : undefined;
        } else if (after) {
            pos = excerpt.length - 10;
        } else {
            const i = text.indexOf(token);
            pos = i >= 0 ? i : undefined;
        }
        return { reason: JSON_PUNCTUATION.has(token) ? `unexpected "${token}"` : "unexpected character", pos };
    }
    const m = /at position (\d+)/.exec(message);
    const reason = message
        .replace(/,?\s*(\.\.\.)?".*$/s, "")
        .replace(/\s*in JSON at position \d+.*$/s, "")
        .trim();
    return { reason: reason || "syntax error", pos: m ? Number(m[1]) : undefined };
}

type Kind = "preview" | "state" | "deployment" | "checkpoint" | "unknown";

function kindOf(doc: unknown): Kind {
    if (!isPlainObject(doc)) {
        return "unknown";
    }
    if ("deployment" in doc && ("version" in doc || isPlainObject(doc.deployment))) {
        return "state";
    }
    if ("checkpoint" in doc && isPlainObject(doc.checkpoint)) {
        return "checkpoint";
    }
    if ("manifest" in doc && ("resources" in doc || "secrets_providers" in doc)) {
        return "deployment";
    }
    if ("steps" in doc || "changeSummary" in doc || ("diagnostics" in doc && "config" in doc)) {
        return "preview";
    }
    return "unknown";
}

function describe(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "an array";
    return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function stringList(v: unknown): string[] {
    return Array.isArray(v) ? v.filter((e): e is string => typeof e === "string") : [];
}

function stringListMap(v: unknown): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    if (isPlainObject(v)) {
        for (const [k, e] of Object.entries(v)) {
            out[k] = stringList(e);
        }
    }
    return out;
}

/** Shape shared by ResourceV1/V2/V3 (apitype). */
interface RawState {
    urn: string;
    type: string;
    custom?: boolean;
    delete?: boolean;
    id?: string;
    inputs?: unknown;
    outputs?: unknown;
    parent?: string;
    protect?: boolean;
    external?: boolean;
    dependencies?: unknown;
    provider?: string;
    propertyDependencies?: unknown;
    additionalSecretOutputs?: unknown;
    aliases?: unknown;
    customTimeouts?: unknown;
    ignoreChanges?: unknown;
}

function checkState(raw: unknown, what: string, path: string, fallbackUrn?: string): RawState {
    if (!isPlainObject(raw)) {
        throw new InputError(`${path}: ${what} is ${describe(raw)}, expected an object`);
    }
    const urn = raw.urn ?? fallbackUrn;
    if (typeof urn !== "string" || urn === "") {
        throw new InputError(`${path}: ${what} has no 'urn'`);
    }
    if (!parseUrn(urn)) {
        throw new InputError(`${path}: ${what} has a malformed urn '${quoted(urn)}' (expected urn:pulumi:<stack>::<project>::<type>::<name>)`);
    }
    if (typeof raw.type !== "string" || raw.type === "") {
        throw new InputError(`${path}: resource ${quoted(urn)} has no 'type'`);
    }
    return { ...(raw as Record<string, unknown>), urn, type: raw.type } as RawState;
}

function timeoutsFrom(v: unknown): ResourceOptions["customTimeouts"] | undefined {
    if (!isPlainObject(v)) {
        return undefined;
    }
    const out: { create?: number; update?: number; delete?: number } = {};
    for (const k of ["create", "update", "delete"] as const) {
        const n = v[k];
        if (typeof n === "number" && n > 0) {
            out[k] = n;
        }
    }
    return Object.keys(out).length > 0 ? out : undefined;
}

function aliasList(v: unknown): string[] {
    if (!Array.isArray(v)) {
        return [];
    }
    const out: string[] = [];
    for (const a of v) {
        if (typeof a === "string") {
            out.push(a);
        } else if (isPlainObject(a) && typeof a.urn === "string") {
            out.push(a.urn);
        }
    }
    return out;
}

function providerFrom(
    ref: string | undefined,
    providers: Map<string, RawState>,
    normalize: NormalizeOptions,
    use: "inputs" | "outputs",
): ProviderResource | undefined {
    const parsed = ref ? parseProviderRef(ref) : undefined;
    if (!parsed) {
        return undefined;
    }
    const u = parseUrn(parsed.urn)!;
    const state = providers.get(parsed.urn);
    let properties: Record<string, unknown> = {};
    if (state) {
        const primary = use === "inputs" ? state.inputs : state.outputs;
        const secondary = use === "inputs" ? state.outputs : state.inputs;
        properties = normalizeProperties(isPlainObject(primary) ? primary : secondary, normalize);
    }
    return { urn: parsed.urn, type: state?.type ?? u.type, name: u.name, properties };
}

function toEngineResource(
    s: RawState,
    properties: Record<string, unknown>,
    providers: Map<string, RawState>,
    normalize: NormalizeOptions,
): EngineResource {
    const u = parseUrn(s.urn)!;
    const options: ResourceOptions = {
        protect: s.protect === true,
        ignoreChanges: stringList(s.ignoreChanges),
        aliases: aliasList(s.aliases),
        additionalSecretOutputs: stringList(s.additionalSecretOutputs),
    };
    const timeouts = timeoutsFrom(s.customTimeouts);
    if (timeouts) {
        options.customTimeouts = timeouts;
    }
    if (typeof s.parent === "string" && s.parent !== "") {
        options.parent = s.parent;
    }
    const r: EngineResource = {
        urn: s.urn,
        type: s.type,
        name: u.name,
        properties,
        options,
        dependencies: stringList(s.dependencies),
        propertyDependencies: stringListMap(s.propertyDependencies),
    };
    if (options.parent) {
        r.parent = options.parent;
    }
    // Provider resources are inputs to the engine's provider registry; it passes the one of a custom
    // resource (explicit or default). Components have none.
    const provider = providerFrom(s.provider, providers, normalize, "inputs");
    if (provider) {
        r.provider = provider;
    }
    return r;
}

/** A provider that resources of the file use but that the file does not hold (see `assemble`). */
export interface UnseenProvider {
    urn: string;
    type: string;
    name: string;
    /** URNs of the resources that use it, in the file's order. */
    usedBy: string[];
    /**
     * Why it was not seen: `absent` (default), a reference to a provider the file does not hold; a
     * reference that points nowhere: `malformed` (not `<urn>::<id>`), `not-a-provider` (the URN of
     * a resource that is no provider), `missing` (a custom resource without reference). For those,
     * `urn`, `type` and `name` are the first resource that uses it, and `reference` the reference.
     */
    reason?: "absent" | "malformed" | "not-a-provider" | "missing";
    /** The reference as the file gives it (control characters escaped, cut). */
    reference?: string;
}

interface Assembly {
    /** The states the update produces or the stack holds, in the file's order, without the root stack. */
    states: RawState[];
    /** The properties analyzed for a state (a preview's inputs, a state's outputs). */
    propsOf(s: RawState): Record<string, unknown>;
    /** Provider states by URN: a resource's `provider` carries their inputs. */
    providers: Map<string, RawState>;
    normalize: NormalizeOptions;
    /** The inputs of a default provider that the file does not show, when the file tells them. */
    defaultProviderInputs?(type: string, name: string): Record<string, unknown> | undefined;
}

/**
 * The resources the engine hands to Remediate and Analyze, in its order: every provider resource
 * (default and explicit, with its inputs, secrets kept secret) is a resource too, before the first
 * resource that uses it, as the engine registers a provider before the resources it serves.
 *
 * A provider that a resource uses but that the file does not hold: a default provider of a preview
 * is rebuilt from the stack configuration the preview holds, as the engine builds it (every
 * `<package>:<key>` of the configuration as the string input `<key>`, secret values secret, and
 * `version`); any other is returned in `unseen`, and the resource keeps its reference, with no
 * properties.
 */
function assemble(a: Assembly): { resources: EngineResource[]; unseen: UnseenProvider[] } {
    const alive = new Map(a.states.map((s) => [s.urn, s]));
    const out: EngineResource[] = [];
    const emitted = new Set<string>();
    const rebuilt = new Map<string, ProviderResource | undefined>();
    const unseen = new Map<string, UnseenProvider>();
    const emit = (s: RawState) => {
        if (!emitted.has(s.urn)) {
            emitted.add(s.urn);
            out.push(toEngineResource(s, a.propsOf(s), a.providers, a.normalize));
        }
    };
    const rebuild = (urn: string): ProviderResource | undefined => {
        if (!rebuilt.has(urn)) {
            const u = parseUrn(urn)!;
            const inputs = isProviderType(u.type) && isDefaultProviderName(u.name) ? a.defaultProviderInputs?.(u.type, u.name) : undefined;
            const p = inputs ? { urn, type: u.type, name: u.name, properties: inputs } : undefined;
            rebuilt.set(urn, p);
            if (p) {
                out.push({
                    ...p,
                    options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
                    dependencies: [],
                    propertyDependencies: {},
                });
            }
        }
        return rebuilt.get(urn);
    };
    // References that point nowhere: the resources that use them are reported, never silently
    // left without the checks of their provider (SEC-01, SEC-02).
    const dangling = (s: RawState, reason: NonNullable<UnseenProvider["reason"]>, reference: string) => {
        const key = `${reason}\u0000${reference}`;
        const entry = unseen.get(key);
        if (entry) {
            entry.usedBy.push(s.urn);
            return;
        }
        const u = parseUrn(s.urn)!;
        unseen.set(key, { urn: s.urn, type: s.type, name: u.name, usedBy: [s.urn], reason, reference: quoted(reference) });
    };
    for (const s of a.states) {
        if (isProviderType(s.type)) {
            emit(s);
            continue;
        }
        let ref = typeof s.provider === "string" && s.provider !== "" ? parseProviderRef(s.provider) : undefined;
        if (s.provider !== undefined && s.provider !== null && s.provider !== "" && !ref) {
            dangling(s, "malformed", String(typeof s.provider === "string" ? s.provider : JSON.stringify(s.provider)));
        } else if (ref && !isProviderType(parseUrn(ref.urn)!.type)) {
            dangling(s, "not-a-provider", ref.urn);
            ref = undefined;
        } else if (!ref && s.custom === true) {
            dangling(s, "missing", "");
        }
        const own = ref ? alive.get(ref.urn) : undefined;
        let provider: ProviderResource | undefined;
        if (ref && own && isProviderType(own.type)) {
            emit(own);
        } else if (ref) {
            provider = rebuild(ref.urn);
            if (!provider) {
                const u = parseUrn(ref.urn)!;
                const entry = unseen.get(ref.urn) ?? { urn: ref.urn, type: u.type, name: u.name, usedBy: [] };
                entry.usedBy.push(s.urn);
                unseen.set(ref.urn, entry);
            }
        }
        const r = toEngineResource(s, a.propsOf(s), a.providers, a.normalize);
        // A reference to a resource that is no provider gives the pack no provider, as none would be.
        if (!ref) delete r.provider;
        if (provider) {
            r.provider = { urn: provider.urn, type: provider.type, name: provider.name, properties: provider.properties };
        }
        out.push(r);
    }
    return { resources: out, unseen: [...unseen.values()] };
}

/** Whether a provider name is one the engine gives a default provider (`default`, `default_3_15_2`). */
function isDefaultProviderName(name: string): boolean {
    return /^default(_|$)/.test(name);
}

/**
 * The inputs the engine gives a default provider (deploy.Target.GetPackageConfig): every
 * configuration key of the provider's package, as a string (an object value as its JSON), secret
 * when the configuration value is, and the plugin `version` its name carries.
 */
export function defaultProviderInputs(type: string, name: string, config: Record<string, string>, secretKeys: readonly string[]): Record<string, unknown> {
    const pkg = type.slice(PROVIDER_TYPE_PREFIX.length);
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(config)) {
        if (k.startsWith(`${pkg}:`) && k.length > pkg.length + 1) {
            props[k.slice(pkg.length + 1)] = secretKeys.includes(k) ? secret(v) : v;
        }
    }
    const version = /^default_(\d+)_(\d+)_(\d+)$/.exec(name);
    if (version) {
        props.version = version.slice(1).join(".");
    }
    return props;
}

function projectAndStack(resources: { urn: string }[]): { project?: string; stack?: string } {
    for (const r of resources) {
        const u = parseUrn(r.urn);
        if (u) {
            return { project: u.project, stack: u.stack };
        }
    }
    return {};
}

/**
 * The configuration of a preview (`PreviewDigest.config`: the engine's prelude, every value a
 * string, secrets blinded as "[secret]"; the CLI leaves the key out when the stack has no
 * configuration).
 */
function previewConfig(v: unknown, path: string): { config: Record<string, string>; secretKeys: string[] } {
    if (v !== undefined && v !== null && !isPlainObject(v)) {
        throw new InputError(`${path}: 'config' is ${describe(v)}, expected an object of configuration values`);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [k, e] of Object.entries(v ?? {})) {
        config[k] = typeof e === "string" ? e : configString(e);
        if (e === SECRET_PLACEHOLDER) secretKeys.push(k);
    }
    return { config, secretKeys };
}

/**
 * The configuration a file-backend checkpoint kept (`CheckpointV3.config`, a `config.Map`: strings,
 * objects, `{secure: <ciphertext>}` leaves that are never decrypted). Recent CLIs write none.
 */
function checkpointConfig(v: unknown): { config: Record<string, string>; secretKeys: string[] } | undefined {
    if (!isPlainObject(v) || Object.keys(v).length === 0) {
        return undefined;
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [k, e] of Object.entries(v)) {
        const r = blindSecure(e);
        config[k] = configString(r.value);
        if (r.secret) secretKeys.push(k);
    }
    return { config, secretKeys };
}

/** Stack tags given as the `pulumi:tags` config value (a JSON object of strings). */
function tagsFromConfig(config: unknown): Record<string, string> | undefined {
    if (!isPlainObject(config)) {
        return undefined;
    }
    const raw = config["pulumi:tags"];
    let obj: unknown = raw;
    if (typeof raw === "string") {
        try {
            obj = JSON.parse(raw);
        } catch {
            return undefined;
        }
    }
    if (!isPlainObject(obj)) {
        return undefined;
    }
    const tags: Record<string, string> = {};
    for (const [k, v] of Object.entries(obj)) {
        if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
            tags[k] = String(v);
        }
    }
    return Object.keys(tags).length > 0 ? tags : undefined;
}

// ---------------------------------------------------------------------------------------------
// pulumi preview --json
// ---------------------------------------------------------------------------------------------

/** Step operations (deploy.StepOp) after which the resource no longer exists. */
const GONE_OPS = new Set(["delete", "delete-replaced", "discard", "discard-replaced", "remove-pending-replace"]);

/** Reads the JSON of `pulumi preview --json` and returns what the update would produce. */
export function parsePreviewJson(text: string, path: string): ImportedStack {
    const doc = readJson(text, path);
    if (!isPlainObject(doc)) {
        throw new InputError(`${path}: not a Pulumi preview: the JSON is ${describe(doc)}, expected the object written by pulumi preview --json`);
    }
    const kind = kindOf(doc);
    if (kind === "state" || kind === "checkpoint" || kind === "deployment") {
        throw new InputError(
            `${path}: this is a stack state (pulumi stack export), not a preview: give it with --state instead of --preview`,
        );
    }
    if (kind !== "preview") {
        throw new InputError(
            `${path}: not a Pulumi preview: expected an object with 'steps' as written by pulumi preview --json`,
        );
    }
    const steps = doc.steps;
    if (steps !== undefined && !Array.isArray(steps)) {
        throw new InputError(`${path}: 'steps' is ${describe(steps)}, expected an array`);
    }
    if (steps === undefined || steps.length === 0) {
        const diags = Array.isArray(doc.diagnostics) ? doc.diagnostics : [];
        const error = diags.find((d) => isPlainObject(d) && d.severity === "error") as Record<string, unknown> | undefined;
        if (error) {
            throw new InputError(
                `${path}: the preview failed and lists no resources: ${quoted(String(error.message ?? "").replace(/^\s*error:\s*/, "").replace(/\s+/g, " ").trim(), 300) || "(no message)"}`,
            );
        }
    }
    const normalize: NormalizeOptions = { blindedSecrets: true };
    const providers = new Map<string, RawState>();
    const order: string[] = [];
    const latest = new Map<string, RawState | null>();
    (steps ?? []).forEach((step: unknown, i: number) => {
        const what = `step #${i + 1}`;
        if (!isPlainObject(step)) {
            throw new InputError(`${path}: ${what} is ${describe(step)}, expected an object`);
        }
        if (typeof step.op !== "string" || step.op === "") {
            throw new InputError(`${path}: ${what} has no 'op'`);
        }
        if (typeof step.urn !== "string" || step.urn === "") {
            throw new InputError(`${path}: ${what} has no 'urn'`);
        }
        const label = `${what} (${quoted(step.op, 40)} ${quoted(step.urn)})`;
        const state = step.newState !== undefined && step.newState !== null
            ? checkState(step.newState, `the newState of ${label}`, path, step.urn)
            : undefined;
        if (step.oldState !== undefined && step.oldState !== null) {
            const old = checkState(step.oldState, `the oldState of ${label}`, path, step.urn);
            if (isProviderType(old.type) && !providers.has(old.urn)) {
                providers.set(old.urn, old);
            }
        }
        if (!latest.has(step.urn)) {
            order.push(step.urn);
        }
        if (GONE_OPS.has(step.op)) {
            if (!latest.get(step.urn)) {
                latest.set(step.urn, null);
            }
            return;
        }
        if (!state) {
            return;
        }
        if (isProviderType(state.type)) {
            providers.set(state.urn, state);
        }
        latest.set(step.urn, state.delete === true ? null : state);
    });
    const { config, secretKeys } = previewConfig(doc.config, path);
    const states = order.map((urn) => latest.get(urn)).filter((s): s is RawState => !!s && s.type !== ROOT_STACK_TYPE);
    const { resources, unseen } = assemble({
        states,
        propsOf: (s) => normalizeProperties(isPlainObject(s.inputs) ? s.inputs : s.outputs, normalize),
        providers,
        normalize,
        // An unchanged provider is no step of `pulumi preview --json` (without --show-sames); a
        // default one is the stack configuration the preview holds.
        defaultProviderInputs: (type, name) => defaultProviderInputs(type, name, config, secretKeys),
    });
    const all = order.map((urn) => ({ urn }));
    const out: ImportedStack = { ...projectAndStack(all), resources, secretSources: secretsIn(path, normalizeValue(doc, normalize)), config, secretKeys };
    if (unseen.length > 0) {
        out.unseenProviders = unseen;
    }
    const tags = tagsFromConfig(config);
    if (tags) {
        out.stackTags = tags;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// pulumi stack export
// ---------------------------------------------------------------------------------------------

export interface StateParseOptions {
    /** Which properties to analyze: the outputs (default, what exists) or the inputs (what was asked). */
    use?: "outputs" | "inputs";
}

function checkVersion(v: unknown, path: string, what: string): number {
    if (v === undefined) {
        throw new InputError(`${path}: the ${what} has no 'version' (expected the output of pulumi stack export)`);
    }
    if (typeof v !== "number" || !Number.isInteger(v)) {
        throw new InputError(`${path}: the ${what} version is ${quoted(JSON.stringify(v) ?? String(v), 40)}, expected an integer`);
    }
    if (v < 1 || v > DEPLOYMENT_VERSION_MAX) {
        throw new InputError(
            `${path}: unsupported deployment version ${v} (this checker reads versions 1 to ${DEPLOYMENT_VERSION_MAX}` +
                (v > DEPLOYMENT_VERSION_MAX ? "; the file comes from a newer Pulumi CLI)" : ")"),
        );
    }
    return v;
}

/**
 * A state holds each URN once, but for copies marked for deletion (`delete: true`, left by a
 * replacement): the engine's integrity check refuses any other duplicate (« duplicate resource …
 * (not marked for deletion) »). So does the checker: counting a resource twice would skew the
 * matrix, and choosing one copy would hide the other.
 */
function refuseDuplicates(states: RawState[], path: string): void {
    const seen = new Map<string, number>();
    states.forEach((s, i) => {
        if (s.delete === true) return;
        const first = seen.get(s.urn);
        if (first !== undefined) {
            throw new InputError(
                `${path}: duplicate resource ${quoted(s.urn)} (resources #${first + 1} and #${i + 1}, neither marked for deletion): not a consistent stack state`,
            );
        }
        seen.set(s.urn, i);
    });
}

/** Reads the JSON of `pulumi stack export` and returns the resources as they exist. */
export function parseStateJson(text: string, path: string, opts: StateParseOptions = {}): ImportedStack {
    const doc = readJson(text, path);
    if (!isPlainObject(doc)) {
        throw new InputError(`${path}: not a Pulumi stack state: the JSON is ${describe(doc)}, expected the object written by pulumi stack export`);
    }
    const kind = kindOf(doc);
    if (kind === "preview") {
        throw new InputError(
            `${path}: this is a preview (pulumi preview --json), not a stack state: give it with --preview instead of --state`,
        );
    }
    let deployment: unknown;
    let stackName: string | undefined;
    let kept: ReturnType<typeof checkpointConfig>;
    if (kind === "state") {
        checkVersion(doc.version, path, "deployment");
        deployment = doc.deployment;
    } else if (kind === "checkpoint") {
        checkVersion(doc.version, path, "checkpoint");
        const cp = doc.checkpoint as Record<string, unknown>;
        if (typeof cp.stack === "string") {
            stackName = cp.stack;
        }
        kept = checkpointConfig(cp.config);
        deployment = cp.latest ?? {};
    } else if (kind === "deployment") {
        deployment = doc;
    } else {
        throw new InputError(
            `${path}: not a Pulumi stack state: expected {"version": 3, "deployment": {...}} as written by pulumi stack export`,
        );
    }
    if (!isPlainObject(deployment)) {
        throw new InputError(`${path}: 'deployment' is ${describe(deployment)}, expected an object`);
    }
    const list = deployment.resources ?? [];
    if (!Array.isArray(list)) {
        throw new InputError(`${path}: 'deployment.resources' is ${describe(list)}, expected an array`);
    }
    const states = list.map((r: unknown, i: number) => checkState(r, `resource #${i + 1}`, path));
    refuseDuplicates(states, path);
    const providers = new Map<string, RawState>();
    for (const s of states) {
        if (isProviderType(s.type) && s.delete !== true) {
            providers.set(s.urn, s);
        }
    }
    const normalize: NormalizeOptions = {};
    const use = opts.use ?? "outputs";
    const { resources, unseen } = assemble({
        states: states.filter((s) => s.delete !== true && s.type !== ROOT_STACK_TYPE),
        propsOf: (s) => {
            const primary = use === "outputs" ? s.outputs : s.inputs;
            const secondary = use === "outputs" ? s.inputs : s.outputs;
            const chosen = isPlainObject(primary) && Object.keys(primary).length > 0 ? primary : secondary;
            return normalizeProperties(chosen, normalize);
        },
        providers,
        normalize,
    });
    const ps = projectAndStack(states);
    const out: ImportedStack = { ...ps, resources, secretSources: secretsIn(path, normalizeValue(deployment, normalize)) };
    if (unseen.length > 0) {
        out.unseenProviders = unseen;
    }
    if (stackName && !out.stack) {
        out.stack = stackName;
    }
    if (kept) {
        out.config = kept.config;
        out.secretKeys = kept.secretKeys;
        const tags = tagsFromConfig(kept.config);
        if (tags) {
            out.stackTags = tags;
        }
    }
    return out;
}
