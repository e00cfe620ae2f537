/**
 * IP prefixes as Neutron, Nova and Octavia read them.
 *
 * These services hand the text to Python's netaddr (`netaddr.IPNetwork(text)`), then keep the
 * address as written (host bits included) while the firewall applies the masked network. The
 * parser below accepts what netaddr accepts, in the versions OpenStack has shipped:
 *
 * - IPv4 tried first, then IPv6 (IPNetwork without a version);
 * - IPv4: a dotted quad; before netaddr 1.0 a partial address was expanded when the strict form
 *   failed (`10/8` is `10.0.0.0/8`, `0/0` is `0.0.0.0/0`, ` 10.0.0.0/8` is accepted, each part read
 *   by Python's `int`). Those forms are accepted here, as the widest reading of what a deployed
 *   Neutron may accept;
 * - IPv6: the forms of `inet_pton` (zero compression `::`, one `::` at most, a trailing dotted IPv4
 *   such as `::ffff:1.2.3.4`, hexadecimal in any case);
 * - the length after `/`: an integer as Python's `int` reads it (spaces, sign), else a netmask
 *   (`255.0.0.0`) or a hostmask (`0.255.255.255`); no length means a single host (/32, /128);
 * - host bits may be set: `10.1.2.3/0` is the whole IPv4 space.
 *
 * A prefix is kept as its family, its network address (host bits cleared) and its length.
 */

export type Family = 4 | 6;

export interface Prefix {
    family: Family;
    /** First address of the network (host bits cleared). */
    first: bigint;
    /** Prefix length, 0 to 32 or 128. */
    length: number;
}

export const WIDTH: Record<Family, number> = { 4: 32, 6: 128 };

const MAX: Record<Family, bigint> = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n };

/** The whole address space of a family (0.0.0.0/0, ::/0). */
export function wholeSpace(family: Family): Prefix {
    return { family, first: 0n, length: 0 };
}

export function lastAddress(p: Prefix): bigint {
    return p.first + (1n << BigInt(WIDTH[p.family] - p.length)) - 1n;
}

/** Whether `outer` contains every address of `inner` (same family). */
export function contains(outer: Prefix, inner: Prefix): boolean {
    return outer.family === inner.family && outer.length <= inner.length && outer.first <= inner.first && lastAddress(inner) <= lastAddress(outer);
}

