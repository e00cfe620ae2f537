/**
 * The checker's core: evaluates resources with the pack through the engine protocol and turns the
 * engine's diagnostics into findings and a conformance matrix organised by need id (conformance.ts).
 */
import * as path from "path";
import { parseNote } from "@cloud-de-confiance/policies/dist/lib/derogations";
import { pick } from "@cloud-de-confiance/policies/dist/lib/i18n";
import { PolicyPackProcess, StartOptions } from "../engine/driver";
import { evaluate, Evaluation, isCannotCheck, StackContext } from "../engine/engine";
import { DEFAULT_RUN_TIMEOUT_MS, DEFAULT_START_TIMEOUT_MS, withTimeLimit } from "../engine/limits";
import { EngineResource, PolicyConfig, Severity } from "../engine/types";
import { checkedByPolicy } from "./checked";
import { conformanceOf, policyNeeds, ruleIndex, runOf } from "./conformance";
import { costOf, needFigures, withEstimateStatus } from "./cost";
import { attachLocations, withYamlComponentChildren } from "./manifests";
import { CheckResult, CheckSource, Finding, Lang, ResourceRef, SourceLocation } from "./model";
import { attachSecrets, inputSecrets, SecretIndex, SecretSource } from "./secrets";
import { UnseenProvider, unseenProviderFindings } from "./unseen-providers";

export const PACK_DIR = path.resolve(__dirname, "../../../policies");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const TOOL_VERSION: string = require("../../../package.json").version;

export interface CheckInput {
    source: CheckSource;
    resources: EngineResource[];
    /**
     * What ConfigureStack says of the stack. Build it with `stackContext` (stack-description.ts),
     * which names the tags or configuration the checker does not know, so that the pack never
     * reports their absence as a violation.
     */
    stack: StackContext;
    config?: Record<string, PolicyConfig>;
    /** Overrides the pack's `langue` setting. */
    lang?: Lang;
    packDir?: string;
    /**
     * The pack, already starting (started while the program ran, see startPackEarly): check() uses
     * it instead of starting one, and stops it.
     */
    pack?: Promise<PolicyPackProcess>;
    /** Where else the input keeps secrets: stack outputs, state entries, configuration (secrets.ts). */
    secretSources?: SecretSource[];
    /** The secrets of the whole input, when the caller already indexed them (resources included). */
    secrets?: SecretIndex;
    /** The time the report states (default: now). */
    now?: Date;
    /** Providers the resources use that the input does not hold (inputs.ts): reported « cannot be checked ». */
    unseenProviders?: UnseenProvider[];
    /** Where the resources are declared, by URN, and where a finding about the whole stack points. */
    locations?: Locations;
    /** Time limits (src/engine/limits.ts): of each RPC, and of the run (start of the pack and calls). */
    callTimeoutMs?: number;
    timeoutMs?: number;
    /** When the run's limit passes (epoch milliseconds; default: `timeoutMs` from now). */
    deadline?: number;
}

export interface Locations {
    sources?: Record<string, SourceLocation>;
    stack?: SourceLocation;
}

/**
 * Starts the pack, evaluates, stops the pack. The result carries the secrets of the input (see
 * secrets.ts): every report rendered from it masks them.
 */
export async function check(input: CheckInput): Promise<{ result: CheckResult; evaluation: Evaluation }> {
    // kubernetes:yaml/v2 components: their objects, read from their files, as their children (manifests.ts).
    const program = input.source.kind === "program";
    const { resources, locations } = withYamlComponentChildren(input.resources, {
        baseDir: program ? path.resolve(input.source.path) : process.cwd(),
        missingFiles: program ? "error" : "skip",
    });
    const secrets = input.secrets ?? inputSecrets(resources, input.secretSources);
    if (input.secrets && resources.length > input.resources.length) {
        const given = new Set(input.resources);
        for (const r of resources) if (!given.has(r)) secrets.add(r.urn, r.properties);
    }
    const config = { ...(input.config ?? {}) };
    if (input.lang) {
        const cur = config["cloud-de-confiance"];
        config["cloud-de-confiance"] = { ...cur, properties: { ...(cur?.properties ?? {}), langue: input.lang } };
    }
    const limit = input.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    const deadline = input.deadline ?? Date.now() + limit;
    const pack = await (input.pack ?? PolicyPackProcess.start(input.packDir ?? PACK_DIR, startOptions(deadline, input.callTimeoutMs)));
    try {
        const evaluation = await withTimeLimit(evaluate(pack, resources, { config, stack: input.stack }), Math.max(1, deadline - Date.now()), {
            what: `the policy pack's evaluation of ${resources.length} resource(s)`,
            limitMs: limit,
            onExpire: () => pack.kill(),
        });
        const result = toResult(evaluation, input.source, input.unseenProviders, input.now, input.locations, input.stack);
        // The objects of yaml/v2 components point at their manifest file and line.
        attachLocations(result, locations);
        return { result: attachSecrets(result, secrets), evaluation };
    } finally {
        await pack.close();
    }
}

/**
 * Starts the pack now, for a check() to come: the pack's start-up (most of a small check) then
 * overlaps the work before it (running the program). `discard` stops it when no check follows.
 */
