/**
 * Addresses, security-group semantics and Swift ACLs, read as the OpenStack services read them:
 * every spelling of one meaning gives one reading (property-based, fixed seeds).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { contains, coversWholeSpace, Family, formatPrefix, parsePrefix, Prefix, WIDTH } from "@cloud-de-confiance/policies/dist/lib/net";
import { findings, neutronPorts, neutronProtocol, novaPorts, novaProtocol, Opening } from "@cloud-de-confiance/policies/dist/lib/secgroups";
import { anonymousRead, cleanAcl, parseAcl, referrerAllowed } from "@cloud-de-confiance/policies/dist/lib/swift-acl";

const RUNS = { seed: 20240415, numRuns: 200 };

const octet = fc.integer({ min: 0, max: 255 });
const v4 = fc.tuple(octet, octet, octet, octet);
const group16 = fc.integer({ min: 0, max: 0xffff });
const v6 = fc.array(group16, { minLength: 8, maxLength: 8 });

function v4Value(o: number[]): bigint {
    return o.reduce((v, x) => (v << 8n) | BigInt(x), 0n);
}
function v6Value(g: number[]): bigint {
    return g.reduce((v, x) => (v << 16n) | BigInt(x), 0n);
}
function network(value: bigint, family: Family, length: number): bigint {
    const host = BigInt(WIDTH[family] - length);
    return (value >> host) << host;
}

/** Every textual form inet_pton accepts for an IPv6 address: case, padding, `::` on any zero run, IPv4 tail. */
function v6Spelling(g: number[], choice: { upper: boolean[]; pad: boolean[]; run: number; tail: boolean }): string {
    const hex = g.map((x, i) => {
        let h = x.toString(16);
        if (choice.pad[i]) h = h.padStart(4, "0");
        return choice.upper[i] ? h.toUpperCase() : h;
    });
    let parts: string[] = hex;
    let tail = "";
    if (choice.tail) {
        tail = `${g[6] >> 8}.${g[6] & 255}.${g[7] >> 8}.${g[7] & 255}`;
        parts = hex.slice(0, 6);
    }
    // Zero runs of the groups kept as hex; compress the run-th one, if any.
    const runs: [number, number][] = [];
    for (let i = 0; i < parts.length; ) {
        if (g[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < parts.length && g[j] === 0) j++;
        runs.push([i, j]);
        i = j;
    }
    let text: string;
    if (runs.length > 0 && choice.run >= 0) {
        const [a, b] = runs[choice.run % runs.length];
        text = `${parts.slice(0, a).join(":")}::${parts.slice(b).join(":")}`;
        if (tail) text = text.endsWith("::") ? `${text}${tail}` : `${text}:${tail}`;
    } else {
        text = parts.join(":");
        if (tail) text = `${text}:${tail}`;
    }
    return text;
}

const v6Choice = fc.record({
    upper: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    pad: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    run: fc.integer({ min: -1, max: 3 }),
    tail: fc.boolean(),
});

/** A random split of a family's whole space into prefixes (a binary tree cut at random depths). */
function partition(family: Family, maxDepth: number): fc.Arbitrary<Prefix[]> {
    const width = WIDTH[family];
    const split = (first: bigint, length: number, depth: number): fc.Arbitrary<Prefix[]> =>
        depth >= maxDepth
            ? fc.constant([{ family, first, length }])
            : fc.boolean().chain((leaf) => {
                  if (leaf && length > 0) return fc.constant([{ family, first, length }]);
                  const half = 1n << BigInt(width - length - 1);
                  return fc.tuple(split(first, length + 1, depth + 1), split(first + half, length + 1, depth + 1)).map(([a, b]) => [...a, ...b]);
              });
    return split(0n, 0, 0);
}

describe("préfixes lus comme netaddr (Neutron, Nova, Octavia)", () => {
    test("toute écriture IPv4 de longueur 0 est tout l'espace IPv4", () => {
        const mask0 = fc.constantFrom("0", " 0", "+0", "-0", "00", "0 ", "0.0.0.0");
        fc.assert(
            fc.property(v4, fc.integer({ min: 1, max: 4 }), fc.boolean(), mask0, (o, parts, zeros, mask) => {
                const shown = o.slice(0, parts).map((x) => (zeros ? String(x).padStart(3, "0") : String(x)));
                // A partial address is expanded with zeros: its value is that of the parts given.
                const text = `${shown.join(".")}/${mask}`;
                const p = parsePrefix(text);
                assert.ok(p, text);
                assert.equal(p.family, 4);
                assert.equal(p.length, 0);
                assert.equal(p.first, 0n);
                assert.ok(coversWholeSpace([p], 4));
            }),
            RUNS,
        );
    });

    test("toute écriture IPv6 d'une même adresse donne le même préfixe, de toute longueur", () => {
        fc.assert(
            fc.property(v6, v6Choice, v6Choice, fc.integer({ min: 0, max: 128 }), (g, a, b, length) => {
                const ta = `${v6Spelling(g, a)}/${length}`;
                const tb = `${v6Spelling(g, b)}/${length}`;
                const pa = parsePrefix(ta);
                const pb = parsePrefix(tb);
                assert.ok(pa, ta);
                assert.ok(pb, tb);
                assert.deepEqual(pa, pb);
                assert.equal(pa.family, 6);
                assert.equal(pa.first, network(v6Value(g), 6, length));
                assert.equal(coversWholeSpace([pa], 6), length === 0);
            }),
            RUNS,
        );
    });

    test("les bits d'hôte sont ignorés, la forme canonique se relit à l'identique", () => {
        fc.assert(
            fc.property(v4, fc.integer({ min: 0, max: 32 }), (o, length) => {
                const p = parsePrefix(`${o.join(".")}/${length}`)!;
                assert.equal(p.first, network(v4Value(o), 4, length));
                assert.deepEqual(parsePrefix(formatPrefix(p)), p);
            }),
            RUNS,
        );
        fc.assert(
            fc.property(v6, fc.integer({ min: 0, max: 128 }), (g, length) => {
                const p = parsePrefix(`${v6Spelling(g, { upper: [], pad: [], run: -1, tail: false })}/${length}`)!;
                assert.deepEqual(parsePrefix(formatPrefix(p)), p);
            }),
            RUNS,
        );
    });

    test("masque réseau, masque d'hôte, hôte seul", () => {
        assert.deepEqual(parsePrefix("10.1.2.3/255.0.0.0"), parsePrefix("10.0.0.0/8"));
        assert.deepEqual(parsePrefix("10.1.2.3/0.255.255.255"), parsePrefix("10.0.0.0/8"));
        assert.deepEqual(parsePrefix("10.1.2.3"), parsePrefix("10.1.2.3/32"));
        assert.deepEqual(parsePrefix("2001:db8::1"), parsePrefix("2001:db8::1/128"));
        assert.deepEqual(parsePrefix("2001:db8::/ffff:ffff::"), parsePrefix("2001:db8::/32"));
        assert.deepEqual(parsePrefix("10/8"), parsePrefix("10.0.0.0/8"));
        assert.deepEqual(parsePrefix("::/0"), { family: 6, first: 0n, length: 0 });
        for (const whole of ["0:0::/0", "::0/0", "0::0/0", "0:0:0:0:0:0:0:0/0", "::ffff:1.2.3.4/0", "FFFF::/0", "::/0.0"]) {
            const p = parsePrefix(whole);
            if (whole === "::/0.0") assert.equal(p, undefined, whole);
            else assert.ok(p && p.family === 6 && p.length === 0, whole);
        }
        const mapped = parsePrefix("::ffff:0:0/96")!;
        assert.equal(mapped.family, 6);
        assert.ok(!coversWholeSpace([mapped], 6));
        assert.deepEqual(mapped, parsePrefix("::FFFF:0.0.0.0/96"));
    });

    test("ce que le service refuse n'est pas lu", () => {
        for (const bad of ["", "1.2.3.4/33", "::/129", "1:2:3:4:5:6:7:8:9/64", ":::/0", "1::2::3/64", "abc", "1.2.3.256/8", "10.0.0.0/255.0.255.0", "1.2.3.4.5/8", "::1.2.3/96", "0x0/0", "10.0.0.0/"]) {
            assert.equal(parsePrefix(bad), undefined, bad);
        }
    });

    test("une partition aléatoire de l'espace le couvre ; sans une de ses parties, non", () => {
        for (const family of [4, 6] as const) {
            fc.assert(
                fc.property(partition(family, 7), fc.nat(), (parts, k) => {
                    assert.ok(coversWholeSpace(parts, family));
                    assert.ok(!coversWholeSpace(parts, family === 4 ? 6 : 4));
                    if (parts.length > 1) {
                        const without = parts.filter((_, i) => i !== k % parts.length);
                        assert.ok(!coversWholeSpace(without, family));
                    }
                    const texts = parts.map(formatPrefix);
                    assert.ok(coversWholeSpace(texts.map((t) => parsePrefix(t)!), family));
                }),
                { seed: 7, numRuns: 100 },
            );
        }
        assert.ok(contains(parsePrefix("0.0.0.0/0")!, parsePrefix("10.0.0.0/8")!));
        assert.ok(!contains(parsePrefix("10.0.0.0/8")!, parsePrefix("0.0.0.0/0")!));
    });
});

describe("règles de groupe de sécurité lues comme Neutron", () => {
    test("un protocole en nombre vaut son nom, sans casse ; absent, nul, any ou 0 : tout protocole", () => {
        fc.assert(
            fc.property(
                fc.constantFrom(["tcp", 6], ["udp", 17], ["sctp", 132], ["icmp", 1], ["gre", 47]),
                fc.constantFrom("lower", "upper", "mixed", "number", "text", "spaced"),
                ([name, num], form) => {
                    const spelled = form === "lower" ? name : form === "upper" ? String(name).toUpperCase() : form === "mixed" ? String(name)[0].toUpperCase() + String(name).slice(1)
                        : form === "number" ? num : form === "text" ? String(num) : ` ${num} `;
                    assert.deepEqual(neutronProtocol(spelled), { value: num, loose: false });
                },
            ),
            RUNS,
        );
        for (const any of [undefined, null, "", "any", "ANY", "0", 0]) assert.deepEqual(neutronProtocol(any), { value: "any", loose: false }, String(any));
        for (const bad of ["tcpp", "256", -1, {}, "t c p"]) assert.equal(neutronProtocol(bad).loose, true, String(bad));
        assert.deepEqual(novaProtocol("TCP"), { value: 6, loose: false });
        assert.equal(novaProtocol("6").loose, true);
    });

    test("plage absente, nulle ou 0/0 (relue par le fournisseur) : tous les ports ; plage refusée : au plus ouvert", () => {
        for (const [min, max] of [[undefined, undefined], [null, null], [0, 0], ["0", "0"], ["", ""]]) {
            assert.deepEqual(neutronPorts(6, min, max), { value: { from: 1, to: 65535 }, loose: false });
        }
        assert.deepEqual(neutronPorts(6, 22, 22), { value: { from: 22, to: 22 }, loose: false });
        assert.deepEqual(neutronPorts(6, "22", " 22"), { value: { from: 22, to: 22 }, loose: false });
        for (const [min, max] of [[25, 22], [22, 0], [0, 22], [22, 70000], [22.5, 23]]) assert.equal(neutronPorts(6, min, max).loose, true, `${min}-${max}`);
        assert.deepEqual(novaPorts(1, 65535), { value: { from: 1, to: 65535 }, loose: false });
        assert.equal(novaPorts(-1, -1).loose, true);
    });

    const opening = (id: number, group: string, prefix: string, from: number, to: number, protocol: Opening["protocol"] = 6): Opening => {
        const p = parsePrefix(prefix)!;
        return { id, group, family: p.family, protocol, ports: { from, to }, sources: [p] };
    };

    test("les règles d'un même groupe comptent ensemble, pour les ports qu'elles partagent", () => {
        const half = [opening(0, "g", "0.0.0.0/1", 22, 22), opening(1, "g", "128.0.0.0/1", 20, 25)];
        const f = findings(half, [22, 23]);
        assert.deepEqual(f.map((x) => [x.port, x.contributors.sort(), x.alone]), [[22, [0, 1], false]]);
        assert.deepEqual(findings([opening(0, "g", "0.0.0.0/1", 22, 22), opening(1, "h", "128.0.0.0/1", 22, 22)], [22]), []);
        assert.deepEqual(findings([opening(0, "g", "0.0.0.0/1", 22, 22), opening(1, "g", "128.0.0.0/1", 22, 22, 17)], [22]), []);
        // Every protocol joins each port-carrying protocol; a rule inside another adds nothing.
        const any = [opening(0, "g", "0.0.0.0/1", 1, 65535, "any"), opening(1, "g", "128.0.0.0/1", 1, 65535), opening(2, "g", "10.0.0.0/8", 22, 22)];
        const all = findings(any, [22]).filter((x) => x.protocol === 6);
        assert.deepEqual(all.map((x) => [x.port, x.contributors.sort()]), [["*", [0, 1]], [22, [0, 1]]]);
    });

    test("une partition aléatoire de l'espace en règles d'un même groupe ouvre le port à tout Internet ; sans une règle, non", () => {
        fc.assert(
            fc.property(partition(4, 6), fc.nat(), fc.array(fc.integer({ min: 1, max: 21 }), { minLength: 1 }), (parts, k, lows) => {
                const rules: Opening[] = parts.map((p, i) => ({ id: i, group: "g", family: 4, protocol: 6, ports: { from: lows[i % lows.length], to: 22 + i }, sources: [p] }));
                const f = findings(rules, [22]);
                assert.equal(f.length, 1);
                assert.deepEqual(f[0].contributors.sort((a, b) => a - b), parts.length === 1 ? [0] : rules.map((r) => r.id));
                if (parts.length > 1) assert.deepEqual(findings(rules.filter((r) => r.id !== k % parts.length), [22]), []);
            }),
            { seed: 11, numRuns: 100 },
        );
    });
});

describe("ACL de conteneur lues comme Swift", () => {
    test("nettoyage comme au dépôt (exemples de clean_acl)", () => {
        const cases: [string, string][] = [
            ["bob, sue", "bob,sue"], ["bob , sue", "bob,sue"], ["bob,,,sue", "bob,sue"], [".referrer : *", ".r:*"],
            [".ref:*.example.com", ".r:.example.com"], [".r:*, .rlistings", ".r:*,.rlistings"], [".r:-*.voleur.example", ".r:-.voleur.example"],
        ];
        for (const [raw, clean] of cases) assert.deepEqual(cleanAcl("x-container-read", raw), { ok: true, value: clean }, raw);
        for (const bad of [".r:", ".r:-", ".R:*", ".x:y", ".r:."]) assert.equal(cleanAcl("x-container-read", bad).ok, false, bad);
        assert.deepEqual(cleanAcl("x-container-write", ".r:*"), { ok: false, element: ".r:*", reason: "referrer-in-write" });
        assert.deepEqual(parseAcl("%2A:%2A,.r:*").groups, ["*:*"]);
    });

    test("lecture anonyme : il existe un référent (ou aucun) que les désignations laissent lire — comparaison exhaustive", () => {
        const hosts = ["a.example.fr", "b.example.fr", "example.fr", "cdn.autre.fr"];
        const designation = fc.oneof(
            fc.constantFrom("*", ...hosts, ".example.fr", ".autre.fr", ".fr", "A.EXAMPLE.FR", "unknown"),
        );
        const entry = fc.tuple(fc.boolean(), designation).map(([neg, d]) => (neg ? `-${d}` : d));
        const universe = ["unknown", "zz", ...hosts, "x.a.example.fr", "y.example.fr", "z.autre.fr", "w.fr", "*"];
        fc.assert(
            fc.property(fc.array(entry, { maxLength: 6 }), (referrers) => {
                const brute = universe.some((h) => referrerAllowed(h, referrers));
                const found = anonymousRead(referrers);
                assert.equal(found !== undefined, brute, JSON.stringify(referrers));
                if (found) assert.ok(referrerAllowed(found.host, referrers));
            }),
            { seed: 3, numRuns: 500 },
        );
    });

    test("toutes les écritures de « tout référent » donnent la même lecture", () => {
        const designator = fc.constantFrom(".r", ".ref", ".referer", ".referrer");
        const space = fc.constantFrom("", " ", "  ", "\t");
        fc.assert(
            fc.property(designator, space, space, space, fc.boolean(), (d, s1, s2, s3, listing) => {
                const acl = `${s1}${d}${s2}:${s3}*${listing ? ", .rlistings" : ""}`;
                const c = cleanAcl("x-container-read", acl);
                assert.ok(c.ok, acl);
                const { referrers, groups } = parseAcl(c.value);
                assert.deepEqual(referrers, ["*"]);
                assert.equal(groups.includes(".rlistings"), listing);
                assert.equal(anonymousRead(referrers)?.shown, "*");
            }),
            RUNS,
        );
    });
});
