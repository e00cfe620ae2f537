/**
 * TypeScript programs, compiled as the Pulumi Node.js language host compiles them
 * (`@pulumi/pulumi/cmd/run/run.js`, which registers ts-node):
 *
 * - the compiler is the `typescript` package found from the program's `@pulumi/pulumi` (then from
 *   the program, then the checker's own, then the SDK's vendored TypeScript 3.8.3);
 * - the tsconfig file is `PULUMI_NODEJS_TSCONFIG_PATH` (Pulumi.yaml `runtime.options.tsconfig`) or
 *   `tsconfig.json`, relative to the program's working directory; none is fine;
 * - the options are the tsconfig file's, over the host's defaults (`target` ES2020, ES2022 for an ES
 *   module package, `module` and `moduleResolution` `nodenext`; `commonjs`/`node` before TypeScript
 *   4.7), which the tsconfig file's own `compilerOptions` override but an `extends`ed file does not;
 * - the program is type-checked unless `PULUMI_NODEJS_TRANSPILE_ONLY=true` or the tsconfig file's
 *   `compilerOptions.noCheck` says otherwise: a type error stops the run, as it stops `pulumi preview`.
 *
 * Type-checking is done once, on the program reached from its entry point (every TypeScript file of
 * the program outside node_modules, as ts-node checks each file it loads), and for any other file
 * when it is loaded. Like ts-node's cache, a successful check is remembered in the temporary folder
 * (`TS_NODE_CACHE=false` turns it off): while none of the files it read has changed, it is not redone. Files are then transpiled one by one as node loads them: to CommonJS for the
 * files node loads as CommonJS (`.cts`, `.ts` outside an ES module package), to ES modules for the
 * others (`.mts`, `.ts` in a package with `"type": "module"`, see esm-hooks.ts).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import Module from "module";
import * as os from "os";
import * as path from "path";
import type * as TS from "typescript";

export type TypeScriptApi = typeof TS;

/** Diagnostics ts-node never reports ("no inputs were found" and the like). */
const IGNORED_DIAGNOSTICS = new Set([6059, 18002, 18003]);

/** A TypeScript error (syntax, type or configuration), one line: `file:line:col: error TSnnnn: text`. */
export class TypeScriptError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "TypeScriptError";
    }
}

/**
 * The TypeScript compiler the language host would use, by path: `require("typescript")` from the
 * SDK (its tsutils.js), then from the program, then the checker's own, then the SDK's vendored one.
 */
export function findTypeScript(sdkDir: string, pwd: string): string | undefined {
    const candidates: { request: string; paths?: string[] }[] = [
        { request: "typescript", paths: [sdkDir] },
        { request: "typescript", paths: [pwd] },
        { request: "typescript" },
        { request: path.join(sdkDir, "vendor", "typescript@3.8.3", "typescript.js") },
    ];
    for (const c of candidates) {
        try {
            return c.paths ? require.resolve(c.request, { paths: c.paths }) : require.resolve(c.request);
        } catch {
            // next candidate
        }
    }
    return undefined;
}

export function loadTypeScript(tsPath: string): TypeScriptApi {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(tsPath) as TypeScriptApi;
}

/** Whether `version` (x.y.z) is at least major.minor. */
function atLeast(version: string, major: number, minor: number): boolean {
    const [a, b] = version.split(".").map((n) => parseInt(n, 10));
    return a > major || (a === major && b >= minor);
}

export interface HostCompilation {
    /** The options ts-node compiles with. */
    options: TS.CompilerOptions;
    /** Errors of the tsconfig file (ts-node throws them before loading anything). */
    errors: TS.Diagnostic[];
    /** Transpile only: no type-checking. */
    transpileOnly: boolean;
    /** The tsconfig file read, if any. */
    configFile?: string;
}

/**
 * The options the language host compiles the program with, and whether it type-checks it.
 * `tsconfigPath` is `PULUMI_NODEJS_TSCONFIG_PATH` when set; `esm` tells an ES module package.
 */
