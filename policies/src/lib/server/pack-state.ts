/**
 * What `@pulumi/policy`'s server keeps in its closure and module, kept alike for the pack's own
 * handlers: the pack's name, version, default level and policies (the arguments of its `serve`,
 * captured when `new PolicyPack` calls it), the policies' configuration as the last Configure gave
 * it (`policyPackConfig`), and the stack's tags as the last ConfigureStack gave them. Each is set
 * from the same request, in the same way, as `@pulumi/policy` sets its own.
 */
import { fromPolicy, PolicyLike, upstream } from "./upstream";

export interface ServedPack {
    name: string;
    version: string;
    enforcementLevel: string;
    policies: readonly PolicyLike[];
}

let served: ServedPack | undefined;
let installed = false;

/** Records the arguments of `@pulumi/policy`'s `serve` (before `new PolicyPack`, which calls it). */
export function captureServe(): void {
    if (installed) return;
    installed = true;
    const server = fromPolicy("@pulumi/policy/server");
    const serve = server.serve;
    // policy.js calls `server_1.serve(...)`: the export is read at the call.
    server.serve = function (name: string, version: string, level: string, args: { policies?: PolicyLike[] }, ...rest: unknown[]) {
        served = { name, version, enforcementLevel: level, policies: args?.policies ?? [] };
        return serve.call(this, name, version, level, args, ...rest);
    };
}

/** The pack being served, once `serve` has been called. */
export function servedPack(): ServedPack | undefined {
    return served;
}

type Config = Record<string, Record<string, unknown>>;
let config: Config = {};
let generation = 0;

/**
 * Reads the Configure request as `@pulumi/policy`'s `configure` does (same conversions, same
 * failure on a malformed entry, in which case nothing changes). Returns the commit to run once
 * the call has succeeded.
 */
export function readPolicyConfig(request: { getPolicyconfigMap(): any }): () => void {
    const next: Config = {};
    for (const [k, v] of request.getPolicyconfigMap().entries()) {
        const props = v.getProperties().toJavaScript();
        props.enforcementLevel = upstream().convertEnforcementLevel(v.getEnforcementlevel());
        next[k] = props;
    }
    return () => {
        config = next;
        generation++;
    };
}

/** Changes at each successful Configure: what is derived from the configuration is kept per generation. */
export function configGeneration(): number {
    return generation;
}

/** The level `@pulumi/policy` runs a policy at: configured, else the policy's, else the pack's. */
export function levelOf(p: PolicyLike): string {
    return (config[p.name]?.enforcementLevel as string | undefined) || p.enforcementLevel || served?.enforcementLevel || "advisory";
}

/** `args.getConfig` of a policy: its configuration without the level, a fresh object each call. */
export function getConfigFun(name: string): () => Record<string, unknown> {
    return () => {
        const c = config[name];
        if (!c) return {};
        const { enforcementLevel: _level, ...properties } = c;
        return properties;
    };
}

export type StackTags = ReadonlyMap<string, string>;
let stackTags: StackTags = freezeMap(new Map());

/** The stack's tags, as ConfigureStack gave them (what remains once the pack's marker is removed). */
export function setStackTags(tags: { forEach(f: (v: string, k: string) => void): void }): void {
    const map = new Map<string, string>();
    tags.forEach((v, k) => map.set(k, v));
    stackTags = freezeMap(map);
}

export function currentStackTags(): StackTags {
    return stackTags;
}

/** A read-only view of a map, of the same shape as `@pulumi/policy`'s. */
function freezeMap(map: Map<string, string>): StackTags {
    return Object.freeze({
        entries: map.entries.bind(map),
        forEach: map.forEach.bind(map),
        get: map.get.bind(map),
        has: map.has.bind(map),
        keys: map.keys.bind(map),
        size: map.size,
        values: map.values.bind(map),
        [Symbol.iterator]: map[Symbol.iterator].bind(map),
    }) as unknown as StackTags;
}
