/**
 * The Pulumi project of a program: `Pulumi.yaml` (name, runtime and its options, main, declared
 * configuration) and, when a stack is given, `Pulumi.<stack>.yaml`. Encrypted (`secure`) values are
 * never decrypted: the program sees them as secret values whose plaintext is "[secret]".
 *
 * Where the program runs follows the CLI (pulumi/pulumi `pkg/engine` getPwdMain): without `main`,
 * in the project directory with the entry point "."; with `main` naming a folder, in that folder
 * with "."; with `main` naming a file, in its folder with the file's name.
 */
import * as fs from "fs";
import * as path from "path";
import YAML from "yaml";
import { blindSecure, declaredValue, namespaced, readYamlFile } from "../config-values";
import { InputError } from "../errors";
import { SourceLocation } from "../model";

export interface RunProgramOptions {
    stack?: string;
    /** `key=value` given on the command line; a key without namespace gets the project's. */
    configOverrides?: Record<string, string>;
    /** Gives up when the program has not finished after this long (default 120 s). */
    timeoutMs?: number;
    /**
     * Run as `pulumi preview` does (pulumi.runtime.isDryRun() is true): an output the mock does not
     * know (neither an input nor a COMPUTED_OUTPUTS field) is then unknown, and the inputs that use it
     * carry the UNKNOWN sentinel, instead of being undefined (dropped). Default false.
     */
    preview?: boolean;
}

/** Stack name used when none is given (no stack configuration file is then read). */
export const DEFAULT_STACK = "dev";

export interface ConfigEntry {
    /** The value as written (scalar, object or array), secure leaves replaced by "[secret]". */
    value: unknown;
    secret: boolean;
}

/**
 * `runtime.options` of Pulumi.yaml that change how the Node.js language host runs the program
 * (pulumi/pulumi `sdk/nodejs/cmd/pulumi-language-nodejs` parseOptions).
 */
export interface RuntimeOptions {
    /** Load TypeScript with ts-node (default true): `PULUMI_NODEJS_TYPESCRIPT`. */
    typescript: boolean;
    /** tsconfig file, relative to the program's working directory: `PULUMI_NODEJS_TSCONFIG_PATH`. */
    tsconfig?: string;
    /** Arguments given to node before the program. */
    nodeargs?: string;
}

export interface ProjectInfo {
    project: string;
    description?: string;
    projectDir: string;
    /** Pulumi.yaml (absolute). */
    projectFile: string;
    /** Absolute path of the program (file or folder). */
    main: string;
    /** Working directory of the program run, as the CLI chooses it. */
    pwd: string;
    /** Entry point given to the language host, relative to pwd: "." or a file name. */
    entry: string;
    runtimeOptions: RuntimeOptions;
    stack: string;
    /** Pulumi.<stack>.yaml (absolute), when a stack was given. */
    stackFile?: string;
    config: Map<string, ConfigEntry>;
    /** Line of each key of the stack configuration file (namespaced keys). */
    configKeyLines: Map<string, number>;
    /** Root that source locations are relative to: the git top level, or the project directory. */
    repoRoot: string;
}

