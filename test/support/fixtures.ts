/** Turns a rule fixture into the resources the engine would send. */
import type { Fixture, FixtureResource } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { EngineResource, PolicyConfig } from "../../src/engine/types";

export function urnOf(fx: FixtureResource, all: FixtureResource[], project = "fixtures", stack = "test"): string {
    const chain: string[] = [];
    let p = fx.parent ? all.find((r) => r.name === fx.parent) : undefined;
    while (p) {
        chain.unshift(p.type);
        const parentName: string | undefined = p.parent;
        p = parentName ? all.find((r) => r.name === parentName) : undefined;
    }
    return `urn:pulumi:${stack}::${project}::${[...chain, fx.type].join("$")}::${fx.name}`;
}

export function engineResources(f: Fixture): EngineResource[] {
    const urn = (name: string) => {
        const r = f.resources.find((x) => x.name === name);
        if (!r) throw new Error(`fixture « ${f.title} » : ressource inconnue ${name}`);
        return urnOf(r, f.resources);
    };
    return f.resources.map((r) => ({
        urn: urnOf(r, f.resources),
        type: r.type,
        name: r.name,
        properties: r.props,
        parent: r.parent ? urn(r.parent) : undefined,
        dependencies: (r.dependsOn ?? []).map(urn),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, v]) => [k, v.map(urn)])),
        options: { protect: r.protect ?? false },
        provider: r.provider
            ? { urn: `urn:pulumi:test::fixtures::pulumi:providers:${r.provider.type}::${r.provider.name}`, type: `pulumi:providers:${r.provider.type}`, name: r.provider.name, properties: r.provider.props }
            : undefined,
    }));
}

export function fixtureConfig(ruleName: string, f: Fixture, extraSettings: Record<string, unknown> = {}): Record<string, PolicyConfig> {
    const { enforcementLevel, ...props } = (f.config ?? {}) as Record<string, unknown>;
    const config: Record<string, PolicyConfig> = {
        [ruleName]: { enforcementLevel: enforcementLevel as PolicyConfig["enforcementLevel"], properties: props },
    };
    const settings = { ...(f.settings ?? {}), ...extraSettings };
    if (Object.keys(settings).length) config["cloud-de-confiance"] = { properties: settings };
    return config;
}

/** Need ids a violation message starts with: `RES-01, RES-05 · …`. */
export function needsOf(message: string): string[] {
    const m = /^((?:[A-Z]+-\d{2})(?:, [A-Z]+-\d{2})*) · /.exec(message);
    return m ? m[1].split(", ") : [];
}