/** Whether the prefixes of `family` among `list` together cover that family's whole space. */
export function coversWholeSpace(list: readonly Prefix[], family: Family): boolean {
    const own = list.filter((p) => p.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    let next = 0n;
    for (const p of own) {
        if (p.first > next) return false;
        const end = lastAddress(p) + 1n;
        if (end > next) next = end;
        if (next > MAX[family]) return true;
    }
    return next > MAX[family];
}

/** Python's `int(text)` on an ASCII decimal (surrounding whitespace, sign, `_` between digits). */
function pyInt(text: string): number | undefined {
    const m = /^[\s]*([+-]?)(\d+(?:_\d+)*)[\s]*$/.exec(text);
    if (!m) return undefined;
    const n = Number(m[2].replace(/_/g, ""));
    if (!Number.isSafeInteger(n)) return undefined;
    return m[1] === "-" && n !== 0 ? -n : n;
}

/** inet_pton(AF_INET): four decimal octets. Leading zeros are read as decimal (older netaddr did so). */
function ipv4Strict(text: string): bigint | undefined {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (!m) return undefined;
    let v = 0n;
    for (let i = 1; i <= 4; i++) {
        const o = Number(m[i]);
        if (o > 255) return undefined;
        v = (v << 8n) | BigInt(o);
    }
    return v;
}

/** netaddr before 1.0: `expand_partial_address` (1 to 4 parts, each read by `int`, missing ones 0). */
function ipv4Partial(text: string): bigint | undefined {
    if (text.includes(":")) return undefined;
    const parts = text.includes(".") ? text.split(".") : [text];
    if (parts.length < 1 || parts.length > 4) return undefined;
    let v = 0n;
    for (let i = 0; i < 4; i++) {
        const o = i < parts.length ? pyInt(parts[i]) : 0;
        if (o === undefined || o < 0 || o > 255) return undefined;
        v = (v << 8n) | BigInt(o);
    }
    return v;
}

/** inet_pton(AF_INET6). */
function ipv6(text: string): bigint | undefined {
    if (!/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
    let head = text;
    let v4: bigint | undefined;
    const lastColon = text.lastIndexOf(":");
    if (text.includes(".")) {
        if (lastColon < 0) return undefined;
        v4 = ipv4Strict(text.slice(lastColon + 1));
        if (v4 === undefined) return undefined;
        // `::1.2.3.4` keeps its `::`; `1:2:3:4:5:6:1.2.3.4` loses the colon before the IPv4 part.
        head = text.slice(0, lastColon + 1);
        if (!head.endsWith("::")) head = head.slice(0, -1);
    }
    const groupsWanted = v4 !== undefined ? 6 : 8;
    const halves = head.split("::");
    if (halves.length > 2) return undefined;
    const parse = (s: string): number[] | undefined => {
        if (s === "") return [];
        const out: number[] = [];
        for (const g of s.split(":")) {
            if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
            out.push(parseInt(g, 16));
        }
        return out;
    };
    let groups: number[];
    if (halves.length === 2) {
        const a = parse(halves[0]);
        const b = parse(halves[1]);
        if (!a || !b) return undefined;
        const missing = groupsWanted - a.length - b.length;
        if (missing < 1) return undefined;
        groups = [...a, ...new Array<number>(missing).fill(0), ...b];
    } else {
        const a = parse(head);
        if (!a || a.length !== groupsWanted) return undefined;
        groups = a;
    }
    let v = 0n;
    for (const g of groups) v = (v << 16n) | BigInt(g);
    if (v4 !== undefined) v = (v << 32n) | v4;
    return v;
}

function maskLength(mask: bigint, family: Family): number | undefined {
    const width = WIDTH[family];
    const max = MAX[family];
    // netaddr: is_netmask() first (ones then zeros), then is_hostmask() (zeros then ones).
    const inverted = mask ^ max;
    if (((inverted + 1n) & inverted) === 0n) {
        let ones = 0;
        for (let i = width - 1; i >= 0 && ((mask >> BigInt(i)) & 1n) === 1n; i--) ones++;
        return ones;
    }
    if (((mask + 1n) & mask) === 0n) {
        let ones = 0;
        for (let i = 0; i < width && ((mask >> BigInt(i)) & 1n) === 1n; i++) ones++;
        return width - ones;
    }
    return undefined;
}

function parseIn(family: Family, text: string): Prefix | undefined {
    const slash = text.indexOf("/");
    const addrText = slash < 0 ? text : text.slice(0, slash);
    const lenText = slash < 0 ? undefined : text.slice(slash + 1);
    const addr = family === 4 ? ipv4Strict(addrText) ?? ipv4Partial(addrText) : ipv6(addrText);
    if (addr === undefined) return undefined;
    let length: number | undefined;
    if (lenText === undefined) length = WIDTH[family];
    else {
        length = pyInt(lenText);
        if (length === undefined) {
            const mask = family === 4 ? ipv4Strict(lenText) : ipv6(lenText);
            if (mask === undefined) return undefined;
            length = maskLength(mask, family);
        }
    }
    if (length === undefined || length < 0 || length > WIDTH[family]) return undefined;
    const hostBits = BigInt(WIDTH[family] - length);
    return { family, first: (addr >> hostBits) << hostBits, length };
}

/** Reads a prefix as `netaddr.IPNetwork` does; `undefined` when the service would refuse it. */
export function parsePrefix(text: string): Prefix | undefined {
    if (typeof text !== "string" || text === "") return undefined;
    return parseIn(4, text) ?? parseIn(6, text);
}

/** Canonical text of a prefix (network address, compressed IPv6), for messages and tests. */
export function formatPrefix(p: Prefix): string {
    if (p.family === 4) {
        const o = [24n, 16n, 8n, 0n].map((s) => String((p.first >> s) & 255n));
        return `${o.join(".")}/${p.length}`;
    }
    const groups: number[] = [];
    for (let i = 7; i >= 0; i--) groups.push(Number((p.first >> BigInt(i * 16)) & 0xffffn));
    // Longest run of at least two zero groups becomes `::` (RFC 5952).
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; ) {
        if (groups[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && groups[j] === 0) j++;
        if (j - i > bestLen) {
            best = i;
            bestLen = j - i;
        }
        i = j;
    }
    const hex = groups.map((g) => g.toString(16));
    const text = best < 0 ? hex.join(":") : `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
    return `${text}/${p.length}`;
}
