#!/usr/bin/env node
/**
 * Makes the built checker load the policy pack from the pack folder shipped beside it.
 *
 * In the repository, the checker's sources import the pack's library as
 * `@cloud-de-confiance/policies/dist/...`: the npm workspace links that name to `policies/`. The
 * published package ships the same `policies/` folder (its `files`) but no such link, and an npm
 * package cannot bundle a workspace without bundling all of its dependencies. So, after `tsc`,
 * every `"@cloud-de-confiance/policies/..."` module specifier in the built checker (`dist/src`) is
 * rewritten to the relative path of the same file under `policies/`: the module is the same file
 * in the repository (the workspace link resolves to it), and it is found wherever the package is
 * installed.
 *
 * Also, the built pack names the files it requires. tsc writes `require("../../lib/rule")`, for
 * which Node first looks for an extensionless file, then for `rule.js`: two file lookups instead of
 * one for each of the pack's 300 or so requires at each start-up (BENCHMARKS.md). Every relative
 * specifier of `policies/dist` that names a module without its `.js` gets it, when Node would
 * load that file anyway (no extensionless file of the same name).
 *
 * Usage: node scripts/pack-imports.js [--check]   (--check: exit 1 if a specifier is left)
 */
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..");
const BUILT = path.join(ROOT, "dist", "src");
const PACK_NAME = "@cloud-de-confiance/policies";
const PACK_DIR = path.join(ROOT, "policies");
// A quoted module specifier naming the pack or a file of it.
const SPECIFIER = /(["'])@cloud-de-confiance\/policies((?:\/[^"'\n]*)?)\1/g;

function builtFiles(dir) {
    if (!fs.existsSync(dir)) return [];
    const out = [];
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) out.push(...builtFiles(p));
        else if (/\.(js|d\.ts)$/.test(e.name)) out.push(p);
    }
    return out;
}

function relativeSpecifier(file, sub) {
    let rel = path.relative(path.dirname(file), path.join(PACK_DIR, sub)).split(path.sep).join("/");
    if (!rel.startsWith(".")) rel = "./" + rel;
    return rel;
}

const PACK_BUILT = path.join(PACK_DIR, "dist");
// A relative module specifier in a built module's require call.
const RELATIVE_REQUIRE = /\brequire\((["'])(\.\.?\/[^"'\n]*)\1\)/g;

function isFile(p) {
    try {
        return fs.statSync(p).isFile();
    } catch {
        return false;
    }
}

function exactRequires() {
    let changed = 0;
    for (const file of builtFiles(PACK_BUILT)) {
        if (!file.endsWith(".js")) continue;
        const text = fs.readFileSync(file, "utf8");
        const out = text.replace(RELATIVE_REQUIRE, (whole, q, spec) => {
            if (spec.endsWith(".js")) return whole;
            const target = path.resolve(path.dirname(file), spec);
            return !isFile(target) && isFile(`${target}.js`) ? `require(${q}${spec}.js${q})` : whole;
        });
        if (out !== text) {
            fs.writeFileSync(file, out);
            changed++;
        }
    }
    return changed;
}

function rewrite({ check = false } = {}) {
    const left = [];
    let changed = 0;
    for (const file of builtFiles(BUILT)) {
        const text = fs.readFileSync(file, "utf8");
        if (!text.includes(PACK_NAME)) continue;
        if (check) {
            if (SPECIFIER.test(text)) left.push(path.relative(ROOT, file));
            SPECIFIER.lastIndex = 0;
            continue;
        }
        const out = text.replace(SPECIFIER, (_, q, sub) => `${q}${relativeSpecifier(file, sub || "")}${q}`);
        if (out !== text) {
            fs.writeFileSync(file, out);
            changed++;
        }
    }
    const exact = check ? 0 : exactRequires();
    return { changed, left, exact };
}

module.exports = { rewrite };

if (require.main === module) {
    const check = process.argv.includes("--check");
    const { changed, left, exact } = rewrite({ check });
    if (check && left.length) {
        process.stderr.write(`pack-imports: the built checker still imports ${PACK_NAME} by name (run npm run build): ${left.join(", ")}\n`);
        process.exit(1);
    }
    if (!check && changed) process.stdout.write(`pack-imports: ${changed} built module(s) now load the pack from policies/\n`);
    if (!check && exact) process.stdout.write(`pack-imports: ${exact} module(s) of the pack now require their modules by file name\n`);
}
