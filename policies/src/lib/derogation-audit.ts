import type { PolicyResource, ReportViolation, StackValidationArgs } from "@pulumi/policy";
import { Approval, carriedValue, DerogationSpec, namesResource } from "./derogations";
import { items, m, Message, msg, render } from "./message";
import { isUnknownValueError } from "./props";
import { PackPolicy, PackSettings, settings } from "./settings";

/**
 * Stale grants. A derogation granted in the configuration, or a reference approved there, that
 * matches nothing in the stack is reported at AnalyzeStack by the settings policy
 * (`cloud-de-confiance`), so that grants are removed once the resource they were made for is gone.
 *
 * - A configured derogation (`derogations`) matches when a resource of the stack has the name or
 *   URN its `ressource` names (name, URN or pattern with `*`).
 * - An approved reference (`derogationsApprouvees`) matches when a resource of the stack carries a
 *   derogation (tag, metadata, Magnum label or Kubernetes annotation `derogation-<NEED>`) whose
 *   reference is the approved one, for a need the approval covers (a policy name in `besoins`
 *   covers the needs of that policy).
 *
 * Matching is on the stack's resources, not on violations: a grant whose resource is now
 * compliant still matches (the derogation is then simply unused, which the violation's absence
 * shows). A derogation value unknown at preview may match: it never makes a grant stale.
 *
 * The findings carry no need id (they are about the configuration, not about a need) and follow
 * the level of the settings entry: advisory by default; `"cloud-de-confiance": { "enforcementLevel":
 * "mandatory" }` makes stale grants block.
 */
export interface StaleGrant {
    key: string;
    problem: Message;
    fix: Message;
}

/** The need ids an approval covers: its need ids, and the needs of the policies it names. */
function coveredNeeds(a: Approval, policies: readonly PackPolicy[]): string[] {
    const out = new Set<string>();
    for (const b of a.besoins) {
        const p = policies.find((x) => x.name === b);
        if (p) p.needs.forEach((n) => out.add(n));
        else out.add(b);
    }
    return [...out];
}

/** The reference a carried derogation value names: its first field. */
function referenceOf(value: string): string {
    return value.split("|")[0].trim();
}

/** The carried value for `need`, "unknown" when it is unknown at preview. */
function carried(r: PolicyResource, need: string): string | undefined | "unknown" {
    try {
        return carriedValue(need, r.props as Record<string, unknown>);
    } catch (e) {
        if (isUnknownValueError(e)) return "unknown";
        throw e;
    }
}

export function staleGrants(
    resources: readonly PolicyResource[],
    s: Pick<PackSettings, "derogations" | "derogationsApprouvees">,
    policies: readonly PackPolicy[],
): StaleGrant[] {
    const out: StaleGrant[] = [];
    s.derogations.forEach((d: DerogationSpec, i) => {
        if (resources.some((r) => namesResource(d.ressource, r))) return;
        const key = `derogations.${i}`;
        out.push({
            key,
            problem: msg(
                m`dérogation configurée ${key} (besoin ${d.besoin}, ressource « ${d.ressource} », référence ${d.reference}) : aucune ressource de la pile ne porte ce nom ni cette URN.`,
                m`configured derogation ${key} (need ${d.besoin}, resource "${d.ressource}", reference ${d.reference}): no resource of the stack has this name or URN.`,
            ),
            fix: msg(
                m`retirer l'entrée de la configuration du pack si la ressource n'existe plus, ou corriger « ressource ».`,
                m`remove the entry from the pack configuration if the resource is gone, or correct "ressource".`,
            ),
        });
    });
    s.derogationsApprouvees.forEach((a, i) => {
        const needs = coveredNeeds(a, policies);
        const reference = a.reference.trim();
        const used = resources.some((r) =>
            needs.some((n) => {
                const v = carried(r, n);
                return v === "unknown" || (v !== undefined && referenceOf(v) === reference);
            }),
        );
        if (used) return;
        const key = `derogationsApprouvees.${i}`;
        out.push({
            key,
            problem: msg(
                m`référence approuvée ${key} (${a.reference}, besoins ${items(a.besoins)}) : aucune ressource de la pile ne porte de dérogation avec cette référence pour ces besoins.`,
                m`approved reference ${key} (${a.reference}, needs ${items(a.besoins)}): no resource of the stack carries a derogation with this reference for these needs.`,
            ),
            fix: msg(
                m`retirer l'approbation de la configuration du pack si la dérogation n'est plus portée, ou corriger sa référence ou ses besoins.`,
                m`remove the approval from the pack configuration if no resource carries the derogation any more, or correct its reference or needs.`,
            ),
        });
    });
    return out;
}

/** The settings policy's stack check: one finding per stale grant. */
export function derogationAudit(policies: readonly PackPolicy[]) {
    return (args: StackValidationArgs, report: ReportViolation): void => {
        const s = settings();
        if (s.derogations.length === 0 && s.derogationsApprouvees.length === 0) {
            return args.notApplicable("aucune dérogation configurée / no derogation configured");
        }
        const lang = s.langue;
        const fixLabel = lang === "fr" ? "Correction :" : "Fix:";
        const title = lang === "fr" ? "Dérogations" : "Derogations";
        for (const g of staleGrants(args.resources, s, policies)) {
            (report as unknown as (o: Record<string, unknown>) => void)({
                message: `${title} · ${render(g.problem[lang], { lang })} ${fixLabel} ${render(g.fix[lang], { lang })}`,
                description: lang === "fr" ? "Réglages du pack — dérogation sans objet" : "Pack settings — grant matching nothing",
            });
        }
    };
}
