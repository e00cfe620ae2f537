/**
 * Recording: what the program registers, as the monitor receives it, turned into the resources the
 * engine hands to a policy pack (`EngineResource`): full inputs with secrets and unknowns, options,
 * parent, dependencies, property dependencies and provider (explicit, or the engine's default
 * provider `default_x_y_z` configured from the stack configuration).
 */
import * as path from "path";
import { fileURLToPath } from "url";
import { EngineResource, ProviderResource, ResourceOptions, secret } from "../../engine/types";
import { configString } from "../config-values";
import {
    PROVIDER_TYPE_PREFIX,
    ROOT_STACK_TYPE,
    isProviderType,
    makeUrn,
    normalizeProperties,
    parseProviderRef,
    parseUrn,
} from "../inputs";
import { Props } from "./mocks";
import { SourceLocation } from "../model";
import { ConfigEntry, locationIn, ProjectInfo, realPath } from "./project";
import { ProtoRegisterRequest } from "./sdk";

/** A position in a file (absolute path, 1-based line and column). */
export interface Frame {
    file: string;
    line: number;
    column: number;
}

/** One RegisterResource call of the program, as recorded in the child process (JSON). */
export interface Registration {
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
    /** Where the SDK says the resource is declared: its source position, then its stack trace. */
    frames: Frame[];
    /** The stack of the registration call, taken by the checker (SDKs that report no position). */
    callFrames?: Frame[];
}

