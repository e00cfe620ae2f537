/**
 * The CLI's language: help, usage errors, notes and progress speak one language.
 *
 * Which one: `--lang fr|en` when given; otherwise the locale (LC_ALL, then LC_MESSAGES, then
 * LANG, as POSIX orders them): French when it starts with `fr`, English otherwise (`C`, `POSIX`,
 * `en_US.UTF-8`, unset…). Reports follow `--lang` too, and otherwise the pack's `langue`
 * setting (French by default): a report is a deliverable of the project, not of the terminal.
 *
 * Every description of a command, argument and option is written here in both languages (a test
 * fails for an option that has none). Commander's own messages and the checker's errors are
 * translated by pattern; a message no pattern knows keeps its English wording.
 */
import { Command, Help } from "commander";
import { REPORT_FORMATS } from "../reports";

export type CliLang = "fr" | "en";

export interface Bilingual {
    fr: string;
    en: string;
}

export function cliLang(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliLang {
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--") break;
        const v = a === "--lang" ? argv[i + 1] : a.startsWith("--lang=") ? a.slice(7) : undefined;
        if (v === "fr" || v === "en") return v;
    }
    const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || "";
    return /^fr(?:[_.@-]|$)/i.test(locale) ? "fr" : "en";
}

const formats = REPORT_FORMATS.join(", ");

export const COMMANDS: Record<string, Bilingual> = {
    "": {
        fr: "Vérifie un programme Pulumi, une prévisualisation ou un état déployé avec le pack cloud-de-confiance, sans CLI Pulumi.",
        en: "Checks a Pulumi program, a preview or a deployed state with the cloud-de-confiance pack, without the Pulumi CLI.",
    },
    check: {
        fr: "évalue un programme (DIR, par défaut le dossier courant), --preview FILE ou --state FILE",
        en: "evaluates a program (DIR, the current folder by default), --preview FILE or --state FILE",
    },
    rules: {
        fr: "liste les politiques du pack : besoin, niveau par défaut, titre",
        en: "lists the pack's policies: need, default level, title",
    },
    help: { fr: "affiche l'aide d'une commande", en: "display help for command" },
};

export const ARGUMENTS: Record<string, Bilingual> = {
    "check dir": { fr: "dossier du programme Pulumi (Pulumi.yaml)", en: "folder of the Pulumi program (Pulumi.yaml)" },
    "help command": { fr: "commande", en: "command" },
};

