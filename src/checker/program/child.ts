/**
 * The node process a program runs in. run.ts starts it as the Pulumi Node.js language host starts
 * `@pulumi/pulumi/cmd/run`: `node [runtime.options.nodeargs] child.js`, in the program's working
 * directory, with the host's environment (`PULUMI_NODEJS_TSCONFIG_PATH`,
 * `PULUMI_NODEJS_TRANSPILE_ONLY`). It then receives the run's settings (ChildSpec) on its IPC
 * channel, and:
 *
 * 1. loads the program's own `@pulumi/pulumi` (resolved from the program's folder, as the
 *    program's `import "@pulumi/pulumi"` resolves it) and installs its mock runtime (mocks.ts);
 * 2. finds the entry point as `cmd/run` does: `main` of Pulumi.yaml, else `exports` or `main` of the
 *    nearest package.json, else the folder (`index.js`, `index.ts`, ...);
 * 3. for TypeScript, sets up the compiler as ts-node is set up (typescript.ts, esm-hooks.ts) and
 *    type-checks the program unless told not to;
 * 4. runs the program in the root stack resource: `require` for a CommonJS package, `import()` for
 *    an ES module package (`"type": "module"`, or a `.mjs`/`.mts` entry point: top-level `await`
 *    works), calling an exported function (or the default export);
 * 5. records every registration, invoke and registered output, and sends them back (ChildResult)
 *    once nothing is pending any more.
 *
 * What the program prints goes to this process's stdout and stderr, which run.ts collects.
 */
import * as fs from "fs";
import Module from "module";
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";
import { oneLine } from "../errors";
import { isProviderType, makeUrn, normalizeProperties, parseProviderRef } from "../inputs";
import { EsmHooksData } from "./esm-hooks";
import { COMPUTED_OUTPUTS, INVOKE_ANSWERS, InvokeContext, Props } from "./mocks";
import { FEATURES, Frame, InvokeRecord, record, Registration } from "./recorder";
import { Callback, loadSdk, MockCallArgs, MockResourceArgs, ProtoStruct, Sdk } from "./sdk";
import {
    displayPath,
    errorOf,
    findTypeScript,
    hostCompilation,
    installRequireHooks,
    isTypeScriptFile,
    loadTypeScript,
    transpileOptions,
    TypeChecker,
    TypeScriptError,
} from "./typescript";

export interface ChildSpec {
    project: string;
    stack: string;
    organization: string;
    preview: boolean;
    /** Stack configuration (namespaced keys, strings as the language host gives them). */
    config: Record<string, string>;
    secretKeys: string[];
    /** The entry point, relative to the working directory: "." or a file name. */
    entry: string;
    /** Load TypeScript (`PULUMI_NODEJS_TYPESCRIPT`). */
    typescript: boolean;
    /** Directory error messages name files from (the checker's working directory). */
    displayBase: string;
}

export interface ChildResult {
    registrations: Registration[];
    outputs: { urn: string; outputs: Props }[];
    invokes: InvokeRecord[];
    /** The first failure, one line. */
    failure?: string;
}

/** The checker's own files: never the place a resource is declared. */
const OWN_DIR = path.resolve(__dirname, "..", "..", "..");

interface PackageInfo {
    root: string;
    data: Record<string, unknown>;
}

/** The nearest package.json above `dir` (cmd/run's npmPackageRootFromProgramPath); `dir` itself when none. */
function nearestPackage(dir: string): PackageInfo {
    for (let d = dir; ; d = path.dirname(d)) {
        const file = path.join(d, "package.json");
        if (fs.existsSync(file)) {
            try {
                const data = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
                return { root: d, data: typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {} };
            } catch {
                return { root: d, data: {} };
            }
        }
        if (path.dirname(d) === d) {
            return { root: dir, data: {} };
        }
    }
}

function isDirectory(p: string): boolean {
    try {
        return fs.statSync(p).isDirectory();
    } catch {
        return false;
    }
}

