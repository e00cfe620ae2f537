/**
 * The oracle of the secret properties (test/secrets-property.test.ts, scripts/fuzz-secrets.ts):
 * fixture variants where values are made secret, run through the real pack, and what must hold
 * of the pack's answer.
 *
 * A case is one fixture of one rule and one or more substitutions, each at a target: a string leaf,
 * an object or an array of a resource's properties (or of its provider's). The substituted value
 * is sent in the engine's wire form of a secret, `{ [SIG_KEY]: SECRET_SIG, value }`.
 *
 * - "wrap" cases wrap the value already there. The verdicts must not change: the multiset of
 *   (policy, URN, level, cannot-check or not) of the diagnostics, and the number of remediations,
 *   are those of the fixture as written.
 * - "distinct" cases put a distinctive value (and transformed copies of it) where string leaves
 *   were, as secrets. The verdicts may change; only what is shown is checked.
 *
 * No leak: no run of 4 characters of a secret text, as written or JSON-escaped (case-insensitive,
 * accents folded), appears in a diagnostic's message or description, in a remediation's
 * description or diagnostic, or in a string of a remediation's returned properties that is
 * neither secret nor sent in clear in the request. Secret texts are the string leaves under a
 * secret of the request (the substituted ones, and those the fixture already made secret) longer
 * than 6 characters; in "distinct" cases, the distinctive value.
 *
 * In "wrap" cases, a run that also appears in public text cannot be told from it and is not
 * counted: the fixture's resource and provider names, URNs, type tokens (and their short forms),
 * property names, stack tags, the rule's configuration and the pack settings it gives (and the
 * provider profile they select); the static texts of the policy the diagnostic comes from: its
 * name, title, description and remediation in both languages, its configuration descriptions and
 * defaults, and the literal text of its module (the literal parts of its message templates); the
 * text the pack frames every message with (message.ts, rule.ts, derogations.ts) and the engine's
 * "can't run … during preview" text. And a resource's own Analyze or Remediate call does not carry
 * the secrets of other resources: a run of one of those that the resource sends in clear itself is
 * that resource's text, not counted in what this call says. In "distinct" cases nothing is
 * excused: the distinctive value is drawn with no run in common with any of that text.
 *
 * Remediations keep secrets: a property that was secret in the request is still secret (in wire
 * form, itself or under a secret ancestor) in the properties a remediation returns.
 */
import * as fs from "fs";
import * as path from "path";
import fc from "fast-check";
import ts from "typescript";
import type { Fixture, FixtureResource } from "@cloud-de-confiance/policies/dist/lib/fixture";
import type { ConfigProperty, Rule } from "@cloud-de-confiance/policies/dist/lib/rule";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { PROVIDER_PROFILES } from "@cloud-de-confiance/policies/dist/lib/profiles";
import { PolicyPackProcess } from "../../src/engine/driver";
import { evaluate, Evaluation, isCannotCheck } from "../../src/engine/engine";
import { AnalyzerInfo, EngineResource, SECRET_SIG, SIG_KEY, UNKNOWN } from "../../src/engine/types";
import { engineResources, fixtureConfig } from "./fixtures";

/** Length of the runs compared. */
export const RUN = 4;
/** Secret texts this long or shorter are not checked by content (a port, "true", a zone letter). */
export const MIN_SECRET_LENGTH = 6;

export type PathPart = string | number;

/** Where a substitution goes: resource `resource` of the fixture, its props or its provider's. */
export interface Target {
    resource: number;
    on: "props" | "provider";
    path: PathPart[];
    kind: "leaf" | "object" | "array";
}

export interface Substitution {
    target: Target;
    /** The secret's value; the value already there when absent (a "wrap" case). */
    value?: string;
}

export interface CaseSpec {
    generator: "wrap" | "distinct";
    rule: string;
    /** Index of the fixture in the rule's fixtures file. */
    fixture: number;
    substitutions: Substitution[];
    /** "distinct" cases: the distinctive value the substituted values are made from. */
    distinctive?: string;
}

export interface FixtureEntry {
    rule: Rule;
    ruleFile: string;
    fixture: Fixture;
    index: number;
    /** Every string leaf, object and array that can be made secret. */
    targets: Target[];
    /** The string leaves among them. */
    leaves: Target[];
}

export interface CaseFailure {
    spec: CaseSpec;
    /** What went wrong, naming the rule, the fixture, the path and the diagnostic. */
    message: string;
}

// ------------------------------------------------------------------------------------------------
// Text comparison.

