import type {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { CATALOGUE_NAME, CATALOGUE_VERSION, needById } from "./catalogue";
import { isSensitivePath } from "./format";
import { Lang, pick, Text } from "./i18n";
import { clip, HIDDEN, MAX_ITEMS, Message, readWhole, render, renderQuoted, renderValue } from "./message";
import { FaultCollector, FaultGroup } from "./findings";
import { DEFAULT_PROFILE, ProfileKey, providerProfile } from "./profiles";
import { derogationFor, note } from "./derogations";
import { levelOverride } from "./levels";
import { currentSecrets } from "./secrets";
import { configurationGeneration, PackSettings, settings } from "./settings";
import { known } from "./props";
import { withoutTrace } from "./not-applicable";
import { skippableWhen } from "./type-filter";
import { applyPatches, Patch, wireProperties } from "./remediation";
import { shortType } from "./types";

/**
 * The rule convention. A rule is one module that exports (default) the value of
 * `defineResourceRule` or `defineStackRule`: its metadata and its check, nothing else. The
 * registry turns rules into `@pulumi/policy` policies; rules never see the engine's API directly.
 */

export type RuleLevel = "advisory" | "mandatory";

/** One configuration property: a JSON-schema fragment with a default and bilingual description. */
export interface ConfigProperty {
    type: "integer" | "number" | "string" | "boolean" | "array" | "object";
    default: unknown;
    description: Text;
    items?: Record<string, unknown>;
    minimum?: number;
    maximum?: number;
    enum?: readonly unknown[];
    additionalProperties?: unknown;
    /** The provider-profile value this property defaults to; explicit configuration wins. */
    profileKey?: ProfileKey;
    /**
     * The strings of the value (itself, its items, its object's values) are regular expressions;
     * `"after="`: each is `key=pattern`. Configure refuses one that does not compile (config-check.ts).
     */
    regex?: true | "after=";
}

export type ConfigSpec<C> = { [K in keyof C]: ConfigProperty };

interface RuleBase<C> {
    /** Stable kebab-case policy name, starting with the lower-cased need id. Never rename. */
    name: string;
    /** Need ids of ../shared/NEEDS.md; the first is the framework reference. */
    needs: readonly [string, ...string[]];
    title: Text;
    /** What is checked, and the decisions taken where the catalogue is silent. */
    description: Text;
    /** Remediation steps. */
    remediation: Text;
    severity: Severity;
    enforcementLevel: RuleLevel;
    config: ConfigSpec<C>;
    /** Property paths whose values are never shown (beyond the pack-wide sensitive names). */
    sensitive?: readonly string[];
    /**
     * The rule reports figures instead of judging (PIL-03, PIL-05): one summary on the stack,
     * always advisory whatever the configured level, never derogated. The checker keeps such
     * figures as data (conformance row, cost reports) rather than as findings.
     */
    summary?: boolean;
}

export interface ResourceView {
    urn: string;
    name: string;
    type: string;
    props: Record<string, unknown>;
    opts: ResourceValidationArgs["opts"];
    provider?: ResourceValidationArgs["provider"];
    stackTags: ReadonlyMap<string, string>;
    /** Whether a property path of this resource is secret, or lies under a secret object or array. */
    isSecret(path: string): boolean;
}

export interface ResourceRule<C = Record<string, unknown>> extends RuleBase<C> {
    kind: "resource";
    /** The resource types the rule inspects (for a family such as `kubernetes:*`, also give `applies`). */
    types: readonly string[];
    /**
     * Whether the rule applies to a type, when a list of types cannot say it. A function of its
     * arguments only: it is asked once per type and configuration (type-filter.ts).
     */
    applies?(type: string, config: C): boolean;
    check(resource: ResourceView, ctx: RuleContext<C>): void;
    /**
     * Optional remediation: the changes to make, as patches the pack applies to the properties as
     * the engine sent them (secrets stay secret, unknowns stay unknown). Never a property that
     * forces a replacement (see remediation.ts): such a patch is dropped.
     */
    remediate?(resource: ResourceView, ctx: RuleContext<C>): readonly Patch[] | undefined;
}

export interface StackRule<C = Record<string, unknown>> extends RuleBase<C> {
    kind: "stack";
    /** The resource types the rule inspects; the rule is not applicable when none is present. */
    types: readonly string[];
    check(stack: StackView, ctx: RuleContext<C>): void;
    /** Whether the rule applies with this configuration (PIL-04: only when a budget is set); not applicable otherwise. */
    appliesWhen?(config: C): boolean;
}

export type Rule<C = any> = ResourceRule<C> | StackRule<C>;

export function defineResourceRule<C>(rule: Omit<ResourceRule<C>, "kind">): ResourceRule<C> {
    return { kind: "resource", ...rule };
}

export function defineStackRule<C>(rule: Omit<StackRule<C>, "kind">): StackRule<C> {
    return { kind: "stack", ...rule };
}

/** A violation as a rule states it; the pack turns it into the message the engine shows. */
export interface Violation {
    /** Stack rules: the resource at fault (omit for a finding about the whole stack). */
    resource?: { urn: string; name: string; type: string };
    /** The offending property path, e.g. `spec.template.spec.containers[0].securityContext`. */
    property?: string;
    /** The offending value; shown unless the property is sensitive or secret. Omit to show no value. */
    value?: unknown;
    /** What is wrong, written with `msg(m\`…\`, m\`…\`)`: values only become text through message.ts. */
    problem: Message;
    /** How to fix this occurrence; the rule's remediation when omitted. */
    fix?: Message;
}

export interface RuleContext<C> {
    config: C;
    settings: Readonly<PackSettings>;
    lang: Lang;
    stackTags: ReadonlyMap<string, string>;
    report(v: Violation): void;
    /**
     * Stops the check: what it needs is not given to the pack. The engine reports it as it reports
     * a value unknown at preview (« can't run policy … during preview: … »), advisory: never a
     * silent pass, never a violation.
     */
    cannotCheck(why: Message): never;
    /**
     * Stops the check: the rule does not apply after all (a patch that sets nothing the rule
     * examines, an object without what the rule looks for). The engine counts the resource (or, for
     * a stack rule, the stack) as not applicable: it is not « checked ».
     */
    notApplicable(reason: string): never;
}

/** Resources of a stack with their relations, indexed once per AnalyzeStack call (linear). */
export class StackView {
    readonly resources: readonly PolicyResource[];
    readonly stackTags: ReadonlyMap<string, string>;
    private readonly byType = new Map<string, PolicyResource[]>();
    private readonly kids = new Map<string, PolicyResource[]>();
    private readonly rdeps = new Map<string, PolicyResource[]>();

    constructor(resources: readonly PolicyResource[], stackTags: ReadonlyMap<string, string>) {
        this.resources = resources;
        this.stackTags = stackTags;
        for (const r of resources) {
            push(this.byType, r.type, r);
            if (r.parent) push(this.kids, r.parent.urn, r);
            for (const d of this.dependencies(r)) push(this.rdeps, d.urn, r);
        }
    }

    ofType(...types: readonly (string | readonly string[])[]): PolicyResource[] {
        const out: PolicyResource[] = [];
        for (const t of types.flat()) out.push(...(this.byType.get(t) ?? []));
        return out;
    }

    children(r: PolicyResource): readonly PolicyResource[] {
        return this.kids.get(r.urn) ?? [];
    }

    /** What `r` depends on: `dependsOn`, and every property dependency (IDs are unknown at preview). */
    dependencies(r: PolicyResource): PolicyResource[] {
        const seen = new Set<string>();
        const out: PolicyResource[] = [];
        const add = (d: PolicyResource) => {
            if (!seen.has(d.urn)) {
                seen.add(d.urn);
                out.push(d);
            }
        };
        r.dependencies.forEach(add);
        for (const k of Object.keys(r.propertyDependencies)) r.propertyDependencies[k].forEach(add);
        return out;
    }

    /** Resources that depend on `r`. */
    dependents(r: PolicyResource): readonly PolicyResource[] {
        return this.rdeps.get(r.urn) ?? [];
    }

    /** Resources that the property `key` of `r` refers to. */
    propertyDependency(r: PolicyResource, key: string): readonly PolicyResource[] {
        return r.propertyDependencies[key] ?? [];
    }
}

/**
 * The stack's view, built once for the resources the stack policies of one call share (the pack's
 * AnalyzeStack handler gives them all the same list, server/analyze-stack.ts).
 */
const views = new WeakMap<readonly PolicyResource[], StackView>();

function stackViewOf(resources: readonly PolicyResource[], stackTags: ReadonlyMap<string, string>): StackView {
    const hit = views.get(resources);
    if (hit && hit.stackTags === stackTags) return hit;
    const view = new StackView(resources, stackTags);
    views.set(resources, view);
    return view;
}

/** Appends to the list kept under `k` (an index of resources by key). */
export function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
}

