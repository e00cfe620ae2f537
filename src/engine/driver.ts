/**
 * The engine side of the Analyzer protocol: starts a policy pack exactly as the Pulumi CLI does and
 * talks to it over gRPC.
 *
 * The CLI's Node.js language host runs `node <@pulumi/pulumi/cmd/run-policy-pack> <engine> .`,
 * resolving the module from the pack folder and using the pack folder as working directory; the
 * pack prints its gRPC port on stdout. The engine then calls GetAnalyzerInfo, ConfigureStack,
 * Configure, and for each resource Remediate then Analyze, and AnalyzeStack at the end.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import * as analyzergrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import {
    AnalyzeResult,
    AnalyzerInfo,
    Diagnostic,
    EnforcementLevel,
    EngineResource,
    NotApplicable,
    PolicyConfig,
    PolicyInfo,
    RemediateResult,
    ResourceOptions,
    Severity,
} from "./types";
import { CLIENT_OPTIONS } from "./message-size";
import { DEFAULT_CALL_TIMEOUT_MS, PackCallError, seconds } from "./limits";

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES: (Severity | undefined)[] = [undefined, "low", "medium", "high", "critical"];
const POLICY_TYPES: PolicyInfo["policyType"][] = ["unknown", "resource", "stack"];

export class PackStartError extends Error {}

export interface StartOptions {
    /** The engine address passed as first argument (the CLI passes its own gRPC server address). */
    engineAddress?: string;
    /** Milliseconds to wait for the pack to print its port. */
    timeoutMs?: number;
    /** Milliseconds each RPC may take (limits.ts); default 120 s. */
    callTimeoutMs?: number;
    env?: NodeJS.ProcessEnv;
    /** Options for the pack's node process (a profiler's, for the bench), before the runner. */
    nodeArgs?: string[];
}

/** Where the CLI's language host finds the policy-pack runner: resolved from the pack folder. */
export function runPolicyPackPath(packDir: string): string {
    return require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [path.resolve(packDir)] });
}

type Callback<T> = (err: grpc.ServiceError | null, resp: T) => void;
type Unary<Req, Resp> = (req: Req, cb: Callback<Resp>) => void;

export class PolicyPackProcess {
    private stderr = "";
    /** Milliseconds each RPC may take before it fails with DEADLINE_EXCEEDED (see limits.ts). */
    callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS;
    private exited: { code: number | null; signal: string | null } | undefined;

    private constructor(
        readonly packDir: string,
        readonly port: number,
        private readonly child: ChildProcess,
        private readonly client: InstanceType<typeof analyzergrpc.AnalyzerClient>,
        /** Milliseconds from spawn to the port being printed. */
        readonly startupMs: number,
    ) {
        child.stderr?.on("data", (d: Buffer) => (this.stderr += d.toString()));
        child.on("exit", (code, signal) => (this.exited = { code, signal }));
    }

