#!/usr/bin/env node
/**
 * `cloud-de-confiance`: the pack's verdict without the Pulumi CLI or cloud credentials.
 *
 *   cloud-de-confiance check [DIR]            a Pulumi TypeScript program, under Pulumi's mocks
 *   cloud-de-confiance check --preview FILE   the JSON of `pulumi preview --json`
 *   cloud-de-confiance check --state FILE     the JSON of `pulumi stack export`
 *   cloud-de-confiance check --manifests PATH plain Kubernetes YAML (file, directory or - for stdin)
 *
 * The stack's tags and configuration, which the inputs give only in part, can be completed with
 * --stack-tag NAME=VALUE, --stack-tags FILE, --config KEY=VALUE and --stack-config FILE (see
 * src/checker/stack-description.ts).
 *
 * Exit codes: 0 no mandatory violation; 1 mandatory violation(s) (or advisory ones with
 * --fail-on advisory); 2 usage or input error, with a one-line message.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, CommanderError, Option } from "commander";
import { check, exitCode, Locations, startPackEarly } from "../checker/check";
import { escapeControls, InputError } from "../checker/errors";
import { jsonErrorCause, parsePreviewJson, parseStateJson, UnseenProvider } from "../checker/inputs";
import { MANIFESTS_PROJECT, manifestResources, readManifests } from "../checker/manifests";
import { CheckSource, Lang } from "../checker/model";
import { givenStackTags, parseConfigPairs, stackContext, stackKnowledge } from "../checker/stack-description";
import { runProgram } from "../checker/program";
import { unseenProviderWarnings } from "../checker/unseen-providers";
import { inputSecrets, SecretIndex, SecretSource, scrubText } from "../checker/secrets";
import { PackStartError } from "../engine/driver";
import { DEFAULT_RUN_TIMEOUT_MS, PackCallError, parseSeconds } from "../engine/limits";
import { parsePolicyConfig, PolicyConfigError, StackContext } from "../engine/engine";
import { EngineResource, PolicyConfig } from "../engine/types";
import { CostDocument, parseCostDocument, REPORT_FORMATS, ReportFormat, renderReport, renderSummary } from "../reports";
import { ReportTarget, ReportTargetError, checkTargets, outputDirTargets, parseReportSpec, repositoryRoot, stackConfigFallback, writeReport } from "../reports/output";
import { CliLang, cliLang, localize, translateCommander, translateError } from "./i18n";
import { addRulesCommand } from "./rules";
import { noStackNote, projectStacks, stacksHint } from "./stacks";
import { Progress, useColor } from "./terminal";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const VERSION: string = require("../../../package.json").version;

class UsageError extends Error {}

interface CheckOptions {
    stack?: string;
    preview?: string;
    state?: string;
    manifests?: string;
    policyPackConfig?: string;
    config: string[];
    stackTag: string[];
    stackTags?: string;
    stackConfig?: string;
    report: string[];
    outputDir?: string;
    format: ReportFormat;
    compact?: boolean;
    quiet?: boolean;
    docsUrl?: string;
    reportUrl?: string;
    lang?: Lang;
    failOn: "mandatory" | "advisory";
    pack?: string;
    color?: boolean;
    baseline?: string;
    progress?: boolean;
    timeout?: string;
    callTimeout?: string;
}

/** The language of help, messages and progress (see i18n.ts), set from the command line and locale. */
let cliLanguage: CliLang = "en";
let progress: Progress | undefined;
const say = (fr: string, en: string) => (cliLanguage === "fr" ? fr : en);

function collect(v: string, prev: string[]): string[] {
    return [...prev, v];
}

function readText(file: string, what: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new InputError(`${file}: cannot read the ${what} (${code === "ENOENT" ? "no such file" : code ?? (e as Error).message})`);
    }
}

function loadPolicyConfig(file: string | undefined): Record<string, PolicyConfig> {
    if (!file) return {};
    const text = readText(file, "policy pack configuration");
    let json: unknown;
    try {
        json = text.trim() === "" ? {} : JSON.parse(text);
    } catch (e) {
        const cause = jsonErrorCause((e as Error).message, text);
        const where = cause.pos !== undefined ? ` at position ${cause.pos}` : "";
        throw new InputError(`${file}: invalid JSON in the policy pack configuration${where}: ${cause.reason}`);
    }
    return parsePolicyConfig(json, file);
}

/** The reports to write (--report, --output-dir), checked before the run (see reports/output.ts). */
function parseReports(opts: CheckOptions, inputs: string[]): ReportTarget[] {
    const targets = [...opts.report.map(parseReportSpec), ...(opts.outputDir ? outputDirTargets(opts.outputDir) : [])];
    checkTargets(targets, inputs);
    return targets;
}

