/**
 * Robustness cases: the rules' fixtures, mutated. For the property tests
 * (test/robustness-property.test.ts) and `npm run fuzz`.
 *
 * A case starts from one fixture of one rule (every resource of it, so that stack rules see the
 * relations) and applies 1 to 4 mutations, each at a place of a resource's properties or of its
 * provider's: an existing value (at any depth), or a new key named after a property some fixture
 * uses. The kinds:
 * - missing, null, wrong-type (number, boolean, string, list, object, empty ones), huge (a long
 *   string, a long list, an object with many keys), deep (the value nested 20 to 300 levels down);
 * - unknown (the engine's marker of a value unknown at preview), secret (the value, or a
 *   distinctive text, in the engine's wire form of a secret), asset, archive (every form the engine
 *   sends, an empty asset's hash-only form included), wire (a resource reference, an output value,
 *   an unknown signature);
 * - derogation (a derogation marker where the resource carries them, valid or not);
 * - retype: the first resource's properties sent under another type the pack knows, so that every
 *   type is exercised, those without a fixture of their own included.
 *
 * A case may also name values to wrap as secrets in a twin of the case: the twin's verdicts must be
 * the case's (secret-invariance). Distinctive texts planted as secrets must show nowhere.
 */
import fc from "fast-check";
import type { Fixture } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { ARCHIVE_SIG, ASSET_SIG, OUTPUT_VALUE_SIG, RESOURCE_REFERENCE_SIG } from "@cloud-de-confiance/policies/dist/lib/upstream-guard";
import { EngineResource, secret, SIG_KEY, UNKNOWN } from "../../src/engine/types";
import { engineResources } from "./fixtures";
import { FixtureEntry, getAt, isSpecial, loadEntries, overlaps, PathPart, Target, targetsOf } from "./secrets-oracle";

export const MUTATION_KINDS = ["missing", "null", "wrong-type", "huge", "deep", "unknown", "secret", "asset", "archive", "wire", "derogation", "retype"] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutation {
    kind: Exclude<MutationKind, "retype">;
    resource: number;
    on: "props" | "provider";
    path: PathPart[];
    /** The value put there (none for "missing"). */
    value?: unknown;
}

export interface RobustCase {
    rule: string;
    fixture: number;
    retype?: { resource: number; type: string };
    mutations: Mutation[];
    /** Values wrapped as secrets in the twin (none: no twin). */
    wraps: Target[];
    /** Distinctive texts planted as secrets. */
    distinct: string[];
}

/** A case made into the resources the engine sends. */
export interface Materialized {
    label: string;
    resources: EngineResource[];
    twin?: EngineResource[];
    distinct: string[];
    kinds: MutationKind[];
}

const HASH = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const asset = (o: Record<string, unknown>) => ({ [SIG_KEY]: ASSET_SIG, ...o });
const archive = (o: Record<string, unknown>) => ({ [SIG_KEY]: ARCHIVE_SIG, ...o });

export const ASSET_FORMS: readonly unknown[] = [
    asset({ hash: HASH }),
    asset({ hash: HASH, text: "" }),
    asset({ hash: HASH, text: "#cloud-config\nruncmd: [echo]" }),
    asset({ hash: HASH, path: "./site/index.html" }),
    asset({ hash: HASH, uri: "https://depot.exemple.gouv.fr/a.txt" }),
];

export const ARCHIVE_FORMS: readonly unknown[] = [
    archive({ hash: HASH }),
    archive({ hash: HASH, assets: {} }),
    archive({ hash: HASH, assets: { "a.txt": asset({ hash: HASH, text: "bonjour" }), vide: asset({ hash: HASH }), sous: archive({ path: "./b.zip" }) } }),
    archive({ hash: HASH, path: "./site.zip" }),
    archive({ hash: HASH, uri: "https://depot.exemple.gouv.fr/site.tgz" }),
];

