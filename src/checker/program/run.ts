/**
 * Runs a Pulumi Node.js program (TypeScript or JavaScript) in this process with the Pulumi SDK's
 * mock runtime, and records every resource it registers (see recorder.ts).
 *
 * No cloud is contacted and no secret is decrypted: `secure:` values of the stack configuration are
 * given to the program as secret config values whose plaintext is "[secret]". Resource creations
 * and data sources are answered by the mocks of mocks.ts.
 */
import * as fs from "fs";
import * as path from "path";
import * as util from "util";
import { EngineResource } from "../../engine/types";
import { configString } from "../config-values";
import { InputError, oneLine } from "../errors";
import { ROOT_STACK_TYPE, isProviderType, makeUrn, normalizeProperties, parseProviderRef } from "../inputs";
import { configSources, inputSecrets, SecretIndex, SecretSource, scrubText } from "../secrets";
import { COMPUTED_OUTPUTS, INVOKE_ANSWERS, InvokeContext, Props } from "./mocks";
import { isObject, readProject, RunProgramOptions } from "./project";
import { buildResources, FEATURES, record, Registration } from "./recorder";
import { Callback, loadSdk, MockCallArgs, MockResourceArgs, ProtoStruct } from "./sdk";
import { installTsHook, loadTypeScript } from "./typescript";

export interface ProgramRun {
    project: string;
    stack: string;
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
    /** Where each resource was declared in the program (as the SDK reports it), by URN. */
    sourcePositions?: Record<string, { file: string; line: number; column: number }>;
}

/** Organization reported to the program (pulumi.getOrganization()), as the file backend does. */
export const DEFAULT_ORGANIZATION = "organization";

function errorMessage(e: unknown): string {
    if (e instanceof Error) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "MODULE_NOT_FOUND") {
            const first = e.message.split("\n")[0];
            return `${first} (is npm install done in the project?)`;
        }
        return oneLine(e.message) || e.name;
    }
    return oneLine(String(e));
}