/** The program path as cmd/run computes it: without an explicit entry point, package.json decides. */
function programPath(cwd: string, entry: string): { program: string; pkg: PackageInfo } {
    let program = path.join(cwd, entry);
    const pkg = nearestPackage(isDirectory(program) ? program : path.dirname(program));
    if (entry === ".") {
        const resolveEntry = (p: unknown) => {
            if (typeof p !== "string") {
                return;
            }
            const file = path.join(pkg.root, p);
            if (fs.existsSync(file)) {
                program = file;
            }
        };
        const exp = pkg.data.exports;
        if (typeof exp === "string") {
            resolveEntry(exp);
        } else if (typeof exp === "object" && exp !== null) {
            const main = (exp as Record<string, unknown>)["."];
            if (typeof main === "string") {
                resolveEntry(main);
            } else if (typeof main === "object" && main !== null) {
                const m = main as Record<string, unknown>;
                resolveEntry(m.default ?? m.require ?? m.import);
            }
        } else if (pkg.data.main) {
            resolveEntry(pkg.data.main);
        }
    }
    return { program, pkg };
}

/** The file an ES module program starts from (cmd/run: a folder's index.js, .mjs, .ts or .mts). */
function esmEntry(program: string): string {
    let main = fs.realpathSync(program);
    if (isDirectory(main)) {
        const index = ["index.js", "index.mjs", "index.ts", "index.mts"].find((f) => fs.existsSync(path.join(main, f)));
        if (!index) {
            throw new EntryError(`No entrypoint found in ${main}`);
        }
        main = path.join(main, index);
    }
    return main;
}

class EntryError extends Error {}

/** One frame of `new Error().stack`, in both forms node writes ("at f (file:1:2)", "at file:1:2"). */
function parseFrame(line: string): { file?: string; line?: number; column?: number } {
    const m = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (!m || m[1].startsWith("node:")) {
        return {};
    }
    let file = m[1];
    if (file.startsWith("file:")) {
        try {
            file = fileURLToPath(file);
        } catch {
            return {};
        }
    }
    return { file, line: parseInt(m[2], 10), column: parseInt(m[3], 10) };
}

/** The current stack, one entry per frame (the first one is this function's caller's caller). */
function callsites(): { file?: string; line?: number; column?: number }[] {
    const limit = Error.stackTraceLimit;
    try {
        Error.stackTraceLimit = Number.POSITIVE_INFINITY;
        return (new Error().stack ?? "").split("\n").slice(1).map(parseFrame);
    } finally {
        Error.stackTraceLimit = limit;
    }
}

function programFrames(sdkDir: string): Frame[] {
    return callsites().filter(
        (f): f is Frame => f.file !== undefined && !f.file.startsWith(OWN_DIR + path.sep) && !f.file.startsWith(sdkDir + path.sep),
    );
}

function errorMessage(e: unknown): string {
    if (e instanceof Error) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === "MODULE_NOT_FOUND" || code === "ERR_MODULE_NOT_FOUND") {
            const first = e.message.split("\n")[0];
            return `${first} (is npm install done in the project?)`;
        }
        return oneLine(e.message) || e.name;
    }
    return oneLine(String(e));
}


/**
 * A real dynamic `import()`: this file is compiled to CommonJS, where TypeScript turns `import()`
 * into `require()` (cmd/run works around it the same way).
 */
// eslint-disable-next-line no-new-func
const dynamicImport = new Function("u", "return import(u)") as (url: string) => Promise<Record<string, unknown>>;

const TS_ERROR_LINE = /^\S.*?(:\d+:\d+)?: error TS\d+: /;

