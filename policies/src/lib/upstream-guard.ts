/**
 * Guards against `@pulumi/policy` (pinned at 1.21.0) failing on values the engine validly sends.
 *
 * 1. Reading the properties. `@pulumi/policy` turns the wire form into plain values
 *    (`deserialize.js`) and throws on forms it does not know:
 *    - an asset that carries only its hash (`{sig: asset, hash}`: the form an empty asset, or an
 *      asset whose text is "", takes), an archive that carries only its hash;
 *    - a resource reference or an output value (the engine downgrades both for analyzers, but a
 *      state file read by the checker may still hold them), any other signature.
 *    In Remediate the properties are read before `@pulumi/policy`'s own error handling: the call
 *    then never answers and the preview waits forever. In Analyze and AnalyzeStack the call fails.
 *    The pack replaces `deserializeProperties` by a version that calls the original and, only when
 *    it throws, reads the value itself: an empty asset (or archive) where only a hash is given, a
 *    reference as the ID the engine would send (else its URN), an output as its value (unknown
 *    when it has none), an unknown signature as a plain object.
 * 2. Every call answers. Should a handler still reject (a value too deep to read, say), the pack
 *    answers the call with the error instead of leaving it open (intercept.ts).
 * 3. Remediations never corrupt assets and archives. `@pulumi/policy` writes an asset archive it
 *    has read back as the list of its names (`{"assets": ["a.txt"]}`), which the engine cannot read
 *    as an archive. The pack's remediations return the engine's own wire form (remediation.ts), so
 *    assets come back as they were sent; as a last line, a remediation whose returned properties do
 *    not hold exactly the assets and archives that were sent, at the same places, is dropped: the
 *    resource is not remediated, and Analyze reports what the rule finds.
 */
import { SECRET_SIG, SIG_KEY } from "./secrets";

export const ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17";
export const ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7";
export const RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
/** Wire form of a value unknown at preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Deserialize = (struct: { toJavaScript(): Record<string, unknown> }, proxySecrets: boolean) => Record<string, unknown>;

interface Upstream {
    asset: any;
    Secret: new (v: unknown) => unknown;
    secretsPreservingProxy: (v: Record<string, unknown>) => Record<string, unknown>;
}

let installed = false;

function fromPolicy(id: string): any {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(require.resolve(id, { paths: [require.resolve("@pulumi/policy")] }));
}

/**
 * Replaces `@pulumi/policy`'s `deserializeProperties` by the tolerant version (see above). Its
 * server reads the function from the module at each call, so this may run before or after the
 * pack is created. Does nothing when the module is not of the expected shape.
 */
export function guardDeserialization(): boolean {
    if (installed) return true;
    let mod: { deserializeProperties?: Deserialize };
    let up: Upstream;
    try {
        mod = fromPolicy("@pulumi/policy/deserialize");
        up = {
            asset: fromPolicy("@pulumi/pulumi").asset,
            Secret: fromPolicy("@pulumi/policy/policy").Secret,
            secretsPreservingProxy: fromPolicy("@pulumi/policy/secret").secretsPreservingProxy,
        };
    } catch {
        return false;
    }
    const original = mod.deserializeProperties;
    if (typeof original !== "function" || typeof up.Secret !== "function" || typeof up.secretsPreservingProxy !== "function" || !up.asset) return false;
    mod.deserializeProperties = function guarded(struct, proxySecrets) {
        try {
            return original(struct, proxySecrets);
        } catch (e) {
            return tolerantProperties(struct.toJavaScript(), proxySecrets, up);
        }
    };
    installed = true;
    return true;
}

/** The properties read as `@pulumi/policy` reads them, accepting every form the engine sends. */
export function tolerantProperties(outputs: Record<string, unknown>, proxySecrets: boolean, up: Upstream = upstream()): Record<string, unknown> {
    let props: Record<string, unknown> = {};
    for (const k of Object.keys(outputs)) if (outputs[k] !== undefined) props[k] = tolerant(outputs[k], proxySecrets, up);
    if (proxySecrets) props = up.secretsPreservingProxy(props);
    return props;
}

function upstream(): Upstream {
    return {
        asset: fromPolicy("@pulumi/pulumi").asset,
        Secret: fromPolicy("@pulumi/policy/policy").Secret,
        secretsPreservingProxy: fromPolicy("@pulumi/policy/secret").secretsPreservingProxy,
    };
}