/** A path relative to the working directory when it is below it, absolute otherwise. */
function displayPath(p: string): string {
    const rel = path.relative(process.cwd(), p);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

function isInside(file: string, dir: string): boolean {
    const rel = path.relative(dir, file);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function isEsmProject(main: string, projectDir: string): boolean {
    let dir = fs.statSync(main).isDirectory() ? main : path.dirname(main);
    for (;;) {
        const pkg = path.join(dir, "package.json");
        if (fs.existsSync(pkg)) {
            try {
                return (JSON.parse(fs.readFileSync(pkg, "utf8")) as { type?: string }).type === "module";
            } catch {
                return false;
            }
        }
        if (dir === projectDir || path.dirname(dir) === dir) {
            return false;
        }
        dir = path.dirname(dir);
    }
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs the Pulumi program of `dir` with the mock runtime and returns the resources it declares.
 * Runs are serialized: the Pulumi SDK keeps its state in process globals.
 */
export function runProgram(dir: string, opts: RunProgramOptions = {}): Promise<ProgramRun> {
    const run = queue.then(
        () => runOnce(dir, opts),
        () => runOnce(dir, opts),
    );
    queue = run.catch(() => undefined);
    return run;
}

async function runOnce(dir: string, opts: RunProgramOptions): Promise<ProgramRun> {
    const info = readProject(dir, opts);
    const programDir = fs.statSync(info.main).isDirectory() ? info.main : path.dirname(info.main);
    if (isEsmProject(info.main, info.projectDir)) {
        throw new InputError(
            `${info.main}: ES module programs ("type": "module") cannot be run by the checker: ` +
                `check their pulumi preview --json output with --preview`,
        );
    }
    const sdk = loadSdk(programDir);
    const sdkDir = path.dirname(require.resolve("@pulumi/pulumi", { paths: [programDir] }));
    const ts = loadTypeScript(programDir, sdkDir);
    const { runtime } = sdk;

    const configStrings: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [k, e] of info.config) {
        configStrings[k] = configString(e.value);
        if (e.secret) {
            secretKeys.push(k);
        }
    }

    const registrations: Registration[] = [];
    const registeredOutputs: SecretSource[] = [];
    /** What the program wrote with console.*: shown once the run is over, without its secrets. */
    const printed: string[] = [];
    const byUrn = new Set<string>();
    const providerInputs = new Map<string, Props>();
    const failures: unknown[] = [];
    let inflight = 0;
    const names = { stack: info.stack, project: info.project };

    const mocks = {
        newResource(a: MockResourceArgs): { id: string | undefined; state: Props } {
            const computed = a.custom ? COMPUTED_OUTPUTS[a.type]?.outputs(a.inputs, a.name) ?? {} : {};
            return { id: a.custom ? `${a.name}-id` : undefined, state: { ...a.inputs, ...computed } };
        },
        call(a: MockCallArgs): Props {
            const answer = INVOKE_ANSWERS[a.token];
            if (!answer) {
                return {};
            }
            const ref = a.provider ? parseProviderRef(a.provider) : undefined;
            const ctx: InvokeContext = { config: configStrings };
            const inputs = ref ? providerInputs.get(ref.urn) : undefined;
            if (inputs) {
                ctx.providerInputs = inputs;
            }
            return answer.answer(a.inputs, ctx);
        },
    };

    /** Every place of the run where secrets may be, as it stands (the run may have stopped early). */
    const secretSources = (): SecretSource[] => [
        ...registrations.map((r) => ({ key: r.urn, value: normalizeProperties(r.object) })),
        ...registeredOutputs,
        ...configSources(configStrings, secretKeys),
    ];
    const runSecrets = (): SecretIndex => inputSecrets([], secretSources());

    // Process state to restore.
    const cwd = process.cwd();
    const cacheBefore = new Set(Object.keys(require.cache));
    const sourceMaps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled === true;
    const consoleMethods = ["log", "info", "debug", "warn", "error"] as const;
    const consoleSaved = consoleMethods.map((m) => console[m]);
    const onFailure = (e: unknown) => {
        failures.push(e);
    };
    let removeHook: (() => void) | undefined;
    let entry = info.main;
    let timer: NodeJS.Timeout | undefined;

    try {
        await runtime.setMocks(mocks, info.project, info.stack, opts.preview === true, DEFAULT_ORGANIZATION);
        runtime.setAllConfig(configStrings, secretKeys);
        const monitor = runtime.getMonitor();
        if (!monitor) {
            throw new InputError(`${sdkDir}: the mock runtime did not install its monitor`);
        }
        monitor.newUrn = (parent, type, name) => makeUrn(info.stack, info.project, parent || undefined, type, name);
        const track = (cb: Callback): Callback => {
            inflight++;
            return (err, resp) => {
                inflight--;
                cb(err, resp);
            };
        };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req, cb) => {
            const urn = makeUrn(info.stack, info.project, req.getParent() || undefined, req.getType(), req.getName());
            if (byUrn.has(urn)) {
                cb(new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`));
                return undefined;
            }
            byUrn.add(urn);
            const reg = record(req, urn, names);
            registrations.push(reg);
            if (isProviderType(reg.type)) {
                providerInputs.set(urn, normalizeProperties(reg.object));
            }
            return register(req, track(cb));
        };
        const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
        monitor.registerResourceOutputs = (req, cb) => {
            const r = req as { getUrn(): string; getOutputs(): ProtoStruct | undefined };
            registeredOutputs.push({ key: r.getUrn(), value: normalizeProperties(r.getOutputs()?.toJavaScript()) });
            return registerOutputs(req, cb);
        };
        for (const method of ["invoke", "readResource", "registerResourceOutputs"] as const) {
            const original = (monitor[method] as (req: unknown, cb: Callback) => unknown).bind(monitor);
            (monitor as unknown as Record<string, unknown>)[method] = (req: unknown, cb: Callback) => original(req, track(cb));
        }
        monitor.supportsFeature = (req, cb) => {
            cb(null, { getHassupport: () => FEATURES[req.getId()] === true });
            return undefined;
        };

        process.chdir(info.projectDir);
        process.setSourceMapsEnabled(true);
        removeHook = installTsHook(ts, info.projectDir);
        // The program's console output goes to stderr (stdout carries the report), after the run:
        // a secret it prints is only known once every resource is registered.
        for (const m of consoleMethods) {
            console[m] = (...args: unknown[]) => {
                printed.push(util.format(...args));
            };
        }
        process.on("unhandledRejection", onFailure);
        process.on("uncaughtException", onFailure);

        const main = info.main;
        const target = fs.statSync(main).isDirectory() ? main + path.sep : main;
        try {
            entry = require.resolve(target);
        } catch {
            throw new InputError(
                `${displayPath(main)}: no program to run (index.ts or index.js, or "main" in Pulumi.yaml or package.json)`,
            );
        }
        // The program's own failure is recorded here rather than left to reject the root stack
        // resource, whose rejected promises would otherwise surface as unhandled rejections.
        const program = async (): Promise<unknown> => {
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const exported = require(target) as unknown;
                const result = exported instanceof Function ? (exported as () => unknown)() : exported;
                return await result;
            } catch (e) {
                failures.push(e);
                return undefined;
            }
        };
        const timeoutMs = opts.timeoutMs ?? 120_000;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(new InputError(`${main}: the program did not finish within ${Math.round(timeoutMs / 1000)} s`)),
                timeoutMs,
            );
        });
        const settle = async () => {
            try {
                await runtime.runInPulumiStack(program);
            } catch (e) {
                failures.push(e);
            }
            // Wait until no registration, invoke or output is pending any more.
            let lastCount = -1;
            let lastDone: unknown;
            for (;;) {
                await runtime.waitForRPCs();
                await new Promise((r) => setImmediate(r));
                await new Promise((r) => setTimeout(r, 0));
                const done = sdk.getStore().settings.rpcDone;
                if (inflight === 0 && registrations.length === lastCount && done === lastDone) {
                    break;
                }
                lastCount = registrations.length;
                lastDone = done;
            }
        };
        await Promise.race([settle(), timeout]);
        if (failures.length > 0) {
            // The error may quote a value of the program: never one of its secrets.
            const secrets = runSecrets();
            const first = failures[0];
            if (first instanceof InputError) {
                throw new InputError(scrubText(secrets, first.message));
            }
            throw new InputError(scrubText(secrets, `${displayPath(entry)}: the program failed: ${errorMessage(first)}`));
        }
    } finally {
        if (timer) {
            clearTimeout(timer);
        }
        process.off("unhandledRejection", onFailure);
        process.off("uncaughtException", onFailure);
        consoleMethods.forEach((m, i) => {
            console[m] = consoleSaved[i];
        });
        if (printed.length > 0) {
            process.stderr.write(scrubText(runSecrets(), printed.join("\n")) + "\n");
        }
        removeHook?.();
        process.setSourceMapsEnabled(sourceMaps);
        process.chdir(cwd);
        // Forget the program's own modules so that the next run executes them again; the SDK and the
        // provider packages stay loaded (one instance per process).
        for (const file of Object.keys(require.cache)) {
            if (file.split(path.sep).includes("node_modules")) {
                continue;
            }
            if (!cacheBefore.has(file) || isInside(file, info.projectDir)) {
                delete require.cache[file];
            }
        }
        try {
            runtime.setAllConfig({}, []);
            runtime.disconnectSync();
            runtime.resetOptions("", "", -1, "", "", false, "");
        } catch {
            // best effort
        }
    }

    const resources = buildResources(registrations, info);
    const result: ProgramRun = {
        project: info.project,
        stack: info.stack,
        resources,
        config: configStrings,
        secretConfigKeys: secretKeys,
        secretSources: secretSources(),
    };
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
    const positions: NonNullable<ProgramRun["sourcePositions"]> = {};
    for (const r of registrations) {
        // Only positions in the project's own code: a resource a library creates (a ConfigGroup's
        // children) has none worth showing.
        const pos = r.sourcePosition;
        if (
            pos &&
            r.type !== ROOT_STACK_TYPE &&
            !isProviderType(r.type) &&
            isInside(pos.file, info.projectDir) &&
            !pos.file.split(path.sep).includes("node_modules")
        ) {
            positions[r.urn] = pos;
        }
    }
    if (Object.keys(positions).length > 0) {
        result.sourcePositions = positions;
    }
    return result;
}
