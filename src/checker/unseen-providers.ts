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
import { MAX_ITEMS, MAX_QUOTE } from "@cloud-de-confiance/policies/dist/lib/message";
import { quoted } from "./errors";
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

/** The provider type a reference stands for: its own, or, pointing nowhere, the package of the resource's type. */
function providerTypeOf(p: UnseenProvider): string {
    return !p.reason || p.reason === "absent" ? p.type : `pulumi:providers:${p.type.split(":")[0]}`;
}

/** The first users of a reference that points nowhere, counted beyond the first few. */
function users(p: UnseenProvider): string {
    const names = p.usedBy.slice(0, MAX_ITEMS).map((u) => quoted(u.split("::").slice(3).join("::"), MAX_QUOTE));
    return p.usedBy.length > MAX_ITEMS ? `${names.join(", ")}, … (+${p.usedBy.length - MAX_ITEMS})` : names.join(", ");
}

/** What is wrong with a reference that points nowhere (see UnseenProvider.reason). */
function danglingProblem(p: UnseenProvider, lang: Lang): string {
    const n = p.usedBy.length;
    const fr = lang === "fr";
    const what =
        p.reason === "malformed"
            ? fr ? `référence de fournisseur illisible « ${p.reference} » (attendu <urn>::<id>)` : `unreadable provider reference "${p.reference}" (expected <urn>::<id>)`
            : p.reason === "not-a-provider"
              ? fr ? `la référence de fournisseur désigne « ${p.reference} », qui n'est pas un fournisseur` : `the provider reference names "${p.reference}", which is no provider`
              : fr ? "ressource sans référence de fournisseur" : "resource without a provider reference";
    return fr
        ? `${what}, pour ${n} ressource(s) (${users(p)}) : leur fournisseur n'a pas été examiné ; le fichier est incohérent : vérifier un export complet de la pile.`
        : `${what}, for ${n} resource(s) (${users(p)}): their provider was not examined; the file is inconsistent: check a complete export of the stack.`;
}

/** One « cannot be checked » finding per unseen provider and per enabled rule that examines its type. */
export function unseenProviderFindings(unseen: readonly UnseenProvider[], ev: Evaluation, source: CheckSource, lang: Lang): Finding[] {
    if (unseen.length === 0) return [];
    const rules = ruleModules().map((m) => m.rule).filter((r) => ev.config[r.name]?.enforcementLevel !== "disabled");
    const out: Finding[] = [];
    for (const p of unseen) {
        const label = lang === "fr" ? `${shortType(p.type)} « ${quoted(p.name, MAX_QUOTE)} »` : `${shortType(p.type)} "${quoted(p.name, MAX_QUOTE)}"`;
        const dangling = p.reason !== undefined && p.reason !== "absent";
        const problem = dangling
            ? danglingProblem(p, lang)
            : lang === "fr"
              ? `fournisseur absent du fichier, utilisé par ${p.usedBy.length} ressource(s) : sa configuration n'a pas été examinée ; ${howToSee(source, lang)}`
              : `provider missing from the file, used by ${p.usedBy.length} resource(s): its configuration was not examined; ${howToSee(source, lang)}`;
        for (const rule of rules.filter((r) => examines(r, providerTypeOf(p), ev))) {
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
    return unseen.map((p) => {
        if (!p.reason || p.reason === "absent") {
            return (
                `provider ${quoted(p.urn)} is used by ${p.usedBy.length} resource(s) but is not in ${source.path}: its configuration is not examined ` +
                `(${source.kind === "preview" ? "an unchanged provider is no step of pulumi preview --json: add --show-sames" : "incomplete file"})`
            );
        }
        const what =
            p.reason === "malformed"
                ? `have an unreadable provider reference "${p.reference}"`
                : p.reason === "not-a-provider"
                  ? `name "${p.reference}" as their provider, which is no provider`
                  : "have no provider reference";
        return `${p.usedBy.length} resource(s) of ${source.path} (${users(p)}) ${what}: their provider is not examined (inconsistent file)`;
    });
}
