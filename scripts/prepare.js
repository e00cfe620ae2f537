#!/usr/bin/env node
/**
 * `prepare` (npm ci / npm install in a clone, npm pack, and a git dependency, which npm prepares
 * with its development dependencies): builds the pack and the checker.
 *
 * `npm ci --omit=dev` installs no TypeScript compiler: the build already there (dist/,
 * policies/dist/) is kept, and the install succeeds; without one, it says how to get one.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");

let tsc;
try {
    tsc = require.resolve("typescript/bin/tsc", { paths: [ROOT] });
} catch {
    tsc = undefined;
}

if (!tsc) {
    const built = fs.existsSync(path.join(ROOT, "dist", "src", "cli", "main.js")) && fs.existsSync(path.join(ROOT, "policies", "dist", "index.js"));
    process.stderr.write(
        built
            ? "prepare: no TypeScript compiler (development dependencies omitted): the existing build is kept\n"
            : "prepare: no TypeScript compiler (development dependencies omitted) and no build: run `npm ci` (with the development dependencies) to build the checker\n",
    );
    process.exit(0);
}

const r = spawnSync(process.execPath, [tsc, "-b"], { cwd: ROOT, stdio: "inherit" });
if (r.status !== 0) process.exit(r.status ?? 1);
require("./pack-imports").rewrite();
