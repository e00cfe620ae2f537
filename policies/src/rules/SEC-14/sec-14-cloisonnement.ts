import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { effectiveNamespace, isEmptySelector, namespaceKeyOf, namespaceLabel, namespaceResourceKey, parseSelector } from "../../lib/k8s-selectors";
import { arr, get, known, strings } from "../../lib/props";
import { defineStackRule, push } from "../../lib/rule";
import { K8S, K8S_WORKLOADS } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    exigerEgress: boolean;
    inclureEspacesDesCharges: boolean;
    espacesExclus: string[];
}

interface Deny {
    ingress: boolean;
    egress: boolean;
}

export default defineStackRule<Config>({
    name: "sec-14-cloisonnement",
    needs: ["SEC-14"],
    title: txt("Cloisonnement", "Isolation"),
    description: txt(
        "Chaque espace de noms a une NetworkPolicy de refus par défaut (SecNumCloud 13.2) : `spec.podSelector` vide (`{}`, qui sélectionne tous les pods), `policyTypes` contenant `Ingress` et aucune règle `ingress` (absente ou `[]`) ; avec l'option `exigerEgress`, aussi `Egress` sans règle `egress` (dans la même NetworkPolicy ou une autre). Sans `policyTypes`, Kubernetes retient `Ingress` (et `Egress` si une section `egress` est présente) ; un `podSelector` absent ou mal formé ne sélectionne pas tout. Les espaces de noms examinés sont les Namespace déclarés dans la pile et, avec l'option `inclureEspacesDesCharges` (par défaut), ceux où tournent les charges de travail de la pile (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) même non déclarés : `metadata.namespace`, sinon l'espace du fournisseur Kubernetes, sinon `default`. Les espaces de `espacesExclus` sont ignorés. Une NetworkPolicy est rattachée à un espace par son `metadata.namespace` quand il est connu, sinon par la ressource Namespace dont vient sa propriété `metadata` (ou dont elle dépend).",
        "Every namespace has a default-deny NetworkPolicy (SecNumCloud 13.2): an empty `spec.podSelector` (`{}`, selecting every pod), `policyTypes` containing `Ingress` and no `ingress` rule (absent or `[]`); with the option `exigerEgress`, also `Egress` without `egress` rule (in the same NetworkPolicy or another). Without `policyTypes`, Kubernetes takes `Ingress` (and `Egress` when an `egress` section is present); a missing or malformed `podSelector` does not select everything. The namespaces examined are the Namespaces declared in the stack and, with the option `inclureEspacesDesCharges` (default), those where the stack's workloads run (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) even if not declared: `metadata.namespace`, else the Kubernetes provider's namespace, else `default`. Namespaces of `espacesExclus` are ignored. A NetworkPolicy belongs to a namespace through its `metadata.namespace` when known, else through the Namespace resource its `metadata` property comes from (or it depends on).",
    ),
    remediation: txt(
        "Ajouter dans l'espace de noms une NetworkPolicy `spec: { podSelector: {}, policyTypes: [\"Ingress\", \"Egress\"] }` sans règles, puis ouvrir les seuls flux de la matrice des flux par d'autres NetworkPolicies.",
        "Add to the namespace a NetworkPolicy `spec: { podSelector: {}, policyTypes: [\"Ingress\", \"Egress\"] }` without rules, then open only the flows of the flow matrix with other NetworkPolicies.",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        exigerEgress: {
            type: "boolean",
            default: false,
            description: txt("Exiger aussi le refus par défaut en sortie (`Egress`).", "Also require default-deny egress (`Egress`)."),
        },
        inclureEspacesDesCharges: {
            type: "boolean",
            default: true,
            description: txt(
                "Examiner aussi les espaces de noms où tournent les charges de travail de la pile, même non déclarés.",
                "Also examine the namespaces where the stack's workloads run, even if not declared.",
            ),
        },
        espacesExclus: {
            type: "array",
            items: { type: "string" },
            default: ["kube-system", "kube-public", "kube-node-lease"],
            description: txt("Espaces de noms non examinés.", "Namespaces not examined."),
        },
    },
    types: [K8S.namespace, K8S.networkPolicy, ...K8S_WORKLOADS],
    check(stack, ctx) {
        const excluded = new Set(ctx.config.espacesExclus.map((n) => `name:${n}`));
        // Namespaces to examine, each with the resource a finding is reported on.
        const spaces = new Map<string, { anchor: PolicyResource; declared: boolean }>();
        for (const ns of stack.ofType(K8S.namespace)) {
            const key = namespaceResourceKey(ns);
            if (!spaces.has(key)) spaces.set(key, { anchor: ns, declared: true });
        }
        if (ctx.config.inclureEspacesDesCharges) {
            for (const w of stack.ofType(K8S_WORKLOADS)) {
                const key = namespaceKeyOf(stack, w) ?? `name:${effectiveNamespace(w)}`;
                if (!spaces.has(key)) spaces.set(key, { anchor: w, declared: false });
            }
        }
        // Index NetworkPolicies once, per namespace key.
        const denies = new Map<string, Deny>();
        const undecided = new Map<string, PolicyResource[]>();
        const nowhere: PolicyResource[] = [];
        for (const np of stack.ofType(K8S.networkPolicy)) {
            const key = namespaceKeyOf(stack, np);
            if (!key) {
                nowhere.push(np);
                continue;
            }
            const d = known(() => denyOf(np));
            if (!d) {
                push(undecided, key, np);
                continue;
            }
            const cur = denies.get(key) ?? { ingress: false, egress: false };
            denies.set(key, { ingress: cur.ingress || d.ingress, egress: cur.egress || d.egress });
        }
        for (const [key, space] of spaces) {
            if (excluded.has(key)) continue;
            const d = denies.get(key);
            const missing: string[] = [];
            if (!d?.ingress) missing.push("Ingress");
            if (ctx.config.exigerEgress && !d?.egress) missing.push("Egress");
            if (missing.length === 0) continue;
            // Undecided policies might cover it: let their unknown values surface.
            for (const np of undecided.get(key) ?? []) denyOf(np);
            for (const np of nowhere) effectiveNamespace(np);
            const name = namespaceLabel(key, stack);
            const what = missing.join(" + ");
            ctx.report({
                resource: space.anchor,
                property: space.declared ? "metadata.name" : "metadata.namespace",
                value: name,
                problem: msg(
                    m`l'espace de noms « ${name} »${space.declared ? "" : " (utilisé par cette charge)"} n'a pas de NetworkPolicy de refus par défaut (${what}) : tous les flux y sont ouverts.`,
                    m`namespace "${name}"${space.declared ? "" : " (used by this workload)"} has no default-deny NetworkPolicy (${what}): every flow is open there.`,
                ),
                fix: msg(
                    m`ajouter dans « ${name} » une NetworkPolicy \`podSelector: {}\`, \`policyTypes: [${missing.map((m) => `"${m}"`).join(", ")}]\` sans règles.`,
                    m`add to "${name}" a NetworkPolicy \`podSelector: {}\`, \`policyTypes: [${missing.map((m) => `"${m}"`).join(", ")}]\` without rules.`,
                ),
            });
        }
    },
});

/** What a NetworkPolicy denies by default (throws the unknown-value error when its spec is unknown). */
function denyOf(np: PolicyResource): Deny {
    const spec = get(np.props, "spec");
    const sel = parseSelector(get(spec, "podSelector"));
    if (!sel || !isEmptySelector(sel)) return { ingress: false, egress: false };
    const ingress = get(spec, "ingress");
    const egress = get(spec, "egress");
    let types = strings(get(spec, "policyTypes"));
    if (types.length === 0) types = egress !== undefined && egress !== null ? ["Ingress", "Egress"] : ["Ingress"];
    const none = (v: unknown) => v === undefined || v === null || (Array.isArray(v) && arr(v).length === 0);
    return { ingress: types.includes("Ingress") && none(ingress), egress: types.includes("Egress") && none(egress) };
}
