/**
 * The Pulumi SDK's index, read only as far as `@pulumi/policy` reads it.
 *
 * `@pulumi/policy` (pinned at 1.21.0) takes one thing from `require("@pulumi/pulumi")`: `asset`, the
 * classes it turns the engine's assets and archives into (deserialize.js). Loading the SDK's index
 * also loads everything it exports: the automation API, and through it npm's own libraries
 * (arborist, pacote, sigstore…), about 600 modules and a quarter of a second at every start of the
 * pack, which the engine waits for at every preview. At the pack's start, before `@pulumi/policy`
 * loads, the index is registered as an object whose `asset` is the SDK's own `asset` module (the
 * very object the index exports) and whose every other property loads the real index and reads it
 * there: nothing anyone reads differs, only when it is loaded.
 *
 * Only the pack's entry point (index.ts) does this, in the pack's own process; a process that
 * already holds the index keeps it.
 */
import Module = require("module");

export function lightSdkIndex(): boolean {
    let indexPath: string;
    let assetPath: string;
    try {
        const policyEntry = require.resolve("@pulumi/policy");
        indexPath = require.resolve("@pulumi/pulumi", { paths: [policyEntry] });
        assetPath = require.resolve("@pulumi/pulumi/asset", { paths: [policyEntry] });
    } catch {
        return false;
    }
    if (require.cache[indexPath]) return false;
    let real: Record<PropertyKey, unknown> | undefined;
    const full = (): Record<PropertyKey, unknown> => {
        if (!real) {
            if (require.cache[indexPath]?.exports === facade) delete require.cache[indexPath];
            real = require(indexPath) as Record<PropertyKey, unknown>;
        }
        return real;
    };
    const facade: Record<PropertyKey, unknown> = new Proxy({} as Record<PropertyKey, unknown>, {
        get: (_target, prop) => (prop === "asset" && !real ? require(assetPath) : full()[prop]),
        has: (_target, prop) => prop in full(),
        ownKeys: () => Reflect.ownKeys(full()),
        getOwnPropertyDescriptor: (_target, prop) => {
            const d = Reflect.getOwnPropertyDescriptor(full(), prop);
            // A proxy may only report an own property as configurable when its target has none.
            return d ? { ...d, configurable: true } : undefined;
        },
    });
    const m = new Module(indexPath);
    m.filename = indexPath;
    m.loaded = true;
    m.exports = facade;
    require.cache[indexPath] = m;
    return true;
}
