/**
 * Runs a Pulumi Node.js program (TypeScript or JavaScript) with the Pulumi SDK's mock runtime, in a
 * node process of its own started as the language host starts one (child.ts), and returns what it
 * declares (recorder.ts).
 *
 * No cloud is contacted and no secret is decrypted: `secure:` values of the stack configuration are
 * given to the program as secret config values whose plaintext is "[secret]". Resource creations
 * and data sources are answered by the mocks of mocks.ts.
 *
 * What the program prints is shown on stderr once the run is over (stdout carries the report),
 * without the run's secrets: a secret it prints is only known once every resource is registered.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { EngineResource } from "../../engine/types";
import { configString } from "../config-values";
import { InputError, oneLine } from "../errors";
import { normalizeProperties } from "../inputs";
import { SourceLocation } from "../model";
import { configSources, inputSecrets, SecretIndex, SecretSource, scrubText } from "../secrets";
import type { ChildResult, ChildSpec } from "./child";
import { isObject, ProjectInfo, readProject, RunProgramOptions } from "./project";
import { buildResources, sourceLocations, stackLocation } from "./recorder";

export interface ProgramRun {
    project: string;
    stack: string;
    /** The resources of the stack, providers included (see recorder.ts buildResources). */
    resources: EngineResource[];
    stackTags?: Record<string, string>;
    /**
     * The configuration the program saw (namespaced keys). Encrypted (`secure`) values are
     * "[secret]"; a key declared secret by the project, or overridden with --config, may carry a
     * plaintext value: it is listed in `secretConfigKeys` all the same.
     */
    config: Record<string, string>;
    secretConfigKeys: string[];
    /**
     * Where the run's secrets are, besides the resources' properties: every registration (providers
     * and components included), the outputs registered (stack outputs), the secret configuration
     * values known in plaintext (see secrets.ts).
     */
    secretSources: SecretSource[];
    /** Where each resource is declared, by URN, relative to the repository root (recorder.ts sourceLocations). */
    sources: Record<string, SourceLocation>;
    /** Where a finding about the whole stack points: the stack configuration file. */
    stackLocation?: SourceLocation;
}

/** Organization reported to the program (pulumi.getOrganization()), as the file backend does. */
export const DEFAULT_ORGANIZATION = "organization";

const CHILD = path.join(__dirname, "child.js");

/** Variables of a Pulumi CLI run that would make the SDK talk to an engine instead of the mocks. */
const ENGINE_VARIABLES = [
    "PULUMI_CONFIG",
    "PULUMI_CONFIG_SECRET_KEYS",
    "PULUMI_NODEJS_MONITOR",
    "PULUMI_NODEJS_ENGINE",
    "PULUMI_NODEJS_SYNC",
    "PULUMI_NODEJS_PROJECT",
    "PULUMI_NODEJS_STACK",
    "PULUMI_NODEJS_DRY_RUN",
    "PULUMI_NODEJS_ORGANIZATION",
    "PULUMI_NODEJS_PARALLEL",
];

/**
 * Splits `runtime.options.nodeargs` as the language host does (shlex): blanks separate words,
 * single quotes keep everything, double quotes and backslashes escape.
 */
export function splitArgs(text: string): string[] {
    const out: string[] = [];
    let cur = "";
    let inWord = false;
    let quote: "'" | '"' | undefined;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote === "'") {
            if (c === "'") quote = undefined;
            else cur += c;
        } else if (quote === '"') {
            if (c === '"') quote = undefined;
            else if (c === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) cur += text[++i];
            else cur += c;
        } else if (c === "'" || c === '"') {
            quote = c;
            inWord = true;
        } else if (c === "\\" && i + 1 < text.length) {
            cur += text[++i];
            inWord = true;
        } else if (/\s/.test(c)) {
            if (inWord) out.push(cur);
            cur = "";
            inWord = false;
        } else {
            cur += c;
            inWord = true;
        }
    }
    if (quote) {
        throw new Error(`unterminated ${quote} quote`);
    }
    if (inWord) out.push(cur);
    return out;
}

/** The environment of the program's process, as the language host gives it. */
function childEnv(info: ProjectInfo): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const v of ENGINE_VARIABLES) {
        delete env[v];
    }
    if (info.runtimeOptions.tsconfig) {
        env.PULUMI_NODEJS_TSCONFIG_PATH = info.runtimeOptions.tsconfig;
    }
    return env;
}

