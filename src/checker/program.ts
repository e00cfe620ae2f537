/**
 * Runs a Pulumi Node.js program (TypeScript or JavaScript) in this process with the Pulumi SDK's
 * mock runtime, and records every resource it registers as the engine would hand it to a policy
 * pack (`EngineResource`): full inputs with secrets and unknowns, options, parent, dependencies,
 * property dependencies and provider (explicit, or the engine's default provider `default_x_y_z`
 * configured from the stack configuration).
 *
 * No cloud is contacted and no secret is decrypted: `secure:` values of the stack configuration are
 * given to the program as secret config values whose plaintext is "[secret]". Resource creations
 * are answered by `mocks.newResource` (id `<name>-id`, outputs = inputs plus COMPUTED_OUTPUTS) and
 * data sources by `mocks.call` (INVOKE_ANSWERS, `{}` otherwise; `kubernetes:yaml:decode` really
 * parses the YAML so that `k8s.yaml.ConfigFile` and `ConfigGroup` create their children).
 */
import * as fs from "fs";
import * as path from "path";
import * as util from "util";
import YAML from "yaml";
import { EngineResource, ProviderResource, ResourceOptions, secret } from "../engine/types";
import { blindSecure, configString, declaredValue, namespaced, readYamlFile } from "./config-values";
import { InputError, oneLine } from "./errors";
import { configSources, inputSecrets, SecretIndex, SecretSource, scrubText } from "./secrets";
import {
    PROVIDER_TYPE_PREFIX,
    ROOT_STACK_TYPE,
    isProviderType,
    makeUrn,
    normalizeProperties,
    parseProviderRef,
    parseUrn,
} from "./inputs";

export interface ProgramRun {
    project: string;
    stack: string;
    resources: EngineResource[];
    stackTags?: Record<string, string>;
    /**
     * The configuration the program saw (namespaced keys). Encrypted (`secure`) values are
     * "[secret]"; a key declared secret by the project, or overridden with --config, may carry a
     * plaintext value: it is listed in `secretConfigKeys` all the same.
     */
    config: Record<string, string>;
    secretConfigKeys: string[];
    /**
     * Where the run's secrets are, besides the resources' properties: every registration (providers
     * and components included), the outputs registered (stack outputs), the secret configuration
     * values known in plaintext (see secrets.ts).
     */
    secretSources: SecretSource[];
    /** Where each resource was declared in the program (as the SDK reports it), by URN. */
    sourcePositions?: Record<string, { file: string; line: number; column: number }>;
}

export interface RunProgramOptions {
    stack?: string;
    /** `key=value` given on the command line; a key without namespace gets the project's. */
    configOverrides?: Record<string, string>;
    /** Gives up when the program has not finished after this long (default 120 s). */
    timeoutMs?: number;
    /**
     * Run as `pulumi preview` does (pulumi.runtime.isDryRun() is true): an output the mock does not
     * know (neither an input nor a COMPUTED_OUTPUTS field) is then unknown, and the inputs that use it
     * carry the UNKNOWN sentinel, instead of being undefined (dropped). Default false.
     */
    preview?: boolean;
}

/** Stack name used when none is given (no stack configuration file is then read). */
export const DEFAULT_STACK = "dev";
/** Organization reported to the program (pulumi.getOrganization()), as the file backend does. */
export const DEFAULT_ORGANIZATION = "organization";

// ---------------------------------------------------------------------------------------------
// Mock answers (documented in the README)
// ---------------------------------------------------------------------------------------------

type Props = Record<string, unknown>;

export interface ComputedOutputs {
    description: string;
    outputs: (inputs: Props, name: string) => Props;
}

/**
 * Outputs the mock provider adds to a created resource's inputs. The addresses are documentation
 * addresses (RFC 5737), never real ones, so that no policy mistakes them for a real exposure.
 */
export const COMPUTED_OUTPUTS: Record<string, ComputedOutputs> = {
    "openstack:compute/instance:Instance": {
        description: "accessIpV4 = 192.0.2.10 (RFC 5737 documentation address) when the program did not set it",
        outputs: (i) => (i.accessIpV4 === undefined ? { accessIpV4: "192.0.2.10" } : {}),
    },
    "openstack:networking/floatingIp:FloatingIp": {
        description: "address = 203.0.113.10 (RFC 5737 documentation address) when the program did not set it",
        outputs: (i) => (i.address === undefined ? { address: "203.0.113.10" } : {}),
    },
    "openstack:networking/port:Port": {
        description: "allFixedIps = [\"192.0.2.20\"] (RFC 5737 documentation address)",
        outputs: (i) => (i.allFixedIps === undefined ? { allFixedIps: ["192.0.2.20"] } : {}),
    },
};

export interface InvokeContext {
    /** Stack configuration, namespaced keys (secret values are "[secret]"). */
    config: Record<string, string>;
    /** Inputs of the explicit provider the invoke was sent to, if any. */
    providerInputs?: Props;
}