// ------------------------------------------------------------------------------------------------
// From rule to policy.

/** The JSON schema the engine receives: descriptions in French, no pack-internal keys. */
export function configSchema(rule: Rule): { properties: Record<string, any> } {
    const properties: Record<string, any> = {};
    for (const [k, p] of Object.entries(rule.config as Record<string, ConfigProperty>)) {
        const { description, profileKey: _profileKey, regex: _regex, ...schema } = p;
        properties[k] = { ...schema, description: description.fr };
    }
    return { properties };
}

/** Effective configuration: schema defaults < provider profile < explicit configuration. */
export function resolveConfig<C>(rule: Rule<C>, raw: Record<string, unknown>, s: Readonly<PackSettings> = settings()): C {
    const profile = providerProfile(s.profil) ?? DEFAULT_PROFILE;
    const out: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(rule.config as Record<string, ConfigProperty>)) {
        let v = raw[k];
        // The engine fills schema defaults before Configure: a value equal to the schema default
        // cannot be told from no value, so the provider profile applies to it.
        if (p.profileKey && (v === undefined || sameJson(v, p.default))) v = profile.values[p.profileKey];
        out[k] = v !== undefined && fitsType(v, p) ? v : p.profileKey ? profile.values[p.profileKey] : p.default;
    }
    return out as C;
}