    /** Starts the pack in `packDir` and waits for its port. */
    static start(packDir: string, opts: StartOptions = {}): Promise<PolicyPackProcess> {
        const dir = path.resolve(packDir);
        let runner: string;
        try {
            runner = runPolicyPackPath(dir);
        } catch {
            return Promise.reject(new PackStartError(`${dir}: @pulumi/pulumi is not installed for this policy pack (run npm install)`));
        }
        const t0 = process.hrtime.bigint();
        const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), runner, opts.engineAddress ?? "127.0.0.1:0", "."], {
            cwd: dir,
            env: opts.env ?? process.env,
            stdio: ["ignore", "pipe", "pipe"],
        });
        return new Promise((resolve, reject) => {
            let out = "";
            let err = "";
            const timer = setTimeout(() => {
                child.kill("SIGKILL");
                reject(new PackStartError(`policy pack ${dir} did not print its port within ${opts.timeoutMs ?? 60000} ms: ${err.trim()}`));
            }, opts.timeoutMs ?? 60000);
            const onErr = (d: Buffer) => (err += d.toString());
            child.stderr!.on("data", onErr);
            const onOut = (d: Buffer) => {
                out += d.toString();
                const nl = out.indexOf("\n");
                if (nl < 0) return;
                const port = Number(out.slice(0, nl).trim());
                clearTimeout(timer);
                child.stdout!.off("data", onOut);
                child.stderr!.off("data", onErr);
                child.off("exit", onExit);
                if (!Number.isInteger(port) || port <= 0) {
                    child.kill("SIGKILL");
                    reject(new PackStartError(`policy pack ${dir} printed ${JSON.stringify(out.slice(0, nl))} instead of a port: ${err.trim()}`));
                    return;
                }
                const startupMs = Number(process.hrtime.bigint() - t0) / 1e6;
                // Later stdout lines are the pack's logs; keep draining them.
                child.stdout!.on("data", () => undefined);
                // The engine's message sizes (limits.ts): a large stack is one AnalyzeStack request over 4 MiB.
                const client = new analyzergrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), CLIENT_OPTIONS);
                const proc = new PolicyPackProcess(dir, port, child, client, startupMs);
                proc.stderr = err;
                if (opts.callTimeoutMs !== undefined) proc.callTimeoutMs = opts.callTimeoutMs;
                resolve(proc);
            };
            const onExit = (code: number | null) => {
                clearTimeout(timer);
                reject(new PackStartError(`policy pack ${dir} exited (code ${code}) before printing its port: ${err.trim().split("\n").slice(-5).join(" | ")}`));
            };
            child.stdout!.on("data", onOut);
            child.on("exit", onExit);
            child.on("error", (e) => {
                clearTimeout(timer);
                reject(new PackStartError(`cannot start policy pack ${dir}: ${e.message}`));
            });
        });
    }

    /** The pack process's id (for /proc measures). */
    get pid(): number | undefined {
        return this.child.pid;
    }

    /** What the pack wrote on stderr so far. */
    get stderrText(): string {
        return this.stderr;
    }

    /** One RPC, with its deadline; `name` says which in errors (« Analyze of urn:… »). */
    private call<Req, Resp>(method: Unary<Req, Resp>, req: Req, name: string): Promise<Resp> {
        const limit = this.callTimeoutMs;
        return new Promise((resolve, reject) => {
            const options = Number.isFinite(limit) && limit > 0 ? { deadline: Date.now() + limit } : {};
            (method as unknown as (r: Req, o: object, cb: Callback<Resp>) => void).call(this.client, req, options, (err, resp) => {
                if (!err) return resolve(resp);
                if (err.code === grpc.status.DEADLINE_EXCEEDED) {
                    return reject(new PackCallError(`policy pack ${this.packDir}: ${name} did not answer within ${seconds(limit)} (call time limit)`, err.code));
                }
                if (err.code === grpc.status.UNAVAILABLE || this.exited) {
                    const last = this.stderr.trim().split("\n").filter((l) => l.trim() && !/^\s*at\s/.test(l)).pop();
                    const why = this.exited ? `exited (${this.exited.signal ?? `code ${this.exited.code}`})` : "stopped answering";
                    return reject(new PackCallError(`policy pack ${this.packDir} ${why} during ${name}${last ? `: ${last.trim().slice(0, 300)}` : ""}`, err.code));
                }
                const e = new Error(`${err.details || err.message}`) as Error & { code?: number };
                e.code = err.code;
                reject(e);
            });
        });
    }

    /** Stops the pack at once (a time limit passed); pending calls fail. */
    kill(): void {
        this.client.close();
        if (!this.exited) this.child.kill("SIGKILL");
    }

    async getAnalyzerInfo(): Promise<AnalyzerInfo> {
        const r = await this.call<Empty, analyzerpb.AnalyzerInfo>(this.client.getAnalyzerInfo, new Empty(), "GetAnalyzerInfo");
        const initialConfig: Record<string, PolicyConfig> = {};
        r.getInitialconfigMap().forEach((v, k) => {
            initialConfig[k] = { enforcementLevel: LEVELS[v.getEnforcementlevel()], properties: (v.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown> };
        });
        return {
            name: r.getName(),
            displayName: r.getDisplayname(),
            version: r.getVersion(),
            supportsConfig: r.getSupportsconfig(),
            description: r.getDescription(),
            initialConfig,
            policies: r.getPoliciesList().map((p) => {
                const schema = p.getConfigschema();
                const fw = p.getFramework();
                return {
                    name: p.getName(),
                    displayName: p.getDisplayname(),
                    description: p.getDescription(),
                    enforcementLevel: LEVELS[p.getEnforcementlevel()],
                    severity: SEVERITIES[p.getSeverity()],
                    policyType: POLICY_TYPES[p.getPolicyType()] ?? "unknown",
                    configSchema: schema
                        ? { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>, required: schema.getRequiredList() }
                        : undefined,
                    framework: fw
                        ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() }
                        : undefined,
                    tags: p.getTagsList(),
                    remediationSteps: p.getRemediationSteps(),
                    url: p.getUrl(),
                };
            }),
        };
    }

    async configure(config: Record<string, PolicyConfig>): Promise<void> {
        const req = new analyzerpb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(config)) {
            const pc = new analyzerpb.PolicyConfig();
            pc.setEnforcementlevel(LEVELS.indexOf(c.enforcementLevel ?? "advisory") as analyzerpb.EnforcementLevel);
            pc.setProperties(toStruct(c.properties));
            map.set(name, pc);
        }
        await this.call(this.client.configure, req, "Configure");
    }

    async configureStack(opts: { stack: string; project: string; organization?: string; dryRun?: boolean; tags?: Record<string, string>; config?: Record<string, string>; secretKeys?: string[] }): Promise<void> {
        const req = new analyzerpb.AnalyzerStackConfigureRequest();
        req.setStack(opts.stack);
        req.setProject(opts.project);
        req.setOrganization(opts.organization ?? "organization");
        req.setDryRun(opts.dryRun ?? true);
        for (const [k, v] of Object.entries(opts.tags ?? {})) req.getTagsMap().set(k, v);
        for (const [k, v] of Object.entries(opts.config ?? {})) req.getConfigMap().set(k, v);
        req.setConfigSecretKeysList(opts.secretKeys ?? []);
        await this.call(this.client.configureStack, req, "ConfigureStack");
    }

    async remediate(r: EngineResource): Promise<RemediateResult> {
        const resp = await this.call<analyzerpb.AnalyzeRequest, analyzerpb.RemediateResponse>(this.client.remediate, analyzeRequest(r), `Remediate of ${callTarget(r.urn)}`);
        return {
            remediations: resp.getRemediationsList().map((x) => ({
                policyName: x.getPolicyname(),
                policyPackName: x.getPolicypackname(),
                policyPackVersion: x.getPolicypackversion(),
                description: x.getDescription(),
                properties: x.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
                diagnostic: x.getDiagnostic(),
            })),
            notApplicable: notApplicable(resp.getNotApplicableList()),
        };
    }

    async analyze(r: EngineResource): Promise<AnalyzeResult> {
        const resp = await this.call<analyzerpb.AnalyzeRequest, analyzerpb.AnalyzeResponse>(this.client.analyze, analyzeRequest(r), `Analyze of ${callTarget(r.urn)}`);
        return analyzeResult(resp);
    }

    async analyzeStack(resources: EngineResource[]): Promise<AnalyzeResult> {
        const req = analyzeStackRequest(resources);
        const resp = await this.call<analyzerpb.AnalyzeStackRequest, analyzerpb.AnalyzeResponse>(this.client.analyzeStack, req, `AnalyzeStack of ${resources.length} resource(s)`);
        return analyzeResult(resp);
    }

    /** Stops the pack (the CLI kills its plugins when the operation ends). */
    async close(): Promise<void> {
        this.client.close();
        if (this.exited) return;
        await new Promise<void>((resolve) => {
            this.child.once("exit", () => resolve());
            this.child.kill("SIGTERM");
            setTimeout(() => this.child.kill("SIGKILL"), 2000).unref();
        });
    }
}