export interface InvokeAnswer {
    description: string;
    answer: (args: Props, ctx: InvokeContext) => Props;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** A lookup answered by echoing its arguments with an id `<name>-id` (or the id it was given). */
function lookup(fallbackName: string, idArg?: string): InvokeAnswer["answer"] {
    return (args) => {
        const name = str(args.name) ?? fallbackName;
        const id = (idArg ? str(args[idArg]) : undefined) ?? `${name}-id`;
        return { ...args, id, name };
    };
}

/** Kubernetes kinds that are not namespaced (the provider asks the cluster; the mock knows these). */
const CLUSTER_SCOPED_KINDS = new Set([
    "APIService",
    "CertificateSigningRequest",
    "ClusterIssuer",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
]);

/**
 * `kubernetes:yaml:decode`, as pulumi-kubernetes answers it (provider/pkg/provider/invoke_decode_yaml.go):
 * every YAML document of `text` that has a kind and an apiVersion, with the provider's default
 * namespace set on namespaced objects that have none. YAML is read as go-yaml does (1.1 booleans).
 */
export function decodeKubernetesYaml(text: string, defaultNamespace?: string): Props[] {
    const docs = YAML.parseAllDocuments(text, {
        version: "1.1",
        customTags: (tags) => tags.filter((t) => (t as { format?: string }).format !== "TIME"),
    });
    const out: Props[] = [];
    for (const doc of docs) {
        if (doc.errors.length > 0) {
            throw new Error(`kubernetes:yaml:decode: invalid YAML: ${oneLine(doc.errors[0].message)}`);
        }
        const obj = doc.toJS() as unknown;
        if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
            continue;
        }
        const o = obj as Props;
        if (!str(o.kind) || !str(o.apiVersion)) {
            continue;
        }
        if (defaultNamespace && !CLUSTER_SCOPED_KINDS.has(o.kind as string)) {
            const metadata = (typeof o.metadata === "object" && o.metadata !== null ? o.metadata : {}) as Props;
            if (!str(metadata.namespace)) {
                o.metadata = { ...metadata, namespace: defaultNamespace };
            }
        }
        out.push(o);
    }
    return out;
}

/** Answers of the mock to data sources (invokes); any other token gets `{}`. */
export const INVOKE_ANSWERS: Record<string, InvokeAnswer> = {
    "kubernetes:yaml:decode": {
        description:
            "parses `text` for real (multi-document YAML) and returns `{ result: [objects] }`, so that " +
            "k8s.yaml.ConfigFile and k8s.yaml.ConfigGroup create their resources",
        answer: (args, ctx) => {
            const ns = str(ctx.providerInputs?.namespace) ?? str(ctx.config["kubernetes:namespace"]);
            return { result: decodeKubernetesYaml(typeof args.text === "string" ? args.text : "", ns) };
        },
    },
    "kubernetes:helm:template": {
        description: "returns `{ result: [] }`: Helm charts (v3 Chart) are not rendered, their resources are not checked",
        answer: () => ({ result: [] }),
    },
    "openstack:compute/getFlavor:getFlavor": {
        description: "echoes the arguments, id = flavorId or `<name>-id`",
        answer: lookup("flavor", "flavorId"),
    },
    "openstack:images/getImage:getImage": {
        description: "echoes the arguments, id = `<name>-id`",
        answer: lookup("image"),
    },
    "openstack:networking/getNetwork:getNetwork": {
        description: "echoes the arguments, id = networkId or `<name>-id`",
        answer: lookup("network", "networkId"),
    },
    "openstack:networking/getSubnet:getSubnet": {
        description: "echoes the arguments, id = subnetId or `<name>-id`",
        answer: lookup("subnet", "subnetId"),
    },
    "openstack:networking/getSecGroup:getSecGroup": {
        description: "echoes the arguments, id = secgroupId or `<name>-id`",
        answer: lookup("secgroup", "secgroupId"),
    },
    "openstack:networking/getRouter:getRouter": {
        description: "echoes the arguments, id = routerId or `<name>-id`",
        answer: lookup("router", "routerId"),
    },
    "openstack:networking/getPort:getPort": {
        description: "echoes the arguments, id = portId or `<name>-id`",
        answer: lookup("port", "portId"),
    },
    "openstack:compute/getKeypair:getKeypair": {
        description: "echoes the arguments, id = `<name>-id`",
        answer: lookup("keypair"),
    },
    "openstack:identity/getProject:getProject": {
        description: "echoes the arguments, id = projectId or `<name>-id`",
        answer: lookup("project", "projectId"),
    },
    "openstack:identity/getAuthScope:getAuthScope": {
        description: "echoes the arguments, id = `<name>-id`, projectId = `project-id`, region = openstack:region",
        answer: (args, ctx) => ({
            ...lookup("scope")(args, ctx),
            projectId: "project-id",
            ...(str(ctx.config["openstack:region"]) ? { region: ctx.config["openstack:region"] } : {}),
        }),
    },
    "openstack:compute/getAvailabilityZones:getAvailabilityZones": {
        description: "returns `{ id: \"availability-zones\", names: [\"nova\"] }`",
        answer: (args) => ({ ...args, id: "availability-zones", names: ["nova"] }),
    },
};

