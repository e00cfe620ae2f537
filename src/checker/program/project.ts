/**
 * The Pulumi project of a program: `Pulumi.yaml` (name, runtime, main, declared configuration) and,
 * when a stack is given, `Pulumi.<stack>.yaml`. Encrypted (`secure`) values are never decrypted:
 * the program sees them as secret values whose plaintext is "[secret]".
 */
import * as fs from "fs";
import * as path from "path";
import { blindSecure, declaredValue, namespaced, readYamlFile } from "../config-values";
import { InputError } from "../errors";

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

export interface ProjectInfo {
    project: string;
    description?: string;
    projectDir: string;
    /** Absolute path of the program (file or folder). */
    main: string;
    stack: string;
    config: Map<string, ConfigEntry>;
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
    const main = path.resolve(projectDir, typeof doc.main === "string" && doc.main !== "" ? doc.main : ".");
    if (!fs.existsSync(main)) {
        throw new InputError(`${projectFile}: the program '${String(doc.main)}' (main) does not exist`);
    }

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
    const info: ProjectInfo = { project, projectDir, main, stack, config };
    if (typeof doc.description === "string") {
        info.description = doc.description;
    }
    return info;
}