export const WIRE_FORMS: readonly unknown[] = [
    { [SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: "urn:pulumi:prod::p::openstack:networking/network:Network::net", id: "net-1", packageVersion: "5.0.0" },
    { [SIG_KEY]: RESOURCE_REFERENCE_SIG, urn: "urn:pulumi:prod::p::my:component:C::c" },
    { [SIG_KEY]: OUTPUT_VALUE_SIG, value: "eu-west-par-a", secret: false, dependencies: [] },
    { [SIG_KEY]: OUTPUT_VALUE_SIG, dependencies: ["urn:pulumi:prod::p::t::x"] },
    { [SIG_KEY]: "ffffffffffffffffffffffffffffffff", x: 1 },
];

// ------------------------------------------------------------------------------------------------
// What the pack knows.

/** A type token (not a family description such as `openstack:*`). */
const isToken = (t: string) => /^[A-Za-z0-9._-]+:[A-Za-z0-9._/-]*:[A-Za-z0-9._]+$/.test(t);

/** Every resource type the pack knows: the rules' types and the fixtures' (providers included). */
export function knownTypes(entries: readonly FixtureEntry[] = loadEntries()): string[] {
    const out = new Set<string>();
    for (const m of ruleModules()) for (const t of m.rule.types) if (isToken(t)) out.add(t);
    for (const e of entries) {
        for (const r of e.fixture.resources) {
            out.add(r.type);
            if (r.provider) out.add(`pulumi:providers:${r.provider.type}`);
        }
    }
    return [...out].sort();
}

/** Types no fixture has a resource of: reached by retyping. */
export function typesWithoutFixture(entries: readonly FixtureEntry[] = loadEntries()): string[] {
    const seen = new Set(entries.flatMap((e) => e.fixture.resources.map((r) => r.type)));
    return knownTypes(entries).filter((t) => !seen.has(t));
}

/** Property names some fixture uses: where new values go. */
function vocabulary(entries: readonly FixtureEntry[]): string[] {
    const out = new Set<string>();
    const visit = (v: unknown) => {
        if (Array.isArray(v)) v.forEach(visit);
        else if (v !== null && typeof v === "object" && !isSpecial(v)) {
            for (const [k, x] of Object.entries(v)) {
                out.add(k);
                visit(x);
            }
        }
    };
    for (const e of entries) for (const r of e.fixture.resources) {
        visit(r.props);
        if (r.provider) visit(r.provider.props);
    }
    // Not `__proto__`: google-protobuf's maps (jspb.Map, behind every Struct, in the engine's
    // driver as in the pack and @pulumi/policy) lose that key before any code of the pack sees it.
    for (const k of PROTOTYPE_NAMES) if (k !== "__proto__") out.add(k);
    return [...out].sort();
}

/** Every place of a bag: the root's keys, and every value under them. */
function places(props: unknown): { path: PathPart[]; container: "object" | "array" | "leaf" }[] {
    const out: { path: PathPart[]; container: "object" | "array" | "leaf" }[] = [];
    const visit = (v: unknown, p: PathPart[]) => {
        const container = Array.isArray(v) ? "array" : v !== null && typeof v === "object" && !isSpecial(v) ? "object" : "leaf";
        if (p.length > 0) out.push({ path: p, container });
        if (container === "array") (v as unknown[]).forEach((x, i) => visit(x, [...p, i]));
        else if (container === "object") for (const [k, x] of Object.entries(v as object)) visit(x, [...p, k]);
    };
    visit(props, []);
    return out;
}

// ------------------------------------------------------------------------------------------------
// Values.

const ALNUM = [..."abcdefghijklmnopqrstuvwxyz0123456789"];

/** Names of Object.prototype's members, as values and as keys. */
const PROTOTYPE_NAMES = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"];

/** A distinctive secret text: `Zq` and 14 letters and digits (compared by runs of 8). */
export const distinctToken: fc.Arbitrary<string> = fc.array(fc.constantFrom(...ALNUM), { minLength: 14, maxLength: 14 }).map((cs) => "Zq" + cs.join(""));

const smallString = fc.oneof(
    fc.constantFrom("", " ", "x", "true", "0", "-1", "null", "undefined", "*", "0.0.0.0/0", "::/0", "latest", "é", "a=b", "derogation-SEC-06=", "../..", "\u0000", "\u202e"),
    // Names of Object.prototype's members: a value used as a key of a lookup table.
    fc.constantFrom(...PROTOTYPE_NAMES),
    fc.string({ maxLength: 12 }),
);

const smallValue: fc.Arbitrary<unknown> = fc.oneof(
    smallString,
    fc.integer({ min: -70000, max: 70000 }),
    fc.constantFrom(0, -0.5, 1e308, -1e308, 2 ** 53 + 1, true, false, null),
);

const wrongType: fc.Arbitrary<unknown> = fc.oneof(
    smallValue,
    fc.constantFrom([], {}, [null], [[]], [{}], { "": "" }),
    fc.array(smallValue, { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), smallValue, { maxKeys: 4 }),
);

function nest(v: unknown, depth: number, arrays: boolean): unknown {
    let out = v;
    for (let i = 0; i < depth; i++) out = arrays && i % 2 === 1 ? [out] : { n: out };
    return out;
}

/** Sizes of the huge and deep values: the suite's keep it fast, long runs go further. */
export interface Sizes {
    string: [number, number];
    list: [number, number];
    depth: [number, number];
}

export const SUITE_SIZES: Sizes = { string: [2_000, 20_000], list: [50, 200], depth: [10, 60] };
export const FUZZ_SIZES: Sizes = { string: [10_000, 100_000], list: [200, 1000], depth: [20, 150] };

function valueFor(kind: Mutation["kind"], old: unknown, planted: string[], sizes: Sizes): fc.Arbitrary<unknown> {
    switch (kind) {
        case "missing":
            return fc.constant(undefined);
        case "null":
            return fc.constant(null);
        case "wrong-type":
            return wrongType;
        case "huge":
            return fc.oneof(
                fc.tuple(fc.integer({ min: sizes.string[0], max: sizes.string[1] }), fc.constantFrom("a", "é", "0.", "x/", "Zz ")).map(([n, c]) => c.repeat(Math.ceil(n / c.length))),
                fc.integer({ min: sizes.list[0], max: sizes.list[1] }).map((n) => Array.from({ length: n }, () => structuredClone(old ?? "x"))),
                fc.integer({ min: sizes.list[0], max: sizes.list[1] }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i % 3 === 0 ? "v" : i]))),
            );
        case "deep":
            return fc.tuple(fc.integer({ min: sizes.depth[0], max: sizes.depth[1] }), fc.boolean()).map(([d, arrays]) => nest(old ?? "x", d, arrays));
        case "unknown":
            return fc.constant(UNKNOWN);
        case "secret":
            return fc.oneof(
                fc.constant(secret(old ?? null)),
                distinctToken.map((t) => {
                    planted.push(t);
                    return secret(t);
                }),
                fc.tuple(distinctToken, fc.constantFrom("upper", "key=", "list", "url")).map(([t, how]) => {
                    planted.push(t);
                    const v = how === "upper" ? t.toUpperCase() : how === "key=" ? `password=${t}` : how === "list" ? [t, "x"] : `https://u:${t}@depot.exemple.gouv.fr/`;
                    return secret(v);
                }),
            );
        case "asset":
            return fc.constantFrom(...ASSET_FORMS).map((a) => structuredClone(a));
        case "archive":
            return fc.constantFrom(...ARCHIVE_FORMS).map((a) => structuredClone(a));
        case "wire":
            return fc.constantFrom(...WIRE_FORMS).map((a) => structuredClone(a));
        case "derogation":
            return fc.constant(undefined); // made where the resource carries derogations
    }
}