function tolerant(v: unknown, proxySecrets: boolean, up: Upstream): unknown {
    if (v === undefined) return null;
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((x) => tolerant(x, proxySecrets, up));
    const o = v as Record<string, unknown>;
    const secret = (inner: unknown) => (proxySecrets ? new up.Secret(inner) : inner);
    switch (o[SIG_KEY]) {
        case ASSET_SIG:
            return readAsset(o, up);
        case ARCHIVE_SIG:
            return readArchive(o, up);
        case SECRET_SIG:
            return secret(tolerant(o.value, proxySecrets, up));
        case RESOURCE_REFERENCE_SIG:
            // As the engine sends a reference to analyzers: the ID of a custom resource, else the URN.
            if (typeof o.id === "string" && o.id !== "") return o.id;
            if (o.id !== undefined && o.id !== null && typeof o.id === "object") return tolerant(o.id, proxySecrets, up);
            return typeof o.urn === "string" ? o.urn : UNKNOWN;
        case OUTPUT_VALUE_SIG: {
            const inner = "value" in o && o.value !== undefined ? tolerant(o.value, proxySecrets, up) : UNKNOWN;
            return o.secret === true ? secret(inner) : inner;
        }
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o)) if (o[k] !== undefined) out[k] = tolerant(o[k], proxySecrets, up);
    return out;
}

const nonEmpty = (x: unknown): x is string => typeof x === "string" && x !== "";

function readAsset(o: Record<string, unknown>, up: Upstream): unknown {
    if (nonEmpty(o.path)) return new up.asset.FileAsset(o.path);
    if (nonEmpty(o.text)) return new up.asset.StringAsset(o.text);
    if (nonEmpty(o.uri)) return new up.asset.RemoteAsset(o.uri);
    // Only a hash: the engine's form of an asset whose text is empty.
    return new up.asset.StringAsset("");
}

function readArchive(o: Record<string, unknown>, up: Upstream): unknown {
    const assets = o.assets;
    if (assets !== null && typeof assets === "object") {
        const out: Record<string, unknown> = {};
        for (const [name, x] of Object.entries(assets as Record<string, unknown>)) {
            const a = tolerant(x, false, up);
            if (up.asset.Asset.isInstance(a) || up.asset.Archive.isInstance(a)) out[name] = a;
        }
        return new up.asset.AssetArchive(out);
    }
    if (nonEmpty(o.path)) return new up.asset.FileArchive(o.path);
    if (nonEmpty(o.uri)) return new up.asset.RemoteArchive(o.uri);
    // Only a hash: an archive without assets.
    return new up.asset.AssetArchive({});
}

// ------------------------------------------------------------------------------------------------
// Remediations and assets.

function isAssetOrArchive(v: unknown): boolean {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
    const sig = (v as Record<string, unknown>)[SIG_KEY];
    return sig === ASSET_SIG || sig === ARCHIVE_SIG;
}

/** The assets and archives of a wire value by path, secrets seen through. */
function assetsByPath(v: unknown, at = "", out = new Map<string, string>()): Map<string, string> {
    if (v === null || typeof v !== "object") return out;
    if (isAssetOrArchive(v)) {
        out.set(at, canonical(v));
        return out;
    }
    if (Array.isArray(v)) v.forEach((x, i) => assetsByPath(x, `${at}[${i}]`, out));
    else {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return assetsByPath(o.value, at, out);
        for (const k of Object.keys(o)) assetsByPath(o[k], `${at}.${k}`, out);
    }
    return out;
}

/** JSON text with keys sorted: two values are equal when their texts are. */
function canonical(v: unknown): string {
    if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
    if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

/**
 * Whether properties a remediation returns hold exactly the assets and archives that were sent,
 * at the same places (through secrets or not), and no other.
 */
export function keepsAssets(sent: unknown, returned: unknown): boolean {
    const a = assetsByPath(sent);
    const b = assetsByPath(returned);
    if (a.size !== b.size) return false;
    for (const [k, v] of a) if (b.get(k) !== v) return false;
    return true;
}

interface RemediationMessage {
    getProperties(): { toJavaScript(): unknown } | undefined;
}

interface RemediateResponseMessage {
    getRemediationsList(): RemediationMessage[];
    setRemediationsList(list: RemediationMessage[]): void;
}

/**
 * Drops from a Remediate response the remediations that would not give back the assets and
 * archives of `sent` (the request's wire properties) as they were. Returns how many were dropped.
 */
export function dropCorruptingRemediations(sent: unknown, resp: unknown): number {
    const r = resp as Partial<RemediateResponseMessage> | undefined;
    if (!r || typeof r.getRemediationsList !== "function" || typeof r.setRemediationsList !== "function") return 0;
    const list = r.getRemediationsList();
    const kept = list.filter((x) => {
        const props = x.getProperties();
        if (!props) return true;
        try {
            return keepsAssets(sent, props.toJavaScript());
        } catch {
            return false;
        }
    });
    if (kept.length !== list.length) r.setRemediationsList(kept);
    return list.length - kept.length;
}
