import { txt } from "../../lib/i18n";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { stackConfiguration } from "../../lib/settings";
import { items, m, Message, msg } from "../../lib/message";
import { fullType, isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { get, rec, strings } from "../../lib/props";
import { isLabelKey, isLabelValue, metadataRefusal, tagRefusal, tagRules, unsafeChange } from "../../lib/remediation";
import { carrierPath, keyValues, toLabelValue } from "../../lib/tags";
import { AttributionCarrier, attributionCarrier, isKubernetes, K8S } from "../../lib/types";

interface Config {
    clesImputation: string[];
    typesKubernetes: string[];
}

const K8S_COSTLY = [
    K8S.namespace, K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.replicaSet, K8S.replicationController, K8S.job, K8S.cronJob,
    K8S.pod, K8S.persistentVolumeClaim, K8S.service,
];

export default defineResourceRule<Config>({
    name: "pil-01-imputation-des-couts",
    needs: ["PIL-01"],
    title: txt("Imputation des coûts", "Cost attribution"),
    description: txt(
        "Chaque ressource étiquetable porte les clés d'imputation des coûts (par défaut `application`, `environnement`, `centre-de-cout`, `proprietaire`) avec une valeur non vide : étiquettes OpenStack `tags` au format `clé=valeur`, `metadata` des volumes, conteneurs et partages, `labels` Magnum, `metadata.labels` Kubernetes. Côté Kubernetes, seuls les objets qui consomment des ressources sont concernés (liste configurable). Remédiable : au niveau « remediate », les clés manquantes sont ajoutées à partir des étiquettes de la pile, puis de la configuration de la pile (`<projet>:<clé>`), puis du réglage `imputation` du pack ; une valeur déjà présente n'est jamais modifiée. La remédiation n'écrit que ce que le service accepte (Nova : étiquettes de 60 caractères au plus, sans « / » ni « , », 50 par serveur ; Neutron, Octavia, Glance : 255 caractères ; Keystone : sans « / » ni « , » ; métadonnées Cinder, Swift, Manila, Barbican selon leurs règles de clés et de longueurs ; labels Kubernetes rendus valides : sans accents, 63 caractères) : une clé impossible à écrire est laissée de côté et le message dit pourquoi. Elle ne modifie jamais une propriété dont le changement remplacerait la ressource (`labels` d'un cluster ou d'un groupe de nœuds Magnum, et d'un modèle de cluster, que Magnum refuse de modifier quand il sert) : le message dit alors ce qu'elle aurait ajouté. Les valeurs secrètes restent secrètes, une clé ajoutée à une table secrète l'est aussi." + " Correctifs Kubernetes (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : un correctif sans `metadata.labels` n'est pas examiné ; une clé qu'il ne fixe pas est invérifiable, une valeur vide qu'il fixe est en défaut ; aucune remédiation n'écrit dans un correctif.",
        "Every taggable resource carries the cost-attribution keys (by default `application`, `environnement`, `centre-de-cout`, `proprietaire`) with a non-empty value: OpenStack `tags` as `key=value`, `metadata` of volumes, containers and shares, Magnum `labels`, Kubernetes `metadata.labels`. On Kubernetes, only objects that consume resources are in scope (configurable list). Remediable: at level \"remediate\", missing keys are added from the stack tags, then the stack configuration (`<project>:<key>`), then the pack's `imputation` setting; a value already present is never changed. The remediation only writes what the service accepts (Nova: tags of at most 60 characters, without \"/\" or \",\", 50 per server; Neutron, Octavia, Glance: 255 characters; Keystone: without \"/\" or \",\"; Cinder, Swift, Manila, Barbican metadata by their key and length rules; Kubernetes label values made valid: no accents, 63 characters): a key that cannot be written is left out and the message says why. It never changes a property whose change would replace the resource (`labels` of a Magnum cluster or node group, and of a cluster template, which Magnum refuses to change while it is used): the message then says what it would have added. Secret values stay secret; a key added to a secret map is secret too." + " Kubernetes patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): a patch without `metadata.labels` is not examined; a key it does not set cannot be checked, an empty value it sets fails; no remediation writes into a patch.",
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
            description: txt(
                "Types Kubernetes soumis à l'imputation (leurs correctifs `…Patch` aussi).",
                "Kubernetes types subject to attribution (their `…Patch` patches too).",
            ),
        },
    },
    types: ["openstack:* (tags, metadata, labels)", ...withPatches(K8S_COSTLY)],
    applies(type, config) {
        if (isKubernetes(type)) return config.typesKubernetes.includes(fullType(type));
        return attributionCarrier(type) !== undefined;
    },
    check(r, ctx) {
        const carrier = attributionCarrier(r.type);
        if (!carrier) return;
        if (isPatch(r.type)) return checkPatch(r, ctx);
        const p = plan(r, ctx, carrier);
        if (p.missing.length === 0) return;
        const notes: Message[] = [];
        const pairs = [...p.add].map(([k, v]) => `${k}=${v}`);
        if (p.blocked) {
            notes.push(msg(
                m`Remédiation non appliquée : ${p.blocked.fr} ; elle aurait ajouté ${items(pairs)}.`,
                m`Remediation not applied: ${p.blocked.en}; it would have added ${items(pairs)}.`,
            ));
        } else if (p.add.size) {
            notes.push(msg(m`Remédiable depuis la pile : ${items([...p.add.keys()])}.`, m`Remediable from the stack: ${items([...p.add.keys()])}.`));
        }
        for (const x of p.refused) {
            notes.push(msg(m`Clé « ${x.key} » non remédiable : ${x.why.fr}.`, m`Key "${x.key}" cannot be remediated: ${x.why.en}.`));
        }
        ctx.report({
            property: carrierPath(carrier),
            problem: msg(
                m`clé(s) d'imputation manquante(s) : ${items(p.missing)}.${notes.length ? m` ${items(notes.map((n) => n.fr), { sep: " " })}` : ""}`,
                m`missing cost-attribution key(s): ${items(p.missing)}.${notes.length ? m` ${items(notes.map((n) => n.en), { sep: " " })}` : ""}`,
            ),
        });
    },
    remediate(r, ctx) {
        const carrier = attributionCarrier(r.type);
        // A patch's labels are merged into an object managed elsewhere: no remediation writes them.
        if (!carrier || isPatch(r.type)) return undefined;
        const p = plan(r, ctx, carrier);
        if (p.blocked || p.add.size === 0) return undefined;
        const entries = Object.fromEntries(p.add);
        switch (carrier) {
            case "tags":
                return [{ op: "append", path: "tags", values: [...p.add].map(([k, v]) => `${k}=${v}`) }];
            case "metadata":
            case "labels":
                return [{ op: "merge", path: carrier, entries }];
            case "k8s-labels":
                return [{ op: "merge", path: "metadata.labels", entries }];
        }
    },
});