export function hostCompilation(ts: TypeScriptApi, cwd: string, tsconfigPath: string | undefined, esm: boolean): HostCompilation {
    const file = path.resolve(cwd, tsconfigPath ?? "tsconfig.json");
    const exists = fs.existsSync(file);
    if (!exists && tsconfigPath !== undefined) {
        throw new TypeScriptError(`${tsconfigPath}: tsconfig path was set to ${tsconfigPath} but the file was not found`);
    }
    // The host reads the file's own compilerOptions (without `extends`) for its overrides and noCheck.
    let raw: Record<string, unknown> | undefined;
    let rawOptions: Record<string, unknown> = {};
    const errors: TS.Diagnostic[] = [];
    if (exists) {
        const read = ts.readConfigFile(file, (p) => ts.sys.readFile(p));
        if (read.error) {
            errors.push(read.error);
        } else {
            raw = (read.config ?? {}) as Record<string, unknown>;
            const co = raw.compilerOptions;
            rawOptions = typeof co === "object" && co !== null ? (co as Record<string, unknown>) : {};
        }
    }
    const envTranspileOnly = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    const transpileOnly = envTranspileOnly ? envTranspileOnly === "true" : rawOptions.noCheck === true;
    const nodeNext = atLeast(ts.version, 4, 7);
    const defaults = {
        target: esm && nodeNext ? "ES2022" : "ES2020",
        module: nodeNext ? "nodenext" : "commonjs",
        moduleResolution: nodeNext ? "nodenext" : "node",
    };
    // ts-node's own defaults come last (DEFAULT_COMPILER_OPTIONS of ts-node).
    const compilerOptions = {
        ...defaults,
        ...rawOptions,
        sourceMap: true,
        inlineSourceMap: false,
        inlineSources: true,
        declaration: false,
        noEmit: false,
    };
    const json = { ...(raw ?? {}), compilerOptions };
    const parsed = ts.parseJsonConfigFileContent(json, ts.sys, exists ? path.dirname(file) : cwd, undefined, exists ? file : undefined);
    errors.push(...parsed.errors.filter((d) => !IGNORED_DIAGNOSTICS.has(d.code) && d.category === ts.DiagnosticCategory.Error));
    const options = parsed.options;
    for (const k of ["out", "outFile", "composite", "declarationDir", "declarationMap", "emitDeclarationOnly", "noCheck"]) {
        delete (options as Record<string, unknown>)[k];
    }
    options.target ??= ts.ScriptTarget.ES5;
    options.module ??= ts.ModuleKind.CommonJS;
    const out: HostCompilation = { options, errors, transpileOnly };
    if (exists) {
        out.configFile = file;
    }
    return out;
}

/** A path relative to `base` when it is below it, absolute otherwise. */
export function displayPath(p: string, base: string): string {
    const rel = path.relative(base, p);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : p;
}

