/**
 * Install footprint: the pack folder installed as the Pulumi CLI installs a published pack, against
 * `@pulumi/awsguard` installed the same way in the same run.
 *
 * What the CLI does (pkg/backend/httpstate/policypack.go, installRequiredPolicy): it downloads the
 * pack's tarball (`pulumi policy publish` made it with `npm pack`), extracts its `package/` folder
 * into ~/.pulumi/policies/<org>/<name>/<version>, then, for a nodejs pack, runs
 * `npm install --loglevel=error` there (production=false: devDependencies too). Here: `npm pack`
 * of policies/ (and of @pulumi/awsguard from the registry), extraction, then the same command,
 * each with an empty npm cache of its own so that neither profits from the other's downloads.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

export interface InstallRun {
    name: string;
    version: string;
    /** Size of the installed folder (package files and node_modules), in MB (10^6 bytes). */
    megabytes: number;
    /** Packages under node_modules. */
    packages: number;
    /** Wall time of `npm install --loglevel=error`. */
    seconds: number;
    /** Size of the published tarball, in kB. */
    tarballKB: number;
}

function npm(args: string[], cwd: string, cache: string): string {
    const r = spawnSync("npm", [...args, "--cache", cache], { cwd, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
    if (r.status !== 0) throw new Error(`npm ${args.join(" ")} (in ${cwd}) failed: ${(r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" | ")}`);
    return r.stdout;
}

function duBytes(dir: string): number {
    let total = 0;
    const stack = [dir];
    while (stack.length) {
        const d = stack.pop()!;
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
            const p = path.join(d, e.name);
            if (e.isDirectory()) stack.push(p);
            else if (e.isFile()) total += fs.statSync(p).size;
        }
    }
    return total;
}

function countPackages(nodeModules: string): number {
    if (!fs.existsSync(nodeModules)) return 0;
    let n = 0;
    const visit = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
            if (!e.isDirectory() || e.name.startsWith(".")) continue;
            const p = path.join(dir, e.name);
            if (e.name.startsWith("@")) {
                visit(p);
                continue;
            }
            if (fs.existsSync(path.join(p, "package.json"))) n++;
            if (fs.existsSync(path.join(p, "node_modules"))) visit(path.join(p, "node_modules"));
        }
    };
    visit(nodeModules);
    return n;
}

/** `npm pack <spec>` into `dir`, then installed as the CLI installs it. */
function installLikeTheCli(spec: string, cwd: string, work: string, label: string): InstallRun {
    const dir = path.join(work, label);
    fs.mkdirSync(dir, { recursive: true });
    const packCache = path.join(dir, "pack-cache");
    const out = npm(["pack", spec, "--pack-destination", dir, "--json", "--loglevel=error"], cwd, packCache);
    const meta = (JSON.parse(out) as { filename: string; name: string; version: string; size: number }[])[0];
    const tarball = path.join(dir, meta.filename.replace(/^@/, "").replace(/\//g, "-"));
    const file = fs.existsSync(tarball) ? tarball : path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith(".tgz"))!);
    execFileSync("tar", ["-xzf", file, "-C", dir]);
    const folder = path.join(dir, "package");
    const t0 = process.hrtime.bigint();
    npm(["install", "--loglevel=error"], folder, path.join(dir, "install-cache"));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return {
        name: meta.name,
        version: meta.version,
        megabytes: duBytes(folder) / 1e6,
        packages: countPackages(path.join(folder, "node_modules")),
        seconds,
        tarballKB: fs.statSync(file).size / 1000,
    };
}

export function measureInstall(): { pack: InstallRun; awsguard: InstallRun } {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-bench-install-"));
    try {
        const pack = installLikeTheCli(path.join(ROOT, "policies"), ROOT, work, "cloud-de-confiance");
        const awsguard = installLikeTheCli("@pulumi/awsguard", work, work, "awsguard");
        return { pack, awsguard };
    } finally {
        fs.rmSync(work, { recursive: true, force: true });
    }
}
