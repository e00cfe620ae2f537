#!/usr/bin/env node
/**
 * `cloud-de-confiance`: the pack's verdict without the Pulumi CLI or cloud credentials.
 *
 *   cloud-de-confiance check [DIR]            a Pulumi TypeScript program, under Pulumi's mocks
 *   cloud-de-confiance check --preview FILE   the JSON of `pulumi preview --json`
 *   cloud-de-confiance check --state FILE     the JSON of `pulumi stack export`
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
import { check, exitCode } from "../checker/check";
import { InputError } from "../checker/errors";
import { jsonErrorCause, parsePreviewJson, parseStateJson, UnseenProvider } from "../checker/inputs";
import { CheckSource, Lang } from "../checker/model";
import { givenStackTags, parseConfigPairs, stackContext, stackKnowledge } from "../checker/stack-description";
import { runProgram } from "../checker/program";
import { unseenProviderWarnings } from "../checker/unseen-providers";
import { inputSecrets, SecretIndex, SecretSource, scrubText } from "../checker/secrets";
import { PackStartError } from "../engine/driver";
import { parsePolicyConfig, PolicyConfigError, StackContext } from "../engine/engine";
import { EngineResource, PolicyConfig } from "../engine/types";
import { CostDocument, parseCostDocument, REPORT_FORMATS, ReportFormat, renderReport } from "../reports";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const VERSION: string = require("../../../package.json").version;

class UsageError extends Error {}

interface CheckOptions {
    stack?: string;
    preview?: string;
    state?: string;
    policyPackConfig?: string;
    config: string[];
    stackTag: string[];
    stackTags?: string;
    stackConfig?: string;
    report: string[];
    format: ReportFormat;
    lang?: Lang;
    failOn: "mandatory" | "advisory";
    pack?: string;
    color?: boolean;
    baseline?: string;
}

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

function parseReports(specs: string[], inputs: string[]): { format: ReportFormat; file: string }[] {
    const taken = new Set(inputs.filter(Boolean).map((f) => path.resolve(f)));
    return specs.map((spec) => {
        const i = spec.indexOf("=");
        if (i <= 0 || i === spec.length - 1) throw new UsageError(`--report ${spec}: expected FORMAT=FILE, FORMAT one of ${REPORT_FORMATS.join(", ")}`);
        const format = spec.slice(0, i) as ReportFormat;
        const file = spec.slice(i + 1);
        if (!REPORT_FORMATS.includes(format)) throw new UsageError(`--report ${spec}: unknown format "${format}" (one of ${REPORT_FORMATS.join(", ")})`);
        if (taken.has(path.resolve(file))) throw new UsageError(`--report ${spec}: refusing to overwrite an input file`);
        taken.add(path.resolve(file));
        return { format, file };
    });
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

async function runCheck(dir: string | undefined, opts: CheckOptions): Promise<number> {
    inputSecretIndex = undefined;
    if (opts.preview && opts.state) throw new UsageError("--preview and --state are exclusive");
    if ((opts.preview || opts.state) && dir) throw new UsageError("give either a program DIR or --preview/--state, not both");
    if (opts.stackConfig && !(opts.preview || opts.state)) {
        throw new UsageError("--stack-config is for --preview and --state: a program reads Pulumi.<stack>.yaml with --stack NAME");
    }
    const inputs = [opts.preview, opts.state, opts.policyPackConfig, opts.stackTags, opts.stackConfig, opts.baseline].map((f) => f ?? "");
    const reports = parseReports(opts.report, inputs);
    const baseline = loadBaseline(opts.baseline);
    const config = loadPolicyConfig(opts.policyPackConfig);
    // Checked before the (slow) input is read: the stack's tags, when given, are all of them.
    const tags = givenStackTags(opts.stackTag, opts.stackTags);
    const configPairs = parseConfigPairs(opts.config);

    let resources: EngineResource[];
    let unseenProviders: UnseenProvider[] | undefined;
    let secretSources: SecretSource[];
    let source: CheckSource;
    let stack: StackContext;
    if (opts.preview || opts.state) {
        const file = (opts.preview ?? opts.state) as string;
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
        const programDir = path.resolve(dir ?? ".");
        const run = await runProgram(programDir, { stack: opts.stack, configOverrides: configPairs, preview: true });
        resources = run.resources;
        secretSources = run.secretSources;
        source = { kind: "program", path: dir ?? ".", stack: run.stack };
        const known = stackKnowledge({ project: run.project, tags: run.stackTags, config: run.config, secretKeys: run.secretConfigKeys }, { tags });
        stack = stackContext({ project: run.project, stack: run.stack, dryRun: true }, known);
    }

    const secrets = inputSecrets(resources, secretSources);
    inputSecretIndex = secrets;
    const { result } = await check({ source, resources, stack, config, lang: opts.lang, packDir: opts.pack, secrets, unseenProviders });
    for (const w of unseenProviderWarnings(unseenProviders ?? [], source)) process.stderr.write(`cloud-de-confiance: warning: ${w}\n`);
    for (const r of reports) {
        fs.mkdirSync(path.dirname(path.resolve(r.file)), { recursive: true });
        fs.writeFileSync(r.file, renderReport(r.format, result, { color: false, baseline }));
    }
    const shown = renderReport(opts.format, result, { color: !!opts.color, baseline });
    process.stdout.write(shown.endsWith("\n") ? shown : shown + "\n");
    return exitCode(result, opts.failOn);
}

export function buildProgram(): Command {
    const program = new Command();
    program
        .name("cloud-de-confiance")
        .description("Vérifie un programme Pulumi, une prévisualisation ou un état déployé avec le pack cloud-de-confiance, sans CLI Pulumi.")
        .version(VERSION)
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s.split("\n").filter(Boolean)[0] + "\n") });
    program
        .command("check")
        .description("évalue un programme (DIR, par défaut le projet racine), --preview FILE ou --state FILE")
        .argument("[dir]", "dossier du programme Pulumi (Pulumi.yaml)")
        .option("--stack <name>", "pile : charge Pulumi.<name>.yaml (les valeurs secure restent secrètes)")
        .option("--preview <file>", "JSON de `pulumi preview --json`")
        .option("--state <file>", "JSON de `pulumi stack export`")
        .option("-c, --policy-pack-config <file>", "configuration du pack, comme pour la CLI Pulumi")
        .option("--config <key=value>", "valeur de configuration de la pile (répétable ; clé sans espace de noms : celui du projet)", collect, [])
        .option("--stack-config <file>", "avec --preview ou --state : configuration de la pile (Pulumi.<pile>.yaml, et le Pulumi.yaml voisin)")
        .option("--stack-tag <name=value>", "étiquette de la pile (répétable) : les étiquettes données sont toutes celles de la pile", collect, [])
        .option("--stack-tags <file>", "étiquettes de la pile : JSON de `pulumi stack tag ls --json`")
        .option("-r, --report <format=file>", `rapport à écrire (répétable) ; formats : ${REPORT_FORMATS.join(", ")}`, collect, [])
        .addOption(new Option("--format <format>", "format de la sortie standard").choices(REPORT_FORMATS as string[]).default("text"))
        .addOption(new Option("--lang <lang>", "langue des messages (réglage langue du pack)").choices(["fr", "en"]))
        .addOption(new Option("--fail-on <level>", "niveau qui fait échouer").choices(["mandatory", "advisory"]).default("mandatory"))
        .option("--baseline <file>", "rapport cost-json d'une vérification antérieure : les rapports de coût montrent l'écart")
        .option("--pack <dir>", "dossier du pack (par défaut : celui de cet outil)")
        .option("--color", "couleurs dans la sortie texte")
        .action(async (dir: string | undefined, opts: CheckOptions) => {
            process.exitCode = await runCheck(dir, opts);
        });
    return program;
}

export async function main(argv: string[]): Promise<number> {
    try {
        await buildProgram().parseAsync(argv);
        return typeof process.exitCode === "number" ? process.exitCode : 0;
    } catch (e) {
        if (e instanceof CommanderError) {
            return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help" ? 0 : 2;
        }
        const known = e instanceof InputError || e instanceof PolicyConfigError || e instanceof UsageError || e instanceof PackStartError;
        const msg = scrubText(inputSecretIndex, ((e as Error)?.message ?? String(e)).split("\n")[0]);
        process.stderr.write(`cloud-de-confiance: ${known ? msg : `error: ${msg}`}\n`);
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