const NEEDS = ["SEC-01", "SEC-03", "SEC-06", "RES-01", "RES-02", "PIL-01", "PROD-02", "XXX-99", "sec-09-pas-de-secret-en-clair"];
const DATES = ["2027-01-31", "2026-12-31", "2020-01-01", "2099-12-31", "31/01/2027", "2027-02-30", ""];

const derogationValue = fc.record({ need: fc.constantFrom(...NEEDS), ref: fc.constantFrom("DEC-2026-7", "", "DEC|X"), date: fc.constantFrom(...DATES), why: fc.constantFrom("motif", "", "a|b") });

/** Puts a derogation marker where the resource carries them (tags, metadata, annotations). */
function addDerogation(type: string, props: Record<string, unknown>, d: { need: string; ref: string; date: string; why: string }): void {
    const value = `${d.ref}|${d.date}|${d.why}`;
    if (type.startsWith("kubernetes:")) {
        const meta = (props.metadata = isObject(props.metadata) ? props.metadata : {}) as Record<string, unknown>;
        const ann = (meta.annotations = isObject(meta.annotations) ? meta.annotations : {}) as Record<string, unknown>;
        ann[`cloud-de-confiance.gouv.fr/derogation-${d.need}`] = value;
    } else if (Array.isArray(props.tags)) props.tags.push(`derogation-${d.need}=${value}`);
    else if (isObject(props.metadata)) (props.metadata as Record<string, unknown>)[`derogation-${d.need}`] = value;
    else props.tags = [`derogation-${d.need}=${value}`];
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !isSpecial(v);
}