// ---------------------------------------------------------------------------------------------
// Project and stack configuration
// ---------------------------------------------------------------------------------------------

interface ConfigEntry {
    /** The value as written (scalar, object or array), secure leaves replaced by "[secret]". */
    value: unknown;
    secret: boolean;
}

export interface ProjectInfo {
    project: string;
    description?: string;
    projectDir: string;
    /** Absolute path of the program (file or folder). */
    main: string;
    stack: string;
    config: Map<string, ConfigEntry>;
}

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads Pulumi.yaml and, when a stack is given, Pulumi.<stack>.yaml. */
export function readProject(dir: string, opts: RunProgramOptions = {}): ProjectInfo {
    const projectDir = path.resolve(dir);
    if (!fs.existsSync(projectDir) || !fs.statSync(projectDir).isDirectory()) {
        throw new InputError(`${dir}: no such directory (expected a Pulumi project directory)`);
    }
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(projectDir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) {
        throw new InputError(`${dir}: no Pulumi.yaml in this directory (is it a Pulumi project?)`);
    }
    const doc = readYamlFile(projectFile);
    if (!isObject(doc)) {
        throw new InputError(`${projectFile}: expected a mapping with name and runtime`);
    }
    const project = doc.name;
    if (typeof project !== "string" || project.trim() === "") {
        throw new InputError(`${projectFile}: the project has no 'name'`);
    }
    const runtime = isObject(doc.runtime) ? doc.runtime.name : doc.runtime;
    if (runtime !== "nodejs") {
        throw new InputError(
            `${projectFile}: runtime '${String(runtime ?? "(none)")}' is not supported: only nodejs programs can be run ` +
                `(for another runtime, check its pulumi preview --json output with --preview)`,
        );
    }
    const main = path.resolve(projectDir, typeof doc.main === "string" && doc.main !== "" ? doc.main : ".");
    if (!fs.existsSync(main)) {
        throw new InputError(`${projectFile}: the program '${String(doc.main)}' (main) does not exist`);
    }

    const config = new Map<string, ConfigEntry>();
    // Keys the project declares secret (`secret: true`): Pulumi requires an encrypted value for them,
    // so a value the checker sees in plaintext (a default, a plain stack value, a --config override)
    // is still a secret.
    const declaredSecret = new Set<string>();
    if (doc.config !== undefined && doc.config !== null) {
        if (!isObject(doc.config)) {
            throw new InputError(`${projectFile}: 'config' must be a mapping`);
        }
        for (const [k, decl] of Object.entries(doc.config)) {
            const key = namespaced(k, project);
            const value = declaredValue(decl);
            if (typeof decl === "object" && decl !== null && (decl as Record<string, unknown>)["secret"] === true) {
                declaredSecret.add(key);
            }
            if (value !== undefined && value !== null) {
                const r = blindSecure(value);
                config.set(key, { value: r.value, secret: r.secret || declaredSecret.has(key) });
            }
        }
    }

    const stack = opts.stack ?? DEFAULT_STACK;
    if (opts.stack !== undefined) {
        if (!/^[A-Za-z0-9_.\-/]+$/.test(opts.stack)) {
            throw new InputError(`invalid stack name '${opts.stack}'`);
        }
        const shortName = opts.stack.split("/").pop() as string;
        const configDir = typeof doc.stackConfigDir === "string" ? path.resolve(projectDir, doc.stackConfigDir) : projectDir;
        const stackFile = [`Pulumi.${shortName}.yaml`, `Pulumi.${shortName}.yml`]
            .map((f) => path.join(configDir, f))
            .find((f) => fs.existsSync(f));
        if (!stackFile) {
            throw new InputError(
                `${path.join(configDir, `Pulumi.${shortName}.yaml`)}: no configuration file for stack '${opts.stack}'`,
            );
        }
        const stackDoc = readYamlFile(stackFile);
        if (stackDoc !== null && stackDoc !== undefined && !isObject(stackDoc)) {
            throw new InputError(`${stackFile}: expected a mapping`);
        }
        const values = isObject(stackDoc) ? stackDoc.config : undefined;
        if (values !== undefined && values !== null) {
            if (!isObject(values)) {
                throw new InputError(`${stackFile}: 'config' must be a mapping`);
            }
            for (const [k, v] of Object.entries(values)) {
                const key = namespaced(k, project);
                const r = blindSecure(v);
                config.set(key, { value: r.value, secret: r.secret || declaredSecret.has(key) });
            }
        }
    }
    // An override keeps the key secret when it was: it gives the value of a secret, in plaintext.
    for (const [k, v] of Object.entries(opts.configOverrides ?? {})) {
        const key = namespaced(k, project);
        config.set(key, { value: v, secret: declaredSecret.has(key) || config.get(key)?.secret === true });
    }
    const info: ProjectInfo = { project, projectDir, main, stack, config };
    if (typeof doc.description === "string") {
        info.description = doc.description;
    }
    return info;
}

// ---------------------------------------------------------------------------------------------
// The SDK, as loaded from the program's directory
// ---------------------------------------------------------------------------------------------

