/**
 * The stacks of a Pulumi project, as `pulumi stack ls` would list those with a configuration file:
 * `Pulumi.<stack>.yaml` (or `.yml`) beside `Pulumi.yaml`, or in its `stackConfigDir`. A bare
 * `check` runs the program without stack configuration; when that fails, or merely when the
 * project has stacks, the CLI names them.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { CliLang } from "./i18n";

function projectFile(dir: string): string | undefined {
    return ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
}

export function projectStacks(dir: string): string[] {
    const project = projectFile(dir);
    if (!project) return [];
    let configDir = dir;
    try {
        const doc = parse(fs.readFileSync(project, "utf8")) as { stackConfigDir?: unknown } | null;
        if (doc && typeof doc.stackConfigDir === "string") configDir = path.resolve(dir, doc.stackConfigDir);
    } catch {
        // An unreadable Pulumi.yaml is reported by the run itself.
    }
    let names: string[];
    try {
        names = fs.readdirSync(configDir);
    } catch {
        return [];
    }
    const stacks = names
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => !!s);
    return [...new Set(stacks)].sort();
}

export function stacksHint(stacks: string[], lang: CliLang): string {
    return lang === "fr"
        ? `piles du projet : ${stacks.join(", ")} (choisir avec --stack NOM)`
        : `stacks of this project: ${stacks.join(", ")} (choose one with --stack NAME)`;
}

export function noStackNote(stacks: string[], lang: CliLang): string {
    return lang === "fr"
        ? `sans --stack, la configuration d'aucune pile n'est lue ; ${stacksHint(stacks, lang)}`
        : `without --stack, no stack configuration is read; ${stacksHint(stacks, lang)}`;
}