// ------------------------------------------------------------------------------------------------
// Cases.

const KIND_WEIGHTS: [Mutation["kind"], number][] = [
    ["missing", 3], ["null", 3], ["wrong-type", 5], ["huge", 1], ["deep", 1], ["unknown", 3],
    ["secret", 4], ["asset", 2], ["archive", 2], ["wire", 1], ["derogation", 2],
];

export interface CaseOptions {
    /** Chance that a case has a twin with values wrapped as secrets. */
    twin: number;
    /** Chance that the first resource is sent under another type. */
    retype: number;
    maxMutations: number;
    sizes: Sizes;
}

export const DEFAULT_CASE_OPTIONS: CaseOptions = { twin: 0.3, retype: 0.2, maxMutations: 4, sizes: SUITE_SIZES };

/** The generator of robustness cases over the given fixtures. */
export function robustCases(entries: readonly FixtureEntry[] = loadEntries(), opts: CaseOptions = DEFAULT_CASE_OPTIONS): fc.Arbitrary<RobustCase> {
    const usable = entries.filter((e) => e.fixture.resources.length > 0);
    const vocab = vocabulary(entries);
    const orphans = typesWithoutFixture(entries);
    const all = knownTypes(entries);
    const kind = fc.oneof(...KIND_WEIGHTS.map(([k, w]) => ({ weight: w, arbitrary: fc.constant(k) })));
    return fc.noBias(fc.integer({ min: 0, max: usable.length - 1 })).chain((i) => {
        const e = usable[i];
        const f = e.fixture;
        const sides = f.resources.flatMap((r, ri) => (r.provider ? [[ri, "props"], [ri, "provider"]] : [[ri, "props"]]) as [number, "props" | "provider"][]);
        const mutation = fc.tuple(fc.constantFrom(...sides), kind, fc.nat(), fc.boolean(), fc.constantFrom(...vocab), fc.nat()).chain(([[ri, on], k, pick, fresh, key, seed]) => {
            const r = f.resources[ri];
            const bag = on === "provider" ? r.provider!.props : r.props;
            const spots = places(bag);
            const objects = [{ path: [] as PathPart[], container: "object" as const }, ...spots.filter((s) => s.container === "object")];
            let path: PathPart[];
            if (k === "missing" || (!fresh && spots.length > 0)) path = spots.length > 0 ? spots[pick % spots.length].path : [key];
            else path = [...objects[pick % objects.length].path, key];
            const planted: string[] = [];
            return valueFor(k, getAt(bag, path), planted, opts.sizes).map((value) => ({ m: { kind: k, resource: ri, on, path, value } as Mutation, planted, seed }));
        });
        return fc
            .record({
                muts: fc.array(mutation, { minLength: 1, maxLength: opts.maxMutations }),
                retype: fc.tuple(fc.noBias(fc.integer({ min: 0, max: 999 })), fc.boolean(), fc.nat()),
                twin: fc.noBias(fc.integer({ min: 0, max: 999 })),
                wrapPicks: fc.uniqueArray(fc.nat(), { minLength: 1, maxLength: 3 }),
                derogations: fc.array(derogationValue, { minLength: 1, maxLength: 1 }),
            })
            .map(({ muts, retype, twin, wrapPicks, derogations }): RobustCase => {
                const c: RobustCase = { rule: e.rule.name, fixture: e.index, mutations: [], wraps: [], distinct: [] };
                for (const { m, planted } of muts) {
                    if (m.kind === "derogation") m.value = derogations[0];
                    c.mutations.push(m);
                    c.distinct.push(...planted);
                }
                if (retype[0] < opts.retype * 1000) {
                    const [, orphan, n] = retype;
                    const pool = orphan && orphans.length > 0 ? orphans : all;
                    c.retype = { resource: 0, type: pool[n % pool.length] };
                }
                if (twin < opts.twin * 1000) {
                    const resources = applyCase(f, c);
                    const targets = resources.flatMap((r, ri) => [...targetsOf(r.props, ri, "props"), ...(r.provider ? targetsOf(r.provider.props, ri, "provider") : [])]);
                    for (const p of wrapPicks) {
                        if (targets.length === 0) break;
                        const t = targets[p % targets.length];
                        if (!c.wraps.some((w) => overlaps(w, t))) c.wraps.push(t);
                    }
                }
                return c;
            });
    });
}

