import type { PolicyResource } from "@pulumi/policy";

/**
 * Resources in the engine's wire form (what the checker sends to AnalyzeStack), turned into the
 * `PolicyResource`s `@pulumi/policy` gives a stack policy: secrets unwrapped to their values,
 * properties behind `@pulumi/policy`'s unknown-checking proxy (a value unknown at preview throws
 * its `UnknownValueError` when read), parent and dependencies linked. With them the checker runs
 * the pack's own estimator (estimate.ts) on the resources it analysed, and gets the pack's figures.
 */
export interface WireResource {
    urn: string;
    type: string;
    name: string;
    properties: Record<string, unknown>;
    parent?: string;
    dependencies?: string[];
    propertyDependencies?: Record<string, string[]>;
    provider?: { urn: string; type: string; name: string; properties: Record<string, unknown> };
    options?: { protect?: boolean };
}

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Secrets unwrapped, everything else kept (unknown sentinels included: the proxy recognises them). */
function unwrap(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrap);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return unwrap(o["value"]);
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(o)) if (x !== undefined) out[k] = unwrap(x);
        return out;
    }
    return v;
}

export function policyResources(list: readonly WireResource[]): PolicyResource[] {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as { unknownCheckingProxy: <T>(v: T) => T };
    const byUrn = new Map<string, PolicyResource>();
    const out: PolicyResource[] = list.map((r) => {
        const props = unknownCheckingProxy(unwrap(r.properties ?? {}) as Record<string, unknown>);
        const resource = {
            urn: r.urn,
            type: r.type,
            name: r.name,
            props,
            opts: { protect: r.options?.protect ?? false, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] },
            dependencies: [] as PolicyResource[],
            propertyDependencies: {} as Record<string, PolicyResource[]>,
            isType: () => false,
            asType: () => undefined,
            ...(r.provider
                ? { provider: { urn: r.provider.urn, type: r.provider.type, name: r.provider.name, props: unknownCheckingProxy(unwrap(r.provider.properties ?? {}) as Record<string, unknown>) } }
                : {}),
        } as unknown as PolicyResource;
        byUrn.set(r.urn, resource);
        return resource;
    });
    list.forEach((r, i) => {
        const res = out[i] as { parent?: PolicyResource; dependencies: PolicyResource[]; propertyDependencies: Record<string, PolicyResource[]> };
        if (r.parent && byUrn.has(r.parent)) res.parent = byUrn.get(r.parent);
        res.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        for (const [k, us] of Object.entries(r.propertyDependencies ?? {})) {
            res.propertyDependencies[k] = us.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
        }
    });
    return out;
}
