/**
 * The oracle of the robustness properties (test/robustness-property.test.ts, `npm run fuzz`):
 * batches of mutated cases (test/support/mutations.ts) sent to the pack as the engine sends a
 * preview, under one pack configuration: ConfigureStack and Configure when the configuration
 * changes, Remediate then Analyze for each resource (the remediated properties analyzed, as the
 * engine does), then one AnalyzeStack over every resource of the batch.
 *
 * What must hold:
 * - No crash: every call answers, without an error (a policy that throws anything but
 *   `@pulumi/policy`'s unknown-value and not-applicable signals fails the call), within
 *   `CALL_LIMIT_MS` (a call that never answers is a hang, not a slow call).
 * - No leak: no run of 8 characters of a distinctive text planted as a secret (`Zq` and 14 random
 *   letters and digits, as written or transformed) appears in a diagnostic's message or
 *   description, in a remediation's description or diagnostic, or in a value a remediation writes
 *   in clear. Every secret of the request is still secret in the properties a remediation returns.
 *   (Runs of 4 characters of every secret of the fixtures are the property of
 *   test/secrets-property.test.ts.)
 * - Secret-invariance: a case with values wrapped as secrets (its twin) gets the same verdicts,
 *   (policy, URN, level, cannot-check or not) of each diagnostic, and the same number of
 *   remediations.
 * - Assets and archives come back from a remediation exactly as they were sent.
 */
import { keepsAssets } from "@cloud-de-confiance/policies/dist/lib/upstream-guard";
import { PolicyPackProcess } from "../../src/engine/driver";
import { isCannotCheck, parsePolicyConfig, reconcilePolicyConfig } from "../../src/engine/engine";
import { AnalyzerInfo, Diagnostic, EngineResource, PolicyConfig, Remediation } from "../../src/engine/types";
import { Materialized, MutationKind } from "./mutations";
import { clearLeaves, getAt, leakedRuns, multisetDiff, secretAt, secretPaths, writtenForms } from "./secrets-oracle";

/** A call that has not answered after this long is taken for a hang. */
export const CALL_LIMIT_MS = 60_000;
/** Length of the runs of a planted secret that must show nowhere. */
export const LEAK_RUN = 8;

const STACK_TAGS = { application: "portail", environnement: "production", "centre-de-cout": "CC-9", proprietaire: "équipe web" };

export interface RunConfiguration {
    name: string;
    /** The policy-pack configuration file's content. */
    config: Record<string, unknown>;
    stackTags: Record<string, string>;
}

const inMonths = (n: number) => {
    const d = new Date();
    d.setUTCMonth(d.getUTCMonth() + n);
    return d.toISOString().slice(0, 10);
};

/** The pack configurations the cases run under. */
export function configurations(): RunConfiguration[] {
    const settings = (s: Record<string, unknown>) => ({ "cloud-de-confiance": s });
    return [
        { name: "defaut", config: {}, stackTags: {} },
        { name: "profil-ovhcloud", config: settings({ profil: "ovhcloud", environnement: "production" }), stackTags: STACK_TAGS },
        { name: "profil-kubernetes-qualifie", config: settings({ profil: "kubernetes-qualifie", environnement: "hors-production", langue: "en" }), stackTags: STACK_TAGS },
        { name: "remediation", config: { all: "remediate" }, stackTags: STACK_TAGS },
        { name: "remediation-sans-etiquettes", config: { "pil-01-imputation-des-couts": "remediate", ...settings({ langue: "en" }) }, stackTags: {} },
        {
            name: "derogations",
            config: settings({
                derogationsLibres: true,
                dureeMaxDerogationMois: 24,
                derogations: [{ besoin: "SEC-03", ressource: "*", reference: "DEC-2026-1", expiration: inMonths(6), justification: "essai" }],
                derogationsApprouvees: [{ reference: "DEC-2026-7", besoins: ["SEC-06", "RES-01", "PIL-01"], expiration: inMonths(6) }],
            }),
            stackTags: STACK_TAGS,
        },
        {
            name: "niveaux",
            config: { ...settings({ niveaux: { "SEC-09": "advisory", "RES-01": "disabled", "PIL-01": "mandatory" } }), "sec-03-chiffrement-au-repos": "disabled", "res-06-sauvegarde-protection": "mandatory" },
            stackTags: STACK_TAGS,
        },
    ];
}