/** The full report a Markdown comment links to: --report-url, else another report of the run. */
function fullReportOf(opts: CheckOptions, targets: ReportTarget[]): string | undefined {
    if (opts.reportUrl) return opts.reportUrl;
    for (const format of ["text", "json", "sarif"] as ReportFormat[]) {
        const t = targets.find((x) => x.format === format);
        if (t) return t.file;
    }
    return undefined;
}

/** `--baseline FILE`: the cost report (cost-json) of an earlier check, for the cost reports' change. */
function loadBaseline(file: string | undefined): CostDocument | undefined {
    if (!file) return undefined;
    const text = readText(file, "baseline cost report");
    try {
        return parseCostDocument(text);
    } catch (e) {
        throw new InputError(`${file}: ${(e as Error).message}`);
    }
}

/**
 * The secrets of the input being checked, once it is read: error lines are scrubbed with them too
 * (a failure of the pack may quote what it was analyzing).
 */
let inputSecretIndex: SecretIndex | undefined;

/**
 * The time limits (src/engine/limits.ts): --timeout and --call-timeout, else
 * CLOUD_DE_CONFIANCE_TIMEOUT and CLOUD_DE_CONFIANCE_CALL_TIMEOUT, in seconds.
 */
function timeLimits(opts: CheckOptions): { runMs?: number; callMs?: number } {
    const read = (flag: string, given: string | undefined, env: string) => {
        const fromEnv = given === undefined ? process.env[env] : undefined;
        try {
            return parseSeconds(given ?? fromEnv, given !== undefined ? flag : env);
        } catch (e) {
            throw new UsageError((e as Error).message);
        }
    };
    return { runMs: read("--timeout", opts.timeout, "CLOUD_DE_CONFIANCE_TIMEOUT"), callMs: read("--call-timeout", opts.callTimeout, "CLOUD_DE_CONFIANCE_CALL_TIMEOUT") };
}

