/**
 * Container image references, read as the kubelet and the container runtimes read them: the
 * grammar and normalisation of distribution/reference (`ParseNormalizedNamed`, `ParseDockerRef`)
 * and the digest validation of opencontainers/go-digest (PROD-02).
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] path          domain := host [":" port]
 *   tag       := [\w][\w.-]{0,127}          digest := algorithm ":" hex
 *
 * - The first `/`-separated component is a domain when it is `localhost`, contains `.` or `:`, or
 *   has an upper-case letter; otherwise the image is on Docker Hub (`docker.io`), under `library/`
 *   when the path has a single component (`nginx` = `docker.io/library/nginx`). `index.docker.io`
 *   is rewritten `docker.io`.
 * - The path is lower case (an upper-case letter makes the reference invalid).
 * - A digest is valid only for an algorithm the runtimes support (sha256, sha384, sha512) with the
 *   algorithm's length of lower-case hexadecimal; any other digest makes the reference invalid.
 * - With both a tag and a digest, the runtime pulls the digest.
 * - Without tag nor digest, the kubelet pulls `latest`.
 */

export interface ImageReference {
    /** Domain as written, `docker.io` for Docker Hub's implicit domain (and `index.docker.io`). */
    domain: string;
    /** Repository path, `library/` included for Docker Hub's official images. */
    path: string;
    tag?: string;
    digest?: { algorithm: string; hex: string };
}

export type ReferenceError =
    | "empty"
    | "identifier"
    | "uppercase"
    | "format"
    | "too-long"
    | "digest-format"
    | "digest-algorithm"
    | "digest-length";

export type ParsedReference = { ok: true; ref: ImageReference } | { ok: false; error: ReferenceError };

const DEFAULT_DOMAIN = "docker.io";
const LEGACY_DEFAULT_DOMAIN = "index.docker.io";
const OFFICIAL_REPO_PREFIX = "library/";

// distribution/reference regexp.go, as JavaScript regular expressions (RE2's \w and [[:xdigit:]]
// are ASCII, as JavaScript's \w without the u flag).
const alphanumeric = `[a-z0-9]+`;
const separator = `(?:[._]|__|[-]+)`;
const domainNameComponent = `(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])`;
const optionalPort = `(?::[0-9]+)?`;
const tag = `[\\w][\\w.-]{0,127}`;
const digestPat = `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}`;
const identifier = `([a-f0-9]{64})`;
const ipv6address = `\\[(?:[a-fA-F0-9:]+)\\]`;
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const host = `(?:${domainName}|${ipv6address})`;
const domainAndPort = `${host}${optionalPort}`;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;

const REFERENCE = new RegExp(`^(${namePat})(?::(${tag}))?(?:@(${digestPat}))?$`);
const ANCHORED_NAME = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
const ANCHORED_IDENTIFIER = new RegExp(`^${identifier}$`);
// go-digest: DigestRegexpAnchored, and the hex length of each supported algorithm.
const DIGEST_ANCHORED = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const DIGEST_SIZES: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const NAME_TOTAL_LENGTH_MAX = 255;

/** distribution/reference `splitDockerDomain`. */
function splitDockerDomain(name: string): [string, string] {
    const i = name.indexOf("/");
    if (i < 0) return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
    const maybeDomain = name.slice(0, i);
    const maybeRemote = name.slice(i + 1);
    let domain: string;
    let remote: string;
    if (maybeDomain === "localhost") [domain, remote] = [maybeDomain, maybeRemote];
    else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) [domain, remote] = [DEFAULT_DOMAIN, maybeRemote];
    else if (/[.:]/.test(maybeDomain)) [domain, remote] = [maybeDomain, maybeRemote];
    else if (maybeDomain.toLowerCase() !== maybeDomain) [domain, remote] = [maybeDomain, maybeRemote];
    else [domain, remote] = [DEFAULT_DOMAIN, name];
    if (domain === DEFAULT_DOMAIN && !remote.includes("/")) remote = OFFICIAL_REPO_PREFIX + remote;
    return [domain, remote];
}