/** `file:line:col: error TSnnnn: text` (the file relative to `base`). */
export function diagnosticLine(ts: TypeScriptApi, d: TS.Diagnostic, base: string): string {
    let where = "";
    if (d.file) {
        where = displayPath(d.file.fileName, base);
        if (d.start !== undefined) {
            const pos = d.file.getLineAndCharacterOfPosition(d.start);
            where += `:${pos.line + 1}:${pos.character + 1}`;
        }
        where += ": ";
    }
    return `${where}error TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
}

/** The first error, one line, with the number of the others. */
export function errorOf(ts: TypeScriptApi, diagnostics: readonly TS.Diagnostic[], base: string): TypeScriptError {
    const more = diagnostics.length - 1;
    const tail = more > 0 ? ` (and ${more} more TypeScript error${more > 1 ? "s" : ""})` : "";
    return new TypeScriptError(diagnosticLine(ts, diagnostics[0], base) + tail);
}

const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"];

export function isTypeScriptFile(file: string): boolean {
    return TS_EXTENSIONS.includes(path.extname(file)) && !file.endsWith(".d.ts");
}

function isProgramFile(file: string): boolean {
    return isTypeScriptFile(file) && !file.split(/[\\/]/).includes("node_modules");
}

interface CacheEntry {
    /** Every file and folder the check depended on: path, modification time, size. */
    stats: [string, number, number][];
    /** The program's own files it checked. */
    checked: string[];
}

function statOf(p: string): [string, number, number] | undefined {
    try {
        const st = fs.statSync(p);
        return [p, st.mtimeMs, st.isDirectory() ? 0 : st.size];
    } catch {
        return undefined;
    }
}

/**
 * Type-checks the program reached from `roots` as ts-node does for each file it loads: the options
 * and global diagnostics, and the syntactic and semantic diagnostics of every TypeScript file of the
 * program outside node_modules. Returns the errors and the files checked.
 */
export class TypeChecker {
    private roots: string[] = [];
    private program: TS.Program | undefined;
    readonly checked = new Set<string>();

    constructor(
        private readonly ts: TypeScriptApi,
        private readonly options: TS.CompilerOptions,
    ) {}

    private cacheFile(roots: string[]): string | undefined {
        const v = process.env.TS_NODE_CACHE;
        if (v !== undefined && /^(false|f|no|n|off|0)$/i.test(v)) {
            return undefined;
        }
        const home = createHash("sha256").update(os.homedir()).digest("hex").slice(0, 16);
        const key = createHash("sha256")
            .update(JSON.stringify([this.ts.version, this.options, roots, process.cwd()]))
            .digest("hex");
        return path.join(os.tmpdir(), `cloud-de-confiance-typecheck-${home}`, `${key}.json`);
    }

    /** check(), or nothing when an earlier check of the same files, unchanged since, succeeded. */
    checkCached(files: string[]): TS.Diagnostic[] {
        const cache = this.cacheFile(files);
        if (cache) {
            try {
                const entry = JSON.parse(fs.readFileSync(cache, "utf8")) as CacheEntry;
                const same = entry.stats.every(([p, mtime, size]) => {
                    const st = statOf(p);
                    return st !== undefined && st[1] === mtime && st[2] === size;
                });
                if (same) {
                    for (const f of entry.checked) this.checked.add(f);
                    this.roots = [...new Set([...this.roots, ...files])];
                    return [];
                }
            } catch {
                // no usable entry
            }
        }
        const errors = this.check(files);
        if (cache && errors.length === 0 && this.program) {
            const paths = new Set<string>();
            for (const sf of this.program.getSourceFiles()) {
                const file = path.resolve(sf.fileName);
                paths.add(file);
                if (!file.split(/[\\/]/).includes("node_modules")) {
                    // A file added next to the program's own may change what an import resolves to.
                    paths.add(path.dirname(file));
                }
            }
            for (const d of ["node_modules", path.join("node_modules", "@types")]) {
                paths.add(path.resolve(d));
            }
            const entry: CacheEntry = {
                stats: [...paths].map(statOf).filter((x): x is [string, number, number] => x !== undefined),
                checked: [...this.checked],
            };
            try {
                fs.mkdirSync(path.dirname(cache), { recursive: true });
                const tmp = `${cache}.${process.pid}`;
                fs.writeFileSync(tmp, JSON.stringify(entry));
                fs.renameSync(tmp, cache);
            } catch {
                // the cache is an optimization
            }
        }
        return errors;
    }

    check(files: string[]): TS.Diagnostic[] {
        const ts = this.ts;
        this.roots = [...new Set([...this.roots, ...files])];
        const program = ts.createProgram({ rootNames: this.roots, options: this.options, oldProgram: this.program });
        this.program = program;
        const all: TS.Diagnostic[] = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
        for (const sf of program.getSourceFiles()) {
            const file = path.resolve(sf.fileName);
            if (!isProgramFile(file) || this.checked.has(file)) {
                continue;
            }
            this.checked.add(file);
            all.push(...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf));
        }
        return all.filter((d) => d.category === ts.DiagnosticCategory.Error && !IGNORED_DIAGNOSTICS.has(d.code));
    }
}

export type ModuleFormat = "commonjs" | "module";

/** How node loads a TypeScript file: by its extension, else by the nearest package.json's "type". */
export function moduleFormat(file: string): ModuleFormat {
    const ext = path.extname(file);
    if (ext === ".mts") return "module";
    if (ext === ".cts") return "commonjs";
    return packageType(path.dirname(file)) === "module" ? "module" : "commonjs";
}

/** The "type" of the nearest package.json above `dir`. */
export function packageType(dir: string): string | undefined {
    for (let d = dir; ; d = path.dirname(d)) {
        const pkg = path.join(d, "package.json");
        if (fs.existsSync(pkg)) {
            try {
                const type = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { type?: unknown }).type;
                return typeof type === "string" ? type : undefined;
            } catch {
                return undefined;
            }
        }
        if (path.dirname(d) === d) {
            return undefined;
        }
    }
}

/**
 * Options to transpile one file loaded as `format`: the program's options, with the module kind of
 * the format (the file is compiled alone: no module resolution) and an inline source map, so that
 * stack traces (and the positions the SDK reports) name the TypeScript source.
 */
export function transpileOptions(ts: TypeScriptApi, options: TS.CompilerOptions, format: ModuleFormat): TS.CompilerOptions {
    const target = options.target ?? ts.ScriptTarget.ES2020;
    const out: TS.CompilerOptions = {
        ...options,
        module: format === "module" ? ts.ModuleKind.ESNext : ts.ModuleKind.CommonJS,
        target: target >= ts.ScriptTarget.ES2017 ? target : ts.ScriptTarget.ES2020,
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: false,
        declaration: false,
        noEmit: false,
    };
    for (const k of [
        "moduleResolution",
        "declarationMap",
        "composite",
        "incremental",
        "tsBuildInfoFile",
        "emitDeclarationOnly",
        "outDir",
        "outFile",
        "rootDir",
        "isolatedModules",
        "noCheck",
        "configFilePath",
    ]) {
        delete (out as Record<string, unknown>)[k];
    }
    if (format === "commonjs") {
        delete out.verbatimModuleSyntax;
    }
    return out;
}

/** Transpiles one file; a syntax error is a TypeScriptError. */
export function transpile(ts: TypeScriptApi, source: string, fileName: string, options: TS.CompilerOptions, base: string): string {
    const out = ts.transpileModule(source, { fileName, reportDiagnostics: true, compilerOptions: options });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error && !IGNORED_DIAGNOSTICS.has(d.code));
    if (errors.length > 0) {
        throw errorOf(ts, errors, base);
    }
    return out.outputText;
}

type Extensions = Record<string, ((m: NodeModule, filename: string) => void) | undefined>;
type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/**
 * Installs the `.ts`, `.tsx` and `.cts` require hooks (type-checking a file not checked yet, unless
 * `checker` is undefined), and lets a CommonJS `require("./x.js")` find `./x.ts` as TypeScript's
 * module resolution does.
 */
export function installRequireHooks(
    ts: TypeScriptApi,
    options: TS.CompilerOptions,
    checker: TypeChecker | undefined,
    base: string,
): void {
    const cjs = transpileOptions(ts, options, "commonjs");
    const exts = require.extensions as unknown as Extensions;
    const hook = (m: NodeModule, filename: string) => {
        if (checker && !checker.checked.has(filename) && isProgramFile(filename)) {
            const errors = checker.check([filename]);
            if (errors.length > 0) {
                throw errorOf(ts, errors, base);
            }
        }
        // Files node loads as ES modules go through esm-hooks.ts: what is required here is CommonJS.
        const code = transpile(ts, fs.readFileSync(filename, "utf8"), filename, cjs, base);
        (m as unknown as { _compile(code: string, file: string): void })._compile(code, filename);
    };
    for (const ext of [".ts", ".tsx", ".cts"]) {
        exts[ext] = hook;
    }
    const mod = Module as unknown as { _resolveFilename: ResolveFilename };
    const resolve = mod._resolveFilename;
    mod._resolveFilename = function (request, parent, isMain, opts) {
        try {
            return resolve.call(this, request, parent, isMain, opts);
        } catch (e) {
            const m = /^(\.{1,2}\/.*)\.(js|cjs|jsx)$/.exec(request);
            if (!m || (e as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") {
                throw e;
            }
            const alternatives = m[2] === "cjs" ? [".cts"] : m[2] === "jsx" ? [".tsx"] : [".ts", ".tsx"];
            for (const ext of alternatives) {
                try {
                    return resolve.call(this, m[1] + ext, parent, isMain, opts);
                } catch {
                    // next
                }
            }
            throw e;
        }
    };
}
