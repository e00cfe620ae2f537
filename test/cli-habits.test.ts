/**
 * The CLI's habits: one language for help and errors (--lang, then the locale), colours only on a
 * terminal and never with NO_COLOR, progress on stderr, --version, `rules`/`regles`, Commander's
 * "did you mean" hints, and the stacks named when a bare `check` needs one.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { Command } from "commander";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { ARGUMENTS, cliLang, COMMANDS, OPTIONS, translateError } from "../src/cli/i18n";
import { buildProgram } from "../src/cli/main";
import { listRules, renderRules } from "../src/cli/rules";
import { projectStacks } from "../src/cli/stacks";
import { Progress, useColor } from "../src/cli/terminal";
import { ROOT } from "./support/pack";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
const PREVIEW = path.join(ROOT, "test/fixtures/preview/create-update.json");
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
let tmp: string;

before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-habitudes-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the CLI with a controlled locale and colour environment (plus `env`). */
function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
    const clean = { ...process.env };
    for (const k of ["LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR", "FORCE_COLOR", "CI"]) delete clean[k];
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", timeout: 180_000, env: { ...clean, LANG: "C.UTF-8", ...env } });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

test("langue : --lang d'abord, puis LC_ALL, LC_MESSAGES, LANG ; français pour fr*, anglais sinon", () => {
    assert.equal(cliLang([], {}), "en");
    assert.equal(cliLang([], { LANG: "C.UTF-8" }), "en");
    assert.equal(cliLang([], { LANG: "fr_FR.UTF-8" }), "fr");
    assert.equal(cliLang([], { LANG: "fr" }), "fr");
    assert.equal(cliLang([], { LANG: "fr_CA" }), "fr");
    assert.equal(cliLang([], { LANG: "french" }), "en", "pas une locale fr");
    assert.equal(cliLang([], { LANG: "fr_FR.UTF-8", LC_MESSAGES: "en_GB.UTF-8" }), "en");
    assert.equal(cliLang([], { LANG: "en_US.UTF-8", LC_ALL: "fr_BE.UTF-8" }), "fr");
    assert.equal(cliLang(["node", "cli", "check", "--lang", "en"], { LANG: "fr_FR.UTF-8" }), "en");
    assert.equal(cliLang(["node", "cli", "check", "--lang=fr"], { LANG: "C" }), "fr");
    assert.equal(cliLang(["node", "cli", "check", "--", "--lang", "fr"], { LANG: "C" }), "en", "après -- : un argument");
});

function everyCommand(cmd: Command): Command[] {
    return [cmd, ...cmd.commands.flatMap(everyCommand)];
}

test("chaque commande, argument et option est décrit dans les deux langues", () => {
    const program = buildProgram("en");
    for (const cmd of everyCommand(program)) {
        const key = cmd === program ? "" : cmd.name();
        assert.ok(COMMANDS[key], `commande ${key || "(racine)"} : description fr/en dans src/cli/i18n.ts`);
        for (const opt of cmd.options) {
            assert.ok(opt.long && OPTIONS[opt.long], `option ${opt.flags} de ${key || "(racine)"} : description fr/en dans src/cli/i18n.ts`);
        }
        for (const arg of cmd.registeredArguments) {
            assert.ok(ARGUMENTS[`${key} ${arg.name()}`], `argument ${arg.name()} de ${key} : description fr/en dans src/cli/i18n.ts`);
        }
    }
});

test("l'aide est dans une seule langue", () => {
    const english = ["Usage:", "Options:", "Commands:", "display help", "output the version", "choices:", "default:"];
    for (const args of [["--help"], ["check", "--help"], ["rules", "--help"]]) {
        const fr = cli(args, { LANG: "fr_FR.UTF-8" });
        assert.equal(fr.code, 0, fr.err);
        for (const w of english) assert.ok(!fr.out.includes(w), `aide française de ${args.join(" ")} : « ${w} »\n${fr.out}`);
        for (const t of Object.values(OPTIONS)) assert.ok(!fr.out.includes(t.en) || t.en === t.fr, `texte anglais dans l'aide française : ${t.en}`);
        const en = cli(args);
        assert.equal(en.code, 0, en.err);
        assert.match(en.out, /^Usage: /);
        for (const t of [...Object.values(OPTIONS), ...Object.values(COMMANDS)]) {
            assert.ok(!en.out.includes(t.fr) || t.en === t.fr, `texte français dans l'aide anglaise : ${t.fr}`);
        }
        assert.deepEqual(cli([...args, "--lang", "fr"]).out, fr.out, "--lang fr l'emporte sur LANG");
    }
});