async function runCheck(dir: string | undefined, opts: CheckOptions): Promise<number> {
    inputSecretIndex = undefined;
    const started = Date.now();
    const limits = timeLimits(opts);
    const runLimit = limits.runMs ?? DEFAULT_RUN_TIMEOUT_MS;
    const remaining = () => Math.max(1, started + runLimit - Date.now());
    if (opts.preview && opts.state) throw new UsageError("--preview and --state are exclusive");
    if ((opts.preview || opts.state) && dir) throw new UsageError("give either a program DIR or --preview/--state, not both");
    if (opts.manifests && (dir || opts.preview || opts.state)) throw new UsageError("--manifests is exclusive with a program DIR, --preview and --state");
    if (opts.stackConfig && !(opts.preview || opts.state)) {
        throw new UsageError("--stack-config is for --preview and --state: a program reads Pulumi.<stack>.yaml with --stack NAME");
    }
    if (opts.compact && opts.quiet) throw new UsageError("--compact and --quiet are exclusive");
    if (opts.docsUrl !== undefined && !/^https?:\/\/\S+$/i.test(opts.docsUrl)) {
        throw new UsageError(`--docs-url ${opts.docsUrl}: expected an http(s) URL (where docs/regles.md is published)`);
    }
    const inputs = [opts.preview, opts.state, opts.manifests === "-" ? undefined : opts.manifests, opts.policyPackConfig, opts.stackTags, opts.stackConfig, opts.baseline].map((f) => f ?? "");
    const reports = parseReports(opts, inputs);
    const baseline = loadBaseline(opts.baseline);
    const config = loadPolicyConfig(opts.policyPackConfig);
    // Checked before the (slow) input is read: the stack's tags, when given, are all of them.
    const tags = givenStackTags(opts.stackTag, opts.stackTags);
    const configPairs = parseConfigPairs(opts.config);

    progress = new Progress(process.stderr, opts.progress);
    let resources: EngineResource[];
    let unseenProviders: UnseenProvider[] | undefined;
    let secretSources: SecretSource[];
    let source: CheckSource;
    let stack: StackContext;
    let programDir: string | undefined;
    let locations: Locations | undefined;
    let early: ReturnType<typeof startPackEarly> | undefined;
    if (opts.manifests) {
        const name = opts.stack ?? MANIFESTS_PROJECT;
        const loaded = manifestResources(readManifests(opts.manifests), { project: MANIFESTS_PROJECT, stack: name });
        resources = loaded.resources;
        locations = { sources: loaded.locations };
        secretSources = [];
        source = { kind: "manifests", path: opts.manifests, stack: name };
        const known = stackKnowledge({ project: MANIFESTS_PROJECT }, { tags, config: opts.config });
        stack = stackContext({ project: MANIFESTS_PROJECT, stack: name, dryRun: false }, known);
    } else if (opts.preview || opts.state) {
        const file = (opts.preview ?? opts.state) as string;
        progress.step(say(`lecture de ${file}…`, `reading ${file}…`));
        const text = readText(file, opts.preview ? "preview JSON" : "stack state");
        const imported = opts.preview ? parsePreviewJson(text, file) : parseStateJson(text, file);
        resources = imported.resources;
        unseenProviders = imported.unseenProviders;
        secretSources = imported.secretSources;
        source = { kind: opts.preview ? "preview" : "state", path: file, stack: opts.stack ?? imported.stack };
        const project = imported.project ?? "project";
        const known = stackKnowledge(
            { project, tags: imported.stackTags, config: imported.config, secretKeys: imported.secretKeys },
            { tags, config: opts.config, stackConfig: opts.stackConfig },
        );
        stack = stackContext({ project, stack: opts.stack ?? imported.stack ?? "stack", dryRun: !!opts.preview }, known);
    } else {
        programDir = path.resolve(dir ?? ".");
        progress.step(say(`exécution du programme ${dir ?? "."}…`, `running the program ${dir ?? "."}…`));
        // Without --stack, no stack configuration is read: the project's stacks are named.
        const stacks = opts.stack === undefined ? projectStacks(programDir) : [];
        // The pack starts while the program runs (each takes about as long as the other).
        early = startPackEarly(opts.pack, { deadline: started + runLimit, callTimeoutMs: limits.callMs });
        // The program's own limit (120 s) unless the run's limit is given, which bounds it anyway.
        const programLimit = limits.runMs !== undefined ? remaining() : Math.min(120_000, remaining());
        try {
            const run = await runProgram(programDir, { stack: opts.stack, configOverrides: configPairs, preview: true, timeoutMs: programLimit }).catch((e: unknown) => {
                if (stacks.length && e instanceof InputError) throw new InputError(`${translateError(e.message, cliLanguage)} — ${stacksHint(stacks, cliLanguage)}`);
                throw e;
            });
            if (stacks.length) {
                progress.done();
                process.stderr.write(`cloud-de-confiance: ${noStackNote(stacks, cliLanguage)}\n`);
            }
            resources = run.resources;
            secretSources = run.secretSources;
            source = { kind: "program", path: dir ?? ".", stack: run.stack };
            locations = { sources: run.sources, stack: run.stackLocation };
            const known = stackKnowledge({ project: run.project, tags: run.stackTags, config: run.config, secretKeys: run.secretConfigKeys }, { tags });
            stack = stackContext({ project: run.project, stack: run.stack, dryRun: true }, known);
        } catch (e) {
            await early.discard();
            throw e;
        }
    }

    let secrets: SecretIndex;
    try {
        secrets = inputSecrets(resources, secretSources);
    } catch (e) {
        await early?.discard();
        throw e;
    }
    inputSecretIndex = secrets;
    progress.step(say(`évaluation de ${resources.length} ressource(s) par le pack…`, `evaluating ${resources.length} resource(s) with the pack…`));
    const { result } = await check({
        source, resources, stack, config, lang: opts.lang, packDir: opts.pack, pack: early?.pack, secrets, unseenProviders, locations,
        timeoutMs: runLimit, deadline: started + runLimit, callTimeoutMs: limits.callMs,
    }).catch(async (e: unknown) => {
        await early?.discard(); // check() stops the pack it used; not one it failed before using
        throw e;
    });
    progress.done();
    for (const w of unseenProviderWarnings(unseenProviders ?? [], source)) process.stderr.write(`cloud-de-confiance: warning: ${w}\n`);
    const reportOptions = {
        failOn: opts.failOn,
        fallback: stackConfigFallback({ programDir, stack: source.stack, stackConfig: opts.stackConfig, root: repositoryRoot() }),
        docsUrl: opts.docsUrl,
        reportUrl: fullReportOf(opts, reports),
        baseline,
    };
    for (const r of reports) writeReport(r.file, renderReport(r.format, result, { ...reportOptions, color: false }));
    const mode = opts.quiet ? "quiet" : opts.compact ? "compact" : "full";
    const shown = renderReport(opts.format, result, { ...reportOptions, color: useColor(opts.color, process.stdout), mode });
    process.stdout.write(shown.endsWith("\n") ? shown : shown + "\n");
    // The summary by need comes last; when the standard output carries another format, on stderr.
    if (opts.format !== "text") process.stderr.write(renderSummary(result));
    return exitCode(result, opts.failOn);
}