/** The AnalyzeStack request the engine sends for these resources. */
export function analyzeStackRequest(resources: EngineResource[]): analyzerpb.AnalyzeStackRequest {
    const req = new analyzerpb.AnalyzeStackRequest();
    req.setResourcesList(
        resources.map((r) => {
            const a = withResource(new analyzerpb.AnalyzerResource(), r);
            a.setParent(r.parent ?? "");
            a.setDependenciesList(r.dependencies ?? []);
            const pd = a.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
                if (urns.length === 0) continue; // the engine skips properties without dependencies
                const d = new analyzerpb.AnalyzerPropertyDependencies();
                d.setUrnsList(urns);
                pd.set(k, d);
            }
            return a;
        }),
    );
    return req;
}

/** A URN as error lines name it: control characters escaped, cut to 120 characters. */
function callTarget(urn: string): string {
    const shown = JSON.stringify(urn).slice(1, -1);
    return shown.length > 120 ? `${shown.slice(0, 119)}…` : shown;
}

/** Converts plain JSON to a protobuf Struct, dropping `undefined` as the engine does. */
export function toStruct(v: Record<string, unknown>): Struct {
    return Struct.fromJavaScript(JSON.parse(JSON.stringify(v ?? {})));
}

function options(o: ResourceOptions, parent?: string): analyzerpb.AnalyzerResourceOptions {
    const opts = new analyzerpb.AnalyzerResourceOptions();
    opts.setProtect(!!o.protect);
    opts.setIgnorechangesList(o.ignoreChanges ?? []);
    opts.setDeletebeforereplace(!!o.deleteBeforeReplace);
    opts.setDeletebeforereplacedefined(o.deleteBeforeReplace !== undefined);
    opts.setAdditionalsecretoutputsList(o.additionalSecretOutputs ?? []);
    opts.setAliasesList(o.aliases ?? []);
    const t = new analyzerpb.AnalyzerResourceOptions.CustomTimeouts();
    t.setCreate(o.customTimeouts?.create ?? 0);
    t.setUpdate(o.customTimeouts?.update ?? 0);
    t.setDelete(o.customTimeouts?.delete ?? 0);
    opts.setCustomtimeouts(t);
    if (o.parent ?? parent) opts.setParent((o.parent ?? parent) as string);
    return opts;
}

