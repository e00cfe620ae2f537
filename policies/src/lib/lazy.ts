/**
 * A module loaded at its first use instead of at start-up.
 *
 * The engine starts a fresh pack process for each preview and waits for its port: start-up loads
 * what registering the policies needs (each rule's module, the settings, the catalogue). A module
 * that only a check uses (the cost estimator, the cloud-init and secret scanners, the address,
 * selector and ACL parsers…) is loaded by the first Analyze or AnalyzeStack call that runs it. In
 * a rule:
 *
 *     import type * as SecretScan from "../../lib/secret-scan";
 *     const secretScan = lazy(() => require("../../lib/secret-scan") as typeof SecretScan);
 *     …
 *     secretScan().scanValue(value, rules);
 *
 * Its types are imported as usual (`import type`, erased from the compiled module).
 */
export function lazy<T>(load: () => T): () => T {
    let loaded: T | undefined;
    return () => (loaded ??= load());
}