/** Option descriptions, by long flag. */
export const OPTIONS: Record<string, Bilingual> = {
    "--version": { fr: "affiche la version", en: "output the version number" },
    "--help": { fr: "affiche l'aide de la commande", en: "display help for command" },
    "--stack": {
        fr: "pile : charge Pulumi.<name>.yaml (les valeurs secure restent secrètes)",
        en: "stack: reads Pulumi.<name>.yaml (secure values stay secret)",
    },
    "--preview": { fr: "JSON de `pulumi preview --json`", en: "JSON of `pulumi preview --json`" },
    "--state": { fr: "JSON de `pulumi stack export`", en: "JSON of `pulumi stack export`" },
    "--policy-pack-config": {
        fr: "configuration du pack, comme pour la CLI Pulumi",
        en: "policy pack configuration, as for the Pulumi CLI",
    },
    "--config": {
        fr: "valeur de configuration de la pile (répétable ; clé sans espace de noms : celui du projet)",
        en: "stack configuration value (repeatable; a key without namespace is the project's)",
    },
    "--stack-config": {
        fr: "avec --preview ou --state : configuration de la pile (Pulumi.<pile>.yaml, et le Pulumi.yaml voisin)",
        en: "with --preview or --state: the stack's configuration (Pulumi.<stack>.yaml, and the Pulumi.yaml beside it)",
    },
    "--stack-tag": {
        fr: "étiquette de la pile (répétable) : les étiquettes données sont toutes celles de la pile",
        en: "stack tag (repeatable): the tags given are all of the stack's tags",
    },
    "--stack-tags": {
        fr: "étiquettes de la pile : JSON de `pulumi stack tag ls --json`",
        en: "stack tags: JSON of `pulumi stack tag ls --json`",
    },
    "--output-dir": {
        fr: "écrit tous les rapports dans ce dossier, sous leurs noms usuels (gl-code-quality-report.json, gl-sast-report.json…)",
        en: "writes every report into this folder, under their usual names (gl-code-quality-report.json, gl-sast-report.json…)",
    },
    "--compact": {
        fr: "sortie texte : une ligne par constat (ou groupe de constats de même cause)",
        en: "text output: one line per finding (or group of findings with one cause)",
    },
    "--quiet": {
        fr: "sortie texte : seulement ce qui fait échouer, puis le bilan par besoin",
        en: "text output: only what fails, then the summary by need",
    },
    "--docs-url": {
        fr: "adresse de docs/regles.md publiée (liens des règles dans SARIF et le rapport de sécurité GitLab)",
        en: "address where docs/regles.md is published (rule links in SARIF and the GitLab security report)",
    },
    "--report-url": {
        fr: "adresse (ou chemin) du rapport complet, citée par le commentaire Markdown",
        en: "address (or path) of the full report, quoted by the Markdown comment",
    },
    "--manifests": {
        fr: "manifestes Kubernetes (YAML ou JSON) : fichier, dossier ou - (entrée standard), par exemple la sortie de `helm template` ou `kustomize build`",
        en: "Kubernetes manifests (YAML or JSON): file, folder or - (standard input), for example the output of `helm template` or `kustomize build`",
    },
    "--report": {
        fr: `rapport à écrire (répétable) ; formats : ${formats}`,
        en: `report to write (repeatable); formats: ${formats}`,
    },
    "--format": { fr: "format de la sortie standard", en: "format of the standard output" },
    "--lang": {
        fr: "langue de l'aide, des messages et des rapports ; sans --lang, la locale (LANG) pour l'aide, le réglage langue du pack pour les rapports",
        en: "language of help, messages and reports; without --lang, the locale (LANG) for help, the pack's langue setting for reports",
    },
    "--fail-on": { fr: "niveau qui fait échouer", en: "level that fails the check" },
    "--baseline": {
        fr: "rapport cost-json d'une vérification antérieure : les rapports de coût montrent l'écart",
        en: "cost-json report of an earlier check: the cost reports show the change",
    },
    "--pack": {
        fr: "dossier du pack (sinon celui livré avec cet outil)",
        en: "policy pack folder (default: the one shipped with this tool)",
    },
    "--color": { fr: "couleurs, même hors d'un terminal", en: "colours, even outside a terminal" },
    "--timeout": {
        fr: "durée maximale de la vérification, en secondes (défaut 900 ; variable CLOUD_DE_CONFIANCE_TIMEOUT)",
        en: "longest the check may take, in seconds (default 900; variable CLOUD_DE_CONFIANCE_TIMEOUT)",
    },
    "--call-timeout": {
        fr: "durée maximale de chaque appel au pack, en secondes (défaut 120 ; variable CLOUD_DE_CONFIANCE_CALL_TIMEOUT)",
        en: "longest each call to the policy pack may take, in seconds (default 120; variable CLOUD_DE_CONFIANCE_CALL_TIMEOUT)",
    },
    "--no-color": {
        fr: "sans couleurs (sinon, couleurs dans un terminal, sauf avec NO_COLOR)",
        en: "no colours (otherwise, colours on a terminal, unless NO_COLOR is set)",
    },
    "--progress": {
        fr: "progression sur la sortie d'erreur, même hors d'un terminal",
        en: "progress on stderr, even outside a terminal",
    },
    "--no-progress": { fr: "sans progression", en: "no progress" },
};

