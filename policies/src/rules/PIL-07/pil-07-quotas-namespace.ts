import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { kindOf } from "../../lib/k8s";
import { fullType, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { get, known, str } from "../../lib/props";
import { defineStackRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    namespacesExclus: string[];
}

const BOUNDS = [K8S.resourceQuota, K8S.limitRange] as const;

export default defineStackRule<Config>({
    name: "pil-07-quotas-namespace",
    needs: ["PIL-07"],
    title: txt("Ressources bornées (espaces de noms)", "Bounded resources (namespaces)"),
    description: txt(
        "Chaque Namespace déclaré dans la pile contient un ResourceQuota et un LimitRange déclarés dans la même pile. Un objet est dans l'espace de noms quand son `metadata` dépend de la ressource Namespace dans le programme (`metadata.namespace` tiré de `ns.metadata.name`), ou quand son `metadata.namespace` connu égale le `metadata.name` connu du Namespace (à défaut de `metadata.name`, le nom de la ressource Pulumi n'est pas utilisé : l'auto-nommage y ajoute un suffixe). Un objet sans `metadata.namespace` est dans `default`. Les Namespaces dont le nom figure dans `namespacesExclus` (par défaut `kube-system`, `kube-public`, `kube-node-lease`, `default`) sont ignorés. Si un objet manquant pourrait être un ResourceQuota ou LimitRange dont l'espace de noms est inconnu à la prévisualisation et qui ne dépend d'aucun Namespace, la règle ne peut pas conclure (« can't run policy during preview »). Une violation par Namespace, qui énumère les objets manquants." + " Correctifs (`NamespacePatch`, voir « Correctifs Kubernetes » dans docs/regles.md) : un espace de noms corrigé sans ResourceQuota ou LimitRange dans la pile est invérifiable (il existe déjà et peut les avoir hors de la pile) ; un correctif de ResourceQuota ou de LimitRange montre qu'il en existe un.",
        "Every Namespace declared in the stack contains a ResourceQuota and a LimitRange declared in the same stack. An object is in the namespace when its `metadata` depends on the Namespace resource in the program (`metadata.namespace` taken from `ns.metadata.name`), or when its known `metadata.namespace` equals the Namespace's known `metadata.name` (without `metadata.name`, the Pulumi resource name is not used: auto-naming adds a suffix to it). An object without `metadata.namespace` is in `default`. Namespaces whose name is in `namespacesExclus` (by default `kube-system`, `kube-public`, `kube-node-lease`, `default`) are ignored. When a missing object could be a ResourceQuota or LimitRange whose namespace is unknown at preview and that depends on no Namespace, the rule cannot conclude (\"can't run policy during preview\"). One violation per Namespace, listing the missing objects." + " Patches (`NamespacePatch`, see \"Correctifs Kubernetes\" in docs/regles.md): a patched namespace without a ResourceQuota or LimitRange in the stack cannot be checked (it already exists and may have them outside the stack); a ResourceQuota or LimitRange patch shows that one exists.",
    ),
    remediation: txt(
        "Ajouter dans l'espace de noms un ResourceQuota (`spec.hard` : `requests.cpu`, `requests.memory`, `limits.memory`, …) et un LimitRange (valeurs par défaut et maximales des conteneurs), avec `metadata.namespace` tiré du Namespace.",
        "Add to the namespace a ResourceQuota (`spec.hard`: `requests.cpu`, `requests.memory`, `limits.memory`, …) and a LimitRange (container defaults and maximums), with `metadata.namespace` taken from the Namespace.",
    ),
    severity: "medium",
    enforcementLevel: "mandatory",
    config: {
        namespacesExclus: {
            type: "array",
            items: { type: "string" },
            default: ["kube-system", "kube-public", "kube-node-lease", "default"],
            description: txt("Espaces de noms dispensés de quota et de LimitRange.", "Namespaces exempt from quota and LimitRange."),
        },
    },
    types: withPatches([K8S.namespace]),
    check(stack, ctx) {
        // A patch of a ResourceQuota or LimitRange shows that one exists; a patched Namespace may hold
        // its own outside the stack.
        const namespaces = stack.ofType(withPatches([K8S.namespace]));
        const gaps = new PatchGaps();
        // Index once: which kinds each Namespace (by URN) and each namespace name holds.
        const byUrn = new Map<string, Set<string>>();
        const byName = new Map<string, Set<string>>();
        const unresolved = new Map<string, PolicyResource[]>();
        const namespaceUrns = new Set(namespaces.map((n) => n.urn));
        for (const o of stack.ofType(withPatches(BOUNDS))) {
            const kind = fullType(o.type);
            let related = false;
            for (const d of stack.propertyDependency(o, "metadata")) {
                if (namespaceUrns.has(d.urn)) {
                    mark(byUrn, d.urn, kind);
                    related = true;
                }
            }
            const ns = known(() => str(get(o.props, "metadata.namespace")) || "default");
            if (ns !== undefined) mark(byName, ns, kind);
            else if (!related) {
                const l = unresolved.get(kind);
                if (l) l.push(o);
                else unresolved.set(kind, [o]);
            }
        }
        for (const n of namespaces) {
            const name = known(() => str(get(n.props, "metadata.name")));
            if (name && ctx.config.namespacesExclus.includes(name)) continue;
            const has = new Set([...(byUrn.get(n.urn) ?? []), ...(name ? byName.get(name) ?? [] : [])]);
            const missing = BOUNDS.filter((t) => !has.has(t));
            if (missing.length === 0) continue;
            // The verdict depends on an object whose namespace is unknown: let the engine say so.
            for (const t of missing) for (const o of unresolved.get(t) ?? []) str(get(o.props, "metadata.namespace"));
            if (gaps.outsideStack(missing.map(kindOf).join(", "), n)) continue;
            ctx.report({
                resource: n,
                ...(name ? { property: "metadata.name", value: name } : {}),
                problem: msg(
                    m`l'espace de noms n'a pas de ${items(missing.map(kindOf))} déclaré dans la pile.`,
                    m`the namespace has no ${items(missing.map(kindOf))} declared in the stack.`,
                ),
            });
        }
        gaps.end(ctx);
    },
});

function mark(m: Map<string, Set<string>>, k: string, kind: string): void {
    const s = m.get(k);
    if (s) s.add(kind);
    else m.set(k, new Set([kind]));
}