async function run(spec: ChildSpec): Promise<ChildResult> {
    const cwd = process.cwd();
    const registrations: Registration[] = [];
    const outputs: ChildResult["outputs"] = [];
    const invokes: InvokeRecord[] = [];
    const failures: unknown[] = [];
    const result = (): ChildResult => {
        const r: ChildResult = { registrations, outputs, invokes };
        if (failures.length > 0) {
            r.failure = failureMessage(failures[0]);
        }
        return r;
    };
    let entryFile = path.join(cwd, spec.entry);
    const failureMessage = (e: unknown): string => {
        if (e instanceof TypeScriptError || e instanceof EntryError) {
            return e.message;
        }
        const message = e instanceof Error ? e.message : String(e);
        // An error of the ES module loader thread (esm-hooks.ts) comes back as a plain Error.
        if (TS_ERROR_LINE.test(message)) {
            return oneLine(message);
        }
        return `${displayPath(entryFile, spec.displayBase)}: the program failed: ${errorMessage(e)}`;
    };
    process.on("uncaughtException", (e) => failures.push(e));
    process.on("unhandledRejection", (e) => failures.push(e));
    process.setSourceMapsEnabled(true);

    let sdk: Sdk;
    try {
        sdk = loadSdk(cwd);
    } catch (e) {
        const known = e instanceof Error && e.name === "InputError";
        failures.push(new EntryError(known ? e.message : `${displayPath(cwd, spec.displayBase) || "."}: cannot load @pulumi/pulumi: ${errorMessage(e)}`));
        return result();
    }
    const { runtime } = sdk;

    const { program, pkg } = programPath(cwd, spec.entry);
    const isModule = pkg.data.type === "module" || /\.m[jt]s$/.test(program);

    // TypeScript, as ts-node is set up by the language host.
    let checker: TypeChecker | undefined;
    let tsReady: (() => void) | undefined;
    const tsPath = spec.typescript ? findTypeScript(sdk.dir, cwd) : undefined;
    if (tsPath) {
        try {
            const ts = loadTypeScript(tsPath);
            const compilation = hostCompilation(ts, cwd, process.env.PULUMI_NODEJS_TSCONFIG_PATH || undefined, isModule);
            if (compilation.errors.length > 0) {
                throw errorOf(ts, compilation.errors, spec.displayBase);
            }
            checker = compilation.transpileOnly ? undefined : new TypeChecker(ts, compilation.options);
            installRequireHooks(ts, compilation.options, checker, spec.displayBase);
            const register = (Module as unknown as { register?: (url: string, opts: unknown) => void }).register;
            if (register) {
                const data: EsmHooksData = {
                    tsPath,
                    options: JSON.parse(JSON.stringify(transpileOptions(ts, compilation.options, "module"))),
                    base: spec.displayBase,
                };
                register(pathToFileURL(path.join(__dirname, "esm-hooks.js")).href, { data });
            }
            tsReady = () => {
                if (checker && isTypeScriptFile(entryFile)) {
                    const errors = checker.checkCached([entryFile]);
                    if (errors.length > 0) {
                        throw errorOf(ts, errors, spec.displayBase);
                    }
                }
            };
        } catch (e) {
            failures.push(e);
            return result();
        }
    }

    try {
        entryFile = isModule ? esmEntry(program) : require.resolve(isDirectory(program) ? program + path.sep : program);
    } catch (e) {
        if (e instanceof EntryError) {
            failures.push(e);
        } else if (!spec.typescript && isDirectory(program) && fs.existsSync(path.join(program, "index.ts"))) {
            failures.push(
                new EntryError(
                    `${displayPath(path.join(program, "index.ts"), spec.displayBase)}: a TypeScript program, but runtime.options.typescript is false in Pulumi.yaml`,
                ),
            );
        } else {
            failures.push(
                new EntryError(
                    `${displayPath(program, spec.displayBase)}: no program to run (index.ts or index.js, or "main" in Pulumi.yaml or package.json)`,
                ),
            );
        }
        return result();
    }
    if (isTypeScriptFile(entryFile) && !tsPath) {
        failures.push(
            new EntryError(
                spec.typescript
                    ? `${displayPath(entryFile, spec.displayBase)}: cannot load the TypeScript compiler to run the program (npm install typescript)`
                    : `${displayPath(entryFile, spec.displayBase)}: a TypeScript program, but runtime.options.typescript is false in Pulumi.yaml`,
            ),
        );
        return result();
    }
    try {
        tsReady?.();
    } catch (e) {
        failures.push(e);
        return result();
    }

    // The mock runtime.
    const providerInputs = new Map<string, Props>();
    const byUrn = new Set<string>();
    let inflight = 0;
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
            const ctx: InvokeContext = { config: spec.config };
            const inputs = ref ? providerInputs.get(ref.urn) : undefined;
            if (inputs) {
                ctx.providerInputs = inputs;
            }
            return answer.answer(a.inputs, ctx);
        },
    };
    await runtime.setMocks(mocks, spec.project, spec.stack, spec.preview, spec.organization);
    runtime.setAllConfig(spec.config, spec.secretKeys);
    const monitor = runtime.getMonitor();
    if (!monitor) {
        failures.push(new EntryError(`${sdk.dir}: the mock runtime did not install its monitor`));
        return result();
    }

    // Positions: the SDK takes them from `new Error().stack`; its parser misses the frames of ES
    // modules ("at file:///x.mjs:1:2"). Where it reports none, the stack of the registration call.
    if (typeof sdk.Resource?.callsites === "function") {
        sdk.Resource.callsites = callsites;
    }
    const pendingFrames = new Map<string, Frame[][]>();
    for (const fn of ["registerResource", "readResource"]) {
        const original = sdk.runtimeResource[fn];
        if (typeof original === "function") {
            sdk.runtimeResource[fn] = function (this: unknown, ...args: unknown[]) {
                const key = `${String(args[2])}::${String(args[3])}`;
                const list = pendingFrames.get(key) ?? [];
                list.push(programFrames(sdk.dir));
                pendingFrames.set(key, list);
                return (original as (...a: unknown[]) => unknown).apply(this, args);
            };
        }
    }

    monitor.newUrn = (parent, type, name) => makeUrn(spec.stack, spec.project, parent || undefined, type, name);
    const track = (cb: Callback): Callback => {
        inflight++;
        return (err, resp) => {
            inflight--;
            cb(err, resp);
        };
    };
    const names = { stack: spec.stack, project: spec.project };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        const urn = makeUrn(spec.stack, spec.project, req.getParent() || undefined, req.getType(), req.getName());
        const frames = pendingFrames.get(`${req.getType()}::${req.getName()}`)?.shift();
        if (byUrn.has(urn)) {
            cb(new Error(`Duplicate resource URN '${urn}'; try giving it a unique name`));
            return undefined;
        }
        byUrn.add(urn);
        const reg = record(req, urn, names);
        if (reg.frames.length === 0 && frames && frames.length > 0) {
            reg.callFrames = frames;
        }
        registrations.push(reg);
        if (isProviderType(reg.type)) {
            providerInputs.set(urn, normalizeProperties(reg.object));
        }
        return register(req, track(cb));
    };
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) => {
        const r = req as { getUrn(): string; getOutputs(): ProtoStruct | undefined };
        outputs.push({ urn: r.getUrn(), outputs: r.getOutputs()?.toJavaScript() ?? {} });
        return registerOutputs(req, track(cb));
    };
    const invoke = monitor.invoke.bind(monitor);
    monitor.invoke = (req, cb) => {
        invokes.push({
            token: req.getTok(),
            providerRef: req.getProvider(),
            version: req.getVersion?.() ?? "",
            after: registrations.length,
        });
        return invoke(req, track(cb));
    };
    const read = monitor.readResource.bind(monitor);
    monitor.readResource = (req, cb) => read(req, track(cb));
    monitor.supportsFeature = (req, cb) => {
        cb(null, { getHassupport: () => FEATURES[req.getId()] === true });
        return undefined;
    };

    // The program itself, run as cmd/run runs it. Its failure is recorded here rather than left to
    // reject the root stack resource, whose rejected promises would surface as unhandled rejections.
    process.argv = [process.argv[0], entryFile];
    const main = async (): Promise<unknown> => {
        try {
            let exported: unknown;
            if (isModule) {
                const ns = await dynamicImport(pathToFileURL(entryFile).href);
                exported = ns;
                if (Object.getOwnPropertyDescriptor(ns, "default") !== undefined) {
                    if (Object.keys(ns).length !== 1) {
                        throw new Error("expected entrypoint module to have either a default export or named exports but not both");
                    }
                    exported = ns.default;
                }
            } else {
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                exported = require(entryFile) as unknown;
            }
            const value = exported instanceof Function ? (exported as () => unknown)() : exported;
            return await value;
        } catch (e) {
            failures.push(e);
            return undefined;
        }
    };
    try {
        await runtime.runInPulumiStack(main);
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
    return result();
}

if (require.main === module && typeof process.send === "function") {
    process.once("message", (spec: ChildSpec) => {
        run(spec)
            .catch((e: unknown): ChildResult => ({
                registrations: [],
                outputs: [],
                invokes: [],
                failure: `the checker could not run the program: ${oneLine(e instanceof Error ? e.message : String(e))}`,
            }))
            .then((result) => {
                process.send!(result, undefined, {}, () => process.exit(0));
            });
    });
}
