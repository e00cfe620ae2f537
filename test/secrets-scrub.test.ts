/**
 * The secret index and the message renderer, as properties (no pack process): for random secrets
 * and the forms a rule may turn them into, the index says the form is tainted, scrubbing a text
 * that holds it leaves no run of 4 characters of the secret, and a message that quotes it shows
 * the hidden marker instead. A value read at a secret path is hidden whatever its length; with no
 * secret, nothing is hidden. Fixed seeds.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { activate, SecretIndex, SECRET_SIG, SIG_KEY } from "@cloud-de-confiance/policies/dist/lib/secrets";
import { at, HIDDEN, m, MAX_QUOTE, render, renderValue } from "@cloud-de-confiance/policies/dist/lib/message";
import { LANGS } from "@cloud-de-confiance/policies/dist/lib/i18n";

const SEED = 4242;
const RUNS = 300;
const URN = "urn:pulumi:test::fixtures::openstack:compute/instance:Instance::web";
/** The marker the tests scrub with: no secret holds it. */
const MARK = "\u2588";

function fold(s: string): string {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** Runs of 4 characters of `secret` found in `text` (folded), except those in `allowed`. */
function runsIn(secret: string, text: string, allowed = ""): string[] {
    const s = fold(secret);
    const t = fold(text);
    const a = fold(allowed);
    const out: string[] = [];
    for (let i = 0; i + 4 <= s.length; i++) {
        const g = s.slice(i, i + 4);
        if (t.includes(g) && !a.includes(g)) out.push(g);
    }
    return out;
}

const LETTERS = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàçôüï"];
const DIGITS = [..."0123456789"];
const PUNCT = [..."!\"#$%&'()*+-.;<>?[\\]^_`{|}~"];
const SEPARATORS = ["/", ":", "=", "@", ","];

/** A secret: 7 to 40 letters, digits and punctuation. */
const secretText = fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...LETTERS) }, { weight: 2, arbitrary: fc.constantFrom(...DIGITS) }, { weight: 1, arbitrary: fc.constantFrom(...PUNCT) }), {
        minLength: 7,
        maxLength: 40,
    })
    .map((cs) => cs.join(""));

/** A secret made of parts of 4 characters or more, joined by separators (`user:pass@host`). */
const compositeSecret = fc
    .tuple(
        fc.array(fc.array(fc.constantFrom(...LETTERS, ...DIGITS), { minLength: 4, maxLength: 12 }).map((cs) => cs.join("")), { minLength: 2, maxLength: 4 }),
        fc.array(fc.constantFrom(...SEPARATORS), { minLength: 3, maxLength: 3 }),
    )
    .map(([parts, seps]) => parts.reduce((acc, p, i) => (i === 0 ? p : acc + seps[(i - 1) % seps.length] + p), ""));

/**
 * A secret full of characters JSON escapes: runs of 1 to 3 letters between quotes, backslashes,
 * new lines and tabs (a multi-line key, a quoted password), so that its escaped form may share no
 * run of 4 characters with it.
 */
const escapedHeavySecret = fc
    .array(fc.tuple(fc.array(fc.constantFrom(...LETTERS.slice(0, 26)), { minLength: 1, maxLength: 3 }), fc.constantFrom('"', "\\", "\n", "\t")), {
        minLength: 3,
        maxLength: 12,
    })
    .map((chunks) => chunks.map(([cs, esc]) => cs.join("") + esc).join("") + "x")
    .filter((s) => s.trim().length >= 7 && s.length <= 40);

const ACCENTED: Record<string, string> = { a: "à", e: "é", i: "î", o: "ô", u: "ü", c: "ç", n: "ñ", A: "Â", E: "È", O: "Ö" };

function accentVariant(s: string, flip: boolean[]): string {
    // Adds accents to plain letters and removes them from accented ones, letter by letter.
    return [...s]
        .map((ch, i) => {
            if (!flip[i % flip.length]) return ch;
            const plain = ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
            if (plain !== ch) return plain;
            return ACCENTED[ch] ?? ch;
        })
        .join("");
}

interface Transformation {
    name: string;
    /** The forms of `s` (several when the transformation has parts). */
    apply(s: string, pick: { k: number; flip: boolean[]; prefix: string; suffix: string }): string[];
}

const TRANSFORMATIONS: Transformation[] = [
    { name: "identity", apply: (s) => [s] },
    { name: "lower-case", apply: (s) => [s.toLowerCase()] },
    { name: "upper-case", apply: (s) => [s.toUpperCase()] },
    { name: "trimmed, spaces added", apply: (s) => [`  ${s.trim()} \t`] },
    { name: "prefix", apply: (s, { k }) => [s.slice(0, Math.max(4, k % (s.length + 1)))] },
    { name: "suffix", apply: (s, { k }) => [s.slice(s.length - Math.max(4, k % (s.length + 1)))] },
    { name: "JSON-escaped", apply: (s) => [JSON.stringify(s), JSON.stringify(s).slice(1, -1), JSON.stringify({ v: s })] },
    { name: "split on / : = @ ,", apply: (s) => s.split(/[/:=@,]/).filter((p) => p.length >= 4) },
    { name: "embedded in a longer text", apply: (s, { prefix, suffix }) => [`${prefix}${s}${suffix}`] },
    { name: "accent variant", apply: (s, { flip }) => [accentVariant(s, flip)] },
];

