import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import type * as Selectors from "../../lib/k8s-selectors";
import type { Direction, PolicyEffect } from "../../lib/k8s-netpol";
import type * as Netpol from "../../lib/k8s-netpol";
import { isPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { get, known, rec } from "../../lib/props";
import { defineStackRule, push } from "../../lib/rule";
import { K8S, K8S_WORKLOADS } from "../../lib/types";
import { m, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const selectors = lazy(() => require("../../lib/k8s-selectors") as typeof Selectors);
const netpol = lazy(() => require("../../lib/k8s-netpol") as typeof Netpol);

interface Config {
    exigerEgress: boolean;
    inclureEspacesDesCharges: boolean;
    espacesExclus: string[];
}

export default defineStackRule<Config>({
    name: "sec-14-cloisonnement",
    needs: ["SEC-14"],
    title: txt("Cloisonnement", "Isolation"),
    description: txt(
        "Chaque espace de noms a une NetworkPolicy de refus par défaut effective (SecNumCloud 13.2), jugée comme l'API Kubernetes stocke l'objet et comme les greffons réseau l'appliquent : une NetworkPolicy qui sélectionne tous les pods (`spec.podSelector` vide `{}`, ou absent : le champ n'est pas un pointeur, absent il vaut le sélecteur vide), dont les `policyTypes` effectifs contiennent `Ingress` et qui n'a aucune règle `ingress` (absente ou `[]`) ; avec l'option `exigerEgress`, aussi `Egress` sans règle `egress` (dans la même NetworkPolicy ou une autre). `policyTypes` absent ou vide vaut `Ingress`, plus `Egress` seulement si `egress` contient au moins une règle (`egress: []` sans `policyTypes` ne refuse donc pas la sortie). Les NetworkPolicies s'additionnent : dans un espace qui a un refus par défaut, une autre NetworkPolicy du même espace dont une règle autorise tout (sans pair — `from`/`to` absent ou vide, ou `ipBlock` `0.0.0.0/0`/`::/0` sans `except` — et sans port — `ports` absent ou vide, ou une entrée sans `port`) pour la direction exigée rouvre les pods qu'elle sélectionne : elle est en défaut (signalée sur cette NetworkPolicy). Décision : une règle qui ouvre tous les pods de tous les espaces (`namespaceSelector: {}`) ou des ports nommés n'est pas « tout autoriser ». Une NetworkPolicy dont un champ a un type erroné est refusée par l'API et ne compte pas. Les espaces de noms examinés sont les Namespace déclarés dans la pile et, avec l'option `inclureEspacesDesCharges` (par défaut), ceux où tournent les charges de travail de la pile (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) même non déclarés : `metadata.namespace`, sinon l'espace du fournisseur Kubernetes, sinon `default`. Les espaces de `espacesExclus` sont ignorés. Une NetworkPolicy est rattachée à un espace par son `metadata.namespace` quand il est connu, sinon par la ressource Namespace dont vient sa propriété `metadata` (ou dont elle dépend) ; une NetworkPolicy inconnue à la prévisualisation qui pourrait changer le verdict le rend « impossible à vérifier »." + " Correctifs (`NamespacePatch`, `NetworkPolicyPatch`, correctifs de charges ; voir « Correctifs Kubernetes » dans docs/regles.md) : un espace de noms corrigé (ou celui d'une charge corrigée) sans refus par défaut dans la pile est invérifiable (l'espace existe déjà et peut l'avoir hors de la pile) ; un NetworkPolicyPatch ne refuse par défaut que s'il fixe lui-même `podSelector`, `policyTypes` et les règles de la direction ; s'il ne les fixe pas tous et que ceux qu'il fixe permettent un refus, l'espace est invérifiable ; ce qu'il ouvre est jugé comme pour une NetworkPolicy.",
        "Every namespace has an effective default-deny NetworkPolicy (SecNumCloud 13.2), judged as the Kubernetes API stores the object and network plugins apply it: a NetworkPolicy selecting every pod (`spec.podSelector` empty `{}`, or absent: the field is not a pointer, absent it is the empty selector), whose effective `policyTypes` contain `Ingress` and that has no `ingress` rule (absent or `[]`); with the option `exigerEgress`, also `Egress` without `egress` rule (in the same NetworkPolicy or another). Absent or empty `policyTypes` is `Ingress`, plus `Egress` only when `egress` holds at least one rule (so `egress: []` without `policyTypes` does not deny egress). NetworkPolicies add up: in a namespace with a default deny, another NetworkPolicy of the same namespace one of whose rules allows everything (no peer — `from`/`to` absent or empty, or an `ipBlock` `0.0.0.0/0`/`::/0` without `except` — and no port — `ports` absent or empty, or an entry without `port`) for a required direction re-opens the pods it selects: it fails (reported on that NetworkPolicy). Decision: a rule opening every pod of every namespace (`namespaceSelector: {}`) or named ports is not \"allow everything\". A NetworkPolicy with a field of the wrong type is rejected by the API and does not count. The namespaces examined are the Namespaces declared in the stack and, with the option `inclureEspacesDesCharges` (default), those where the stack's workloads run (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) even if not declared: `metadata.namespace`, else the Kubernetes provider's namespace, else `default`. Namespaces of `espacesExclus` are ignored. A NetworkPolicy belongs to a namespace through its `metadata.namespace` when known, else through the Namespace resource its `metadata` property comes from (or it depends on); a NetworkPolicy unknown at preview that could change the verdict makes it \"cannot be checked\"." + " Patches (`NamespacePatch`, `NetworkPolicyPatch`, workload patches; see \"Correctifs Kubernetes\" in docs/regles.md): a patched namespace (or a patched workload's) without a default deny in the stack cannot be checked (the namespace already exists and may have one outside the stack); a NetworkPolicyPatch denies by default only when it sets `podSelector`, `policyTypes` and the direction's rules itself; when it does not set them all and those it sets allow a deny, the namespace cannot be checked; what it opens is judged as for a NetworkPolicy.",
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
    types: withPatches([K8S.namespace, K8S.networkPolicy, ...K8S_WORKLOADS]),
    check(stack, ctx) {
        const excluded = new Set(ctx.config.espacesExclus.map((n) => `name:${n}`));
        const required: Direction[] = ctx.config.exigerEgress ? ["Ingress", "Egress"] : ["Ingress"];
        // Namespaces to examine, each with the resource a finding is reported on.
        const spaces = new Map<string, { anchor: PolicyResource; declared: boolean }>();
        // Full kinds first: a namespace declared in the stack is anchored on its Namespace, not on a patch.
        for (const ns of stack.ofType(K8S.namespace, `${K8S.namespace}Patch`)) {
            const key = selectors().namespaceResourceKey(ns);
            if (!spaces.has(key)) spaces.set(key, { anchor: ns, declared: true });
        }
        if (ctx.config.inclureEspacesDesCharges) {
            for (const w of stack.ofType(K8S_WORKLOADS, withPatches(K8S_WORKLOADS).filter(isPatch))) {
                const key = selectors().namespaceKeyOf(stack, w) ?? `name:${selectors().effectiveNamespace(w)}`;
                if (!spaces.has(key)) spaces.set(key, { anchor: w, declared: false });
            }
        }
        // Index NetworkPolicies once, per namespace key.
        const effects = new Map<string, { np: PolicyResource; effect: PolicyEffect }[]>();
        const undecided = new Map<string, PolicyResource[]>();
        const nowhere: PolicyResource[] = [];
        // NetworkPolicy patches whose deny depends on fields they leave to the live object.
        const maybe = new Map<string, { np: PolicyResource; directions: Set<Direction> }[]>();
        for (const np of stack.ofType(K8S.networkPolicy, `${K8S.networkPolicy}Patch`)) {
            const key = selectors().namespaceKeyOf(stack, np);
            const effect = known(() => (isPatch(np.type) ? patchEffect(np, key, maybe) : netpol().policyEffect(np.props)));
            if (!key) {
                // Where it applies is unknown: it may deny, or open, any namespace.
                if (!effect || effect.denies.size > 0 || effect.opens.size > 0) nowhere.push(np);
                continue;
            }
            if (!effect) push(undecided, key, np);
            else push(effects, key, { np, effect });
        }
        const gaps = new PatchGaps();
        const passed: string[] = [];
        for (const [key, space] of spaces) {
            if (excluded.has(key)) continue;
            const list = effects.get(key) ?? [];
            const missing = required.filter((d) => !list.some((x) => x.effect.denies.has(d)));
            const name = selectors().namespaceLabel(key, stack);
            if (missing.length > 0) {
                // Undecided policies might cover it: let their unknown values surface.
                for (const np of undecided.get(key) ?? []) netpol().policyEffect(np.props);
                for (const np of nowhere) selectors().effectiveNamespace(np);
                const what = missing.join(" + ");
                // A patched NetworkPolicy may deny through the fields it leaves to the live object.
                const partial = (maybe.get(key) ?? []).filter((x) => missing.every((d) => x.directions.has(d)));
                if (partial.length > 0) {
                    for (const x of partial) gaps.absent(PATCH_DENY_FIELDS.filter((f) => unsetIn(x.np, f)).join(", ") || "spec", x.np);
                    continue;
                }
                // A patched namespace (or a patched workload's) may have its default deny outside the stack.
                if (gaps.outsideStack(msg(m`NetworkPolicy de refus par défaut (${what})`, m`default-deny NetworkPolicy (${what})`), space.anchor)) continue;
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
                continue;
            }
            // A default deny exists; a policy that allows everything beside it re-opens the pods it selects.
            let defeated = false;
            for (const { np, effect } of list) {
                for (const dir of required) {
                    const open = effect.opens.get(dir);
                    if (!open) continue;
                    defeated = true;
                    const field = dir === "Ingress" ? "ingress" : "egress";
                    const scope = effect.selectsAll ? msg(m`tous les pods`, m`every pod`) : msg(m`les pods qu'elle sélectionne`, m`the pods it selects`);
                    ctx.report({
                        resource: np,
                        property: `spec.${field}[${open[0]}]`,
                        problem: msg(
                            m`la NetworkPolicy « ${np.name} » autorise tout en ${dir} (règle sans pair ni port : toute source, tout port) pour ${scope.fr} : le refus par défaut de l'espace « ${name} » est annulé (les NetworkPolicies s'additionnent).`,
                            m`NetworkPolicy "${np.name}" allows everything in ${dir} (rule without peer or port: any source, any port) for ${scope.en}: the default deny of namespace "${name}" is defeated (NetworkPolicies add up).`,
                        ),
                        fix: msg(
                            m`restreindre la règle \`${field}[${open[0]}]\` aux pairs (podSelector, namespaceSelector, ipBlock) et ports de la matrice des flux.`,
                            m`restrict rule \`${field}[${open[0]}]\` to the peers (podSelector, namespaceSelector, ipBlock) and ports of the flow matrix.`,
                        ),
                    });
                }
            }
            if (!defeated) passed.push(key);
        }
        // A namespace that passes may still be re-opened by a policy not known yet: let that surface.
        for (const key of passed) {
            for (const np of undecided.get(key) ?? []) netpol().policyEffect(np.props);
            for (const np of nowhere) selectors().effectiveNamespace(np);
        }
        gaps.end(ctx);
    },
});

/** The fields a NetworkPolicy patch must set for its default deny to be its own. */
const PATCH_DENY_FIELDS = ["spec.podSelector", "spec.policyTypes", "spec.ingress", "spec.egress"] as const;

function unsetIn(np: PolicyResource, path: string): boolean {
    const v = get(np.props, path);
    return v === undefined || v === null;
}

/**
 * The effect of a NetworkPolicy patch, on what it sets: what it opens is judged as for a full
 * NetworkPolicy; it denies a direction only when it sets the pod selector, the policy types and that
 * direction's rules itself. Directions it would deny if the live object's fields allow it are
 * recorded in `maybe` (per namespace key).
 */
function patchEffect(np: PolicyResource, key: string | undefined, maybe: Map<string, { np: PolicyResource; directions: Set<Direction> }[]>): PolicyEffect {
    const effect = netpol().policyEffect(np.props);
    const spec = rec(get(np.props, "spec")) ?? {};
    const set = (k: string) => spec[k] !== undefined && spec[k] !== null;
    const directions = new Set<Direction>();
    for (const dir of ["Ingress", "Egress"] as const) {
        const rules = dir === "Ingress" ? "ingress" : "egress";
        if (set("podSelector") && set("policyTypes") && set(rules)) continue;
        effect.denies.delete(dir);
        // Compatible with a deny: no selector of some pods only, the direction not left out, no rule.
        const types = spec["policyTypes"];
        const selector = set("podSelector") ? selectors().parseSelector(spec["podSelector"]) : undefined;
        const selectsAll = !set("podSelector") || (selector !== undefined && selectors().isEmptySelector(selector));
        const typed = !set("policyTypes") || (Array.isArray(types) && types.includes(dir));
        const noRule = !set(rules) || (Array.isArray(spec[rules]) && (spec[rules] as unknown[]).length === 0);
        if (selectsAll && typed && noRule) directions.add(dir);
    }
    if (key && directions.size > 0) push(maybe, key, { np, directions });
    return effect;
}
