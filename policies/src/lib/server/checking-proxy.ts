/**
 * `@pulumi/policy`'s unknown-checking proxy (proxy.js `unknownCheckingProxy`), made once per object.
 *
 * Policies read a resource's properties through a proxy that throws `UnknownValueError` (with the
 * path read) when a value is unknown at preview. `@pulumi/policy` makes a new proxy, and a new
 * path array, each time a nested object is read: `props.spec.template` read by ten rules made
 * twenty proxies. The profile of the pack showed this proxy as the largest single cost of
 * Analyze. Here each object of one resource's properties gets its proxy once (its path from the
 * properties' root is unique: they are a JSON tree), on first read; every read then behaves as
 * `@pulumi/policy`'s: the same special keys, the same error and message, the same values, the same
 * exception for non-configurable, non-writable properties (a Proxy invariant). Only identity
 * differs: two reads of one object give one proxy, where they gave two.
 */
import { upstream } from "./upstream";

let shape: { unknowns: ReadonlySet<unknown>; isSpecialProxy: string; getSpecialProxyTarget: string } | undefined;

function proxyShape() {
    if (!shape) {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const p = require(require.resolve("@pulumi/policy/proxy", { paths: [require.resolve("@pulumi/policy")] }));
        shape = {
            unknowns: new Set([p.unknownBooleanValue, p.unknownNumberValue, p.unknownStringValue, p.unknownArrayValue, p.unknownAssetValue, p.unknownArchiveValue, p.unknownObjectValue]),
            isSpecialProxy: p.isSpecialProxy,
            getSpecialProxyTarget: p.getSpecialProxyTarget,
        };
    }
    return shape;
}

/** The unknown-checking proxy of a value (itself when it is not an object), its nested proxies made once. */
export function checkingProxy<T>(root: T): T {
    const { unknowns, isSpecialProxy, getSpecialProxyTarget } = proxyShape();
    const UnknownValueError = upstream().UnknownValueError;
    const made = new WeakMap<object, object>();
    const wrap = (target: unknown, path: PropertyKey[]): unknown => {
        if (!(target instanceof Object)) return target;
        const known = made.get(target);
        if (known) return known;
        const proxy = new Proxy(target, {
            get: (obj: any, prop: PropertyKey) => {
                if (prop === isSpecialProxy) return true;
                if (prop === getSpecialProxyTarget) return obj;
                const field = obj[prop];
                if (unknowns.has(field)) throw unknownValueError(UnknownValueError, field, path.concat([prop]));
                if (!(field instanceof Object)) return field;
                const desc = Object.getOwnPropertyDescriptor(obj, prop);
                if (desc && "value" in desc && desc.configurable === false && desc.writable === false) return field;
                return wrap(field, path.concat([prop]));
            },
        });
        made.set(target, proxy);
        return proxy;
    };
    return wrap(root, []) as T;
}

/** The same error, without the stack trace nobody reads (only its message reaches the engine). */
function unknownValueError(UnknownValueError: new (...args: any[]) => Error, field: unknown, path: PropertyKey[]): Error {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return new UnknownValueError(field, path);
    } finally {
        Error.stackTraceLimit = limit;
    }
}
