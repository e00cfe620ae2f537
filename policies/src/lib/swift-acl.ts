/**
 * Swift container ACLs (`X-Container-Read`, `X-Container-Write`) as Swift reads them
 * (swift `common/middleware/acl.py`: `clean_acl`, `parse_acl_v1`, `referrer_allowed`; keystoneauth).
 *
 * - On write, the proxy cleans the header: elements are split on `,` and stripped, empty ones
 *   dropped; an element `<designator>:<value>` whose designator starts with `.` must be `.r`,
 *   `.ref`, `.referer` or `.referrer` (exact case), stored as `.r:[-]<host>` (`*.example.com`
 *   becomes `.example.com`); any other designator, an empty host, or a referrer in a write ACL is
 *   refused (400). Other elements are groups, kept as written (`.rlistings` among them).
 * - Reading: groups are %-decoded; a referrer designation allows or denies, in order, the host of
 *   the request's `Referer` (lower case; `unknown` when absent): `*` any host, `.example.com` the
 *   hosts ending so, `-` denies. The last matching designation wins; none matching denies.
 * - keystoneauth: a group `<project>:<user>` (ids or names, `*` for any) grants across projects;
 *   `*:*` is every authenticated user of the platform. Other groups are role names, for the
 *   container's own project only.
 */

export type Header = "x-container-read" | "x-container-write";

export type Cleaned = { ok: true; value: string } | { ok: false; element: string; reason: "designator" | "empty-host" | "referrer-in-write" };

const REFERRER_DESIGNATORS = [".r", ".ref", ".referer", ".referrer"];

/** Python's `str.strip()` (whitespace of both ends). */
function strip(s: string): string {
    return s.replace(/^[\s\u001c-\u001f\u0085]+|[\s\u001c-\u001f\u0085]+$/g, "");
}

/** `clean_acl`: the ACL as Swift stores it, or why Swift refuses it. */
export function cleanAcl(header: Header, value: string): Cleaned {
    const out: string[] = [];
    for (const raw of value.split(",")) {
        const element = strip(raw);
        if (!element) continue;
        const colon = element.indexOf(":");
        if (colon < 0) {
            out.push(element);
            continue;
        }
        const first = strip(element.slice(0, colon));
        let second = strip(element.slice(colon + 1));
        if (!first || !first.startsWith(".")) {
            out.push(element);
            continue;
        }
        if (!REFERRER_DESIGNATORS.includes(first)) return { ok: false, element, reason: "designator" };
        if (header.includes("write")) return { ok: false, element, reason: "referrer-in-write" };
        let negate = false;
        if (second.startsWith("-")) {
            negate = true;
            second = strip(second.slice(1));
        }
        if (second && second !== "*" && second.startsWith("*")) second = strip(second.slice(1));
        if (!second || second === ".") return { ok: false, element, reason: "empty-host" };
        out.push(`.r:${negate ? "-" : ""}${second}`);
    }
    return { ok: true, value: out.join(",") };
}

/** Python's `urllib.parse.unquote` (UTF-8, invalid sequences replaced). */
function unquote(s: string): string {
    if (!s.includes("%")) return s;
    try {
        return decodeURIComponent(s);
    } catch {
        return s.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
            const bytes = Uint8Array.from(run.match(/%[0-9A-Fa-f]{2}/g)!.map((h) => parseInt(h.slice(1), 16)));
            return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
        });
    }
}

/** `parse_acl_v1` on a cleaned ACL: referrer designations (without `.r:`) and groups (%-decoded). */
export function parseAcl(cleaned: string): { referrers: string[]; groups: string[] } {
    const referrers: string[] = [];
    const groups: string[] = [];
    if (cleaned) {
        for (const v of cleaned.split(",")) {
            if (v.startsWith(".r:")) referrers.push(v.slice(3));
            else groups.push(unquote(v));
        }
    }
    return { referrers, groups };
}

/** `referrer_allowed` for the host of a request's Referer (`unknown` when there is none). */
export function referrerAllowed(host: string, referrers: readonly string[]): boolean {
    let allow = false;
    for (let m of referrers) {
        if (m.startsWith("-")) {
            m = m.slice(1);
            if (m === host || (m.startsWith(".") && host.endsWith(m))) allow = false;
        } else if (m === "*" || m === host || (m.startsWith(".") && host.endsWith(m))) {
            allow = true;
        }
    }
    return allow;
}

/** A host label that no designation names: it matches only `*` (and, before a domain, that domain). */
const PROBE = "sec10probe0";

/** A way to read anonymously: any Referer (or none), or a Referer host that the client can send. */
export interface AnonymousRead {
    /** The Referer host let through (`unknown`: no Referer at all). */
    host: string;
    /** `*` when any Referer is let through, else the designation that lets `host` through. */
    shown: string;
}

/**
 * A Referer host that the designations let read anonymously, if any. The Referer is chosen by
 * the client: any allowed host is anonymous read. Complete: if some host is allowed, the last
 * designation matching it is positive, and the probe built from that designation (the host
 * itself, a fresh host, or a fresh label before the domain) matches no later denial either.
 */
export function anonymousRead(referrers: readonly string[]): AnonymousRead | undefined {
    const candidates: AnonymousRead[] = [{ host: "unknown", shown: "*" }, { host: PROBE, shown: "*" }];
    for (const m of referrers) {
        if (m.startsWith("-") || m === "*") continue;
        candidates.push({ host: m.startsWith(".") ? `${PROBE}${m}` : m, shown: m });
    }
    // Swift compares with the lower-cased host of the Referer: an upper-case designation matches nothing.
    return candidates.find((c) => c.host === c.host.toLowerCase() && referrerAllowed(c.host, referrers));
}