/** A patch: judged on the labels it sets (see k8s-patch.ts). */
function checkPatch(r: ResourceView, ctx: RuleContext<Config>): void {
    const raw = get(r.props, "metadata.labels");
    if (raw === undefined || raw === null) ctx.notApplicable(notSetByPatch("labels"));
    const given = rec(raw) ?? {};
    const present = keyValues(r.type, r.props);
    const gaps = new PatchGaps(true);
    const empty = ctx.config.clesImputation.filter(
        (k) => !present.get(k) && !(!Object.prototype.hasOwnProperty.call(given, k) && gaps.absent(`metadata.labels[${k}]`)),
    );
    if (empty.length > 0) {
        ctx.report({
            property: "metadata.labels",
            problem: msg(m`clé(s) d'imputation manquante(s) : ${items(empty)}.`, m`missing cost-attribution key(s): ${items(empty)}.`),
        });
    }
    gaps.end(ctx);
}

interface Plan {
    missing: string[];
    /** What a remediation writes, valid for the provider. */
    add: Map<string, string>;
    /** Keys a remediation cannot write, and why. */
    refused: { key: string; why: { fr: string; en: string } }[];
    /** Why no remediation can be made at all. */
    blocked?: { fr: string; en: string };
}

/**
 * What a remediation would add: values from the stack, made valid for the provider (Kubernetes
 * label values normalised; a tag or metadata entry the service would refuse is left out and said),
 * and nothing at all when writing the carrier would replace the resource.
 */
function plan(r: ResourceView, ctx: RuleContext<Config>, carrier: AttributionCarrier): Plan {
    const present = keyValues(r.type, r.props);
    const missing = ctx.config.clesImputation.filter((k) => !present.get(k));
    const out: Plan = { missing, add: new Map(), refused: [] };
    if (missing.length === 0) return out;
    const path = carrierPath(carrier);
    out.blocked = unsafeChange(r.type, path);
    let tagCount = carrier === "tags" ? strings(r.props["tags"]).length : 0;
    for (const [key, value] of fillValues(missing, ctx)) {
        // A key written empty (`application=`) is present: a remediation never rewrites it.
        if (present.has(key) && carrier !== "tags") {
            out.refused.push({ key, why: { fr: "la clé existe avec une valeur vide", en: "the key exists with an empty value" } });
            continue;
        }
        let why: { fr: string; en: string } | undefined;
        let written = value;
        if (carrier === "tags") {
            why = tagRefusal(r.type, `${key}=${value}`);
            const max = tagRules(r.type).maxCount;
            if (!why && max !== undefined && tagCount + 1 > max) why = { fr: `au plus ${max} étiquettes par ressource`, en: `at most ${max} tags per resource` };
        } else if (carrier === "k8s-labels") {
            written = toLabelValue(value);
            if (!isLabelKey(key)) why = { fr: "clé invalide pour un label Kubernetes", en: "invalid Kubernetes label key" };
            else if (!written || !isLabelValue(written)) why = { fr: "valeur impossible à écrire en label Kubernetes", en: "value cannot be written as a Kubernetes label" };
        } else {
            why = metadataRefusal(r.type, key, value);
        }
        if (why) out.refused.push({ key, why });
        else {
            out.add.set(key, written);
            tagCount++;
        }
    }
    return out;
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