export interface Failure {
    kind: "crash" | "hang" | "leak" | "secret-kept" | "invariance" | "assets";
    configuration: string;
    /** The cases of the batch the failure is about (all of them for a stack-wide one). */
    items: Materialized[];
    message: string;
}

export interface Coverage {
    batches: number;
    cases: number;
    twins: number;
    resources: number;
    byType: Map<string, number>;
    byKind: Map<MutationKind, number>;
    byConfiguration: Map<string, number>;
    calls: { configure: number; remediate: number; analyze: number; analyzeStack: number };
    diagnostics: number;
    remediations: number;
    cannotCheck: number;
}

export function emptyCoverage(): Coverage {
    return {
        batches: 0, cases: 0, twins: 0, resources: 0,
        byType: new Map(), byKind: new Map(), byConfiguration: new Map(),
        calls: { configure: 0, remediate: 0, analyze: 0, analyzeStack: 0 },
        diagnostics: 0, remediations: 0, cannotCheck: 0,
    };
}

const bump = <K>(m: Map<K, number>, k: K, n = 1) => m.set(k, (m.get(k) ?? 0) + n);

/** Adds what `from` covered to `into`. */
export function addCoverage(into: Coverage, from: Coverage): void {
    for (const k of ["batches", "cases", "twins", "resources", "diagnostics", "remediations", "cannotCheck"] as const) into[k] += from[k];
    for (const k of ["configure", "remediate", "analyze", "analyzeStack"] as const) into.calls[k] += from.calls[k];
    for (const [k, n] of from.byType) bump(into.byType, k, n);
    for (const [k, n] of from.byKind) bump(into.byKind, k, n);
    for (const [k, n] of from.byConfiguration) bump(into.byConfiguration, k, n);
}

class CallFailed extends Error {
    constructor(readonly kind: "crash" | "hang", message: string) {
        super(message);
    }
}

function limited<T>(p: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CallFailed("hang", `${what}: no answer after ${CALL_LIMIT_MS / 1000} s`)), CALL_LIMIT_MS);
    });
    return Promise.race([
        p.catch((e: Error) => {
            throw e instanceof CallFailed ? e : new CallFailed("crash", `${what} failed: ${e.message.split("\n")[0].slice(0, 500)}`);
        }),
        hang,
    ]).finally(() => clearTimeout(timer));
}

interface BatchResult {
    /** Verdicts by case: its resources' diagnostics, and the stack's diagnostics about them. */
    verdicts: string[][];
    /** Stack diagnostics about no resource of a case. */
    stackWide: string[];
    remediations: number[];
    texts: { item: number | undefined; policy: string; what: string; text: string }[];
}

function verdict(d: Diagnostic, stack: boolean): string {
    return `${d.policyName} | ${d.urn} | ${d.enforcementLevel} | ${isCannotCheck(d) ? "cannot-check" : "checked"}${stack ? " | stack" : ""}`;
}

export class RobustnessRunner {
    readonly coverage = emptyCoverage();
    private info?: AnalyzerInfo;
    private current?: string;
    private readonly reconciled = new Map<string, Record<string, PolicyConfig>>();

    constructor(private readonly pack: PolicyPackProcess) {}

    private async configure(c: RunConfiguration): Promise<void> {
        if (this.current === c.name) return;
        this.info ??= await this.pack.getAnalyzerInfo();
        let config = this.reconciled.get(c.name);
        if (!config) {
            config = reconcilePolicyConfig(this.info, parsePolicyConfig(c.config, c.name), this.pack.packDir);
            this.reconciled.set(c.name, config);
        }
        this.current = undefined;
        await limited(this.pack.configureStack({ project: "fuzz", stack: "fuzz", tags: c.stackTags }), `${c.name}: ConfigureStack`);
        await limited(this.pack.configure(config), `${c.name}: Configure`);
        this.coverage.calls.configure++;
        this.current = c.name;
    }