/** Sets a value at a path, creating nothing: a path through a missing or scalar value is skipped. */
function place(root: Record<string, unknown>, path: readonly PathPart[], value: unknown, remove: boolean): void {
    let cur: unknown = root;
    for (const k of path.slice(0, -1)) {
        if (cur === null || typeof cur !== "object" || isSpecial(cur) || !Object.prototype.hasOwnProperty.call(cur, k)) return;
        cur = (cur as Record<string | number, unknown>)[k];
    }
    if (cur === null || typeof cur !== "object" || isSpecial(cur)) return;
    const last = path[path.length - 1];
    if (Array.isArray(cur)) {
        if (typeof last !== "number") return;
        if (remove) cur.splice(last, 1);
        else cur[Math.min(last, cur.length)] = value;
    } else if (remove) delete (cur as Record<string, unknown>)[String(last)];
    // An own property even when named `__proto__`, as JSON gives it.
    else Object.defineProperty(cur, String(last), { value, enumerable: true, writable: true, configurable: true });
}

/** The fixture's resources with the case's mutations made. */
export function applyCase(f: Fixture, c: RobustCase): Fixture["resources"] {
    const resources = structuredClone(f.resources);
    for (const m of c.mutations) {
        const r = resources[m.resource];
        if (!r) continue;
        const bag = m.on === "provider" ? r.provider?.props : r.props;
        if (!bag) continue;
        if (m.kind === "derogation") addDerogation(r.type, bag, m.value as { need: string; ref: string; date: string; why: string });
        else place(bag, m.path, m.value, m.kind === "missing");
    }
    if (c.retype && resources[c.retype.resource]) resources[c.retype.resource].type = c.retype.type;
    return resources;
}

function wrapAll(resources: Fixture["resources"], wraps: readonly Target[]): Fixture["resources"] {
    const out = structuredClone(resources);
    for (const w of wraps) {
        const r = out[w.resource];
        const bag = w.on === "provider" ? r?.provider?.props : r?.props;
        if (!bag || w.path.length === 0) continue;
        const old = getAt(bag, w.path);
        if (old === undefined) continue;
        place(bag, w.path, secret(old), false);
    }
    return out;
}

/** Moves a fixture's URNs into a project of their own, so that cases can share one stack. */
function relocate(resources: EngineResource[], project: string): EngineResource[] {
    const from = "urn:pulumi:test::fixtures::";
    const to = `urn:pulumi:fuzz::${project}::`;
    const m = (u: string) => (u.startsWith(from) ? to + u.slice(from.length) : u);
    return resources.map((r) => ({
        ...r,
        urn: m(r.urn),
        parent: r.parent ? m(r.parent) : undefined,
        dependencies: r.dependencies?.map(m),
        propertyDependencies: r.propertyDependencies ? Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, v]) => [k, v.map(m)])) : undefined,
        provider: r.provider ? { ...r.provider, urn: m(r.provider.urn) } : undefined,
    }));
}

export function caseLabel(c: RobustCase): string {
    const what = c.mutations.map((m) => `${m.kind}@${m.resource}${m.on === "provider" ? "(provider)" : ""}.${m.path.join(".")}`);
    if (c.retype) what.push(`retype@${c.retype.resource}=${c.retype.type}`);
    if (c.wraps.length) what.push(`twin wraps ${c.wraps.map((w) => `${w.resource}.${w.path.join(".")}`).join(", ")}`);
    return `${c.rule} #${c.fixture}: ${what.join(", ")}`;
}

/** The case as the engine would send it, under `project` (unique within a batch). */
export function materialize(c: RobustCase, project: string, entries: readonly FixtureEntry[] = loadEntries()): Materialized {
    const e = entries.find((x) => x.rule.name === c.rule && x.index === c.fixture);
    if (!e) throw new Error(`no fixture ${c.fixture} for rule ${c.rule}`);
    const mutated = applyCase(e.fixture, c);
    const toEngine = (resources: Fixture["resources"]) => relocate(engineResources({ ...e.fixture, resources }), project);
    const kinds: MutationKind[] = c.mutations.map((m) => m.kind);
    if (c.retype) kinds.push("retype");
    return {
        label: caseLabel(c),
        resources: toEngine(mutated),
        twin: c.wraps.length > 0 ? toEngine(wrapAll(mutated, c.wraps)) : undefined,
        distinct: c.distinct,
        kinds,
    };
}
