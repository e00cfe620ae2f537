/**
 * The checker's core: evaluates resources with the pack through the engine protocol and turns the
 * engine's diagnostics into findings and a conformance matrix organised by need id.
 */
import * as path from "path";
import { NEED_ID_PATTERN, NEEDS } from "@cloud-de-confiance/policies/dist/lib/catalogue";
import { parseNote } from "@cloud-de-confiance/policies/dist/lib/derogations";
import { pick } from "@cloud-de-confiance/policies/dist/lib/i18n";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { PolicyPackProcess } from "../engine/driver";
import { evaluate, Evaluation, isCannotCheck, StackContext } from "../engine/engine";
import { EngineResource, PolicyConfig, Severity } from "../engine/types";
import { costOf, needFigures } from "./cost";
import { CheckResult, CheckSource, Finding, Lang, NeedConformance, ResourceRef } from "./model";
import { attachSecrets, inputSecrets, SecretIndex, SecretSource } from "./secrets";

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
    /** Where else the input keeps secrets: stack outputs, state entries, configuration (secrets.ts). */
    secretSources?: SecretSource[];
    /** The secrets of the whole input, when the caller already indexed them (resources included). */
    secrets?: SecretIndex;
}

/**
 * Starts the pack, evaluates, stops the pack. The result carries the secrets of the input (see
 * secrets.ts): every report rendered from it masks them.
 */
export async function check(input: CheckInput): Promise<{ result: CheckResult; evaluation: Evaluation }> {
    const secrets = input.secrets ?? inputSecrets(input.resources, input.secretSources);
    const config = { ...(input.config ?? {}) };
    if (input.lang) {
        const cur = config["cloud-de-confiance"];
        config["cloud-de-confiance"] = { ...cur, properties: { ...(cur?.properties ?? {}), langue: input.lang } };
    }
    const pack = await PolicyPackProcess.start(input.packDir ?? PACK_DIR);
    try {
        const evaluation = await evaluate(pack, input.resources, { config, stack: input.stack });
        return { result: attachSecrets(toResult(evaluation, input.source, input.stack), secrets), evaluation };
    } finally {
        await pack.close();
    }
}

function refOf(urn: string, byUrn: Map<string, EngineResource>): ResourceRef {
    const r = byUrn.get(urn);
    if (r) return { urn, type: r.type, name: r.name };
    const parts = urn.split("::");
    return { urn, type: (parts[2] ?? "").split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

export function toResult(ev: Evaluation, source: CheckSource, stack?: StackContext): CheckResult {
    const lang: Lang = (ev.config["cloud-de-confiance"]?.properties?.["langue"] as Lang) === "en" ? "en" : "fr";
    const byUrn = new Map(ev.resources.map((r) => [r.urn, r]));
    const policies = new Map(ev.info.policies.map((p) => [p.name, p]));
    const rules = new Map(ruleModules().map((m) => [m.rule.name, m.rule]));
    const needsOf = (name: string): string[] => {
        const rule = rules.get(name);
        if (rule) return [...rule.needs];
        const p = policies.get(name);
        const tags = (p?.tags ?? []).filter((t) => NEED_ID_PATTERN.test(t));
        return tags.length ? tags : p?.framework ? [p.framework.reference] : [];
    };

    // Summaries (PIL-03, PIL-05) are figures, kept as data (`cost`, the matrix's figures), not findings.
    const findings: Finding[] = ev.diagnostics.filter((d) => !rules.get(d.policyName)?.summary).map((d) => {
        const p = policies.get(d.policyName);
        const rule = rules.get(d.policyName);
        const unknown = isCannotCheck(d);
        const note = unknown ? undefined : parseNote(d.message);
        const level = d.enforcementLevel === "mandatory" || d.enforcementLevel === "remediate" ? "mandatory" : "advisory";
        return {
            needs: needsOf(d.policyName),
            policy: d.policyName,
            title: rule ? `${rule.needs[0]} — ${pick(rule.title, lang)}` : d.description,
            severity: (d.severity ?? p?.severity ?? "medium") as Severity,
            enforcementLevel: level,
            status: unknown ? "unknown" : note && level === "advisory" ? "derogated" : "violation",
            resource: d.urn ? refOf(d.urn, byUrn) : undefined,
            message: d.message,
            remediation: rule ? pick(rule.remediation, lang) : p?.remediationSteps ?? "",
            derogation: note && level === "advisory" ? note : undefined,
        };
    });

    const conformance: NeedConformance[] = NEEDS.map((need) => {
        const own = ev.info.policies.filter((p) => needsOf(p.name).includes(need.id)).map((p) => p.name);
        const fs = findings.filter((f) => f.needs.includes(need.id));
        const urns = (list: Finding[]) => [...new Set(list.map((f) => f.resource?.urn ?? "").filter(Boolean))];
        const violated = fs.filter((f) => f.status === "violation");
        const derogated = fs.filter((f) => f.status === "derogated");
        const unknown = fs.filter((f) => f.status === "unknown");
        const checked = new Set<string>();
        for (const p of own) for (const u of ev.applied.get(p) ?? []) checked.add(u);
        const base = { need: need.id, title: pick(need.title, lang), priority: need.priority, policies: own };
        if (violated.length) return { ...base, status: "violated", resources: urns(violated) };
        if (derogated.length) return { ...base, status: "derogated", resources: urns(derogated) };
        if (unknown.length) return { ...base, status: "cannot-check", resources: urns(unknown) };
        if (checked.size) return { ...base, status: "respected", resources: [...checked] };
        return { ...base, status: "not-exercised", resources: [] };
    });
    const cost = costOf(ev, stack);
    for (const c of conformance) {
        const figures = needFigures(c.need, cost, lang);
        if (figures) c.figures = figures;
    }

    const count = (pred: (f: Finding) => boolean) => findings.filter(pred).length;
    return {
        tool: { name: "cloud-de-confiance", version: TOOL_VERSION },
        pack: { name: ev.info.name, version: ev.info.version },
        source,
        lang,
        resources: ev.resources.map((r) => ({ urn: r.urn, type: r.type, name: r.name })),
        findings,
        remediations: ev.remediations.map((r) => ({
            policy: r.policyName,
            needs: needsOf(r.policyName),
            resource: refOf(r.urn, byUrn),
            description: r.diagnostic || r.description,
        })),
        conformance,
        cost,
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
