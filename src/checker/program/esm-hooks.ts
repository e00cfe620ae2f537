/**
 * Module customization hooks (node's `module.register`) for ES module programs written in
 * TypeScript, as ts-node/esm serves them to the language host: a `.mts` file, or a `.ts` file of a
 * package with `"type": "module"`, is transpiled to an ES module; a `.cts` file, or a `.ts` file of a
 * CommonJS package, is left to the CommonJS loader (and its `.ts` require hook, typescript.ts).
 *
 * Resolution accepts what TypeScript accepts: `./x.js` names `./x.ts` (`nodenext`), and
 * `./x` names `./x.ts` or `./x/index.ts` (`bundler`), when the JavaScript file does not exist.
 *
 * These hooks run in node's loader thread: type-checking is done in the main thread (child.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath, pathToFileURL } from "url";
import type * as TS from "typescript";
import { loadTypeScript, moduleFormat, transpile, TypeScriptApi } from "./typescript";

export interface EsmHooksData {
    /** Path of the TypeScript compiler. */
    tsPath: string;
    /** Options to transpile a file to an ES module (transpileOptions(..., "module")). */
    options: TS.CompilerOptions;
    /** Directory that file names in errors are relative to. */
    base: string;
}

interface ResolveContext {
    parentURL?: string;
    conditions?: string[];
    importAttributes?: Record<string, string>;
}
interface ResolveResult {
    url: string;
    format?: string | null;
    shortCircuit?: boolean;
}
interface LoadContext {
    format?: string | null;
    conditions?: string[];
    importAttributes?: Record<string, string>;
}
interface LoadResult {
    format: string;
    source?: string | Buffer;
    shortCircuit?: boolean;
}

let data: EsmHooksData | undefined;
let ts: TypeScriptApi | undefined;

export async function initialize(d: EsmHooksData): Promise<void> {
    data = d;
}

const TS_FILE = /\.(ts|tsx|mts|cts)$/;

function exists(file: string): boolean {
    try {
        return fs.statSync(file).isFile();
    } catch {
        return false;
    }
}

/** TypeScript files a relative specifier may name, when the file it names does not exist. */
function alternatives(file: string): string[] {
    const m = /^(.*)\.(js|jsx|mjs|cjs)$/.exec(file);
    if (m) {
        const ext = m[2];
        return ext === "mjs" ? [m[1] + ".mts"] : ext === "cjs" ? [m[1] + ".cts"] : ext === "jsx" ? [m[1] + ".tsx"] : [m[1] + ".ts", m[1] + ".tsx"];
    }
    if (path.extname(file) === "") {
        return [".ts", ".tsx", ".mts", ".cts"].map((e) => file + e).concat([".ts", ".mts"].map((e) => path.join(file, "index" + e)));
    }
    return [];
}

export async function resolve(
    specifier: string,
    context: ResolveContext,
    next: (specifier: string, context: ResolveContext) => Promise<ResolveResult>,
): Promise<ResolveResult> {
    try {
        return await next(specifier, context);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const relative = specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("file:") || specifier.startsWith("/");
        if (!relative || !context.parentURL || (code !== "ERR_MODULE_NOT_FOUND" && code !== "ERR_UNSUPPORTED_DIR_IMPORT")) {
            throw e;
        }
        const base = context.parentURL.startsWith("file:") ? fileURLToPath(context.parentURL) : undefined;
        const target = specifier.startsWith("file:")
            ? fileURLToPath(specifier)
            : path.isAbsolute(specifier) || !base
              ? specifier
              : path.resolve(path.dirname(base), specifier);
        const found = alternatives(target).find(exists);
        if (!found) {
            throw e;
        }
        return { url: pathToFileURL(found).href, shortCircuit: true };
    }
}

export async function load(
    url: string,
    context: LoadContext,
    next: (url: string, context: LoadContext) => Promise<LoadResult>,
): Promise<LoadResult> {
    if (!data || !url.startsWith("file:")) {
        return next(url, context);
    }
    const file = fileURLToPath(url);
    if (!TS_FILE.test(file) || file.endsWith(".d.ts")) {
        return next(url, context);
    }
    if (moduleFormat(file) === "commonjs") {
        // No source: node's CommonJS loader reads the file, through the require hook.
        return { format: "commonjs", shortCircuit: true };
    }
    ts ??= loadTypeScript(data.tsPath);
    const source = transpile(ts, fs.readFileSync(file, "utf8"), file, data.options, data.base);
    return { format: "module", source, shortCircuit: true };
}