export function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads Pulumi.yaml and, when a stack is given, Pulumi.<stack>.yaml. */
export function readProject(dir: string, opts: RunProgramOptions = {}): ProjectInfo {
    const projectDir = path.resolve(dir);
    if (!fs.existsSync(projectDir) || !fs.statSync(projectDir).isDirectory()) {
        throw new InputError(`${dir}: no such directory (expected a Pulumi project directory)`);
    }
    const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(projectDir, f)).find((f) => fs.existsSync(f));
    if (!projectFile) {
        throw new InputError(`${dir}: no Pulumi.yaml in this directory (is it a Pulumi project?)`);
    }
    const doc = readYamlFile(projectFile);
    if (!isObject(doc)) {
        throw new InputError(`${projectFile}: expected a mapping with name and runtime`);
    }
    const project = doc.name;
    if (typeof project !== "string" || project.trim() === "") {
        throw new InputError(`${projectFile}: the project has no 'name'`);
    }
    const runtime = isObject(doc.runtime) ? doc.runtime.name : doc.runtime;
    if (runtime !== "nodejs") {
        throw new InputError(
            `${projectFile}: runtime '${String(runtime ?? "(none)")}' is not supported: only nodejs programs can be run ` +
                `(for another runtime, check its pulumi preview --json output with --preview)`,
        );
    }
    const runtimeOptions = readRuntimeOptions(doc.runtime, projectFile);
    if (doc.main !== undefined && doc.main !== null && typeof doc.main !== "string") {
        throw new InputError(`${projectFile}: 'main' must be a string (a file or folder of the project)`);
    }
    const mainSpec = typeof doc.main === "string" && doc.main !== "" ? doc.main : undefined;
    if (mainSpec !== undefined && path.isAbsolute(mainSpec)) {
        throw new InputError(`${projectFile}: project 'main' must be a relative path`);
    }
    const main = path.resolve(projectDir, mainSpec ?? ".");
    if (!isInside(main, projectDir)) {
        throw new InputError(`${projectFile}: project 'main' must be a subfolder`);
    }
    if (!fs.existsSync(main)) {
        throw new InputError(`${projectFile}: the program '${String(doc.main)}' (main) does not exist`);
    }
    const mainIsDir = fs.statSync(main).isDirectory();
    const pwd = mainIsDir ? main : path.dirname(main);
    const entry = mainIsDir ? "." : path.basename(main);

    const config = new Map<string, ConfigEntry>();
    // Keys the project declares secret (`secret: true`): Pulumi requires an encrypted value for them,
    // so a value the checker sees in plaintext (a default, a plain stack value, a --config override)
    // is still a secret.
    const declaredSecret = new Set<string>();
    if (doc.config !== undefined && doc.config !== null) {
        if (!isObject(doc.config)) {
            throw new InputError(`${projectFile}: 'config' must be a mapping`);
        }
        for (const [k, decl] of Object.entries(doc.config)) {
            const key = namespaced(k, project);
            const value = declaredValue(decl);
            if (typeof decl === "object" && decl !== null && (decl as Record<string, unknown>)["secret"] === true) {
                declaredSecret.add(key);
            }
            if (value !== undefined && value !== null) {
                const r = blindSecure(value);
                config.set(key, { value: r.value, secret: r.secret || declaredSecret.has(key) });
            }
        }
    }

    const stack = opts.stack ?? DEFAULT_STACK;
    const info: ProjectInfo = {
        project,
        projectDir,
        projectFile,
        main,
        pwd,
        entry,
        runtimeOptions,
        stack,
        config,
        configKeyLines: new Map(),
        repoRoot: repositoryRoot(projectDir),
    };
    if (opts.stack !== undefined) {
        if (!/^[A-Za-z0-9_.\-/]+$/.test(opts.stack)) {
            throw new InputError(`invalid stack name '${opts.stack}'`);
        }
        const shortName = opts.stack.split("/").pop() as string;
        const configDir = typeof doc.stackConfigDir === "string" ? path.resolve(projectDir, doc.stackConfigDir) : projectDir;
        const stackFile = [`Pulumi.${shortName}.yaml`, `Pulumi.${shortName}.yml`]
            .map((f) => path.join(configDir, f))
            .find((f) => fs.existsSync(f));
        if (!stackFile) {
            throw new InputError(
                `${path.join(configDir, `Pulumi.${shortName}.yaml`)}: no configuration file for stack '${opts.stack}'`,
            );
        }
        info.stackFile = stackFile;
        info.configKeyLines = configKeyLines(stackFile, project);
        const stackDoc = readYamlFile(stackFile);
        if (stackDoc !== null && stackDoc !== undefined && !isObject(stackDoc)) {
            throw new InputError(`${stackFile}: expected a mapping`);
        }
        const values = isObject(stackDoc) ? stackDoc.config : undefined;
        if (values !== undefined && values !== null) {
            if (!isObject(values)) {
                throw new InputError(`${stackFile}: 'config' must be a mapping`);
            }
            for (const [k, v] of Object.entries(values)) {
                const key = namespaced(k, project);
                const r = blindSecure(v);
                config.set(key, { value: r.value, secret: r.secret || declaredSecret.has(key) });
            }
        }
    }
    // An override keeps the key secret when it was: it gives the value of a secret, in plaintext.
    for (const [k, v] of Object.entries(opts.configOverrides ?? {})) {
        const key = namespaced(k, project);
        config.set(key, { value: v, secret: declaredSecret.has(key) || config.get(key)?.secret === true });
    }
    if (typeof doc.description === "string") {
        info.description = doc.description;
    }
    return info;
}


