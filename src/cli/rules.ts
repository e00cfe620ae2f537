/**
 * `cloud-de-confiance rules` (alias `regles`): the pack's policies, with the need each enforces,
 * its default enforcement level and its title; `--format json` for tools. The list is the
 * registry's (one rule module per policy), read from the pack shipped with the tool.
 */
import { needById } from "@cloud-de-confiance/policies/dist/lib/catalogue";
import { pick } from "@cloud-de-confiance/policies/dist/lib/i18n";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { Command, Option } from "commander";
import { CliLang } from "./i18n";
import { useColor } from "./terminal";

export interface ListedRule {
    /** The need the policy is filed under (its first need). */
    need: string;
    needs: string[];
    policy: string;
    /** Default enforcement level (the configuration, the environment and derogations may change it). */
    level: "mandatory" | "advisory";
    severity: string;
    kind: "resource" | "stack";
    title: string;
    needTitle: string;
}

export function listRules(lang: CliLang): ListedRule[] {
    return ruleModules()
        .map(({ rule }) => {
            const need = needById(rule.needs[0]);
            return {
                need: rule.needs[0],
                needs: [...rule.needs],
                policy: rule.name,
                level: rule.enforcementLevel,
                severity: rule.severity,
                kind: rule.kind,
                title: pick(rule.title, lang),
                needTitle: need ? pick(need.title, lang) : "",
            };
        })
        .sort((a, b) => needOrder(a.need, b.need) || a.policy.localeCompare(b.policy));
}

const FAMILIES = ["RES", "SEC", "PROD", "PIL"];
function needOrder(a: string, b: string): number {
    const [fa, na] = a.split("-");
    const [fb, nb] = b.split("-");
    return FAMILIES.indexOf(fa) - FAMILIES.indexOf(fb) || Number(na) - Number(nb);
}

const LEVEL: Record<CliLang, Record<ListedRule["level"], string>> = {
    fr: { mandatory: "obligatoire", advisory: "consultatif" },
    en: { mandatory: "mandatory", advisory: "advisory" },
};

export function renderRules(rules: ListedRule[], format: "text" | "json", lang: CliLang, color = false): string {
    if (format === "json") return JSON.stringify(rules, null, 2) + "\n";
    const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : s);
    const head = lang === "fr" ? ["BESOIN", "NIVEAU", "POLITIQUE", "TITRE"] : ["NEED", "LEVEL", "POLICY", "TITLE"];
    const rows = rules.map((r) => [r.needs.join(","), LEVEL[lang][r.level], r.policy, r.title]);
    const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: string[]) =>
        cells
            .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(width[i])))
            .join("  ")
            .trimEnd();
    const mandatory = rules.filter((r) => r.level === "mandatory").length;
    const total =
        lang === "fr"
            ? `${rules.length} politiques, dont ${mandatory} obligatoires par défaut (niveaux ajustables par la configuration du pack)`
            : `${rules.length} policies, ${mandatory} mandatory by default (levels can be changed in the pack configuration)`;
    return [bold(line(head)), ...rows.map(line), "", total, ""].join("\n");
}

export function addRulesCommand(program: Command, lang: CliLang): Command {
    return program
        .command("rules")
        .alias("regles")
        .description("liste les politiques du pack : besoin, niveau par défaut, titre")
        .addOption(new Option("--format <format>", "format").choices(["text", "json"]).default("text"))
        .addOption(new Option("--lang <lang>", "langue").choices(["fr", "en"]))
        .option("--color", "couleurs")
        .option("--no-color", "sans couleurs")
        .action((opts: { format: "text" | "json"; lang?: CliLang; color?: boolean }) => {
            const l = opts.lang ?? lang;
            process.stdout.write(renderRules(listRules(l), opts.format, l, useColor(opts.color, process.stdout)));
        });
}
