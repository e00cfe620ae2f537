/**
 * The corpus of Pulumi programs of the tests (test/fixtures/programs): each is a project of its own,
 * with its package.json, installed here as `npm install` would install it, but offline: every
 * dependency it declares is linked to the package of the repository's node_modules (which must
 * satisfy the declared range).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const PROGRAMS = path.join(ROOT, "test", "fixtures", "programs");

interface Semver {
    satisfies(version: string, range: string): boolean;
}
// The repository's node_modules holds semver (a dependency of @pulumi/pulumi).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const semver = require(require.resolve("semver", { paths: [path.join(ROOT, "node_modules", "@pulumi", "pulumi")] })) as Semver;

function copyDir(from: string, to: string): void {
    fs.mkdirSync(to, { recursive: true });
    for (const e of fs.readdirSync(from, { withFileTypes: true })) {
        if (e.name === "node_modules") continue;
        const src = path.join(from, e.name);
        const dst = path.join(to, e.name);
        if (e.isDirectory()) copyDir(src, dst);
        else fs.copyFileSync(src, dst);
    }
}

export interface InstallOptions {
    /** Install these packages as copies rather than links (a program with its own copy of the SDK). */
    copies?: string[];
    /** Folder of the repository the program is put in (default: a new temporary one). */
    repo?: string;
}

/**
 * Copies the program `name` into a throw-away git repository (`<tmp>/repo/.git`, so that source
 * locations are relative to `<tmp>/repo`) and installs its dependencies. Returns the project folder.
 */
export function installProgram(name: string, opts: InstallOptions = {}): string {
    const repo = opts.repo ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cdc-corpus-")), "repo");
    fs.mkdirSync(path.join(repo, ".git"), { recursive: true });
    const dir = path.join(repo, name);
    copyDir(path.join(PROGRAMS, name), dir);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as {
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
    };
    for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
        const installed = path.join(ROOT, "node_modules", dep);
        const version = (JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8")) as { version: string }).version;
        if (!semver.satisfies(version, range)) {
            throw new Error(`${name}: ${dep}@${range} is not satisfied by the repository's ${dep}@${version}`);
        }
        const target = path.join(dir, "node_modules", dep);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        if (opts.copies?.includes(dep)) {
            fs.cpSync(installed, target, { recursive: true, dereference: true });
        } else {
            fs.symlinkSync(installed, target, "dir");
        }
    }
    if (opts.copies?.length) {
        // A copied package finds its own dependencies next to it, as npm hoists them.
        const modules = path.join(ROOT, "node_modules");
        for (const entry of fs.readdirSync(modules)) {
            const names = entry.startsWith("@") ? fs.readdirSync(path.join(modules, entry)).map((n) => `${entry}/${n}`) : [entry];
            for (const n of names) {
                const target = path.join(dir, "node_modules", n);
                if (n.startsWith(".") || fs.existsSync(target)) continue;
                fs.mkdirSync(path.dirname(target), { recursive: true });
                fs.symlinkSync(path.join(modules, n), target, "dir");
            }
        }
    }
    return dir;
}

/** Removes what installProgram created. */
export function removeInstalled(dir: string): void {
    fs.rmSync(path.dirname(path.dirname(dir)), { recursive: true, force: true });
}