    /** Runs a batch and returns what went wrong. */
    async run(c: RunConfiguration, items: Materialized[]): Promise<Failure[]> {
        const failures: Failure[] = [];
        const fail = (kind: Failure["kind"], its: Materialized[], message: string) => failures.push({ kind, configuration: c.name, items: its, message });
        this.coverage.batches++;
        this.coverage.cases += items.length;
        bump(this.coverage.byConfiguration, c.name, items.length);
        for (const it of items) {
            for (const k of it.kinds) bump(this.coverage.byKind, k);
            for (const r of it.resources) {
                bump(this.coverage.byType, r.type);
                if (r.provider) bump(this.coverage.byType, r.provider.type);
            }
            this.coverage.resources += it.resources.length;
        }
        let main: BatchResult;
        try {
            await this.configure(c);
            main = await this.batch(items.map((it) => it.resources), items, fail);
        } catch (e) {
            this.current = undefined;
            const f = e as CallFailed;
            fail(f.kind ?? "crash", items, f.message);
            return failures;
        }
        this.checkLeaks(items, main, fail);

        // Secret-invariance: the same batch with the twins' values wrapped.
        const twinned = items.map((it, i) => (it.twin ? i : -1)).filter((i) => i >= 0);
        if (twinned.length > 0) {
            this.coverage.twins += twinned.length;
            let twin: BatchResult;
            try {
                twin = await this.batch(items.map((it) => it.twin ?? it.resources), items, fail);
            } catch (e) {
                this.current = undefined;
                const f = e as CallFailed;
                fail(f.kind ?? "crash", items, `twin with values made secret: ${f.message}`);
                return failures;
            }
            for (let i = 0; i < items.length; i++) {
                const { onlyA, onlyB } = multisetDiff(main.verdicts[i], twin.verdicts[i]);
                if (onlyA.length || onlyB.length) {
                    fail("invariance", [items[i]], `verdicts changed when values were made secret\n    lost: ${onlyA.join("\n          ") || "-"}\n    new:  ${onlyB.join("\n          ") || "-"}`);
                }
                if (main.remediations[i] !== twin.remediations[i]) fail("invariance", [items[i]], `number of remediations changed: ${main.remediations[i]} → ${twin.remediations[i]}`);
            }
            const { onlyA, onlyB } = multisetDiff(main.stackWide, twin.stackWide);
            if (onlyA.length || onlyB.length) fail("invariance", items, `stack-wide verdicts changed when values were made secret\n    lost: ${onlyA.join(", ") || "-"}\n    new:  ${onlyB.join(", ") || "-"}`);
            this.checkLeaks(items, twin, fail);
        }
        return failures;
    }

    private async batch(sets: EngineResource[][], items: Materialized[], fail: (kind: Failure["kind"], its: Materialized[], message: string) => void): Promise<BatchResult> {
        const out: BatchResult = { verdicts: sets.map(() => []), stackWide: [], remediations: sets.map(() => 0), texts: [] };
        const owner = new Map<string, number>();
        const analyzed: EngineResource[] = [];
        for (let i = 0; i < sets.length; i++) {
            for (const r of sets[i]) {
                owner.set(r.urn, i);
                let current = r;
                const what = `${items[i].label} · ${r.type} « ${r.name} »`;
                this.coverage.calls.remediate++;
                const rem = await limited(this.pack.remediate(r), `Remediate ${what}`);
                for (const x of rem.remediations) {
                    out.remediations[i]++;
                    this.coverage.remediations++;
                    this.remediationTexts(out, i, r, x, items, fail);
                    if (x.properties) current = { ...current, properties: x.properties };
                }
                analyzed.push(current);
                this.coverage.calls.analyze++;
                const res = await limited(this.pack.analyze(current), `Analyze ${what}`);
                for (const d of res.diagnostics) {
                    const urn = d.urn || r.urn;
                    out.verdicts[i].push(verdict({ ...d, urn }, false));
                    out.texts.push({ item: i, policy: d.policyName, what: "a message", text: d.message }, { item: i, policy: d.policyName, what: "a description", text: d.description });
                    this.count(d);
                }
            }
        }
        this.coverage.calls.analyzeStack++;
        const st = await limited(this.pack.analyzeStack(analyzed), `AnalyzeStack of ${analyzed.length} resources`);
        for (const d of st.diagnostics) {
            const i = d.urn ? owner.get(d.urn) : undefined;
            if (i === undefined) out.stackWide.push(verdict(d, true));
            else out.verdicts[i].push(verdict(d, true));
            out.texts.push({ item: i, policy: d.policyName, what: "a stack message", text: d.message }, { item: i, policy: d.policyName, what: "a stack description", text: d.description });
            this.count(d);
        }
        return out;
    }