function sameJson(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

function fitsType(v: unknown, p: ConfigProperty): boolean {
    switch (p.type) {
        case "integer":
            return Number.isInteger(v);
        case "number":
            return typeof v === "number" && Number.isFinite(v);
        case "string":
            return typeof v === "string";
        case "boolean":
            return typeof v === "boolean";
        case "array":
            return Array.isArray(v);
        case "object":
            return typeof v === "object" && v !== null && !Array.isArray(v);
    }
}

/**
 * Composes the message of a violation: need ids first, then the resource, property and value, the
 * problem and the fix. The rule's literal text is kept; every value goes through message.ts, which
 * hides secrets and what derives from them.
 */
export function composeMessage(rule: Rule, v: Violation, target: { urn?: string; name: string; type: string } | undefined, lang: Lang,
    occurrences?: { count: number; first: readonly Violation[] }): string {
    const ctx = { lang, urn: target?.urn };
    const parts: string[] = [rule.needs.join(", ")];
    // A name is the engine's, not a value of the resource; still cut, as a quoted value is.
    if (target) parts.push(lang === "fr" ? `${shortType(target.type)} « ${clip(target.name)} »` : `${shortType(target.type)} "${clip(target.name)}"`);
    const many = occurrences !== undefined && occurrences.count > 1;
    if (many) parts.push(occurrenceList(rule, occurrences, target, lang));
    else if (v.property) parts.push(propertyText(rule, v, target, lang));
    const fix = v.fix ? render(v.fix[lang], ctx) : pick(rule.remediation, lang);
    const fixLabel = lang === "fr" ? "Correction :" : "Fix:";
    const first = many ? (lang === "fr" ? "la première : " : "the first: ") : "";
    return `${parts.join(" · ")} · ${first}${render(v.problem[lang], ctx)} ${fixLabel} ${fix}`;
}

/** `property = value` of one occurrence; the value hidden when secret or sensitive. */
function propertyText(rule: Rule, v: Violation, target: { urn?: string } | undefined, lang: Lang): string {
    // A property path is made of the rule's keys and indices, never of values.
    const property = clip(v.property ?? "");
    if (!("value" in v)) return property;
    if (currentSecrets().isSecretPath(target?.urn, v.property ?? "")) {
        // Hidden as secret, read as if shown: a secret changes no verdict (see readWhole).
        readWhole(v.value);
        return `${property} = ${HIDDEN[lang]}`;
    }
    if (isSensitivePath(v.property ?? "", rule.sensitive)) return `${property} = ${HIDDEN[lang]}`;
    return `${property} = ${renderQuoted(v.value, lang)}`;
}

/**
 * « N occurrences, premières : … » — the first occurrences of a fault (findings.ts) by their
 * property (and value), else by their problem.
 */
function occurrenceList(rule: Rule, o: { count: number; first: readonly Violation[] }, target: { urn?: string } | undefined, lang: Lang): string {
    const shown = o.first.slice(0, MAX_ITEMS).map((x) =>
        x.property ? propertyText(rule, x, target, lang) : clip(render(x.problem[lang], { lang, urn: target?.urn })),
    );
    const more = o.count - shown.length;
    const list = more > 0 ? `${shown.join(", ")}, … (+${more})` : shown.join(", ");
    return lang === "fr" ? `${o.count} occurrences, premières : ${list}` : `${o.count} occurrences, first: ${list}`;
}

/**
 * The effective configuration of a rule, resolved once per configuration rather than once per
 * resource: the engine's per-policy configuration and the settings only change with Configure.
 */
const resolved = new WeakMap<Rule, { generation: number; config: unknown }>();

function configFor<C>(rule: Rule<C>, raw: () => Record<string, unknown>, s: Readonly<PackSettings>): C {
    const generation = configurationGeneration();
    const hit = resolved.get(rule as Rule);
    if (hit && hit.generation === generation) return hit.config as C;
    const config = resolveConfig(rule, raw(), s);
    resolved.set(rule as Rule, { generation, config });
    return config;
}

/**
 * The context a rule runs with. Its reports are gathered by fault (findings.ts) and handed to the
 * engine by `flush`, once the rule returns or stops.
 */
function context<C>(rule: Rule<C>, raw: () => Record<string, unknown>, stackTags: ReadonlyMap<string, string>,
    report: ReportViolation, target: { urn: string; name: string; type: string } | undefined,
    notApplicable: (reason?: string) => never): RuleContext<C> & { flush(): void } {
    const s = settings();
    const lang = s.langue;
    const faults = new FaultCollector();
    const emit = (g: FaultGroup) => {
        const at = g.at;
        const v = g.first[0];
        let level = levelOverride(rule as Rule);
        // A summary (PIL-03, PIL-05) reports figures: always advisory, never derogated.
        if (rule.summary) level = "advisory";
        let message = composeMessage(rule as Rule, v, at, lang, g);
        const derogation = at && !rule.summary ? derogationFor(rule as Rule, at as DerogationTarget, s, known) : undefined;
        if (derogation) {
            // A derogation read from a secret tag or annotation shows none of its fields.
            message += ` ${note(derogation, lang, (field) => renderValue(field, { lang, urn: at?.urn }))}`;
            level = derogation.state === "valid" ? "advisory" : "mandatory";
        }
        // The object form of reportViolation lets the description follow the pack's language
        // and the level follow environment presets and derogations.
        (report as unknown as (o: Record<string, unknown>) => void)({
            message,
            description: `${rule.needs[0]} — ${pick(rule.title, lang)}`,
            urn: v.resource?.urn,
            enforcementLevel: level,
        });
    };
    return {
        config: configFor(rule, raw, s),
        settings: s,
        lang,
        stackTags,
        cannotCheck(why: Message): never {
            throw cannotCheckError(`${rule.needs.join(", ")} · ${render(why[lang], { lang, urn: target?.urn })}`);
        },
        notApplicable(reason: string): never {
            return notApplicable(`${rule.needs[0]}: ${reason}`);
        },
        report(v: Violation) {
            if (levelOverride(rule as Rule) === "disabled") return;
            faults.add(v, v.resource ?? target);
        },
        flush() {
            for (const g of faults.drain()) emit(g);
        },
    };
}

/**
 * `@pulumi/policy` turns its unknown-value error into the engine's « can't run policy … during
 * preview » diagnostic; a subclass with our own text takes the same path.
 */
function cannotCheckError(text: string): Error {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    proxy ??= require("@pulumi/policy/proxy") as { UnknownValueError: new (v: unknown, path: unknown[]) => Error; unknownObjectValue: unknown };
    // Only the message travels: no stack trace to capture.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        const e = new proxy.UnknownValueError(proxy.unknownObjectValue, []);
        e.message = text;
        return e;
    } finally {
        Error.stackTraceLimit = limit;
    }
}
let proxy: { UnknownValueError: new (v: unknown, path: unknown[]) => Error; unknownObjectValue: unknown } | undefined;