test("erreurs d'usage : une ligne, dans la langue choisie, avec la suggestion de Commander", () => {
    const en = cli(["chek"]);
    assert.equal(en.code, 2);
    assert.equal(en.err, "error: unknown command 'chek' (Did you mean check?)\n");
    const fr = cli(["chek"], { LANG: "fr_FR.UTF-8" });
    assert.equal(fr.err, "erreur : commande inconnue 'chek' (Vouliez-vous dire check ?)\n");
    const opt = cli(["check", "--formt", "json"]);
    assert.equal(opt.code, 2);
    assert.equal(opt.err, "error: unknown option '--formt' (Did you mean --format?)\n");
    const choice = cli(["check", "--format", "pdf"], { LANG: "fr_FR.UTF-8" });
    assert.equal(choice.code, 2);
    assert.match(choice.err, /^erreur : option '--format <format>' : valeur 'pdf' invalide ; valeurs possibles : text, json/);
    assert.equal(choice.err.trim().split("\n").length, 1);
    const mine = cli(["check", "--preview", PREVIEW, "--state", PREVIEW], { LANG: "fr_FR.UTF-8" });
    assert.equal(mine.err, "cloud-de-confiance: --preview et --state s'excluent\n");
    const absent = cli(["check", "--preview", path.join(tmp, "absent.json")], { LC_ALL: "fr_FR.UTF-8" });
    assert.match(absent.err, /absent\.json : impossible de lire le JSON de prévisualisation \(fichier absent\)\n$/);
    assert.equal(translateError("something no pattern knows", "fr"), "something no pattern knows");
});

test("--version : la version du paquet", () => {
    for (const flag of ["--version", "-V"]) {
        const r = cli([flag]);
        assert.equal(r.code, 0);
        assert.equal(r.out, `${VERSION}\n`);
    }
});

