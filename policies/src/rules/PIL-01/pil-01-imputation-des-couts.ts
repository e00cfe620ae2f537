import { list } from "../../lib/format";
import { txt } from "../../lib/i18n";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { stackConfiguration } from "../../lib/settings";
import { addKeys, carrierPath, keyValues } from "../../lib/tags";
import { attributionCarrier, isKubernetes, K8S } from "../../lib/types";

interface Config {
    clesImputation: string[];
    typesKubernetes: string[];
}

const K8S_COSTLY = [
    K8S.namespace, K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.replicaSet, K8S.job, K8S.cronJob,
    K8S.pod, K8S.persistentVolumeClaim, K8S.service,
];

export default defineResourceRule<Config>({
    name: "pil-01-imputation-des-couts",
    needs: ["PIL-01"],
    title: txt("Imputation des coûts", "Cost attribution"),
    description: txt(
        "Chaque ressource étiquetable porte les clés d'imputation des coûts (par défaut `application`, `environnement`, `centre-de-cout`, `proprietaire`) avec une valeur non vide : étiquettes OpenStack `tags` au format `clé=valeur`, `metadata` des volumes, conteneurs et partages, `labels` Magnum, `metadata.labels` Kubernetes. Côté Kubernetes, seuls les objets qui consomment des ressources sont concernés (liste configurable). Remédiable : au niveau « remediate », les clés manquantes sont ajoutées à partir des étiquettes de la pile, puis de la configuration de la pile (`<projet>:<clé>`), puis du réglage `imputation` du pack ; une valeur déjà présente n'est jamais modifiée.",
        "Every taggable resource carries the cost-attribution keys (by default `application`, `environnement`, `centre-de-cout`, `proprietaire`) with a non-empty value: OpenStack `tags` as `key=value`, `metadata` of volumes, containers and shares, Magnum `labels`, Kubernetes `metadata.labels`. On Kubernetes, only objects that consume resources are in scope (configurable list). Remediable: at level \"remediate\", missing keys are added from the stack tags, then the stack configuration (`<project>:<key>`), then the pack's `imputation` setting; a value already present is never changed.",
    ),
    remediation: txt(
        "Ajouter les clés manquantes (par exemple `tags: [\"application=monapp\", …]` ou `metadata.labels`), ou passer la politique au niveau « remediate » avec les valeurs en étiquettes de pile.",
        "Add the missing keys (for example `tags: [\"application=myapp\", …]` or `metadata.labels`), or set the policy to \"remediate\" with the values as stack tags.",
    ),
    severity: "medium",
    enforcementLevel: "mandatory",
    config: {
        clesImputation: {
            type: "array",
            items: { type: "string" },
            default: ["application", "environnement", "centre-de-cout", "proprietaire"],
            profileKey: "costKeys",
            description: txt("Clés d'imputation exigées.", "Required cost-attribution keys."),
        },
        typesKubernetes: {
            type: "array",
            items: { type: "string" },
            default: K8S_COSTLY,
            description: txt("Types Kubernetes soumis à l'imputation.", "Kubernetes types subject to attribution."),
        },
    },
    types: ["openstack:* (tags, metadata, labels)", ...K8S_COSTLY],
    applies(type, config) {
        if (isKubernetes(type)) return config.typesKubernetes.includes(type);
        return attributionCarrier(type) !== undefined;
    },
    check(r, ctx) {
        const carrier = attributionCarrier(r.type);
        if (!carrier) return;
        const missing = missingKeys(r, ctx);
        if (missing.length === 0) return;
        const fill = fillValues(missing, ctx);
        const hint = fill.size
            ? txt(` Remédiable depuis la pile : ${list([...fill.keys()])}.`, ` Remediable from the stack: ${list([...fill.keys()])}.`)
            : txt("", "");
        ctx.report({
            property: carrierPath(carrier),
            problem: txt(
                `clé(s) d'imputation manquante(s) : ${list(missing)}.${hint.fr}`,
                `missing cost-attribution key(s): ${list(missing)}.${hint.en}`,
            ),
        });
    },
    remediate(r, ctx) {
        const carrier = attributionCarrier(r.type);
        if (!carrier) return false;
        const fill = fillValues(missingKeys(r, ctx), ctx);
        if (fill.size === 0) return false;
        addKeys(r.props, carrier, fill);
        return true;
    },
});

function missingKeys(r: ResourceView, ctx: RuleContext<Config>): string[] {
    const kv = keyValues(r.type, r.props);
    return ctx.config.clesImputation.filter((k) => !kv.get(k));
}

/** Values for missing keys: stack tags, then stack configuration `<project>:<key>`, then the pack settings. */
function fillValues(missing: string[], ctx: RuleContext<Config>): Map<string, string> {
    const out = new Map<string, string>();
    const config = stackConfiguration();
    for (const key of missing) {
        let v = ctx.stackTags.get(key);
        if (!v) for (const [k, cv] of config) if (k.endsWith(`:${key}`) && cv) { v = cv; break; }
        if (!v) v = ctx.settings.imputation[key];
        if (v) out.set(key, v);
    }
    return out;
}