export function buildProgram(lang: CliLang = cliLang(process.argv)): Command {
    cliLanguage = lang;
    const program = new Command();
    program
        .name("cloud-de-confiance")
        .description("Vérifie un programme Pulumi, une prévisualisation ou un état déployé avec le pack cloud-de-confiance, sans CLI Pulumi.")
        .version(VERSION)
        .exitOverride()
        // One line per error, "did you mean" hint included, in the CLI's language.
        .configureOutput({ outputError: (s, write) => write(translateCommander(s, lang).trimEnd().replace(/\n(?=\()/g, " ") + "\n") });
    program
        .command("check")
        .description("évalue un programme (DIR, par défaut le projet racine), --preview FILE, --state FILE ou --manifests FILE|DIR|-")
        .argument("[dir]", "dossier du programme Pulumi (Pulumi.yaml)")
        .option("--stack <name>", "pile : charge Pulumi.<name>.yaml (les valeurs secure restent secrètes)")
        .option("--preview <file>", "JSON de `pulumi preview --json`")
        .option("--state <file>", "JSON de `pulumi stack export`")
        .option("--manifests <path>", "manifestes Kubernetes (YAML ou JSON) : fichier, dossier ou - (entrée standard), par exemple la sortie de `helm template` ou `kustomize build`")
        .option("-c, --policy-pack-config <file>", "configuration du pack, comme pour la CLI Pulumi")
        .option("--config <key=value>", "valeur de configuration de la pile (répétable ; clé sans espace de noms : celui du projet)", collect, [])
        .option("--stack-config <file>", "avec --preview ou --state : configuration de la pile (Pulumi.<pile>.yaml, et le Pulumi.yaml voisin)")
        .option("--stack-tag <name=value>", "étiquette de la pile (répétable) : les étiquettes données sont toutes celles de la pile", collect, [])
        .option("--stack-tags <file>", "étiquettes de la pile : JSON de `pulumi stack tag ls --json`")
        .option("-r, --report <format=file>", `rapport à écrire (répétable) ; formats : ${REPORT_FORMATS.join(", ")}`, collect, [])
        .option("-o, --output-dir <dir>", "écrit tous les rapports dans ce dossier, sous leurs noms usuels (gl-code-quality-report.json, gl-sast-report.json…)")
        .addOption(new Option("--format <format>", "format de la sortie standard").choices(REPORT_FORMATS as string[]).default("text"))
        .option("--compact", "sortie texte : une ligne par constat (ou groupe de constats de même cause)")
        .option("--quiet", "sortie texte : seulement ce qui fait échouer, puis le bilan par besoin")
        .option("--docs-url <url>", "adresse de docs/regles.md publiée (liens des règles dans SARIF et le rapport de sécurité GitLab)")
        .option("--report-url <url>", "adresse (ou chemin) du rapport complet, citée par le commentaire Markdown")
        .addOption(new Option("--lang <lang>", "langue des messages (réglage langue du pack)").choices(["fr", "en"]))
        .addOption(new Option("--fail-on <level>", "niveau qui fait échouer").choices(["mandatory", "advisory"]).default("mandatory"))
        .option("--baseline <file>", "rapport cost-json d'une vérification antérieure : les rapports de coût montrent l'écart")
        .option("--pack <dir>", "dossier du pack (par défaut : celui de cet outil)")
        .option("--color", "couleurs dans la sortie texte")
        .option("--no-color", "sans couleurs")
        .option("--progress", "progression sur la sortie d'erreur")
        .option("--no-progress", "sans progression")
        .option("--timeout <seconds>", "durée maximale de la vérification, en secondes (défaut 900 ; CLOUD_DE_CONFIANCE_TIMEOUT)")
        .option("--call-timeout <seconds>", "durée maximale de chaque appel au pack, en secondes (défaut 120 ; CLOUD_DE_CONFIANCE_CALL_TIMEOUT)")
        .action(async (dir: string | undefined, opts: CheckOptions) => {
            process.exitCode = await runCheck(dir, opts);
        });
    addRulesCommand(program, lang);
    localize(program, lang);
    return program;
}

export async function main(argv: string[]): Promise<number> {
    try {
        await buildProgram(cliLang(argv)).parseAsync(argv);
        return typeof process.exitCode === "number" ? process.exitCode : 0;
    } catch (e) {
        if (e instanceof CommanderError) {
            return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? 0 : 2;
        }
        const known = e instanceof InputError || e instanceof PolicyConfigError || e instanceof UsageError || e instanceof PackStartError || e instanceof ReportTargetError || e instanceof PackCallError;
        progress?.done();
        // One line, secrets masked, control characters escaped (an error may quote the input).
        const msg = escapeControls(translateError(scrubText(inputSecretIndex, ((e as Error)?.message ?? String(e)).split("\n")[0]), cliLanguage));
        process.stderr.write(`cloud-de-confiance: ${known ? msg : `${say("erreur", "error")}: ${msg}`}\n`);
        return 2;
    }
}

/** Exits once stdout and stderr are flushed: a report piped to another program arrives whole. */
function exitWhenFlushed(code: number): void {
    let pending = 2;
    const done = () => {
        if (--pending === 0) process.exit(code);
    };
    process.stdout.write("", done);
    process.stderr.write("", done);
}

if (require.main === module) {
    main(process.argv).then(exitWhenFlushed);
}