    private count(d: Diagnostic): void {
        this.coverage.diagnostics++;
        if (isCannotCheck(d)) this.coverage.cannotCheck++;
    }

    private remediationTexts(out: BatchResult, i: number, sent: EngineResource, x: Remediation, items: Materialized[], fail: (kind: Failure["kind"], its: Materialized[], message: string) => void): void {
        out.texts.push({ item: i, policy: x.policyName, what: "a remediation's description", text: x.description }, { item: i, policy: x.policyName, what: "a remediation's diagnostic", text: x.diagnostic });
        if (!x.properties) return;
        for (const p of secretPaths(sent.properties)) {
            const state = secretAt(x.properties, p);
            if (state !== "secret") {
                fail("secret-kept", [items[i]], `remediation ${x.policyName} of ${sent.urn} returns ${p.join(".")} ${state === "absent" ? "without the property" : "in clear"} though it was secret: ${JSON.stringify(getAt(x.properties, p))?.slice(0, 200)}`);
            }
        }
        if (!keepsAssets(sent.properties, x.properties)) fail("assets", [items[i]], `remediation ${x.policyName} of ${sent.urn} does not give back the assets and archives as they were sent`);
        const sentClear = clearLeaves(sent.properties);
        for (const leaf of clearLeaves(x.properties)) if (!sentClear.has(leaf)) out.texts.push({ item: i, policy: x.policyName, what: "a value a remediation writes in clear", text: leaf });
    }

    private checkLeaks(items: Materialized[], res: BatchResult, fail: (kind: Failure["kind"], its: Materialized[], message: string) => void): void {
        const planted = items.flatMap((it, i) => it.distinct.map((d) => ({ i, d })));
        if (planted.length === 0) return;
        const never = () => false;
        // Planted texts are ASCII letters and digits: a run of one shows in a text as the same
        // characters, lower-cased or not. Each text is first searched for them cheaply.
        const windows = planted.map(({ d }) => {
            const w: string[] = [];
            for (const form of writtenForms(d.toLowerCase())) for (let k = 0; k + LEAK_RUN <= form.length; k++) w.push(form.slice(k, k + LEAK_RUN));
            return w;
        });
        const seen = new Set<string>();
        for (const t of res.texts) {
            if (!t.text || seen.has(`${t.item}\u0000${t.text}`)) continue;
            seen.add(`${t.item}\u0000${t.text}`);
            const lower = t.text.toLowerCase();
            for (let p = 0; p < planted.length; p++) {
                if (!windows[p].some((w) => lower.includes(w))) continue;
                const { i, d } = planted[p];
                const runs = writtenForms(d).flatMap((w) => leakedRuns(w, t.text, never, LEAK_RUN));
                if (runs.length) fail("leak", t.item === undefined || t.item === i ? [items[i]] : [items[i], items[t.item]], `secret ${JSON.stringify(d)} shows in ${t.what} of ${t.policy}: ${runs.join(", ")}\n    ${t.text.slice(0, 600)}`);
            }
        }
    }
}

/** A failure as a file `npm run fuzz -- --replay FILE` runs again. */
export function failureRecord(f: Failure, seed?: number): Record<string, unknown> {
    return { mode: "robustness", kind: f.kind, configuration: f.configuration, seed, message: f.message, items: f.items };
}
