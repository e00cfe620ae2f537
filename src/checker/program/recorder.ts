/**
 * Recording: what the program registers, as the monitor receives it, turned into the resources the
 * engine hands to a policy pack (`EngineResource`): full inputs with secrets and unknowns, options,
 * parent, dependencies, property dependencies and provider (explicit, or the engine's default
 * provider `default_x_y_z` configured from the stack configuration).
 */
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
import { ConfigEntry, ProjectInfo } from "./project";
import { ProtoRegisterRequest } from "./sdk";

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

export function buildResources(regs: Registration[], info: ProjectInfo): EngineResource[] {
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