/** Lower-cased, accents removed (the oracle's own definition, independent of the pack's). */
export function fold(s: string): string {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

/** The runs of `RUN` characters of a text, folded. */
export function runsOf(text: string, run = RUN): Set<string> {
    const t = fold(text);
    const out = new Set<string>();
    for (let i = 0; i + run <= t.length; i++) out.add(t.slice(i, i + run));
    return out;
}

function addRuns(into: Set<string>, text: string): void {
    for (const g of runsOf(text)) into.add(g);
}

/**
 * The forms a secret is written in, as text: as is, and JSON-escaped (quoted inside an object or a
 * list), which has other runs when the secret holds quotes, backslashes or line breaks.
 */
export function writtenForms(secret: string): string[] {
    const escaped = JSON.stringify(secret).slice(1, -1);
    return escaped === secret ? [secret] : [secret, escaped];
}

/**
 * The runs of `secret` found in `text` that are not in `publicRuns`, merged into the longest
 * stretches of the secret they form (what the failure message shows). Runs of `run` characters
 * (`RUN` unless told).
 */
export function leakedRuns(secret: string, text: string, publicRuns: (g: string) => boolean, run = RUN): string[] {
    const s = fold(secret);
    const t = fold(text);
    const hit = new Uint8Array(s.length);
    let any = false;
    for (let i = 0; i + run <= s.length; i++) {
        const g = s.slice(i, i + run);
        if (t.includes(g) && !publicRuns(g)) {
            hit.fill(1, i, i + run);
            any = true;
        }
    }
    if (!any) return [];
    const out: string[] = [];
    for (let i = 0; i < s.length; ) {
        if (!hit[i]) {
            i++;
            continue;
        }
        const j0 = i;
        while (i < s.length && hit[i]) i++;
        out.push(s.slice(j0, i));
    }
    return out;
}

// ------------------------------------------------------------------------------------------------
// Fixtures, targets, variants.

export function isWrapper(v: unknown): v is { value: unknown } {
    return typeof v === "object" && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export function isSpecial(v: unknown): boolean {
    return typeof v === "object" && v !== null && !Array.isArray(v) && SIG_KEY in (v as Record<string, unknown>);
}

export function containsSecret(v: unknown): boolean {
    if (isWrapper(v)) return true;
    if (Array.isArray(v)) return v.some(containsSecret);
    if (typeof v === "object" && v !== null) return Object.values(v).some(containsSecret);
    return false;
}

/**
 * Targets of one property bag: string leaves (a value unknown at preview too: the engine sends an
 * unknown secret as the secret of the unknown marker), objects and arrays, outside secrets, assets
 * and archives.
 */
export function targetsOf(props: Record<string, unknown>, resource: number, on: Target["on"]): Target[] {
    const out: Target[] = [];
    const visit = (v: unknown, p: PathPart[]) => {
        if (isSpecial(v)) return; // already secret, or an asset or archive
        if (typeof v === "string") {
            out.push({ resource, on, path: p, kind: "leaf" });
            return;
        }
        if (typeof v !== "object" || v === null) return;
        // A secret inside a secret is not a form the engine sends.
        if (p.length > 0 && !containsSecret(v)) out.push({ resource, on, path: p, kind: Array.isArray(v) ? "array" : "object" });
        if (Array.isArray(v)) v.forEach((x, i) => visit(x, [...p, i]));
        else for (const [k, x] of Object.entries(v)) visit(x, [...p, k]);
    };
    visit(props, []);
    return out;
}

export function fixtureTargets(f: Fixture): Target[] {
    const out: Target[] = [];
    f.resources.forEach((r, i) => {
        out.push(...targetsOf(r.props, i, "props"));
        if (r.provider) out.push(...targetsOf(r.provider.props, i, "provider"));
    });
    return out;
}

let entriesCache: FixtureEntry[] | undefined;

/** Every fixture of every rule, with its targets, in registry order. */
export function loadEntries(): FixtureEntry[] {
    if (entriesCache) return entriesCache;
    const out: FixtureEntry[] = [];
    for (const m of ruleModules()) {
        const list: Fixture[] = m.fixturesFile ? (require(m.fixturesFile) as { default: Fixture[] }).default : [];
        list.forEach((fixture, index) => {
            const targets = fixtureTargets(fixture);
            out.push({ rule: m.rule, ruleFile: m.file, fixture, index, targets, leaves: targets.filter((t) => t.kind === "leaf") });
        });
    }
    entriesCache = out;
    return out;
}

export function entryOf(spec: Pick<CaseSpec, "rule" | "fixture">): FixtureEntry {
    const e = loadEntries().find((x) => x.rule.name === spec.rule && x.index === spec.fixture);
    if (!e) throw new Error(`no fixture ${spec.fixture} for rule ${spec.rule}`);
    return e;
}

export function formatPath(f: Fixture, t: Target): string {
    const r = f.resources[t.resource];
    const base = t.on === "provider" ? `${r.name} (provider ${r.provider?.name}).props` : `${r.name}.props`;
    return base + pathText(t.path);
}

/** Where a target is, as `secretTexts` names it. */
function formatWhere(f: Fixture, t: Target): string {
    const r = f.resources[t.resource];
    return (t.on === "provider" ? `${r.name} (provider ${r.provider?.name})` : r.name) + t.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("");
}

function pathText(path: readonly PathPart[]): string {
    return path.map((p) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join("");
}

export function getAt(root: unknown, p: readonly PathPart[]): unknown {
    let cur = root;
    for (const k of p) {
        // Own values only: `toString` or `constructor` is no property of a bag.
        if (typeof cur !== "object" || cur === null || !Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
        cur = (cur as Record<string | number, unknown>)[k];
    }
    return cur;
}

export function setAt(root: Record<string, unknown>, p: readonly PathPart[], v: unknown): void {
    let cur: any = root;
    for (const k of p.slice(0, -1)) cur = cur[k];
    cur[p[p.length - 1]] = v;
}

function secretWire(value: unknown): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

/** The fixture with its substitutions made, as secrets. */
export function variant(f: Fixture, subs: readonly Substitution[]): Fixture {
    const resources: FixtureResource[] = structuredClone(f.resources);
    for (const s of subs) {
        const r = resources[s.target.resource];
        const props = s.target.on === "provider" ? r.provider!.props : r.props;
        const old = getAt(props, s.target.path);
        setAt(props, s.target.path, secretWire(s.value === undefined ? old : s.value));
    }
    return { ...f, resources };
}

/** Every string leaf under a value (the text of a secret). */
export function stringLeaves(v: unknown, out: string[] = []): string[] {
    if (typeof v === "string") out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => stringLeaves(x, out));
    else if (typeof v === "object" && v !== null) Object.values(v).forEach((x) => stringLeaves(x, out));
    return out;
}

export interface SecretText {
    text: string;
    where: string;
    /**
     * URNs of the resources whose own Analyze and Remediate calls carry this secret: the resource
     * it belongs to (a provider's properties are sent with each resource, as each resource's own
     * copy). AnalyzeStack carries all.
     */
    owners: Set<string>;
}

/** Secret texts of a request: the string leaves under each secret, with where they are. */
export function secretTexts(resources: readonly EngineResource[]): SecretText[] {
    const out: SecretText[] = [];
    const visit = (v: unknown, where: string, owners: Set<string>) => {
        if (isWrapper(v)) {
            for (const s of stringLeaves(v.value)) if (s.length > MIN_SECRET_LENGTH && s !== UNKNOWN) out.push({ text: s, where, owners });
            return;
        }
        if (Array.isArray(v)) v.forEach((x, i) => visit(x, `${where}[${i}]`, owners));
        else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) visit(x, `${where}.${k}`, owners);
    };
    for (const r of resources) {
        visit(r.properties, r.name, new Set([r.urn]));
        if (r.provider) visit(r.provider.properties, `${r.name} (provider ${r.provider.name})`, new Set([r.urn]));
    }
    return out;
}

/** Paths of the secrets of a property bag (wire form). */
export function secretPaths(v: unknown, p: PathPart[] = [], out: PathPart[][] = []): PathPart[][] {
    if (isWrapper(v)) out.push(p);
    else if (Array.isArray(v)) v.forEach((x, i) => secretPaths(x, [...p, i], out));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) secretPaths(x, [...p, k], out);
    return out;
}

/** String leaves of a property bag that are not under a secret. */
export function clearLeaves(v: unknown, out: Set<string> = new Set()): Set<string> {
    if (isWrapper(v)) return out;
    if (typeof v === "string") out.add(v);
    else if (Array.isArray(v)) v.forEach((x) => clearLeaves(x, out));
    else if (typeof v === "object" && v !== null) Object.values(v).forEach((x) => clearLeaves(x, out));
    return out;
}

/** Whether the value at `p` is secret: itself, or under a secret ancestor. */
export function secretAt(root: unknown, p: readonly PathPart[]): "secret" | "clear" | "absent" {
    let cur = root;
    if (isWrapper(cur)) return "secret";
    for (const k of p) {
        if (typeof cur !== "object" || cur === null) return "absent";
        cur = (cur as Record<string | number, unknown>)[k];
        if (cur === undefined) return "absent";
        if (isWrapper(cur)) return "secret";
    }
    return "clear";
}

// ------------------------------------------------------------------------------------------------
// Public text.

/** The keys of a value, and its property paths (`spec.template.spec.containers[0]`): public text. */
function keysOf(v: unknown, out: string[] = [], at = ""): string[] {
    if (Array.isArray(v)) v.forEach((x, i) => keysOf(x, out, `${at}[${i}]`));
    else if (typeof v === "object" && v !== null) {
        for (const [k, x] of Object.entries(v)) {
            const path = at ? `${at}.${k}` : k;
            out.push(k, path);
            keysOf(x, out, path);
        }
    }
    return out;
}

function shortType(type: string): string {
    const m = /^([^:]+):([^:]*):(.+)$/.exec(type);
    if (!m) return type;
    const mod = m[2].split("/")[0];
    return mod ? `${mod}/${m[3]}` : m[3];
}

/** Every string and template literal part of a JavaScript module: the text it can write by itself. */
function moduleLiterals(file: string): string[] {
    const src = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, false, ts.ScriptKind.JS);
    const out: string[] = [];
    const visit = (n: ts.Node) => {
        if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
        else if (ts.isTemplateExpression(n)) {
            out.push(n.head.text);
            for (const s of n.templateSpans) out.push(s.literal.text);
        }
        ts.forEachChild(n, visit);
    };
    visit(src);
    return out;
}

