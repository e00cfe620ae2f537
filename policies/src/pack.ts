import type { PolicyPackArgs } from "@pulumi/policy";
import { loadRules } from "./registry";
import { derogationAudit } from "./lib/derogation-audit";
import { setRuleConfigs } from "./lib/config-check";
import { toPolicy } from "./lib/rule";
import { setPackPolicies, settingsPolicy } from "./lib/settings";

export const PACK_NAME = "cloud-de-confiance";

/** The pack's arguments, built from the registry. */
export function policyPackArgs(): PolicyPackArgs {
    const rules = loadRules();
    // The configuration may only name these policies and their needs (checked at Configure).
    setPackPolicies(rules);
    // Their configuration is checked at Configure too (config-check.ts).
    setRuleConfigs(rules);
    return {
        description:
            "Besoins de l'État pour le cloud de confiance (DINUM/ANSSI, avril 2024) : résilience, sécurité, productivité et pilotage des ressources, sur OpenStack et Kubernetes.",
        displayName: "Cloud de confiance",
        enforcementLevel: "advisory",
        tags: ["secnumcloud", "openstack", "kubernetes", "dinum", "anssi"],
        policies: [settingsPolicy(derogationAudit(rules)), ...rules.map(toPolicy)],
    };
}