/** A path relative to the working directory when it is below it, absolute otherwise. */
function displayPath(p: string): string {
    const rel = path.relative(process.cwd(), p);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

/** Runs the child process; resolves with its result, or rejects with a one-line InputError. */
function runChild(info: ProjectInfo, spec: ChildSpec, timeoutMs: number, output: Buffer[]): Promise<ChildResult> {
    let nodeArgs: string[];
    try {
        nodeArgs = splitArgs(info.runtimeOptions.nodeargs ?? "");
    } catch (e) {
        throw new InputError(`${info.projectFile}: runtime option 'nodeargs': ${(e as Error).message}`);
    }
    const where = displayPath(path.join(info.pwd, spec.entry));
    return new Promise<ChildResult>((resolve, reject) => {
        let child: ChildProcess;
        try {
            child = spawn(process.execPath, [...nodeArgs, CHILD], {
                cwd: info.pwd,
                env: childEnv(info),
                stdio: ["ignore", "pipe", "pipe", "ipc"],
            });
        } catch (e) {
            reject(new InputError(`${where}: cannot start node for the program: ${(e as Error).message}`));
            return;
        }
        let result: ChildResult | undefined;
        let settled = false;
        const finish = (err: Error | undefined, r?: ChildResult) => {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            if (err) reject(err);
            else resolve(r!);
        };
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            finish(new InputError(`${where}: the program did not finish within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        child.stdout?.on("data", (d: Buffer) => output.push(d));
        child.stderr?.on("data", (d: Buffer) => output.push(d));
        child.on("message", (m) => {
            result = m as ChildResult;
        });
        child.on("error", (e) => {
            // A write to a process that already exited: its close event tells why.
            const code = (e as NodeJS.ErrnoException).code;
            if (code !== "EPIPE" && code !== "ERR_IPC_CHANNEL_CLOSED") {
                finish(new InputError(`${where}: cannot run the program: ${e.message}`));
            }
        });
        child.on("close", (code, signal) => {
            if (result) {
                finish(undefined, result);
                return;
            }
            // node stopped before the run was over: a bad nodeargs option, or the program exited.
            const lines = Buffer.concat(output).toString("utf8").split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
            const cause = lines.find((l) => /error/i.test(l) && !/^at\s/.test(l)) ?? lines[lines.length - 1];
            const how = signal ? `was stopped (${signal})` : `exited with code ${code}`;
            finish(new InputError(`${where}: the program ${how} before it finished${cause ? `: ${oneLine(cause)}` : ""}`));
        });
        // If node stopped at once (a bad nodeargs option), the send fails: the close event tells why.
        child.send(spec, () => undefined);
    });
}

/** Runs the Pulumi program of `dir` with the mock runtime and returns the resources it declares. */
export async function runProgram(dir: string, opts: RunProgramOptions = {}): Promise<ProgramRun> {
    const info = readProject(dir, opts);
    const configStrings: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [k, e] of info.config) {
        configStrings[k] = configString(e.value);
        if (e.secret) {
            secretKeys.push(k);
        }
    }
    const spec: ChildSpec = {
        project: info.project,
        stack: info.stack,
        organization: DEFAULT_ORGANIZATION,
        preview: opts.preview === true,
        config: configStrings,
        secretKeys,
        entry: info.entry,
        typescript: info.runtimeOptions.typescript || process.env.PULUMI_NODEJS_TYPESCRIPT === "true",
        displayBase: process.cwd(),
    };

    const output: Buffer[] = [];
    let child: ChildResult | undefined;
    /** Every place of the run where secrets may be, as it stands (the run may have stopped early). */
    const secretSources = (): SecretSource[] => [
        ...(child?.registrations ?? []).map((r) => ({ key: r.urn, value: normalizeProperties(r.object) })),
        ...(child?.outputs ?? []).map((o) => ({ key: o.urn, value: normalizeProperties(o.outputs) })),
        ...configSources(configStrings, secretKeys),
    ];
    const runSecrets = (): SecretIndex => inputSecrets([], secretSources());
    try {
        child = await runChild(info, spec, opts.timeoutMs ?? 120_000, output);
    } catch (e) {
        throw e instanceof InputError ? new InputError(scrubText(runSecrets(), e.message)) : e;
    } finally {
        const printed = Buffer.concat(output).toString("utf8");
        if (printed.trim() !== "") {
            process.stderr.write(scrubText(runSecrets(), printed.endsWith("\n") ? printed : printed + "\n"));
        }
    }
    if (child.failure) {
        // The error may quote a value of the program: never one of its secrets.
        throw new InputError(scrubText(runSecrets(), child.failure));
    }

    const resources = buildResources(child.registrations, info, child.invokes);
    const result: ProgramRun = {
        project: info.project,
        stack: info.stack,
        resources,
        config: configStrings,
        secretConfigKeys: secretKeys,
        secretSources: secretSources(),
        sources: sourceLocations(child.registrations, resources, info),
    };
    const stackLoc = stackLocation(info);
    if (stackLoc) {
        result.stackLocation = stackLoc;
    }
    const tags: Record<string, string> = { "pulumi:project": info.project, "pulumi:runtime": "nodejs" };
    if (info.description) {
        tags["pulumi:description"] = info.description;
    }
    const userTags = info.config.get("pulumi:tags")?.value;
    if (isObject(userTags)) {
        for (const [k, v] of Object.entries(userTags)) {
            tags[k] = configString(v);
        }
    }
    result.stackTags = tags;
    return result;
}