/** go-digest `Parse` (Validate) for the algorithms the runtimes register. */
function parseDigest(d: string): { algorithm: string; hex: string } | ReferenceError {
    const i = d.indexOf(":");
    if (i <= 0 || i + 1 === d.length) return "digest-format";
    const algorithm = d.slice(0, i);
    const hex = d.slice(i + 1);
    const size = Object.prototype.hasOwnProperty.call(DIGEST_SIZES, algorithm) ? DIGEST_SIZES[algorithm] : undefined;
    if (size === undefined) return DIGEST_ANCHORED.test(d) ? "digest-algorithm" : "digest-format";
    if (hex.length !== size) return "digest-length";
    if (!/^[a-f0-9]+$/.test(hex)) return "digest-format";
    return { algorithm, hex };
}

/** Parses an image reference as the kubelet does (`ParseNormalizedNamed`, then the digest). */
export function parseImageReference(s: string): ParsedReference {
    if (s === "") return { ok: false, error: "empty" };
    if (ANCHORED_IDENTIFIER.test(s)) return { ok: false, error: "identifier" };
    const [domain, remainder] = splitDockerDomain(s);
    const tagSep = remainder.indexOf(":");
    const remote = tagSep >= 0 ? remainder.slice(0, tagSep) : remainder;
    if (remote.toLowerCase() !== remote) return { ok: false, error: "uppercase" };
    const full = `${domain}/${remainder}`;
    const m = REFERENCE.exec(full);
    if (!m) {
        const lower = full.toLowerCase();
        return { ok: false, error: lower !== full && REFERENCE.test(lower) ? "uppercase" : "format" };
    }
    const name = ANCHORED_NAME.exec(m[1]);
    const ref: ImageReference = { domain: name?.[1] ?? "", path: name?.[2] ?? m[1] };
    if (ref.path.length > NAME_TOTAL_LENGTH_MAX) return { ok: false, error: "too-long" };
    if (m[2]) ref.tag = m[2];
    if (m[3]) {
        const d = parseDigest(m[3]);
        if (typeof d === "string") return { ok: false, error: d };
        ref.digest = d;
    }
    return { ok: true, ref };
}

/** `domain/path[:tag][@digest]`, the canonical (fully qualified) form. */
export function canonicalReference(ref: ImageReference): string {
    return `${ref.domain}/${ref.path}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest.algorithm}:${ref.digest.hex}` : ""}`;
}

// ------------------------------------------------------------------------------------------------
// Registries

/**
 * Docker Hub's names: `docker.io` is what references say, `registry-1.docker.io` is the host the
 * runtimes actually pull from (and `index.docker.io` its legacy name). They are one registry.
 */
const DOCKER_HUB_HOSTS = ["docker.io", "index.docker.io", "registry-1.docker.io"];

/**
 * The registry a domain designates: host names are case-insensitive (DNS), the HTTPS port 443 is
 * the default port, and Docker Hub's host names are one registry.
 */
export function registryKey(domain: string): string {
    let d = domain.toLowerCase();
    if (d.endsWith(":443")) d = d.slice(0, -4);
    return DOCKER_HUB_HOSTS.includes(d) ? "docker.io" : d;
}

/**
 * Whether an image comes from the registry (and path) an entry names. An entry is
 * `host[:port][/path]`; `*.domain` stands for every host under `domain`. The path, when given, is a
 * prefix of whole path components (`registry.fr/team` covers `registry.fr/team/app`, not
 * `registry.fr/team-b/app`).
 */
export function registryEntryMatches(ref: ImageReference, entry: string): boolean {
    let e = entry.trim();
    if (!e) return false;
    while (e.endsWith("/")) e = e.slice(0, -1);
    const slash = e.indexOf("/");
    const hostPart = slash >= 0 ? e.slice(0, slash) : e;
    const pathPart = slash >= 0 ? e.slice(slash + 1) : "";
    const host = registryKey(ref.domain);
    if (hostPart.startsWith("*.")) {
        const suffix = registryKey(hostPart.slice(1));
        if (!host.endsWith(suffix) || host.length === suffix.length) return false;
    } else if (registryKey(hostPart) !== host) {
        return false;
    }
    if (!pathPart) return true;
    const want = pathPart.toLowerCase().split("/");
    const have = ref.path.split("/");
    return want.length <= have.length && want.every((c, i) => c === have[i]);
}