/**
 * The pack modules a rule module imports directly that write message text themselves (they use
 * message.ts's templates): the literal parts of their templates are the rule's text too (PIL-03
 * and PIL-05 write their summaries through lib/cost/summary.ts).
 */
function messageWriters(file: string): string[] {
    const text = fs.readFileSync(file, "utf8");
    const out: string[] = [];
    // The built pack requires its modules by file name (scripts/pack-imports.js), with ".js".
    for (const m of text.matchAll(/require\("(\.{1,2}\/[^"]+?)(?:\.js)?"\)/g)) {
        const dep = path.resolve(path.dirname(file), m[1]) + ".js";
        if (!fs.existsSync(dep) || !dep.startsWith(POLICIES_DIST)) continue;
        if (["lib/message.js", "lib/rule.js", "lib/derogations.js"].some((f) => dep === path.join(POLICIES_DIST, f))) continue;
        if (/require\("(?:\.{1,2}\/)+(?:lib\/)?message(?:\.js)?"\)/.test(fs.readFileSync(dep, "utf8"))) out.push(dep);
    }
    return out;
}

const POLICIES_DIST = path.dirname(require.resolve("@cloud-de-confiance/policies/dist/registry"));

let frameRuns: Set<string> | undefined;

/** Text the pack frames every message with, and the engine's text for values unknown at preview. */
function frame(info: AnalyzerInfo): Set<string> {
    if (frameRuns) return frameRuns;
    const s = new Set<string>();
    for (const f of ["lib/message.js", "lib/rule.js", "lib/derogations.js"]) for (const t of moduleLiterals(path.join(POLICIES_DIST, f))) addRuns(s, t);
    addRuns(s, `can't run policy from policy pack during preview: unknown value at can't be known during preview`);
    addRuns(s, `can't run remediation`);
    addRuns(s, `'${info.name}@v${info.version}'`);
    frameRuns = s;
    return s;
}