/** What a violation is about, as the derogations read it (a stack rule's resource carries its props). */
type DerogationTarget = { urn?: string; name: string; props?: Record<string, unknown> };

function view(args: ResourceValidationArgs): ResourceView {
    return {
        urn: args.urn,
        name: args.name,
        type: args.type,
        props: args.props,
        opts: args.opts,
        provider: args.provider,
        stackTags: args.stackTags,
        isSecret: (path: string) => currentSecrets().isSecretPath(args.urn, path),
    };
}

/**
 * A rule the `niveaux` setting disables does not run at all: no finding, no "cannot be checked", no
 * remediation, and the engine hears "not applicable", as for a policy whose level is disabled.
 */
const DISABLED = "désactivée par le réglage niveaux / disabled by the niveaux setting";

function disabledBySettings(rule: Rule): boolean {
    return levelOverride(rule) === "disabled";
}

/**
 * What a resource rule answers for a type it does not inspect. Short: the engine receives it for
 * every resource and every rule of another type (most of each Analyze response); the types a rule
 * inspects are in its documentation (docs/regles), not in each answer.
 */
export function notApplicableReason(rule: Rule): string {
    return `${rule.needs[0]}: type non inspecté / type not inspected`;
}

export function toPolicy(rule: Rule): ResourceValidationPolicy | StackValidationPolicy {
    const need = needById(rule.needs[0]);
    const base = {
        name: rule.name,
        displayName: `${rule.needs[0]} — ${rule.title.fr}`,
        description: `${rule.needs[0]} — ${rule.title.fr}`,
        enforcementLevel: rule.enforcementLevel,
        severity: rule.severity,
        configSchema: configSchema(rule),
        framework: {
            name: CATALOGUE_NAME,
            version: CATALOGUE_VERSION,
            reference: rule.needs[0],
            specification: need ? need.title.fr : rule.title.fr,
        },
        tags: [...rule.needs, ...(need ? [need.priority] : [])],
        remediationSteps: rule.remediation.fr,
    };
    if (rule.kind === "resource") {
        const types = new Set(rule.types);
        const reason = notApplicableReason(rule);
        const applies = (type: string, ctx: RuleContext<unknown>) =>
            rule.applies ? rule.applies(type, ctx.config) : types.has(type);
        const policy: ResourceValidationPolicy = {
            ...base,
            validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
                const notApplicable = withoutTrace(args.notApplicable);
                if (!rule.applies && !types.has(args.type)) return notApplicable(reason);
                if (disabledBySettings(rule)) return notApplicable(DISABLED);
                const r = view(args);
                const ctx = context(rule, () => args.getConfig(), args.stackTags, report, r, notApplicable);
                if (!applies(args.type, ctx)) return notApplicable(reason);
                try {
                    rule.check(r, ctx);
                } finally {
                    // What was reported before the rule stopped (cannot be checked) is reported too.
                    ctx.flush();
                }
            },
        };
        // What validateResource answers before reading the resource, known without running it
        // (type-filter.ts): another type, or a rule the settings disable.
        skippableWhen(policy, (type, getConfig) => {
            if (!rule.applies && !types.has(type)) return reason;
            if (disabledBySettings(rule)) return DISABLED;
            if (!rule.applies) return undefined;
            try {
                return rule.applies(type, configFor(rule, getConfig, settings())) ? undefined : reason;
            } catch {
                return undefined; // the policy runs, and fails as it would have
            }
        });
        if (rule.remediate) {
            const remediate = rule.remediate;
            policy.remediateResource = (args: ResourceValidationArgs) => {
                const notApplicable = withoutTrace(args.notApplicable);
                if (!rule.applies && !types.has(args.type)) return notApplicable(reason);
                if (disabledBySettings(rule)) return notApplicable(DISABLED);
                const r = view(args);
                const ctx = context(rule, () => args.getConfig(), args.stackTags, () => undefined, r, notApplicable);
                if (!applies(args.type, ctx)) return notApplicable(reason);
                const patches = remediate(r, ctx);
                if (!patches || patches.length === 0) return undefined;
                // The engine's own form of the properties, patched: secrets, unknowns, assets and
                // archives come back exactly as they were sent.
                return applyPatches(args.type, wireProperties(args.urn), patches);
            };
        }
        return policy;
    }
    const types = rule.types;
    return {
        ...base,
        validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            const notApplicable = withoutTrace(args.notApplicable);
            if (disabledBySettings(rule)) return notApplicable(DISABLED);
            if (types.length > 0 && !args.resources.some((r) => types.includes(r.type))) {
                return notApplicable(`${rule.needs[0]}: ${types.join(", ")}`);
            }
            const ctx = context(rule, () => args.getConfig(), args.stackTags, report, undefined, notApplicable);
            if (rule.appliesWhen && !rule.appliesWhen(ctx.config)) {
                return notApplicable(`${rule.needs[0]}: non applicable avec cette configuration / not applicable with this configuration`);
            }
            const stack = stackViewOf(args.resources, args.stackTags);
            try {
                rule.check(stack, ctx);
            } finally {
                ctx.flush();
            }
        },
    };
}