function provider(p: NonNullable<EngineResource["provider"]>): analyzerpb.AnalyzerProviderResource {
    const pr = new analyzerpb.AnalyzerProviderResource();
    pr.setUrn(p.urn);
    pr.setType(p.type);
    pr.setName(p.name);
    pr.setProperties(toStruct(p.properties));
    return pr;
}

/** The Analyze (and Remediate) request the engine sends for a resource. */
export function analyzeRequest(r: EngineResource): analyzerpb.AnalyzeRequest {
    return withResource(new analyzerpb.AnalyzeRequest(), r);
}

/** The fields an AnalyzeRequest and a stack's AnalyzerResource share: the resource and its provider. */
function withResource<M extends analyzerpb.AnalyzeRequest | analyzerpb.AnalyzerResource>(m: M, r: EngineResource): M {
    m.setUrn(r.urn);
    m.setType(r.type);
    m.setName(r.name);
    m.setProperties(toStruct(r.properties));
    m.setOptions(options(r.options ?? {}, r.parent));
    if (r.provider) m.setProvider(provider(r.provider));
    return m;
}

function notApplicable(list: analyzerpb.PolicyNotApplicable[]): NotApplicable[] {
    return list.map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

function analyzeResult(resp: analyzerpb.AnalyzeResponse): AnalyzeResult {
    return {
        diagnostics: resp.getDiagnosticsList().map(
            (d): Diagnostic => ({
                policyName: d.getPolicyname(),
                policyPackName: d.getPolicypackname(),
                policyPackVersion: d.getPolicypackversion(),
                description: d.getDescription(),
                message: d.getMessage(),
                enforcementLevel: LEVELS[d.getEnforcementlevel()],
                urn: d.getUrn(),
                severity: SEVERITIES[d.getSeverity()],
            }),
        ),
        notApplicable: notApplicable(resp.getNotApplicableList()),
    };
}