const ruleRunsCache = new Map<string, Set<string>>();

/** Static text of a policy: name, title, description, remediation, configuration, module literals. */
function ruleRuns(rule: Rule | undefined, ruleFile: string | undefined, policyName: string, info: AnalyzerInfo): Set<string> {
    const hit = ruleRunsCache.get(policyName);
    if (hit) return hit;
    const s = new Set<string>();
    addRuns(s, policyName);
    const p = info.policies.find((x) => x.name === policyName);
    if (p) {
        addRuns(s, p.description);
        addRuns(s, p.displayName);
        addRuns(s, p.remediationSteps);
        addRuns(s, JSON.stringify(p.configSchema ?? {}));
    }
    if (rule) {
        for (const t of [rule.title, rule.description, rule.remediation]) {
            addRuns(s, t.fr);
            addRuns(s, t.en);
        }
        // A message without a fix of its own ends with the remediation, after the frame's label.
        addRuns(s, `Correction : ${rule.remediation.fr}`);
        addRuns(s, `Fix: ${rule.remediation.en}`);
        for (const n of rule.needs) addRuns(s, n);
        for (const c of Object.values(rule.config as Record<string, ConfigProperty>)) {
            addRuns(s, c.description.fr);
            addRuns(s, c.description.en);
            for (const x of stringLeaves(c.default)) addRuns(s, x);
            addRuns(s, JSON.stringify(c.default) ?? "");
        }
    }
    if (ruleFile) for (const f of [ruleFile, ...messageWriters(ruleFile)]) for (const t of moduleLiterals(f)) addRuns(s, t);
    ruleRunsCache.set(policyName, s);
    return s;
}