const picks = fc.record({
    k: fc.nat({ max: 64 }),
    flip: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
    prefix: fc.string({ maxLength: 30 }),
    suffix: fc.string({ maxLength: 30 }),
});

function indexOf(secret: string): SecretIndex {
    const index = new SecretIndex();
    index.add(URN, { adminPass: { [SIG_KEY]: SECRET_SIG, value: secret }, name: "web" });
    return index;
}

/** Runs `f` with the index visible to the renderer, as the pack does during a call. */
function during<T>(index: SecretIndex, f: () => T): T {
    const release = activate(index);
    try {
        return f();
    } finally {
        release();
    }
}

for (const [kind, arb] of [
    ["random", secretText],
    ["composite", compositeSecret],
    ["escape-heavy", escapedHeavySecret],
] as const) {
    for (const t of TRANSFORMATIONS) {
        test(`${kind} secret, ${t.name}: tainted, scrubbed, hidden in messages`, () => {
            fc.assert(
                fc.property(arb, picks, (s, p) => {
                    const index = indexOf(s);
                    for (const form of t.apply(s, p)) {
                        // Forms without a run of the secret's text left (a prefix of spaces) say nothing of it.
                        if (fold(form).trim().length < 4) continue;
                        assert.ok(index.tainted(form), `not tainted: ${JSON.stringify(form)} (secret ${JSON.stringify(s)})`);
                        const text = `avant ${form} après`;
                        const scrubbed = index.scrub(text, MARK);
                        // Nothing of the secret is left, as written or JSON-escaped.
                        for (const written of [s, JSON.stringify(s).slice(1, -1)]) {
                            assert.deepEqual(runsIn(written, scrubbed, text.replace(form, "")), [], `scrub(${JSON.stringify(text)}) = ${JSON.stringify(scrubbed)} (secret ${JSON.stringify(s)})`);
                        }
                        for (const lang of LANGS) {
                            const out = during(index, () => render(m`x ${form} y`, { lang, urn: URN }));
                            assert.equal(out, `x ${HIDDEN[lang]} y`, `secret ${JSON.stringify(s)}, form ${JSON.stringify(form)}`);
                        }
                    }
                }),
                { seed: SEED, numRuns: RUNS },
            );
        });
    }
}

test("a value read at a secret path is hidden, even shorter than 4 characters", () => {
    fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 3 }), fc.constantFrom("port", "adminPass", "spec.ports[0].port"), fc.boolean(), (v, path, shortValueInIndex) => {
            const index = new SecretIndex();
            const wire: Record<string, unknown> = {};
            // The secret at `path`, as the engine sends it (the value itself or a different one).
            const parts = path.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== "");
            let cur: any = wire;
            parts.slice(0, -1).forEach((k, i) => {
                cur[k] = /^\d+$/.test(parts[i + 1]) ? [] : {};
                cur = cur[k];
            });
            cur[parts[parts.length - 1]] = { [SIG_KEY]: SECRET_SIG, value: shortValueInIndex ? v : 7 };
            index.add(URN, wire);
            for (const lang of LANGS) {
                const out = during(index, () => render(m`x ${at(v, path)} y`, { lang, urn: URN }));
                assert.equal(out, `x ${HIDDEN[lang]} y`, `${path} = ${JSON.stringify(v)}`);
                // The same value at a path that is not secret, and not derived from the secret, shows.
                if (!shortValueInIndex) {
                    const shown = during(index, () => render(m`x ${at(v, "name")} y`, { lang, urn: URN }));
                    assert.equal(shown, `x ${renderValue(v, { lang })} y`);
                }
            }
        }),
        { seed: SEED, numRuns: RUNS },
    );
});

test("with no secret, nothing is hidden", () => {
    fc.assert(
        fc.property(fc.string({ maxLength: MAX_QUOTE }), fc.string({ maxLength: 200 }), (v, text) => {
            const index = new SecretIndex();
            index.add(URN, { name: v, tags: [v, text], nested: { value: v } });
            assert.equal(index.size, 0);
            assert.equal(index.tainted(v), false);
            assert.equal(index.tainted(text), false);
            assert.equal(index.scrub(text, MARK), text);
            for (const lang of LANGS) {
                assert.equal(during(index, () => render(m`x ${v} y`, { lang, urn: URN })), `x ${v} y`);
                assert.equal(during(index, () => render(m`x ${at(v, "name")} y`, { lang, urn: URN })), `x ${v} y`);
                // And with no index active at all.
                assert.equal(render(m`x ${v} y`, { lang }), `x ${v} y`);
            }
        }),
        { seed: SEED, numRuns: RUNS },
    );
});
