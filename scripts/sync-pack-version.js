#!/usr/bin/env node
/**
 * The pack's version follows the package's. `npm version <new>` bumps package.json, then runs
 * this script (the `version` lifecycle script), which writes the same version into
 * policies/package.json (the version `pulumi policy publish` and GetAnalyzerInfo report) and
 * into package-lock.json, and stages both for the commit npm makes.
 */
"use strict";
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const read = (f) => JSON.parse(fs.readFileSync(path.join(ROOT, f), "utf8"));
const write = (f, v) => fs.writeFileSync(path.join(ROOT, f), JSON.stringify(v, null, 2) + "\n");

const { version } = read("package.json");
// Only the version line changes: the file keeps its layout.
const packFile = path.join(ROOT, "policies", "package.json");
const packText = fs.readFileSync(packFile, "utf8");
fs.writeFileSync(packFile, packText.replace(/("version"\s*:\s*)"[^"]*"/, (_, k) => `${k}${JSON.stringify(version)}`));
if (JSON.parse(fs.readFileSync(packFile, "utf8")).version !== version) throw new Error("policies/package.json: no version field to update");
const staged = ["policies/package.json"];
if (fs.existsSync(path.join(ROOT, "package-lock.json"))) {
    const lock = read("package-lock.json");
    if (lock.packages && lock.packages.policies) {
        lock.packages.policies.version = version;
        write("package-lock.json", lock);
        staged.push("package-lock.json");
    }
}
process.stdout.write(`policies/package.json: version ${version}\n`);
if (process.env.npm_lifecycle_event === "version") spawnSync("git", ["add", ...staged], { cwd: ROOT, stdio: "inherit" });