/** Public text of a fixture. */
function fixtureRuns(f: Fixture, resources: readonly EngineResource[]): Set<string> {
    const s = new Set<string>();
    for (const r of resources) {
        // The resource as every message names it: « name » or "name".
        for (const t of [r.urn, r.name, `« ${r.name} »`, `"${r.name}"`, r.type, shortType(r.type), ...keysOf(r.properties)]) addRuns(s, t);
        if (r.provider) for (const t of [r.provider.urn, r.provider.name, r.provider.type, shortType(r.provider.type), ...keysOf(r.provider.properties)]) addRuns(s, t);
    }
    for (const v of [f.config ?? {}, f.settings ?? {}, f.stackTags ?? {}]) {
        for (const t of [...stringLeaves(v), ...keysOf(v)]) addRuns(s, t);
    }
    const profile = PROVIDER_PROFILES.find((p) => p.id === (f.settings?.["profil"] ?? "defaut"));
    if (profile) for (const t of stringLeaves(profile.values)) addRuns(s, t);
    return s;
}

// ------------------------------------------------------------------------------------------------
// Running cases.

/** The verdicts of an evaluation: (policy, URN, level, cannot-check) of each diagnostic, sorted. */
export function verdicts(ev: Evaluation): string[] {
    return ev.diagnostics.map((d) => `${d.policyName} | ${d.urn} | ${d.enforcementLevel} | ${isCannotCheck(d) ? "cannot-check" : "checked"}`).sort();
}

export function multisetDiff(a: string[], b: string[]): { onlyA: string[]; onlyB: string[] } {
    const count = new Map<string, number>();
    for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
    const onlyB: string[] = [];
    for (const x of b) {
        const n = count.get(x) ?? 0;
        if (n > 0) count.set(x, n - 1);
        else onlyB.push(x);
    }
    const onlyA = [...count].flatMap(([x, n]) => Array(n).fill(x) as string[]);
    return { onlyA, onlyB };
}

export interface OracleStats {
    cases: number;
    wrap: number;
    distinct: number;
    rules: Set<string>;
    fixtures: Set<string>;
    secretsChecked: number;
}

export class SecretsOracle {
    readonly stats: OracleStats = { cases: 0, wrap: 0, distinct: 0, rules: new Set(), fixtures: new Set(), secretsChecked: 0 };
    private readonly baselines = new Map<string, Evaluation>();
    /** The pack's info with validation of the configuration left out (see `run`). */
    private readonly fastInfo: AnalyzerInfo;
    private readonly rulesByName: Map<string, { rule: Rule; file: string }>;

    private constructor(private readonly pack: PolicyPackProcess, private readonly info: AnalyzerInfo) {
        this.fastInfo = { ...info, supportsConfig: false };
        this.rulesByName = new Map(ruleModules().map((m) => [m.rule.name, { rule: m.rule, file: m.file }]));
    }

    static async create(pack: PolicyPackProcess): Promise<SecretsOracle> {
        return new SecretsOracle(pack, await pack.getAnalyzerInfo());
    }

    /**
     * Evaluates a fixture as rules.test.ts does. The configuration is the fixture's: the first run
     * of a fixture (its baseline) validates it as the CLI does; variants only change resources, so
     * they skip the (slow) schema validation and keep everything else of the engine's sequence.
     */
    private async run(e: FixtureEntry, f: Fixture, validated: boolean): Promise<Evaluation> {
        return evaluate(this.pack, engineResources(f), {
            config: fixtureConfig(e.rule.name, f),
            stack: { project: "fixtures", stack: "test", tags: f.stackTags ?? {} },
            info: validated ? this.fastInfo : this.info,
        });
    }

    async baseline(e: FixtureEntry): Promise<Evaluation> {
        const key = `${e.rule.name}#${e.index}`;
        let ev = this.baselines.get(key);
        if (!ev) {
            ev = await this.run(e, e.fixture, false);
            this.baselines.set(key, ev);
        }
        return ev;
    }