interface ProtoStruct {
    toJavaScript(): Record<string, unknown>;
}
interface ProtoAliasSpec {
    getName(): string;
    getType(): string;
    getStack(): string;
    getProject(): string;
    getParenturn(): string;
    getNoparent(): boolean;
}
interface ProtoAlias {
    getUrn(): string;
    getSpec(): ProtoAliasSpec | undefined;
}
interface ProtoRegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getObject(): ProtoStruct | undefined;
    getProtect(): boolean | undefined;
    getDependenciesList(): string[];
    getProvider(): string;
    getVersion(): string;
    getPropertydependenciesMap(): { forEach(cb: (v: { getUrnsList(): string[] }, k: string) => void): void };
    getDeletebeforereplace(): boolean;
    getDeletebeforereplacedefined(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getAliasesList(): ProtoAlias[];
    getAliasurnsList(): string[];
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
    getSourceposition(): { getUri(): string; getLine(): number; getColumn(): number } | undefined;
}
type Callback = (err: unknown, resp?: unknown) => void;
interface Monitor {
    newUrn(parent: string, type: string, name: string): string;
    registerResource(req: ProtoRegisterRequest, cb: Callback): unknown;
    readResource(req: unknown, cb: Callback): unknown;
    invoke(req: unknown, cb: Callback): unknown;
    registerResourceOutputs(req: unknown, cb: Callback): unknown;
    supportsFeature(req: { getId(): string }, cb: Callback): unknown;
}
interface MockResourceArgs {
    type: string;
    name: string;
    inputs: Props;
    provider?: string;
    custom?: boolean;
    id?: string;
}
interface MockCallArgs {
    token: string;
    inputs: Props;
    provider?: string;
}
interface Runtime {
    setMocks(
        mocks: {
            newResource(a: MockResourceArgs): { id: string | undefined; state: Props };
            call(a: MockCallArgs): Props;
        },
        project: string,
        stack: string,
        preview: boolean,
        organization?: string,
    ): Promise<void>;
    setAllConfig(c: Record<string, string>, secretKeys?: string[]): void;
    getMonitor(): Monitor | undefined;
    runInPulumiStack(init: () => Promise<unknown>): Promise<unknown>;
    waitForRPCs(): Promise<void>;
    disconnectSync(): void;
    resetOptions(
        project: string,
        stack: string,
        parallel: number,
        engineAddr: string,
        monitorAddr: string,
        preview: boolean,
        organization: string,
    ): void;
}
interface Store {
    settings: { rpcDone: Promise<unknown> };
}

interface Sdk {
    runtime: Runtime;
    getStore(): Store;
}

function loadSdk(programDir: string): Sdk {
    let main: string;
    try {
        main = require.resolve("@pulumi/pulumi", { paths: [programDir] });
    } catch {
        throw new InputError(`${programDir}: cannot find @pulumi/pulumi from the program (run npm install in the project)`);
    }
    const sdkDir = path.dirname(main);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pulumi = require(main) as { runtime: Runtime };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const state = require(path.join(sdkDir, "runtime", "state.js")) as { getStore(): Store };
    if (typeof pulumi.runtime?.setMocks !== "function" || typeof state.getStore !== "function") {
        throw new InputError(`${sdkDir}: this @pulumi/pulumi has no mock runtime (a 3.x SDK is required)`);
    }
    return { runtime: pulumi.runtime, getStore: state.getStore };
}

interface TypeScriptApi {
    version: string;
    transpileModule(
        input: string,
        opts: { fileName: string; reportDiagnostics: boolean; compilerOptions: Record<string, unknown> },
    ): {
        outputText: string;
        diagnostics?: { file?: { getLineAndCharacterOfPosition(p: number): { line: number; character: number } }; start?: number; messageText: unknown }[];
    };
    flattenDiagnosticMessageText(m: unknown, nl: string): string;
    readConfigFile(p: string, read: (p: string) => string | undefined): { config?: unknown; error?: unknown };
    parseJsonConfigFileContent(json: unknown, host: unknown, base: string): { options: Record<string, unknown> };
    sys: { readFile(p: string): string | undefined };
    ModuleKind: { CommonJS: number };
    ScriptTarget: { ES2020: number; ES2017: number };
}

function loadTypeScript(programDir: string, sdkDir: string): TypeScriptApi {
    const candidates: { request: string; paths?: string[] }[] = [
        { request: "typescript", paths: [programDir] },
        { request: "typescript" },
        { request: path.join(sdkDir, "typescript-shim.js") },
    ];
    for (const c of candidates) {
        try {
            const p = c.paths ? require.resolve(c.request, { paths: c.paths }) : require.resolve(c.request);
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(p) as TypeScriptApi;
        } catch {
            // next candidate
        }
    }
    throw new InputError(`${programDir}: cannot load the TypeScript compiler to run the program (npm install typescript)`);
}