test("rules / regles : besoin, niveau et titre de chaque politique ; --format json", () => {
    const json = cli(["rules", "--format", "json", "--lang", "en"]);
    assert.equal(json.code, 0, json.err);
    const listed = JSON.parse(json.out) as { need: string; needs: string[]; policy: string; level: string; title: string }[];
    const rules = ruleModules().map((m) => m.rule);
    assert.equal(listed.length, rules.length);
    for (const rule of rules) {
        const l = listed.find((x) => x.policy === rule.name);
        assert.ok(l, rule.name);
        assert.equal(l.need, rule.needs[0]);
        assert.deepEqual(l.needs, [...rule.needs]);
        assert.equal(l.level, rule.enforcementLevel);
        assert.equal(l.title, rule.title.en);
    }
    const fr = cli(["regles"], { LANG: "fr_FR.UTF-8" });
    assert.equal(fr.code, 0, fr.err);
    assert.equal(fr.out, cli(["rules", "--lang", "fr"]).out, "regles = rules");
    assert.match(fr.out, /^BESOIN\s+NIVEAU\s+POLITIQUE\s+TITRE\n/);
    const sec06 = rules.find((r) => r.name === "sec-06-filtrage-reseau");
    assert.ok(sec06);
    assert.match(fr.out, new RegExp(`^SEC-06\\S*\\s+obligatoire\\s+sec-06-filtrage-reseau\\s+${sec06.title.fr}$`, "m"));
    assert.equal(renderRules(listRules("en"), "text", "en", false), cli(["rules"]).out);
    assert.ok(!/\x1b\[/.test(fr.out), "pas de couleurs hors d'un terminal");
});

test("couleurs : --color/--no-color, sinon NO_COLOR, FORCE_COLOR, puis un terminal", () => {
    const tty = { isTTY: true, write: () => true };
    const pipe = { isTTY: false, write: () => true };
    assert.equal(useColor(undefined, tty, {}), true);
    assert.equal(useColor(undefined, pipe, {}), false);
    assert.equal(useColor(undefined, tty, { NO_COLOR: "1" }), false);
    assert.equal(useColor(undefined, tty, { NO_COLOR: "" }), true, "NO_COLOR vide : sans effet");
    assert.equal(useColor(undefined, tty, { TERM: "dumb" }), false);
    assert.equal(useColor(undefined, pipe, { FORCE_COLOR: "1" }), true);
    assert.equal(useColor(undefined, pipe, { FORCE_COLOR: "0" }), false);
    assert.equal(useColor(undefined, tty, { NO_COLOR: "1", FORCE_COLOR: "1" }), false, "NO_COLOR l'emporte");
    assert.equal(useColor(true, pipe, { NO_COLOR: "1" }), true, "--color l'emporte");
    assert.equal(useColor(false, tty, {}), false);

    const ansi = /\x1b\[/;
    const piped = cli(["check", "--preview", PREVIEW]);
    assert.ok(piped.code === 0 || piped.code === 1, piped.err);
    assert.ok(!ansi.test(piped.out), "sortie redirigée : sans couleurs");
    assert.ok(ansi.test(cli(["check", "--preview", PREVIEW, "--color"]).out), "--color");
    assert.ok(ansi.test(cli(["check", "--preview", PREVIEW], { FORCE_COLOR: "1" }).out), "FORCE_COLOR");
    assert.ok(!ansi.test(cli(["check", "--preview", PREVIEW], { FORCE_COLOR: "1", NO_COLOR: "1" }).out), "NO_COLOR");
});

test("progression : sur la sortie d'erreur, une ligne réécrite dans un terminal, rien ailleurs sauf --progress", () => {
    const written: string[] = [];
    const tty = { isTTY: true, write: (s: string) => written.push(s) };
    const live = new Progress(tty, undefined);
    live.step("running");
    live.step("evaluating");
    live.done();
    assert.deepEqual(written, ["\r\x1b[2Kcloud-de-confiance: running", "\r\x1b[2Kcloud-de-confiance: evaluating", "\r\x1b[2K"]);
    // Another write while the line is up (a program's console output) starts on a clean line.
    written.length = 0;
    const shared = { isTTY: true, write: (s: string) => written.push(s) };
    const p = new Progress(shared, undefined);
    p.step("running");
    shared.write("program output\n");
    p.step("evaluating");
    p.done();
    shared.write("report\n");
    assert.deepEqual(written, ["\r\x1b[2Kcloud-de-confiance: running", "\r\x1b[2K", "program output\n", "\r\x1b[2Kcloud-de-confiance: evaluating", "\r\x1b[2K", "report\n"]);
    written.length = 0;
    new Progress({ isTTY: false, write: (s: string) => written.push(s) }, undefined).step("x");
    new Progress(tty, false).step("x");
    assert.equal(written.length, 0);
    const lines: string[] = [];
    const forced = new Progress({ isTTY: false, write: (s: string) => lines.push(s) }, true);
    forced.step("x");
    forced.done();
    assert.deepEqual(lines, ["cloud-de-confiance: x\n"]);

    const r = cli(["check", "--preview", PREVIEW, "--format", "json", "--progress"]);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    JSON.parse(r.out);
    // The progress lines come first; warnings and the summary by need follow on stderr.
    assert.match(r.err, /^cloud-de-confiance: reading .*create-update\.json…\ncloud-de-confiance: evaluating \d+ resource\(s\) with the pack…\n/);
    assert.doesNotMatch(cli(["check", "--preview", PREVIEW, "--format", "json"]).err, /reading|evaluating/, "no progress outside a terminal");
});

test("check sans --stack : les piles du projet sont nommées", () => {
    const app = path.join(ROOT, "stacks/application-web");
    assert.deepEqual(projectStacks(app), ["defaut", "ovhcloud"]);
    const r = cli(["check", app]);
    assert.equal(r.code, 2);
    assert.match(r.err, /the program failed: Missing required configuration variable .* — stacks of this project: defaut, ovhcloud \(choose one with --stack NAME\)\n$/);
    assert.equal(r.err.split("\n").length, 2, "une ligne");
    const fr = cli(["check", app], { LANG: "fr_FR.UTF-8" });
    assert.match(fr.err, /le programme a échoué : .* — piles du projet : defaut, ovhcloud \(choisir avec --stack NOM\)\n$/);

    // A program that runs without configuration: the stacks are still named, as a note.
    const dir = path.join(tmp, "projet");
    fs.mkdirSync(path.join(dir, "config"), { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: projet\nruntime: nodejs\nstackConfigDir: config\n");
    fs.writeFileSync(path.join(dir, "config/Pulumi.recette.yaml"), "config: {}\n");
    fs.writeFileSync(path.join(dir, "config/Pulumi.prod.yml"), "config: {}\n");
    fs.writeFileSync(path.join(dir, "index.js"), "");
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    assert.deepEqual(projectStacks(dir), ["prod", "recette"]);
    const ok = cli(["check", dir]);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(ok.err, "cloud-de-confiance: without --stack, no stack configuration is read; stacks of this project: prod, recette (choose one with --stack NAME)\n");
    assert.equal(cli(["check", dir, "--stack", "recette"]).err, "");
});