    /** Runs one case and returns what went wrong (nothing when the properties hold). */
    async check(spec: CaseSpec): Promise<CaseFailure[]> {
        const e = entryOf(spec);
        const f = variant(e.fixture, spec.substitutions);
        const where = spec.substitutions.map((s) => formatPath(e.fixture, s.target)).join(", ");
        const label = `${e.rule.name} · fixture #${e.index} [${e.fixture.kind}] « ${e.fixture.title} » · ${spec.generator} ${where}`;
        const failures: CaseFailure[] = [];
        const seen = new Set<string>();
        const fail = (message: string) => {
            if (seen.has(message)) return;
            seen.add(message);
            failures.push({ spec, message: `${label}\n  ${message}` });
        };
        this.stats.cases++;
        this.stats[spec.generator]++;
        this.stats.rules.add(e.rule.name);
        this.stats.fixtures.add(`${e.rule.name}#${e.index}`);

        let ev: Evaluation;
        try {
            ev = await this.run(e, f, spec.generator === "wrap" || this.baselines.has(`${e.rule.name}#${e.index}`));
        } catch (err) {
            fail(`evaluation failed: ${(err as Error).message}`);
            return failures;
        }

        if (spec.generator === "wrap") {
            const base = await this.baseline(e);
            const { onlyA, onlyB } = multisetDiff(verdicts(base), verdicts(ev));
            if (onlyA.length || onlyB.length) {
                const show = (d: { policyName: string; urn: string; message: string }) => `${d.policyName} ${d.urn}: ${d.message}`;
                fail(
                    `verdicts changed when the value was made secret\n    lost: ${onlyA.join("\n          ") || "-"}\n    new:  ${onlyB.join("\n          ") || "-"}` +
                        `\n    diagnostics with the secret:\n      ${ev.diagnostics.map(show).join("\n      ")}`,
                );
            }
            if (base.remediations.length !== ev.remediations.length) {
                fail(`number of remediations changed: ${base.remediations.length} → ${ev.remediations.length} (${ev.remediations.map((r) => r.policyName).join(", ")})`);
            }
        }

        const request = engineResources(f);
        // Secrets the fixture already had, and in "wrap" cases the wrapped value: public text is
        // excused. A distinctive value has no run in common with any public text (the generator
        // ensures it): nothing is excused.
        const secrets: (SecretText & { strict: boolean })[] = [];
        if (spec.generator === "wrap") secrets.push(...secretTexts(request).map((s) => ({ ...s, strict: false })));
        else {
            secrets.push(...secretTexts(request).filter((s) => !spec.substitutions.some((x) => s.where === formatWhere(e.fixture, x.target))).map((s) => ({ ...s, strict: false })));
            if (spec.distinctive !== undefined) secrets.push({ text: spec.distinctive, where, owners: new Set(), strict: true });
        }
        this.stats.secretsChecked += secrets.length;
        const fxRuns = this.publicRunsOf(e);
        const frameR = frame(this.info);
        // What each resource's own calls send in clear.
        const clearRuns = new Map<string, Set<string>>();
        for (const r of request) {
            const c = new Set<string>();
            for (const t of clearLeaves(r.properties)) addRuns(c, t);
            if (r.provider) for (const t of clearLeaves(r.provider.properties)) addRuns(c, t);
            clearRuns.set(r.urn, c);
        }
        // What each resource's diagnostics said when nothing was made secret ("wrap" cases): text the
        // pack derives from that resource's own clear values (a decoded user data, say).
        const baseRuns = new Map<string, Set<string>>();
        if (spec.generator === "wrap") {
            for (const d of (await this.baseline(e)).diagnostics) {
                if (d.stack || !d.urn) continue;
                const b = baseRuns.get(d.urn) ?? new Set<string>();
                addRuns(b, d.message);
                baseRuns.set(d.urn, b);
            }
        }
        const never = () => false;
        /**
         * `call`: the resource whose Analyze or Remediate call produced the text, undefined for
         * AnalyzeStack. Such a call does not carry the secrets of other resources: a run of one of
         * them in what the resource sends in clear cannot be hidden, and is that resource's own text.
         */
        const checkText = (policyName: string, call: string | undefined, what: string, text: string, whole: string) => {
            const r = this.rulesByName.get(policyName);
            const rr = ruleRuns(r?.rule, r?.file, policyName, this.info);
            const own = call !== undefined ? clearRuns.get(call) : undefined;
            for (const s of secrets) {
                const foreign = own !== undefined && !s.owners.has(call!);
                const pub = s.strict
                    ? never
                    : (g: string) => fxRuns.has(g) || rr.has(g) || frameR.has(g) || (foreign && (own.has(g) || baseRuns.get(call!)?.has(g) === true));
                const runs = writtenForms(s.text).flatMap((w) => leakedRuns(w, text, pub));
                if (runs.length) fail(`secret at ${s.where} (${JSON.stringify(s.text)}) shows in ${what} of ${policyName}: ${runs.map((x) => JSON.stringify(x)).join(", ")}\n    ${whole}`);
            }
        };
        for (const d of ev.diagnostics) {
            const call = d.stack ? undefined : d.urn;
            checkText(d.policyName, call, "the message", d.message, `[${d.enforcementLevel}] ${d.urn}: ${d.message}`);
            checkText(d.policyName, call, "the description", d.description, `[${d.enforcementLevel}] ${d.urn}: ${d.description}`);
        }
        for (const r of ev.remediations) {
            checkText(r.policyName, r.urn, "the remediation's description", r.description, `${r.urn}: ${r.description}`);
            checkText(r.policyName, r.urn, "the remediation's diagnostic", r.diagnostic, `${r.urn}: ${r.diagnostic}`);
            if (!r.properties) continue;
            const sent = request.find((x) => x.urn === r.urn);
            if (!sent) continue;
            for (const p of secretPaths(sent.properties)) {
                const state = secretAt(r.properties, p);
                if (state !== "secret") {
                    fail(`remediation ${r.policyName} of ${r.urn} returns ${p.join(".")} ${state === "absent" ? "without the property" : "in clear"} though it was secret: ${JSON.stringify(getAt(r.properties, p))?.slice(0, 200)}`);
                }
            }
            const sentClear = clearLeaves(sent.properties);
            for (const leaf of clearLeaves(r.properties)) {
                if (sentClear.has(leaf)) continue;
                checkText(r.policyName, r.urn, "a value the remediation writes in clear", leaf, `${r.urn}: ${JSON.stringify(leaf)}`);
            }
        }
        return failures;
    }