/** One Invoke call of the program: its default provider, if any, is a resource of the stack. */
export interface InvokeRecord {
    token: string;
    providerRef: string;
    version: string;
    /** How many resources were registered before it. */
    after: number;
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

/** A file path from a URI the SDK reports (a `file:` URL, or a path). */
export function uriPath(uri: string): string {
    let file = uri;
    if (file.startsWith("file:")) {
        try {
            file = fileURLToPath(file);
        } catch {
            return file;
        }
    }
    // An ES module's frame names its file by URL: an SDK that takes it for a path makes
    // `file:///dir/file:/real/path`.
    const i = file.lastIndexOf(`${path.sep}file:`);
    if (i >= 0) {
        try {
            return fileURLToPath(file.slice(i + 1).replace(/^file:\/*/, "file:///"));
        } catch {
            return file;
        }
    }
    return file;
}

type ProtoPosition = { getUri(): string; getLine(): number; getColumn(): number } | undefined;

function frameOf(p: ProtoPosition): Frame | undefined {
    if (!p || !p.getUri()) {
        return undefined;
    }
    return { file: uriPath(p.getUri()), line: p.getLine(), column: p.getColumn() };
}

/** The SDK's source position of the request, then the frames of its stack trace. */
function requestFrames(req: ProtoRegisterRequest): Frame[] {
    const out: Frame[] = [];
    const pos = frameOf(req.getSourceposition?.());
    if (pos) {
        out.push(pos);
    }
    for (const f of req.getStacktrace?.()?.getFramesList() ?? []) {
        const frame = frameOf(f.getPc());
        if (frame && !(pos && frame.file === pos.file && frame.line === pos.line && frame.column === pos.column)) {
            out.push(frame);
        }
    }
    return out;
}

function unique(list: string[]): string[] {
    return [...new Set(list)];
}

export function record(req: ProtoRegisterRequest, urn: string, info: { stack: string; project: string }): Registration {
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
        frames: requestFrames(req),
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
    return reg;
}

/** Features the mock monitor reports; transforms and hooks need the CLI's callback server. */
export const FEATURES: Record<string, boolean> = {
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

/** The default provider the engine creates for a package and version (its inputs: the stack configuration). */
function defaultProviderOf(pkg: string, version: string, info: ProjectInfo): ProviderResource {
    const type = `${PROVIDER_TYPE_PREFIX}${pkg}`;
    const name = defaultProviderName(version);
    const properties = providerProperties(pkg, info.config);
    if (version) {
        properties.version = version;
    }
    return { urn: makeUrn(info.stack, info.project, undefined, type, name), type, name, properties };
}

function optionsOf(r: Registration): ResourceOptions {
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
    return options;
}

/** The package of a resource type or invoke token (`openstack:compute/instance:Instance`). */
function packageOf(token: string): string {
    return token.split(":")[0];
}

/**
 * The resources of the stack in the order the engine registers them: every resource the program
 * registers but the root stack, with the providers among them: the explicit ones
 * (`new openstack.Provider(...)`, where the program registers them) and the default providers the
 * engine creates from the stack configuration for the resources and invokes that name none (just
 * before the first of them). Each custom resource carries its provider.
 */
export function buildResources(regs: Registration[], info: ProjectInfo, invokes: InvokeRecord[] = []): EngineResource[] {
    const providers = new Map<string, Registration>();
    for (const r of regs) {
        if (isProviderType(r.type)) {
            providers.set(r.urn, r);
        }
    }
    const out: EngineResource[] = [];
    const defaults = new Map<string, ProviderResource>();
    const defaultProvider = (pkg: string, version: string): ProviderResource => {
        const key = `${pkg}@${version}`;
        let p = defaults.get(key);
        if (!p) {
            p = defaultProviderOf(pkg, version, info);
            defaults.set(key, p);
            out.push({ ...p, properties: { ...p.properties }, options: {}, dependencies: [], propertyDependencies: {} });
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
        return { urn: parsed.urn, type: reg?.type ?? u.type, name: u.name, properties: providerInputs(reg) };
    };
    const invoked = (inv: InvokeRecord) => {
        const pkg = packageOf(inv.token);
        if (!inv.providerRef && pkg !== "pulumi" && pkg !== "") {
            defaultProvider(pkg, inv.version);
        }
    };

    let next = 0;
    regs.forEach((r, i) => {
        for (; next < invokes.length && invokes[next].after <= i; next++) {
            invoked(invokes[next]);
        }
        if (r.type === ROOT_STACK_TYPE) {
            return;
        }
        const provider = r.custom && !isProviderType(r.type)
            ? r.providerRef
                ? explicitProvider(r.providerRef)
                : defaultProvider(packageOf(r.type), r.version)
            : undefined;
        const res: EngineResource = {
            urn: r.urn,
            type: r.type,
            name: r.name,
            properties: isProviderType(r.type) ? providerInputs(r) : normalizeProperties(r.object),
            options: optionsOf(r),
            dependencies: r.dependencies,
            propertyDependencies: r.propertyDependencies,
        };
        if (r.parent) {
            res.parent = r.parent;
        }
        if (provider) {
            res.provider = provider;
        }
        out.push(res);
    });
    for (; next < invokes.length; next++) {
        invoked(invokes[next]);
    }
    return out;
}

/** A provider's inputs as the engine keeps them: with the plugin version it runs. */
function providerInputs(reg: Registration | undefined): Props {
    const properties = reg ? normalizeProperties(reg.object) : {};
    if (reg?.version && properties.version === undefined) {
        properties.version = reg.version;
    }
    return properties;
}

function isUserFile(file: string, root: string): boolean {
    const rel = path.relative(root, file);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) && !file.split(path.sep).includes("node_modules");
}

/**
 * Where each resource is declared, relative to the repository root: the first position of the
 * program's own code (outside node_modules, inside the repository) among those the SDK reports
 * (the resource's source position, then its stack), else in the stack of the registration call;
 * for a resource a library creates out of the program's sight (a ConfigFile's objects), its
 * parent's. A default provider points at the stack configuration (its package's first key).
 */
export function sourceLocations(regs: Registration[], resources: EngineResource[], info: ProjectInfo): Record<string, SourceLocation> {
    const out: Record<string, SourceLocation> = {};
    const root = info.repoRoot;
    for (const r of regs) {
        const frame = [...r.frames, ...(r.callFrames ?? [])].find((f) => isUserFile(realPath(f.file), root));
        const loc = frame ? locationIn(root, frame.file, frame.line, frame.column) : r.parent ? out[r.parent] : undefined;
        if (loc) {
            out[r.urn] = loc;
        }
    }
    if (info.stackFile) {
        for (const res of resources) {
            if (isProviderType(res.type) && !out[res.urn] && !regs.some((r) => r.urn === res.urn)) {
                const pkg = res.type.slice(PROVIDER_TYPE_PREFIX.length);
                const lines = [...info.configKeyLines].filter(([k]) => k.startsWith(`${pkg}:`)).map(([, l]) => l);
                const loc = locationIn(root, info.stackFile, lines.length ? Math.min(...lines) : 1);
                if (loc) {
                    out[res.urn] = loc;
                }
            }
        }
    }
    return out;
}

/** Where a finding about the whole stack points: the stack configuration file (else Pulumi.yaml), line 1. */
export function stackLocation(info: ProjectInfo): SourceLocation | undefined {
    return locationIn(info.repoRoot, info.stackFile ?? info.projectFile, 1);
}