function isInside(file: string, dir: string): boolean {
    const rel = path.relative(dir, file);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** `runtime.options`, checked as the language host checks them. */
function readRuntimeOptions(runtime: unknown, projectFile: string): RuntimeOptions {
    const out: RuntimeOptions = { typescript: true };
    const options = isObject(runtime) ? runtime.options : undefined;
    if (options === undefined || options === null) {
        return out;
    }
    if (!isObject(options)) {
        throw new InputError(`${projectFile}: 'runtime.options' must be a mapping`);
    }
    if (options.typescript !== undefined) {
        if (typeof options.typescript !== "boolean") {
            throw new InputError(`${projectFile}: runtime option 'typescript' must be a boolean`);
        }
        out.typescript = options.typescript;
    }
    for (const key of ["tsconfig", "nodeargs"] as const) {
        const v = options[key];
        if (v === undefined) {
            continue;
        }
        if (typeof v !== "string") {
            throw new InputError(`${projectFile}: runtime option '${key}' must be a string`);
        }
        if (v !== "") {
            out[key] = v;
        }
    }
    return out;
}

/** Line of each key of a stack configuration file's `config` mapping (keys namespaced). */
export function configKeyLines(file: string, project: string): Map<string, number> {
    const lines = new Map<string, number>();
    try {
        const lineCounter = new YAML.LineCounter();
        const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"), { lineCounter });
        const config = doc.get("config", true);
        if (YAML.isMap(config)) {
            for (const pair of config.items) {
                const key = YAML.isScalar(pair.key) ? pair.key : undefined;
                if (key && typeof key.value === "string" && key.range) {
                    lines.set(namespaced(key.value, project), lineCounter.linePos(key.range[0]).line);
                }
            }
        }
    } catch {
        // Lines are a convenience: the file itself is read (and checked) by readYamlFile.
    }
    return lines;
}

/**
 * The root that source locations are given from: the top level of the git working tree holding the
 * project (a folder with `.git`, a directory or, for a worktree or submodule, a file), or the project
 * directory when it is not in git. Real paths, so that they compare with the module paths node uses.
 */
export function repositoryRoot(projectDir: string): string {
    const start = realPath(projectDir);
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, ".git"))) {
            return dir;
        }
        if (path.dirname(dir) === dir) {
            return start;
        }
    }
}

export function realPath(p: string): string {
    try {
        return fs.realpathSync(p);
    } catch {
        return path.resolve(p);
    }
}

/** A file as a source location: relative to the root, forward slashes. */
export function locationIn(root: string, file: string, line: number, column?: number): SourceLocation | undefined {
    const rel = path.relative(root, realPath(file));
    if (rel.startsWith("..") || path.isAbsolute(rel)) {
        return undefined;
    }
    const loc: SourceLocation = { file: rel.split(path.sep).join("/"), line: Math.max(1, Math.floor(line)) };
    if (column !== undefined && column >= 1) {
        loc.column = Math.floor(column);
    }
    return loc;
}
