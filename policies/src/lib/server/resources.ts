/**
 * A resource of a request as `@pulumi/policy` hands it to policies: its properties behind the
 * unknown-checking proxy (checking-proxy.ts), its options, its provider and the `isType`/`asType` helpers. The same
 * code as `@pulumi/policy`'s server (getResourceOptions, getCustomTimeouts, getProviderResource,
 * getPropertyDependencies, isTypeOf), built once per call and shared by every policy instead of
 * once per policy.
 */
import { checkingProxy } from "./checking-proxy";
import { upstream } from "./upstream";

export interface PolicyProviderResource {
    type: string;
    props: Record<string, unknown>;
    urn: string;
    name: string;
}

export interface ResourceParts {
    type: string;
    props: Record<string, unknown>;
    urn: string;
    name: string;
    opts: Record<string, unknown>;
    provider?: PolicyProviderResource;
    isType(resourceClass: unknown): boolean;
    asType(resourceClass: unknown): Record<string, unknown> | undefined;
}

/** The parts of one request resource (an AnalyzeRequest, or an AnalyzerResource of AnalyzeStack). */
export function resourceParts(r: any): ResourceParts {
    const up = upstream();
    const type: string = r.getType();
    const props = checkingProxy(up.deserializeProperties(r.getProperties(), false));
    const parts: ResourceParts = {
        type,
        props,
        urn: r.getUrn(),
        name: r.getName(),
        opts: resourceOptions(r),
        isType: (resourceClass) => isTypeOf(type, resourceClass),
        asType: (resourceClass) => (isTypeOf(type, resourceClass) ? props : undefined),
    };
    const provider = providerResource(r);
    if (provider) parts.provider = provider;
    return parts;
}

function resourceOptions(r: any): Record<string, unknown> {
    const opts = r.getOptions();
    if (!opts) {
        throw new Error("A more recent version of the Pulumi CLI is required. " +
            "To upgrade, see https://www.pulumi.com/docs/get-started/install/");
    }
    const timeouts = opts.getCustomtimeouts();
    const result: Record<string, unknown> = {
        protect: opts.getProtect(),
        ignoreChanges: opts.getIgnorechangesList(),
        aliases: opts.getAliasesList(),
        customTimeouts: {
            createSeconds: timeouts?.getCreate() ?? 0.0,
            updateSeconds: timeouts?.getUpdate() ?? 0.0,
            deleteSeconds: timeouts?.getDelete() ?? 0.0,
        },
        additionalSecretOutputs: opts.getAdditionalsecretoutputsList(),
    };
    if (opts.getDeletebeforereplacedefined()) result.deleteBeforeReplace = opts.getDeletebeforereplace();
    if (opts.getParent()) result.parent = opts.getParent();
    return result;
}

function providerResource(r: any): PolicyProviderResource | undefined {
    const prov = r.getProvider();
    if (!prov) return undefined;
    const up = upstream();
    return {
        type: prov.getType(),
        props: checkingProxy(up.deserializeProperties(prov.getProperties(), false)),
        urn: prov.getUrn(),
        name: prov.getName(),
    };
}

/** The URNs each property of a stack resource depends on. */
export function propertyDependencies(r: any): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    const map = r.getPropertydependenciesMap();
    if (map) {
        for (const [k, v] of map.entries()) result[k] = v.getUrnsList();
    }
    return result;
}

function isTypeOf(type: string, resourceClass: any): boolean {
    const pulumiType = upstream().getPulumiType(resourceClass);
    if (pulumiType) return type === pulumiType;
    const isInstance = resourceClass.isInstance;
    return !!isInstance && typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}
