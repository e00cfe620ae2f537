/**
 * The OpenStack provider's configuration, read as the provider reads it (SEC-01, SEC-02).
 *
 * A provider resource (`pulumi:providers:openstack`, explicit or the engine's default provider)
 * carries its configuration as properties. Pulumi hands most of them over as strings: the stack
 * configuration is text (`openstack:insecure true` is the string "true"), and the generated SDKs
 * JSON-encode an explicit provider's non-string arguments (`insecure: true` becomes "true"). The
 * bridge (pulumi-terraform-bridge, `ConfigEncoding.convertStringToPropertyValue`) decodes a string
 * given for a non-string field as JSON, the empty string being the field's zero value; a value
 * that does not decode makes the provider's CheckConfig fail. The Terraform SDK then reads a
 * boolean field with `mapstructure.WeakDecode` (helper/schema `validatePrimitive`, `readPrimitive`):
 * a number is true unless 0, a text is read by Go's `strconv.ParseBool` (`1`, `t`, `T`, `TRUE`,
 * `true`, `True`, and their false counterparts; the empty text is false).
 *
 * The endpoint (`authUrl`, and each `endpointOverrides` value) is a URL that gophercloud parses
 * with Go's `net/url` and reaches with Go's HTTP client (`openstack.NewClient`): what designates the
 * identity service is the scheme, the host (a DNS name: case-insensitive, a final dot changes
 * nothing), the port (the scheme's default when none is written) and the base path, the path cut
 * before its first version segment (`utils.BaseEndpoint`: first match of `v[0-9.]+/?`), a trailing
 * slash being added (`gophercloud.NormalizeURL`). The version segment (`/v3`, `/v2.0`) only selects
 * the API version of the same service, and query, fragment and credentials (`user:password@`)
 * designate nothing.
 */
import { rec, touchAll } from "./props";

/** What a boolean configuration field holds, as the bridge decodes it. */
export type ConfigBool = { ok: true; value: boolean } | { ok: false };

/**
 * A boolean field of a bridged provider's configuration, read as the bridge and the Terraform SDK
 * read it: a boolean as such; a number true unless 0; a string decoded as JSON ("" is false), its
 * value then read the same way (a JSON text by `strconv.ParseBool`); anything else does not decode
 * (the provider refuses it). `undefined`, `null` and a JSON `null` are "not set" (`undefined`
 * returned). An unknown value lets the unknown-value error through.
 */
export function configBool(value: unknown): ConfigBool | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") {
        if (value === "") return { ok: true, value: false };
        const decoded = decodeJson(value);
        if (decoded === null) return undefined;
        return typeof decoded === "string" ? parseBool(decoded) : weakBool(decoded);
    }
    if (typeof value === "object") touchAll(value);
    return weakBool(value);
}

/** mapstructure's weak decoding of a non-text value into a boolean. */
function weakBool(v: unknown): ConfigBool {
    if (typeof v === "boolean") return { ok: true, value: v };
    if (typeof v === "number" && Number.isFinite(v)) return { ok: true, value: v !== 0 };
    return { ok: false };
}

/** Go's `strconv.ParseBool`, the empty text being false (mapstructure). */
function parseBool(t: string): ConfigBool {
    if (["1", "t", "T", "TRUE", "true", "True"].includes(t)) return { ok: true, value: true };
    if (["", "0", "f", "F", "FALSE", "false", "False"].includes(t)) return { ok: true, value: false };
    return { ok: false };
}

/**
 * A map field of a bridged provider's configuration (`endpointOverrides`): an object as such, a
 * string decoded as JSON ("" is the empty map). `undefined` when not set or not a map.
 */
export function configMap(value: unknown): Record<string, unknown> | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") {
        if (value === "") return {};
        return rec(decodeJson(value));
    }
    const r = rec(value);
    if (r) touchAll(r);
    return r;
}

/** The JSON value of a text, `undefined` when it is no JSON. */
function decodeJson(text: string): unknown {
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return undefined;
    }
}

/** An endpoint URL as gophercloud reaches it. */
export interface Endpoint {
    /** Lower-cased scheme, without `:` (`https`). */
    scheme: string;
    /** Lower-cased host name without a final dot (IPv6 addresses in brackets). */
    host: string;
    /** The port written, or undefined (the scheme's default applies). */
    port?: number;
    /** Path before the first version segment, ending with `/`. */
    basePath: string;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/**
 * Parses an endpoint URL; `undefined` when Go's URL parser or HTTP client would refuse it: no
 * `scheme://host`, a backslash, a space or a control character (WHATWG parsers read a backslash
 * as a slash, Go's does not).
 */
export function parseEndpoint(raw: string): Endpoint | undefined {
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]/.test(raw) || /[\\\s\u0000-\u001f\u007f]/.test(raw)) return undefined;
    let u: URL;
    try {
        u = new URL(raw);
    } catch {
        return undefined;
    }
    const scheme = u.protocol.replace(/:$/, "").toLowerCase();
    const host = u.hostname.toLowerCase().replace(/\.$/, "");
    if (host === "") return undefined;
    let path: string;
    try {
        path = decodeURIComponent(u.pathname);
    } catch {
        path = u.pathname;
    }
    const version = /v[0-9.]+\/?/.exec(path);
    let basePath = version ? path.slice(0, version.index) : path;
    if (!basePath.endsWith("/")) basePath += "/";
    return { scheme, host, port: u.port === "" ? undefined : Number(u.port), basePath };
}

/** The port reached: the one written, or the default of `scheme`. */
export function effectivePort(e: Endpoint, scheme = e.scheme): number | undefined {
    return e.port ?? DEFAULT_PORTS[scheme];
}

/**
 * Whether `e` designates the identity service of `offer`: same host, same base path, same port
 * (a port left out being the offer's scheme default). The scheme is left to the https check: an
 * `http://` URL of the offer's host is the offer's service reached without TLS, one mistake.
 */
export function sameService(e: Endpoint, offer: Endpoint): boolean {
    return e.host === offer.host && e.basePath === offer.basePath && effectivePort(e, offer.scheme) === effectivePort(offer);
}
