#!/usr/bin/env node
/**
 * `prepare` (npm ci / npm install in a clone, npm pack, and a git dependency, which npm prepares
 * with its development dependencies): builds the pack and the checker.
 *
 * `npm ci --omit=dev` installs no development dependency: the build already there (dist/,
 * policies/dist/) is kept, and the install succeeds; without one, it says how to get one.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

// The build needs the development dependencies (the compiler and the type packages). With
// --omit=dev some may still be installed (an optional peer dependency of @pulumi/pulumi keeps
// typescript), so every one of them is looked for.
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
const missing = Object.keys(pkg.devDependencies || {}).filter((name) => !fs.existsSync(path.join(ROOT, "node_modules", name, "package.json")));

if (missing.length) {
    const built = fs.existsSync(path.join(ROOT, "dist", "src", "cli", "main.js")) && fs.existsSync(path.join(ROOT, "policies", "dist", "index.js"));
    process.stderr.write(
        built
            ? `prepare: development dependencies omitted (${missing.join(", ")}): the existing build is kept\n`
            : `prepare: development dependencies omitted (${missing.join(", ")}) and no build: run \`npm ci\` (with the development dependencies) to build the checker\n`,
    );
    process.exit(0);
}

const tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
const r = spawnSync(process.execPath, [tsc, "-b"], { cwd: ROOT, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
require("./pack-imports").rewrite();