function compilerOptions(ts: TypeScriptApi, projectDir: string): Record<string, unknown> {
    let options: Record<string, unknown> = {};
    const tsconfig = path.join(projectDir, "tsconfig.json");
    if (fs.existsSync(tsconfig)) {
        const read = ts.readConfigFile(tsconfig, (p) => ts.sys.readFile(p));
        if (read.config && !read.error) {
            options = { ...ts.parseJsonConfigFileContent(read.config, ts.sys, projectDir).options };
        }
    } else {
        options = { esModuleInterop: true };
    }
    const target = typeof options.target === "number" ? options.target : 0;
    return {
        ...options,
        module: ts.ModuleKind.CommonJS,
        target: target >= ts.ScriptTarget.ES2017 ? target : ts.ScriptTarget.ES2020,
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: false,
        declaration: false,
        declarationMap: false,
        composite: false,
        incremental: false,
        noEmit: false,
        emitDeclarationOnly: false,
        outDir: undefined,
        rootDir: undefined,
    };
}

type Extensions = Record<string, ((m: NodeModule, filename: string) => void) | undefined>;

/** Installs a `.ts` require hook (transpile only, no type-checking); returns its removal. */
function installTsHook(ts: TypeScriptApi, projectDir: string): () => void {
    const exts = require.extensions as unknown as Extensions;
    const previous = exts[".ts"];
    const options = compilerOptions(ts, projectDir);
    exts[".ts"] = (m: NodeModule, filename: string) => {
        const source = fs.readFileSync(filename, "utf8");
        const out = ts.transpileModule(source, { fileName: filename, reportDiagnostics: true, compilerOptions: options });
        const diag = out.diagnostics?.[0];
        if (diag) {
            const pos = diag.file && diag.start !== undefined ? diag.file.getLineAndCharacterOfPosition(diag.start) : undefined;
            throw new InputError(
                `${filename}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(diag.messageText, " ")}`,
            );
        }
        (m as unknown as { _compile(code: string, file: string): void })._compile(out.outputText, filename);
    };
    return () => {
        if (previous) {
            exts[".ts"] = previous;
        } else {
            delete exts[".ts"];
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Recording
// ---------------------------------------------------------------------------------------------

interface Registration {
    urn: string;
    type: string;
    name: string;
    custom: boolean;
    remote: boolean;
    parent?: string;
    object: Props;
    protect: boolean;
    dependencies: string[];
    propertyDependencies: Record<string, string[]>;
    providerRef: string;
    version: string;
    ignoreChanges: string[];
    aliases: string[];
    additionalSecretOutputs: string[];
    customTimeouts?: ResourceOptions["customTimeouts"];
    deleteBeforeReplace?: boolean;
    sourcePosition?: { file: string; line: number; column: number };
}

/** Parses a Go duration ("1h30m", "90s", "1.5m") into seconds, as the engine stores custom timeouts. */
export function durationSeconds(d: string): number | undefined {
    if (!d) {
        return undefined;
    }
    const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, "µs": 1e-6, ns: 1e-9 };
    const re = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g;
    let total = 0;
    let consumed = 0;
    for (let m = re.exec(d); m; m = re.exec(d)) {
        total += Number(m[1]) * units[m[2]];
        consumed += m[0].length;
    }
    return consumed === d.length && consumed > 0 ? total : undefined;
}

function aliasUrns(req: ProtoRegisterRequest, info: { stack: string; project: string }): string[] {
    const out: string[] = [];
    const type = req.getType();
    const name = req.getName();
    for (const a of req.getAliasesList?.() ?? []) {
        const urn = a.getUrn();
        if (urn) {
            out.push(urn);
            continue;
        }
        const spec = a.getSpec();
        if (!spec) {
            continue;
        }
        const parent = spec.getNoparent() ? undefined : spec.getParenturn() || req.getParent() || undefined;
        out.push(
            makeUrn(
                spec.getStack() || info.stack,
                spec.getProject() || info.project,
                parent,
                spec.getType() || type,
                spec.getName() || name,
            ),
        );
    }
    for (const urn of req.getAliasurnsList?.() ?? []) {
        out.push(urn);
    }
    return out;
}

function sourcePosition(req: ProtoRegisterRequest): Registration["sourcePosition"] {
    const p = req.getSourceposition?.();
    if (!p || !p.getUri()) {
        return undefined;
    }
    let file = p.getUri();
    if (file.startsWith("file://")) {
        try {
            file = new URL(file).pathname;
        } catch {
            // keep the URI
        }
    }
    return { file, line: p.getLine(), column: p.getColumn() };
}

function unique(list: string[]): string[] {
    return [...new Set(list)];
}

function record(req: ProtoRegisterRequest, urn: string, info: { stack: string; project: string }): Registration {
    const propertyDependencies: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((v, k) => {
        propertyDependencies[k] = unique(v.getUrnsList());
    });
    const reg: Registration = {
        urn,
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        remote: req.getRemote?.() ?? false,
        object: req.getObject()?.toJavaScript() ?? {},
        protect: req.getProtect() === true,
        dependencies: unique(req.getDependenciesList()),
        propertyDependencies,
        providerRef: req.getProvider(),
        version: req.getVersion(),
        ignoreChanges: unique(req.getIgnorechangesList()),
        aliases: unique(aliasUrns(req, info)),
        additionalSecretOutputs: unique(req.getAdditionalsecretoutputsList()),
    };
    if (req.getParent()) {
        reg.parent = req.getParent();
    }
    const t = req.getCustomtimeouts();
    if (t) {
        const timeouts: NonNullable<ResourceOptions["customTimeouts"]> = {};
        const c = durationSeconds(t.getCreate());
        const u = durationSeconds(t.getUpdate());
        const d = durationSeconds(t.getDelete());
        if (c) timeouts.create = c;
        if (u) timeouts.update = u;
        if (d) timeouts.delete = d;
        if (Object.keys(timeouts).length > 0) {
            reg.customTimeouts = timeouts;
        }
    }
    if (req.getDeletebeforereplacedefined()) {
        reg.deleteBeforeReplace = req.getDeletebeforereplace();
    }
    const pos = sourcePosition(req);
    if (pos) {
        reg.sourcePosition = pos;
    }
    return reg;
}

/** Features the mock monitor reports; transforms and hooks need the CLI's callback server. */
const FEATURES: Record<string, boolean> = {
    secrets: true,
    resourceReferences: true,
    outputValues: false,
    deletedWith: true,
    replaceWith: true,
    aliasSpecs: true,
    transforms: false,
    invokeTransforms: false,
    parameterization: true,
    resourceHooks: false,
    errorHooks: false,
};

function defaultProviderName(version: string): string {
    return version ? `default_${version.replace(/[.\-+]/g, "_")}` : "default";
}

function providerProperties(pkg: string, config: Map<string, ConfigEntry>): Props {
    const props: Props = {};
    for (const [key, entry] of config) {
        const i = key.indexOf(":");
        if (key.slice(0, i) !== pkg) {
            continue;
        }
        const v = typeof entry.value === "object" && entry.value !== null ? entry.value : configString(entry.value);
        props[key.slice(i + 1)] = entry.secret ? secret(v) : v;
    }
    return props;
}

function buildResources(regs: Registration[], info: ProjectInfo): EngineResource[] {
    const providers = new Map<string, Registration>();
    for (const r of regs) {
        if (isProviderType(r.type)) {
            providers.set(r.urn, r);
        }
    }
    const defaults = new Map<string, ProviderResource>();
    const defaultProvider = (pkg: string, version: string): ProviderResource => {
        const key = `${pkg}@${version}`;
        let p = defaults.get(key);
        if (!p) {
            const type = `${PROVIDER_TYPE_PREFIX}${pkg}`;
            const name = defaultProviderName(version);
            const properties = providerProperties(pkg, info.config);
            if (version) {
                properties.version = version;
            }
            p = { urn: makeUrn(info.stack, info.project, undefined, type, name), type, name, properties };
            defaults.set(key, p);
        }
        return p;
    };
    const explicitProvider = (ref: string): ProviderResource | undefined => {
        const parsed = parseProviderRef(ref);
        if (!parsed) {
            return undefined;
        }
        const reg = providers.get(parsed.urn);
        const u = parseUrn(parsed.urn)!;
        const properties = reg ? normalizeProperties(reg.object) : {};
        if (reg?.version && properties.version === undefined) {
            properties.version = reg.version;
        }
        return { urn: parsed.urn, type: reg?.type ?? u.type, name: u.name, properties };
    };

    const out: EngineResource[] = [];
    for (const r of regs) {
        if (r.type === ROOT_STACK_TYPE || isProviderType(r.type)) {
            continue;
        }
        const options: ResourceOptions = {
            protect: r.protect,
            ignoreChanges: r.ignoreChanges,
            aliases: r.aliases,
            additionalSecretOutputs: r.additionalSecretOutputs,
        };
        if (r.customTimeouts) {
            options.customTimeouts = r.customTimeouts;
        }
        if (r.deleteBeforeReplace !== undefined) {
            options.deleteBeforeReplace = r.deleteBeforeReplace;
        }
        if (r.parent) {
            options.parent = r.parent;
        }
        const res: EngineResource = {
            urn: r.urn,
            type: r.type,
            name: r.name,
            properties: normalizeProperties(r.object),
            options,
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        };
        if (r.parent) {
            res.parent = r.parent;
        }
        if (r.custom) {
            const provider = r.providerRef
                ? explicitProvider(r.providerRef)
                : defaultProvider(r.type.split(":")[0], r.version);
            if (provider) {
                res.provider = provider;
            }
        }
        out.push(res);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

function errorMessage(e: unknown): string {
    if (e instanceof Error) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "MODULE_NOT_FOUND") {
            const first = e.message.split("\n")[0];
            return `${first} (is npm install done in the project?)`;
        }
        return oneLine(e.message) || e.name;
    }
    return oneLine(String(e));
}

/** A path relative to the working directory when it is below it, absolute otherwise. */
function displayPath(p: string): string {
    const rel = path.relative(process.cwd(), p);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

function isInside(file: string, dir: string): boolean {
    const rel = path.relative(dir, file);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function isEsmProject(main: string, projectDir: string): boolean {
    let dir = fs.statSync(main).isDirectory() ? main : path.dirname(main);
    for (;;) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg)) {
            try {
                return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { type?: string }).type === "module";
            } catch {
                return false;
            }
        }
        if (dir === projectDir || path.dirname(dir) === dir) {
            return false;
        }
        dir = path.dirname(dir);
    }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the Pulumi program of `dir` with the mock runtime and returns the resources it declares.
 * Runs are serialized: the Pulumi SDK keeps its state in process globals.
 */
export function runProgram(dir: string, opts: RunProgramOptions = {}): Promise<ProgramRun> {
    const run = queue.then(
        () => runOnce(dir, opts),
        () => runOnce(dir, opts),
    );
    queue = run.catch(() => undefined);
    return run;
}

async function runOnce(dir: string, opts: RunProgramOptions): Promise<ProgramRun> {
    const info = readProject(dir, opts);
    const programDir = fs.statSync(info.main).isDirectory() ? info.main : path.dirname(info.main);
    if (isEsmProject(info.main, info.projectDir)) {
        throw new InputError(
            `${info.main}: ES module programs ("type": "module") cannot be run by the checker: ` +
                `check their pulumi preview --json output with --preview`,
        );
    }
    const sdk = loadSdk(programDir);
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi", { paths: [programDir] }));
    const ts = loadTypeScript(programDir, sdkDir);
    const { runtime } = sdk;

    const configStrings: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [k, e] of info.config) {
        configStrings[k] = configString(e.value);
        if (e.secret) {
            secretKeys.push(k);
        }
    }

    const registrations: Registration[] = [];
    const registeredOutputs: SecretSource[] = [];
    /** What the program wrote with console.*: shown once the run is over, without its secrets. */
    const printed: string[] = [];
    const byUrn = new Set<string>();
    const providerInputs = new Map<string, Props>();
    const failures: unknown[] = [];
    let inflight = 0;
    const names = { stack: info.stack, project: info.project };

    const mocks = {
        newResource(a: MockResourceArgs): { id: string | undefined; state: Props } {
            const computed = a.custom ? COMPUTED_OUTPUTS[a.type]?.outputs(a.inputs, a.name) ?? {} : {};
            return { id: a.custom ? `${a.name}-id` : undefined, state: { ...a.inputs, ...computed } };
        },
        call(a: MockCallArgs): Props {
            const answer = INVOKE_ANSWERS[a.token];
            if (!answer) {
                return {};
            }
            const ref = a.provider ? parseProviderRef(a.provider) : undefined;
            const ctx: InvokeContext = { config: configStrings };
            const inputs = ref ? providerInputs.get(ref.urn) : undefined;
            if (inputs) {
                ctx.providerInputs = inputs;
            }
            return answer.answer(a.inputs, ctx);
        },
    };

    /** Every place of the run where secrets may be, as it stands (the run may have stopped early). */
    const secretSources = (): SecretSource[] => [
        ...registrations.map((r) => ({ key: r.urn, value: normalizeProperties(r.object) })),
        ...registeredOutputs,
        ...configSources(configStrings, secretKeys),
    ];
    const runSecrets = (): SecretIndex => inputSecrets([], secretSources());

    // Process state to restore.
    const cwd = process.cwd();
    const cacheBefore = new Set(Object.keys(require.cache));
    const sourceMaps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
    const consoleMethods = ["log", "info", "debug", "warn", "error"] as const;
    const consoleSaved = consoleMethods.map((m) => console[m]);
    const onFailure = (e: unknown) => {
        failures.push(e);
    };
    let removeHook: (() => void) | undefined;
    let entry = info.main;
    let timer: NodeJS.Timeout | undefined;

    try {
        await runtime.setMocks(mocks, info.project, info.stack, opts.preview === true, DEFAULT_ORGANIZATION);
        runtime.setAllConfig(configStrings, secretKeys);
        const monitor = runtime.getMonitor();
        if (!monitor) {
            throw new InputError(`${sdkDir}: the mock runtime did not install its monitor`);
        }
        monitor.newUrn = (parent, type, name) => makeUrn(info.stack, info.project, parent || undefined, type, name);
        const track = (cb: Callback): Callback => {
            inflight++;
            return (err, resp) => {
                inflight--;
                cb(err, resp);
            };
        };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, cb) => {
            const urn = makeUrn(info.stack, info.project, req.getParent() || undefined, req.getType(), req.getName());
            if (byUrn.has(urn)) {
                cb(new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`));
                return undefined;
            }
            byUrn.add(urn);
            const reg = record(req, urn, names);
            registrations.push(reg);
            if (isProviderType(reg.type)) {
                providerInputs.set(urn, normalizeProperties(reg.object));
            }
            return register(req, track(cb));
        };
        const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req, cb) => {
            const r = req as { getUrn(): string; getOutputs(): ProtoStruct | undefined };
            registeredOutputs.push({ key: r.getUrn(), value: normalizeProperties(r.getOutputs()?.toJavaScript()) });
            return registerOutputs(req, cb);
        };
        for (const method of ["invoke", "readResource", "registerResourceOutputs"] as const) {
            const original = (monitor[method] as (req: unknown, cb: Callback) => unknown).bind(monitor);
            (monitor as unknown as Record<string, unknown>)[method] = (req: unknown, cb: Callback) => original(req, track(cb));
        }
        monitor.supportsFeature = (req, cb) => {
            cb(null, { getHassupport: () => FEATURES[req.getId()] === true });
            return undefined;
        };

        process.chdir(info.projectDir);
        process.setSourceMapsEnabled(true);
        removeHook = installTsHook(ts, info.projectDir);
        // The program's console output goes to stderr (stdout carries the report), after the run:
        // a secret it prints is only known once every resource is registered.
        for (const m of consoleMethods) {
            console[m] = (...args: unknown[]) => {
                printed.push(util.format(...args));
            };
        }
        process.on("unhandledRejection", onFailure);
        process.on("uncaughtException", onFailure);

        const main = info.main;
        const target = fs.statSync(main).isDirectory() ? main + path.sep : main;
        try {
            entry = require.resolve(target);
        } catch {
            throw new InputError(
                `${displayPath(main)}: no program to run (index.ts or index.js, or "main" in Pulumi.yaml or package.json)`,
            );
        }
        // The program's own failure is recorded here rather than left to reject the root stack
        // resource, whose rejected promises would otherwise surface as unhandled rejections.
        const program = async (): Promise<unknown> => {
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const exported = require(target) as unknown;
                const result = exported instanceof Function ? (exported as () => unknown)() : exported;
                return await result;
            } catch (e) {
                failures.push(e);
                return undefined;
            }
        };
        const timeoutMs = opts.timeoutMs ?? 120_000;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(new InputError(`${main}: the program did not finish within ${Math.round(timeoutMs / 1000)} s`)),
                timeoutMs,
            );
        });
        const settle = async () => {
            try {
                await runtime.runInPulumiStack(program);
            } catch (e) {
                failures.push(e);
            }
            // Wait until no registration, invoke or output is pending any more.
            let lastCount = -1;
            let lastDone: unknown;
            for (;;) {
                await runtime.waitForRPCs();
                await new Promise((r) => setImmediate(r));
                await new Promise((r) => setTimeout(r, 0));
                const done = sdk.getStore().settings.rpcDone;
                if (inflight === 0 && registrations.length === lastCount && done === lastDone) {
                    break;
                }
                lastCount = registrations.length;
                lastDone = done;
            }
        };
        await Promise.race([settle(), timeout]);
        if (failures.length > 0) {
            // The error may quote a value of the program: never one of its secrets.
            const secrets = runSecrets();
            const first = failures[0];
            if (first instanceof InputError) {
                throw new InputError(scrubText(secrets, first.message));
            }
            throw new InputError(scrubText(secrets, `${displayPath(entry)}: the program failed: ${errorMessage(first)}`));
        }
    } finally {
        if (timer) {
            clearTimeout(timer);
        }
        process.off("unhandledRejection", onFailure);
        process.off("uncaughtException", onFailure);
        consoleMethods.forEach((m, i) => {
            console[m] = consoleSaved[i];
        });
        if (printed.length > 0) {
            process.stderr.write(scrubText(runSecrets(), printed.join("\n")) + "\n");
        }
        removeHook?.();
        process.setSourceMapsEnabled(sourceMaps);
        process.chdir(cwd);
        // Forget the program's own modules so that the next run executes them again; the SDK and the
        // provider packages stay loaded (one instance per process).
        for (const file of Object.keys(require.cache)) {
            if (file.split(path.sep).includes("node_modules")) {
                continue;
            }
            if (!cacheBefore.has(file) || isInside(file, info.projectDir)) {
                delete require.cache[file];
            }
        }
        try {
            runtime.setAllConfig({}, []);
            runtime.disconnectSync();
            runtime.resetOptions("", "", -1, "", "", false, "");
        } catch {
            // best effort
        }
    }

    const resources = buildResources(registrations, info);
    const result: ProgramRun = {
        project: info.project,
        stack: info.stack,
        resources,
        config: configStrings,
        secretConfigKeys: secretKeys,
        secretSources: secretSources(),
    };
    const tags: Record<string, string> = { "pulumi:project": info.project, "pulumi:runtime": "nodejs" };
    if (info.description) {
        tags["pulumi:description"] = info.description;
    }
    const userTags = info.config.get("pulumi:tags")?.value;
    if (isObject(userTags)) {
        for (const [k, v] of Object.entries(userTags)) {
            tags[k] = configString(v);
        }
    }
    result.stackTags = tags;
    const positions: NonNullable<ProgramRun["sourcePositions"]> = {};
    for (const r of registrations) {
        // Only positions in the project's own code: a resource a library creates (a ConfigGroup's
        // children) has none worth showing.
        const pos = r.sourcePosition;
        if (
            pos &&
            r.type !== ROOT_STACK_TYPE &&
            !isProviderType(r.type) &&
            isInside(pos.file, info.projectDir) &&
            !pos.file.split(path.sep).includes("node_modules")
        ) {
            positions[r.urn] = pos;
        }
    }
    if (Object.keys(positions).length > 0) {
        result.sourcePositions = positions;
    }
    return result;
}
