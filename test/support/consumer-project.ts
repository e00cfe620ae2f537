/**
 * A team's project that installs the packaged tool from its tarball, outside the repository, with
 * no network: npm installs from a lockfile whose entries (version, resolved, integrity) are those
 * of this repository's package-lock.json, so every tarball comes from the npm cache that the
 * repository's `npm ci` filled. The tool's own dependencies are read from the packed
 * package.json, so a dependency the package forgets to declare, or declares at a version the
 * repository does not use, makes the install fail.
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "../../..");

interface LockEntry {
    version?: string;
    resolved?: string;
    integrity?: string;
    link?: boolean;
    dev?: boolean;
    optional?: boolean;
    devOptional?: boolean;
    peer?: boolean;
    dependencies?: Record<string, string>;
    optionalDependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    peerDependenciesMeta?: Record<string, { optional?: boolean }>;
    [k: string]: unknown;
}

interface Lock {
    name: string;
    version: string;
    lockfileVersion: number;
    requires?: boolean;
    packages: Record<string, LockEntry>;
}

export function rootLock(): Lock {
    return JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as Lock;
}

/** Where Node finds `name` from the package at `from` (a lock path, "" for the project). */
function lookup(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
    let base = from;
    for (;;) {
        const candidate = `${base ? base + "/" : ""}node_modules/${name}`;
        if (packages[candidate] && !packages[candidate].link) return candidate;
        if (!base) return undefined;
        const i = base.lastIndexOf("/node_modules/");
        base = i < 0 ? "" : base.slice(0, i);
    }
}

/**
 * The lock entries that `deps` (name → the lock path they resolve to in this repository) and
 * everything they need occupy, copied from this repository's lockfile. Throws on a dependency
 * that the repository's install does not hold.
 */
export function closure(lock: Lock, roots: string[]): Record<string, LockEntry> {
    const out: Record<string, LockEntry> = {};
    const queue = [...roots];
    while (queue.length) {
        const at = queue.shift() as string;
        if (out[at]) continue;
        const entry = lock.packages[at];
        if (!entry) throw new Error(`package-lock.json has no ${at}`);
        const { dev: _d, devOptional: _o, peer: _p, ...kept } = entry;
        out[at] = kept;
        const optionalPeers = Object.entries(entry.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n);
        const needs: [string, boolean][] = [
            ...Object.keys(entry.dependencies ?? {}).map((n): [string, boolean] => [n, false]),
            ...Object.keys(entry.optionalDependencies ?? {}).map((n): [string, boolean] => [n, true]),
            // An optional peer is installed only when something else needs it.
            ...Object.keys(entry.peerDependencies ?? {})
                .filter((n) => !optionalPeers.includes(n))
                .map((n): [string, boolean] => [n, false]),
        ];
        for (const [name, optional] of needs) {
            const found = lookup(lock.packages, at, name);
            if (found) queue.push(found);
            else if (!optional) throw new Error(`${at} needs ${name}, which package-lock.json does not hold`);
        }
    }
    return out;
}

export interface PackedTool {
    tarball: string;
    manifest: { name: string; version: string; dependencies?: Record<string, string>; bin?: Record<string, string>; engines?: Record<string, string> };
    files: string[];
}

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
    return spawnSync(cmd, args, {
        cwd,
        encoding: "utf8",
        env: { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false", ...env },
        timeout: 300_000,
        maxBuffer: 64 * 1024 * 1024,
    });
}

/** `npm pack` of the repository (its `prepare` builds first) into `dest`. */
export function packTool(dest: string): PackedTool {
    const r = run("npm", ["pack", "--json", "--pack-destination", dest], ROOT);
    if (r.status !== 0) throw new Error(`npm pack failed (${r.status}): ${r.stderr}`);
    const info = (JSON.parse(r.stdout.slice(r.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[])[0];
    const tarball = path.join(dest, info.filename);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as PackedTool["manifest"];
    return { tarball, manifest, files: info.files.map((f) => f.path) };
}

/** How the project gets the tool: its package.json spec, and what the lockfile records. */
export interface ToolSource {
    manifest: PackedTool["manifest"];
    /** The dependency spec in the project's package.json (`file:x.tgz`, `git+file:///…`). */
    spec: string;
    resolved: string;
    integrity?: string;
}

/** The tool from its tarball, copied into the project (as `npm install ./x.tgz` records it). */
export function fromTarball(dir: string, tool: PackedTool): ToolSource {
    const tgz = path.basename(tool.tarball);
    fs.copyFileSync(tool.tarball, path.join(dir, tgz));
    const integrity = "sha512-" + crypto.createHash("sha512").update(fs.readFileSync(tool.tarball)).digest("base64");
    return { manifest: tool.manifest, spec: `file:${tgz}`, resolved: `file:${tgz}`, integrity };
}

/**
 * Writes the project's package.json and a package-lock.json that installs the tool with `deps`
 * and `devDeps` (names of packages this repository installs, at its versions).
 */
export function writeConsumerProject(dir: string, tool: ToolSource, deps: string[], devDeps: string[]): void {
    const lock = rootLock();
    const versionOf = (name: string) => {
        const e = lock.packages[`node_modules/${name}`];
        if (!e?.version) throw new Error(`package-lock.json has no top-level ${name}`);
        return e.version;
    };
    const dependencies: Record<string, string> = { [tool.manifest.name]: tool.spec };
    for (const d of deps) dependencies[d] = versionOf(d);
    const devDependencies: Record<string, string> = {};
    for (const d of devDeps) devDependencies[d] = versionOf(d);
    const pkg = { name: "projet-equipe", version: "1.0.0", private: true, main: "index.ts", dependencies, devDependencies };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");

    const toolDeps = Object.keys(tool.manifest.dependencies ?? {});
    const prod = closure(lock, [...deps, ...toolDeps].map((n) => `node_modules/${n}`));
    const dev = closure(lock, devDeps.map((n) => `node_modules/${n}`));
    const packages: Record<string, LockEntry> = {
        "": { name: pkg.name, version: pkg.version, dependencies, devDependencies },
        [`node_modules/${tool.manifest.name}`]: {
            version: tool.manifest.version,
            resolved: tool.resolved,
            ...(tool.integrity ? { integrity: tool.integrity } : {}),
            license: "EUPL-1.2",
            dependencies: tool.manifest.dependencies,
            bin: tool.manifest.bin,
            engines: tool.manifest.engines,
        },
    };
    for (const [k, v] of Object.entries(prod)) packages[k] = v;
    for (const [k, v] of Object.entries(dev)) if (!packages[k]) packages[k] = { ...v, dev: true };
    const out: Lock = { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages };
    fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(out, null, 2) + "\n");
}
