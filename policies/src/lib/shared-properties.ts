/**
 * One conversion of a resource's properties per call, shared by every policy.
 *
 * `@pulumi/policy` converts a resource's protobuf properties to JavaScript (`Struct.toJavaScript`,
 * then its own unwrapping of secrets, assets and archives) once per policy: for Analyze, each of
 * the pack's resource policies converts the same resource again, even those that only say « not
 * applicable »; for AnalyzeStack, each stack policy converts the whole stack again. With a hundred
 * policies this conversion was most of the pack's cost (see BENCHMARKS.md).
 *
 * Here the conversions are kept per protobuf object (the request's own `Struct`, which lives as
 * long as the call): the wire form (`wireOf`, which intercept.ts also reads for the secrets and
 * the remediations) is converted once, and the plain form that policies receive for Analyze and
 * AnalyzeStack (secrets unwrapped) is built once and shared. Rules only read their resource's
 * properties (the rule convention, rule.ts), so a shared object is indistinguishable from a copy.
 * Remediate's form (secrets kept as `Secret` objects, which remediations may replace) is built
 * fresh on every call, from the shared wire form, as before.
 */

type Struct = { toJavaScript(): Record<string, unknown> };
type Deserialize = (struct: Struct, proxySecrets: boolean) => Record<string, unknown>;

const wire = new WeakMap<object, Record<string, unknown>>();
const plain = new WeakMap<object, Record<string, unknown>>();

function isStruct(s: unknown): s is Struct {
    return typeof s === "object" && s !== null && typeof (s as Struct).toJavaScript === "function";
}

/** The wire form of a request's properties (`Struct.toJavaScript()`), converted once per object. */
export function wireOf(struct: unknown): Record<string, unknown> | undefined {
    if (!isStruct(struct)) return undefined;
    let w = wire.get(struct);
    if (w === undefined) {
        w = struct.toJavaScript();
        wire.set(struct, w);
    }
    return w;
}

let installed = false;

/** Makes `@pulumi/policy` convert each resource's properties once per call (before `new PolicyPack`). */
export function shareDeserializedProperties(): void {
    if (installed) return;
    installed = true;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(require.resolve("@pulumi/policy/deserialize", { paths: [require.resolve("@pulumi/policy")] })) as { deserializeProperties: Deserialize };
    const original = mod.deserializeProperties;
    mod.deserializeProperties = (struct, proxySecrets) => {
        if (!isStruct(struct)) return original(struct, proxySecrets);
        // The same conversion, reading the wire form already converted for this object.
        const shim: Struct = { toJavaScript: () => wireOf(struct) as Record<string, unknown> };
        if (proxySecrets) return original(shim, true);
        let p = plain.get(struct);
        if (p === undefined) {
            p = original(shim, false);
            plain.set(struct, p);
        }
        return p;
    };
}
