import * as fs from "fs";
import * as path from "path";
import { NEED_ID_PATTERN, needById } from "./lib/catalogue";
import { Rule } from "./lib/rule";

/**
 * The registry: every rule module under `rules/<NEED-ID>/<policy-name>.js`, found on disk. No list
 * of rules is written by hand anywhere: adding a rule is adding its module (and its fixtures).
 */
export const RULES_DIR = path.join(__dirname, "rules");

export interface RuleModule {
    rule: Rule;
    file: string;
    /** The fixtures module beside the rule, when present (`<policy-name>.fixtures.js`). */
    fixturesFile?: string;
}

const RULE_FILE = /^([a-z0-9]+(?:-[a-z0-9]+)+)\.js$/;

export function ruleModules(dir: string = RULES_DIR): RuleModule[] {
    const out: RuleModule[] = [];
    for (const needDir of fs.readdirSync(dir).sort()) {
        if (!NEED_ID_PATTERN.test(needDir)) continue;
        const files = fs.readdirSync(path.join(dir, needDir));
        for (const f of files.sort()) {
            const m = RULE_FILE.exec(f);
            if (!m || f.endsWith(".fixtures.js")) continue;
            const file = path.join(dir, needDir, f);
            const rule = (require(file) as { default?: Rule }).default;
            check(rule, file, needDir, m[1]);
            const fx = `${m[1]}.fixtures.js`;
            out.push({ rule: rule as Rule, file, fixturesFile: files.includes(fx) ? path.join(dir, needDir, fx) : undefined });
        }
    }
    return out;
}

export function loadRules(dir: string = RULES_DIR): Rule[] {
    return ruleModules(dir).map((m) => m.rule);
}

function check(rule: Rule | undefined, file: string, needDir: string, base: string): asserts rule is Rule {
    const fail = (why: string) => {
        throw new Error(`cloud-de-confiance: module de règle invalide ${file} : ${why}`);
    };
    if (!rule || (rule.kind !== "resource" && rule.kind !== "stack")) fail("pas d'export par défaut defineResourceRule/defineStackRule");
    const r = rule as Rule;
    if (r.name !== base) fail(`le nom de la politique « ${r.name} » doit être celui du fichier « ${base} »`);
    if (r.needs[0] !== needDir) fail(`le premier besoin « ${r.needs[0]} » doit être celui du dossier « ${needDir} »`);
    if (!r.name.startsWith(needDir.toLowerCase() + "-")) fail(`le nom doit commencer par « ${needDir.toLowerCase()}- »`);
    for (const id of r.needs) if (!needById(id)) fail(`besoin inconnu du catalogue : ${id}`);
}