    private readonly fixturePublic = new Map<FixtureEntry, Set<string>>();

    /** Public text of a fixture as written (not of its variants: the secret markers are no text). */
    private publicRunsOf(e: FixtureEntry): Set<string> {
        let s = this.fixturePublic.get(e);
        if (!s) {
            s = fixtureRuns(e.fixture, engineResources(e.fixture));
            this.fixturePublic.set(e, s);
        }
        return s;
    }

    /**
     * Runs that a distinctive value must avoid, for the fixture it goes into: every public text,
     * the static text of every policy, what the fixture sends in clear, and what its baseline
     * shows. A value with none of these runs can only show in the pack's answer by leaking.
     */
    async ambientRuns(e: FixtureEntry): Promise<Set<string>> {
        const s = new Set<string>(frame(this.info));
        for (const p of this.info.policies) {
            const r = this.rulesByName.get(p.name);
            for (const g of ruleRuns(r?.rule, r?.file, p.name, this.info)) s.add(g);
        }
        const request = engineResources(e.fixture);
        for (const g of this.publicRunsOf(e)) s.add(g);
        for (const r of request) {
            for (const t of stringLeaves(r.properties)) addRuns(s, t);
            if (r.provider) for (const t of stringLeaves(r.provider.properties)) addRuns(s, t);
        }
        const base = await this.baseline(e);
        for (const d of base.diagnostics) {
            addRuns(s, d.message);
            addRuns(s, d.description);
        }
        for (const r of base.remediations) {
            addRuns(s, r.description);
            addRuns(s, r.diagnostic);
            for (const t of stringLeaves(r.properties ?? {})) addRuns(s, t);
        }
        return s;
    }
}

/** A failure as a replayable JSON document (scripts/fuzz-secrets.ts `--replay`). */
export function failureRecord(f: CaseFailure): Record<string, unknown> {
    const e = entryOf(f.spec);
    return {
        case: f.spec,
        rule: e.rule.name,
        fixture: { index: e.index, kind: e.fixture.kind, title: e.fixture.title },
        paths: f.spec.substitutions.map((s) => formatPath(e.fixture, s.target)),
        message: f.message,
        request: engineResources(variant(e.fixture, f.spec.substitutions)),
    };
}

// ------------------------------------------------------------------------------------------------
// Generators.

/** "wrap" cases: one (rule, fixture, target) triple, each equally likely. */
export function wrapCases(entries: readonly FixtureEntry[]): fc.Arbitrary<CaseSpec> {
    const triples = entries.flatMap((e) => e.targets.map((_, t) => [e, t] as const));
    return fc.noBias(fc.integer({ min: 0, max: triples.length - 1 })).map((i) => wrapCase(triples[i][0], triples[i][1]));
}

/** Whether one target is the other or lies under it (they cannot both be wrapped). */
export function overlaps(a: Target, b: Target): boolean {
    if (a.resource !== b.resource || a.on !== b.on) return false;
    const n = Math.min(a.path.length, b.path.length);
    for (let i = 0; i < n; i++) if (a.path[i] !== b.path[i]) return false;
    return true;
}

