/**
 * TypeScript programs: the compiler as found from the program, and a `.ts` require hook.
 */
import * as fs from "fs";
import * as path from "path";
import { InputError } from "../errors";

export interface TypeScriptApi {
    version: string;
    transpileModule(
        input: string,
        opts: { fileName: string; reportDiagnostics: boolean; compilerOptions: Record<string, unknown> },
    ): {
        outputText: string;
        diagnostics?: { file?: { getLineAndCharacterOfPosition(p: number): { line: number; character: number } }; start?: number; messageText: unknown }[];
    };
    flattenDiagnosticMessageText(m: unknown, nl: string): string;
    readConfigFile(p: string, read: (p: string) => string | undefined): { config?: unknown; error?: unknown };
    parseJsonConfigFileContent(json: unknown, host: unknown, base: string): { options: Record<string, unknown> };
    sys: { readFile(p: string): string | undefined };
    ModuleKind: { CommonJS: number };
    ScriptTarget: { ES2020: number; ES2017: number };
}

export function loadTypeScript(programDir: string, sdkDir: string): TypeScriptApi {
    const candidates: { request: string; paths?: string[] }[] = [
        { request: "typescript", paths: [programDir] },
        { request: "typescript" },
        { request: path.join(sdkDir, "typescript-shim.js") },
    ];
    for (const c of candidates) {
        try {
            const p = c.paths ? require.resolve(c.request, { paths: c.paths }) : require.resolve(c.request);
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(p) as TypeScriptApi;
        } catch {
            // next candidate
        }
    }
    throw new InputError(`${programDir}: cannot load the TypeScript compiler to run the program (npm install typescript)`);
}

function compilerOptions(ts: TypeScriptApi, projectDir: string): Record<string, unknown> {
    let options: Record<string, unknown> = {};
    const tsconfig = path.join(projectDir, "tsconfig.json");
    if (fs.existsSync(tsconfig)) {
        const read = ts.readConfigFile(tsconfig, (p) => ts.sys.readFile(p));
        if (read.config && !read.error) {
            options = { ...ts.parseJsonConfigFileContent(read.config, ts.sys, projectDir).options };
        }
    } else {
        options = { esModuleInterop: true };
    }
    const target = typeof options.target === "number" ? options.target : 0;
    return {
        ...options,
        module: ts.ModuleKind.CommonJS,
        target: target >= ts.ScriptTarget.ES2017 ? target : ts.ScriptTarget.ES2020,
        sourceMap: false,
        inlineSourceMap: true,
        inlineSources: false,
        declaration: false,
        declarationMap: false,
        composite: false,
        incremental: false,
        noEmit: false,
        emitDeclarationOnly: false,
        outDir: undefined,
        rootDir: undefined,
    };
}

type Extensions = Record<string, ((m: NodeModule, filename: string) => void) | undefined>;

/** Installs a `.ts` require hook (transpile only, no type-checking); returns its removal. */
export function installTsHook(ts: TypeScriptApi, projectDir: string): () => void {
    const exts = require.extensions as unknown as Extensions;
    const previous = exts[".ts"];
    const options = compilerOptions(ts, projectDir);
    exts[".ts"] = (m: NodeModule, filename: string) => {
        const source = fs.readFileSync(filename, "utf8");
        const out = ts.transpileModule(source, { fileName: filename, reportDiagnostics: true, compilerOptions: options });
        const diag = out.diagnostics?.[0];
        if (diag) {
            const pos = diag.file && diag.start !== undefined ? diag.file.getLineAndCharacterOfPosition(diag.start) : undefined;
            throw new InputError(
                `${filename}${pos ? `:${pos.line + 1}:${pos.character + 1}` : ""}: ${ts.flattenDiagnosticMessageText(diag.messageText, " ")}`,
            );
        }
        (m as unknown as { _compile(code: string, file: string): void })._compile(out.outputText, filename);
    };
    return () => {
        if (previous) {
            exts[".ts"] = previous;
        } else {
            delete exts[".ts"];
        }
    };
}

