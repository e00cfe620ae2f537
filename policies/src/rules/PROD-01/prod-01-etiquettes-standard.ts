import { txt } from "../../lib/i18n";
import { podSpecPath } from "../../lib/k8s";
import { isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { get, rec, stringMap } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S, K8S_WORKLOADS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    etiquettesRequises: string[];
    verifierModelesDePod: boolean;
}

export default defineResourceRule<Config>({
    name: "prod-01-etiquettes-standard",
    needs: ["PROD-01"],
    title: txt("Étiquettes standard", "Standard labels"),
    description: txt(
        "Les charges de travail (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) et les Services portent dans `metadata.labels` les étiquettes recommandées par Kubernetes listées dans `etiquettesRequises` — par défaut `app.kubernetes.io/name`, `app.kubernetes.io/instance`, `app.kubernetes.io/version` et `app.kubernetes.io/managed-by` (`component` et `part-of` sont facultatives : à ajouter à la liste au besoin). Une étiquette de valeur vide compte comme absente. Décision : seules les `metadata.labels` de la ressource sont exigées, pas celles du modèle de pod (qui servent aux sélecteurs, et où une version changeante relance les pods) ; l'option `verifierModelesDePod` les exige aussi. Une violation par ressource (et par modèle de pod) liste les étiquettes manquantes." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : un correctif qui ne fixe pas d'étiquettes n'est pas examiné ; une étiquette exigée qu'il ne fixe pas est invérifiable, une valeur vide qu'il fixe est en défaut.",
        "Workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) and Services carry in `metadata.labels` the Kubernetes recommended labels listed in `etiquettesRequises` — by default `app.kubernetes.io/name`, `app.kubernetes.io/instance`, `app.kubernetes.io/version` and `app.kubernetes.io/managed-by` (`component` and `part-of` are optional: add them to the list if needed). A label with an empty value counts as missing. Decision: only the resource's `metadata.labels` are required, not the pod template's (used by selectors, where a changing version restarts the pods); the option `verifierModelesDePod` requires them too. One violation per resource (and per pod template) lists the missing labels." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): a patch that sets no labels is not examined; a required label it does not set cannot be checked, an empty value it sets fails.",
    ),
    remediation: txt(
        "Ajouter à `metadata.labels` les étiquettes `app.kubernetes.io/*` manquantes (nom de l'application, instance, version, outil de gestion — par exemple `pulumi`).",
        "Add the missing `app.kubernetes.io/*` labels to `metadata.labels` (application name, instance, version, managing tool — for example `pulumi`).",
    ),
    severity: "low",
    enforcementLevel: "advisory",
    config: {
        etiquettesRequises: {
            type: "array",
            items: { type: "string" },
            default: ["app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/version", "app.kubernetes.io/managed-by"],
            description: txt("Étiquettes exigées dans `metadata.labels`.", "Labels required in `metadata.labels`."),
        },
        verifierModelesDePod: {
            type: "boolean",
            default: false,
            description: txt("Exiger aussi ces étiquettes sur le modèle de pod des charges de travail.", "Also require these labels on workloads' pod templates."),
        },
    },
    types: withPatches([...K8S_WORKLOADS, K8S.service]),
    check(r, ctx) {
        const paths = ["metadata.labels"];
        const pod = podSpecPath(r.type);
        if (ctx.config.verifierModelesDePod && pod && pod !== "spec") paths.push(pod.replace(/spec$/, "metadata.labels"));
        const patch = isPatch(r.type);
        const gaps = new PatchGaps(patch);
        let examined = false;
        for (const path of paths) {
            const raw = get(r.props, path);
            // A patch that sets no labels leaves them as they are: not examined.
            if (patch && (raw === undefined || raw === null)) continue;
            examined = true;
            const labels = stringMap(raw);
            const given = rec(raw) ?? {};
            const missing = ctx.config.etiquettesRequises.filter(
                (k) => !labels.get(k)?.trim() && !(!Object.prototype.hasOwnProperty.call(given, k) && gaps.absent(`${path}[${k}]`)),
            );
            if (missing.length === 0) continue;
            ctx.report({
                property: path,
                problem: msg(m`étiquettes recommandées manquantes : ${items(missing, { max: 10 })}.`, m`missing recommended labels: ${items(missing, { max: 10 })}.`),
            });
        }
        if (!examined) ctx.notApplicable(notSetByPatch("labels"));
        gaps.end(ctx);
    },
});