/** "wrap" cases with 1 to `max` values of one fixture wrapped at once (none under another). */
export function multiWrapCases(entries: readonly FixtureEntry[], max: number): fc.Arbitrary<CaseSpec> {
    const usable = entries.filter((e) => e.targets.length > 0);
    return fc.noBias(fc.integer({ min: 0, max: usable.length - 1 })).chain((i) => {
        const e = usable[i];
        return fc.uniqueArray(fc.integer({ min: 0, max: e.targets.length - 1 }), { minLength: 1, maxLength: max }).map((picked): CaseSpec => {
            const chosen: Target[] = [];
            for (const t of picked) if (!chosen.some((c) => overlaps(c, e.targets[t]))) chosen.push(e.targets[t]);
            return { generator: "wrap", rule: e.rule.name, fixture: e.index, substitutions: chosen.map((target) => ({ target })) };
        });
    });
}

/** Every single-value "wrap" case, in order. */
export function allWrapCases(entries: readonly FixtureEntry[]): CaseSpec[] {
    return entries.flatMap((e) => e.targets.map((_, t) => wrapCase(e, t)));
}

export function wrapCase(e: FixtureEntry, target: number): CaseSpec {
    return { generator: "wrap", rule: e.rule.name, fixture: e.index, substitutions: [{ target: e.targets[target] }] };
}

/** One case per fixture, its target drawn from `seed`: every rule and every fixture is covered. */
export function oneWrapCasePerFixture(entries: readonly FixtureEntry[], seed: number): CaseSpec[] {
    return entries
        .filter((e) => e.targets.length > 0)
        .map((e, i) => wrapCase(e, fc.sample(fc.integer({ min: 0, max: e.targets.length - 1 }), { seed: seed + i, numRuns: 1 })[0]));
}

const ALNUM = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"];

/**
 * A distinctive value: `Zq` and 8 to 20 letters and digits; one time in four, with a quote, a
 * backslash or a line break after every 2 characters (a value whose JSON-escaped form has no run
 * in common with it).
 */
export const distinctiveValue: fc.Arbitrary<string> = fc
    .tuple(fc.array(fc.constantFrom(...ALNUM), { minLength: 8, maxLength: 20 }), fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('"', "\\", "\n") }))
    .map(([cs, esc]) => (esc === null ? "Zq" + cs.join("") : "Zq" + esc + cs.map((c, i) => (i % 2 === 1 ? c + esc : c)).join("")));

/** The forms a distinctive value is also given in, at other leaves. */
export const TRANSFORMS = ["identity", "upper", "spaces", "key="] as const;
export type Transform = (typeof TRANSFORMS)[number];

export function transform(t: Transform, d: string, key = "key"): string {
    switch (t) {
        case "identity":
            return d;
        case "upper":
            return d.toUpperCase();
        case "spaces":
            return `  ${d}  `;
        case "key=":
            return `${key}=${d}`;
    }
}

/**
 * "distinct" cases: a non-compliant fixture, a distinctive value with no run in common with the
 * fixture's ambient text (`ambient`, see `SecretsOracle.ambientRuns`), put at 1 to 3 of its string
 * leaves: as is at the first, transformed at the others.
 */
export function distinctCases(entries: readonly FixtureEntry[], ambient: ReadonlyMap<FixtureEntry, ReadonlySet<string>>): fc.Arbitrary<CaseSpec> {
    const usable = entries.filter((e) => e.fixture.kind === "non-compliant" && e.leaves.length > 0 && ambient.has(e));
    return fc.noBias(fc.integer({ min: 0, max: usable.length - 1 })).chain((i) => {
        const e = usable[i];
        const amb = ambient.get(e)!;
        const n = Math.min(3, e.leaves.length);
        return fc
            .record({
                d: distinctiveValue.filter((d) => !writtenForms(d).some((w) => [...runsOf(w)].some((g) => amb.has(g)))),
                leaves: fc.uniqueArray(fc.integer({ min: 0, max: e.leaves.length - 1 }), { minLength: 1, maxLength: n }),
                transforms: fc.array(fc.constantFrom(...TRANSFORMS), { minLength: n, maxLength: n }),
                key: fc.constantFrom("key", "password", "token", "application"),
            })
            .map(({ d, leaves, transforms, key }): CaseSpec => ({
                generator: "distinct",
                rule: e.rule.name,
                fixture: e.index,
                distinctive: d,
                substitutions: leaves.map((l, j) => ({ target: e.leaves[l], value: j === 0 ? d : transform(transforms[j], d, key) })),
            }));
    });
}

/** Key of a case, to run each one once. */
export function caseKey(spec: CaseSpec): string {
    return JSON.stringify(spec);
}