const HEADINGS: [RegExp, string][] = [
    [/^Usage: /m, "Utilisation : "],
    [/^Arguments:$/m, "Arguments :"],
    [/^Options:$/m, "Options :"],
    [/^Global Options:$/m, "Options globales :"],
    [/^Commands:$/m, "Commandes :"],
];

/** The parenthesis Commander adds to a description: choices, default, preset, environment variable. */
const EXTRA_INFO: [RegExp, string][] = [
    [/(\(|, )choices: /g, "$1au choix "],
    [/(\(|, )default: /g, "$1par défaut "],
    [/(\(|, )preset: /g, "$1sans valeur "],
    [/(\(|, )env: /g, "$1variable "],
    [/", par défaut /g, '" ; par défaut '],
];

const apply = (rules: [RegExp, string][], s: string) => rules.reduce((acc, [re, to]) => acc.replace(re, to), s);

function allCommands(cmd: Command): Command[] {
    return [cmd, ...cmd.commands.flatMap(allCommands)];
}

/**
 * Puts every description in `lang` (the French and English texts above), and the help's own
 * words (headings, choices, defaults). Call once every command and option is declared.
 */
export function localize(program: Command, lang: CliLang): void {
    for (const cmd of allCommands(program)) {
        const key = cmd === program ? "" : cmd.name();
        if (COMMANDS[key]) cmd.description(COMMANDS[key][lang]);
        for (const opt of cmd.options) {
            const t = opt.long ? OPTIONS[opt.long] : undefined;
            if (t) opt.description = t[lang];
        }
        for (const arg of cmd.registeredArguments) {
            const t = ARGUMENTS[`${key} ${arg.name()}`];
            if (t) arg.description = t[lang];
        }
        cmd.helpOption("-h, --help", OPTIONS["--help"][lang]);
        if (cmd.commands.length) cmd.helpCommand(lang === "fr" ? "help [commande]" : "help [command]", COMMANDS.help[lang]);
        if (lang === "fr") {
            cmd.configureHelp({
                formatHelp: (c, helper) => apply(HEADINGS, Help.prototype.formatHelp.call(helper, c, helper)),
                optionDescription: (o) => apply(EXTRA_INFO, Help.prototype.optionDescription.call(new Help(), o)),
                argumentDescription: (a) => apply(EXTRA_INFO, Help.prototype.argumentDescription.call(new Help(), a)),
            });
        }
    }
}

/** Commander's messages (errors and hints), in French. */
const COMMANDER_FR: [RegExp, string][] = [
    [/^error: unknown option '(.*)'$/m, "erreur : option inconnue '$1'"],
    [/^error: unknown command '(.*)'$/m, "erreur : commande inconnue '$1'"],
    [/^\(Did you mean one of (.*)\?\)$/m, "(Vouliez-vous dire l'une de : $1 ?)"],
    [/^\(Did you mean (.*)\?\)$/m, "(Vouliez-vous dire $1 ?)"],
    [/^error: option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/m, "erreur : option '$1' : valeur '$2' invalide ; valeurs possibles : $3."],
    [/^error: option '(.*)' argument missing$/m, "erreur : option '$1' : valeur manquante"],
    [/^error: missing required argument '(.*)'$/m, "erreur : argument obligatoire manquant '$1'"],
    [/^error: required option '(.*)' not specified$/m, "erreur : option obligatoire '$1' absente"],
    [/^error: too many arguments(?: for '(.*)')?\. Expected (\d+) arguments? but got (\d+)\.$/m, "erreur : trop d'arguments ($3 donnés, $2 attendus)"],
    [/^error: (.*) cannot be used with (.*)$/m, "erreur : $1 ne peut pas être utilisé avec $2"],
];

export function translateCommander(text: string, lang: CliLang): string {
    if (lang === "en") return text;
    return COMMANDER_FR.reduce((s, [re, to]) => s.replace(re, to), text);
}

const WHAT_FR: Record<string, string> = {
    "preview JSON": "le JSON de prévisualisation",
    "stack state": "l'état de la pile",
    "policy pack configuration": "la configuration du pack",
    "stack tags": "les étiquettes de la pile",
    "stack configuration": "la configuration de la pile",
};
const what = (w: string) => WHAT_FR[w] ?? w;

/** The checker's error lines, in French (the file names and quoted values stay as they are). */
const ERRORS_FR: [RegExp, (...m: string[]) => string][] = [
    [/^--preview and --state are exclusive$/, () => "--preview et --state s'excluent"],
    [/^give either a program DIR or --preview\/--state, not both$/, () => "donner soit un dossier de programme, soit --preview/--state, pas les deux"],
    [
        /^--stack-config is for --preview and --state: a program reads Pulumi\.<stack>\.yaml with --stack NAME$/,
        () => "--stack-config accompagne --preview et --state : un programme lit Pulumi.<pile>.yaml avec --stack NOM",
    ],
    [/^--report (.*): expected FORMAT=FILE, FORMAT one of (.*)$/, (s, f) => `--report ${s} : FORMAT=FICHIER attendu, FORMAT parmi ${f}`],
    [/^--report (.*): unknown format "(.*)" \(one of (.*)\)$/, (s, f, l) => `--report ${s} : format inconnu « ${f} » (parmi ${l})`],
    [/^--report (.*): refusing to overwrite an input file$/, (s) => `--report ${s} : refus d'écraser un fichier d'entrée`],
    [/^(.*): cannot read the (.*) \(no such file\)$/, (f, w) => `${f} : impossible de lire ${what(w)} (fichier absent)`],
    [/^(.*): cannot read the (.*) \((.*)\)$/, (f, w, c) => `${f} : impossible de lire ${what(w)} (${c})`],
    [/^(.*): invalid JSON in the (.*?)( at position \d+)?: (.*)$/, (f, w, p, r) => `${f} : JSON invalide dans ${what(w)}${p ? p.replace(" at position", " à la position") : ""} : ${r}`],
    [/^(.*): no configuration file for stack '(.*)'$/, (f, s) => `${f} : aucun fichier de configuration pour la pile « ${s} »`],
    [/^invalid stack name '(.*)'$/, (s) => `nom de pile invalide « ${s} »`],
    [/^policy pack (.*): (.*) did not answer within (.*) \(call time limit\)$/, (d, c, t) => `pack ${d} : ${c} sans réponse en ${t} (durée maximale d'un appel, --call-timeout)`],
    [/^policy pack (.*?) (exited \(.*?\)|stopped answering) during (.*)$/, (d, w, r) => `le pack ${d} ${w.startsWith("exited") ? "s'est arrêté" : "ne répond plus"} pendant ${r}`],
    [/^the policy pack's evaluation of (\d+) resource\(s\) did not finish within (.*) \(time limit of the run\)$/, (n, t) => `l'évaluation de ${n} ressource(s) par le pack n'a pas fini en ${t} (durée maximale de la vérification, --timeout)`],
    [/^(--timeout|--call-timeout|CLOUD_DE_CONFIANCE_TIMEOUT|CLOUD_DE_CONFIANCE_CALL_TIMEOUT) (.*): expected a number of seconds greater than 0$/, (o, v) => `${o} ${v} : nombre de secondes supérieur à 0 attendu`],
    [/^(.*): the program failed: (.*)$/, (f, r) => `${f} : le programme a échoué : ${r}`],
    [/^(.*): cannot find @pulumi\/pulumi from the program \(run npm install in the project\)$/, (f) => `${f} : @pulumi/pulumi introuvable depuis le programme (lancer npm install dans le projet)`],
];

export function translateError(message: string, lang: CliLang): string {
    if (lang === "en") return message;
    for (const [re, to] of ERRORS_FR) {
        const m = re.exec(message);
        if (m) return to(...m.slice(1));
    }
    return message;
}

export function t(text: Bilingual, lang: CliLang): string {
    return text[lang];
}