/** The start options of the pack under the run's limits: start-up within what remains of the run. */
function startOptions(deadline: number, callTimeoutMs?: number): StartOptions {
    return { timeoutMs: Math.max(1, Math.min(DEFAULT_START_TIMEOUT_MS, deadline - Date.now())), callTimeoutMs };
}

export function startPackEarly(packDir?: string, limits: { deadline?: number; callTimeoutMs?: number } = {}): { pack: Promise<PolicyPackProcess>; discard: () => Promise<void> } {
    const pack = PolicyPackProcess.start(packDir ?? PACK_DIR, startOptions(limits.deadline ?? Date.now() + DEFAULT_RUN_TIMEOUT_MS, limits.callTimeoutMs));
    // A start-up failure is reported by check(), which awaits the same promise.
    pack.catch(() => undefined);
    return { pack, discard: () => pack.then((p) => p.close(), () => undefined) };
}

function refOf(urn: string, byUrn: Map<string, EngineResource>, locations?: Locations): ResourceRef {
    const r = byUrn.get(urn);
    const parts = urn.split("::");
    const ref: ResourceRef = r ? { urn, type: r.type, name: r.name } : { urn, type: (parts[2] ?? "").split("$").pop() ?? "", name: parts.slice(3).join("::") };
    const source = locations?.sources?.[urn];
    if (source) ref.source = source;
    return ref;
}

export function toResult(ev: Evaluation, source: CheckSource, unseenProviders: readonly UnseenProvider[] = [], now = new Date(), locations?: Locations, stack?: StackContext): CheckResult {
    const lang: Lang = (ev.config["cloud-de-confiance"]?.properties?.["langue"] as Lang) === "en" ? "en" : "fr";
    const byUrn = new Map(ev.resources.map((r) => [r.urn, r]));
    const policies = new Map(ev.info.policies.map((p) => [p.name, p]));
    const rules = ruleIndex();
    const needsOf = policyNeeds(ev, rules);

    // Summaries (PIL-03, PIL-05) are figures, kept as data (`cost`, the matrix's figures), not findings.
    const findings: Finding[] = ev.diagnostics.filter((d) => !rules.get(d.policyName)?.summary).map((d): Finding => {
        const p = policies.get(d.policyName);
        const rule = rules.get(d.policyName);
        const unknown = isCannotCheck(d);
        const note = unknown ? undefined : parseNote(d.message);
        const level = d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate" ? "mandatory" : "advisory";
        const resource = d.urn ? refOf(d.urn, byUrn, locations) : undefined;
        const location = resource ? resource.source : locations?.stack;
        return {
            needs: needsOf(d.policyName),
            policy: d.policyName,
            title: rule ? `${rule.needs[0]} — ${pick(rule.title, lang)}` : d.description,
            severity: (d.severity ?? p?.severity ?? "medium") as Severity,
            enforcementLevel: level,
            status: unknown ? "unknown" : note && level === "advisory" ? "derogated" : "violation",
            resource,
            ...(location ? { location } : {}),
            message: d.message,
            remediation: rule ? pick(rule.remediation, lang) : p?.remediationSteps ?? "",
            derogation: note && level === "advisory" ? note : undefined,
        };
    });
    findings.push(...unseenProviderFindings(unseenProviders, ev, source, lang));

    const cost = costOf(ev, stack);
    const conformance = conformanceOf(ev, findings, { lang, rules, needsOf }).map((c) => withEstimateStatus(c, cost));
    for (const c of conformance) {
        // Figures only for a need the pack checks: the matrix never says more than the check.
        const figures = c.policies.length > 0 ? needFigures(c.need, cost, lang) : undefined;
        if (figures) c.figures = figures;
    }

    const count = (pred: (f: Finding) => boolean) => findings.filter(pred).length;
    return {
        tool: { name: "cloud-de-confiance", version: TOOL_VERSION },
        pack: { name: ev.info.name, version: ev.info.version },
        source,
        run: runOf(ev, now),
        lang,
        resources: ev.resources.map((r) => refOf(r.urn, byUrn, locations)),
        findings,
        remediations: ev.remediations.map((r) => ({
            policy: r.policyName,
            needs: needsOf(r.policyName),
            resource: refOf(r.urn, byUrn, locations),
            description: r.diagnostic || r.description,
        })),
        conformance,
        cost,
        checked: checkedByPolicy(ev, rules),
        summary: {
            resources: ev.resources.length,
            mandatory: count((f) => f.status === "violation" && f.enforcementLevel === "mandatory"),
            advisory: count((f) => f.status === "violation" && f.enforcementLevel === "advisory"),
            derogated: count((f) => f.status === "derogated"),
            unknown: count((f) => f.status === "unknown"),
        },
    };
}

/** Exit code: 1 when a mandatory violation (or, with failOn advisory, an advisory one) remains. */
export function exitCode(result: CheckResult, failOn: "mandatory" | "advisory" = "mandatory"): number {
    if (result.summary.mandatory > 0) return 1;
    if (failOn === "advisory" && result.summary.advisory > 0) return 1;
    return 0;
}
