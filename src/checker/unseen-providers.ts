/**
 * Providers that the input's resources use but that the input does not hold.
 *
 * The engine always submits a provider resource to the pack before the resources it serves, so the
 * rules that judge providers (SEC-01, SEC-02) judge each one on the provider itself and never again
 * on the resources that use it. A `pulumi preview --json` leaves out what does not change (unless
 * `--show-sames`): an explicit provider left unchanged is then referenced by the resources that
 * change, but its configuration is nowhere in the file (a default provider is rebuilt from the
 * stack configuration the preview holds, see inputs.ts). Such a provider is not examined: for each
 * rule that examines its type, the check gets one « cannot be checked » finding on the provider,
 * so that the matrix never says « respected » or « not exercised » for what the pack did not see.
 */
import { pick } from "@cloud-de-confiance/policies/dist/lib/i18n";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { resolveConfig, Rule } from "@cloud-de-confiance/policies/dist/lib/rule";
import { shortType } from "@cloud-de-confiance/policies/dist/lib/types";
import { Evaluation } from "../engine/engine";
import type { UnseenProvider } from "./inputs";
import { CheckSource, Finding, Lang } from "./model";

export type { UnseenProvider };

/** Whether a resource rule examines resources of `type` (its `applies` under its configuration, else its list of types). */
function examines(rule: Rule, type: string, ev: Evaluation): boolean {
    if (rule.kind !== "resource") return false;
    if (!rule.applies) return rule.types.includes(type);
    try {
        return rule.applies(type, resolveConfig(rule, ev.config[rule.name]?.properties ?? {}));
    } catch {
        return rule.types.includes(type);
    }
}

function howToSee(source: CheckSource, lang: Lang): string {
    if (source.kind === "preview") {
        return lang === "fr"
            ? "un fournisseur inchangé n'est pas une étape de `pulumi preview --json` : relancer avec `--show-sames`, ou vérifier l'état (`check --state`)."
            : "an unchanged provider is no step of `pulumi preview --json`: run it again with `--show-sames`, or check the state (`check --state`).";
    }
    return lang === "fr" ? "le fichier est incomplet : vérifier un export complet de la pile." : "the file is incomplete: check a complete export of the stack.";
}

/** One « cannot be checked » finding per unseen provider and per enabled rule that examines its type. */
export function unseenProviderFindings(unseen: readonly UnseenProvider[], ev: Evaluation, source: CheckSource, lang: Lang): Finding[] {
    if (unseen.length === 0) return [];
    const rules = ruleModules().map((m) => m.rule).filter((r) => ev.config[r.name]?.enforcementLevel !== "disabled");
    const out: Finding[] = [];
    for (const p of unseen) {
        for (const rule of rules.filter((r) => examines(r, p.type, ev))) {
            const label = lang === "fr" ? `${shortType(p.type)} « ${p.name} »` : `${shortType(p.type)} "${p.name}"`;
            const problem =
                lang === "fr"
                    ? `fournisseur absent du fichier, utilisé par ${p.usedBy.length} ressource(s) : sa configuration n'a pas été examinée ; ${howToSee(source, lang)}`
                    : `provider missing from the file, used by ${p.usedBy.length} resource(s): its configuration was not examined; ${howToSee(source, lang)}`;
            out.push({
                needs: [...rule.needs],
                policy: rule.name,
                title: `${rule.needs[0]} — ${pick(rule.title, lang)}`,
                severity: rule.severity,
                enforcementLevel: "advisory",
                status: "unknown",
                resource: { urn: p.urn, type: p.type, name: p.name },
                message: `${rule.needs.join(", ")} · ${label} · ${problem}`,
                remediation: pick(rule.remediation, lang),
            });
        }
    }
    return out;
}

/** One warning line per unseen provider (printed on standard error by the CLI). */
export function unseenProviderWarnings(unseen: readonly UnseenProvider[], source: CheckSource): string[] {
    return unseen.map((p) =>
        `provider ${p.urn} is used by ${p.usedBy.length} resource(s) but is not in ${source.path}: its configuration is not examined ` +
        `(${source.kind === "preview" ? "an unchanged provider is no step of pulumi preview --json: add --show-sames" : "incomplete file"})`,
    );
}
