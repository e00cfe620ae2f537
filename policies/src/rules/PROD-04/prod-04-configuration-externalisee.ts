import { txt } from "../../lib/i18n";
import { containers, podSpec } from "../../lib/k8s";
import { isPatch, notSetByPatch, withPatches } from "../../lib/k8s-patch";
import { arr, rec, str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S_WORKLOADS } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    variablesAutorisees: string[];
}

export default defineResourceRule<Config>({
    name: "prod-04-configuration-externalisee",
    needs: ["PROD-04"],
    title: txt("Configuration externalisée", "Externalised configuration"),
    description: txt(
        "La configuration des conteneurs (y compris d'initialisation) des charges de travail (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) vient de ConfigMaps ou de Secrets (`env[].valueFrom`, `envFrom`), pas de valeurs écrites dans le manifeste (cadre Cloud Pi Native) : chaque `env[]` qui porte une clé `value` est en défaut, sauf si son nom figure dans `variablesAutorisees` (par défaut les réglages d'environnement d'exécution `TZ`, `LANG`, `LANGUAGE`, `LC_ALL` ; décision : `JAVA_OPTS` et consorts ne sont pas autorisés par défaut, car ils portent souvent de la configuration). Décision : la présence de la clé suffit, quelle que soit la valeur (même vide, ou inconnue à la prévisualisation) : la valeur n'est jamais lue ni affichée, seul le nom de la variable l'est." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : jugés sur les variables qu'ils fixent ; un correctif sans modèle de pod n'est pas examiné.",
        "The configuration of containers (init containers included) of workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) comes from ConfigMaps or Secrets (`env[].valueFrom`, `envFrom`), not from values written in the manifest (Cloud Pi Native framework): every `env[]` entry carrying a `value` key fails, unless its name is in `variablesAutorisees` (by default the runtime environment settings `TZ`, `LANG`, `LANGUAGE`, `LC_ALL`; decision: `JAVA_OPTS` and the like are not allowed by default, as they often carry configuration). Decision: the key's presence is enough, whatever the value (even empty, or unknown at preview): the value is never read nor shown, only the variable's name is." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): judged on the variables they set; a patch without a pod template is not examined.",
    ),
    remediation: txt(
        "Placer la valeur dans une ConfigMap (ou un Secret si elle est sensible) et la lire par `env[].valueFrom.configMapKeyRef` / `secretKeyRef` ou `envFrom`.",
        "Put the value in a ConfigMap (or a Secret if it is sensitive) and read it through `env[].valueFrom.configMapKeyRef` / `secretKeyRef` or `envFrom`.",
    ),
    severity: "low",
    enforcementLevel: "advisory",
    config: {
        variablesAutorisees: {
            type: "array",
            items: { type: "string" },
            default: ["TZ", "LANG", "LANGUAGE", "LC_ALL"],
            description: txt("Noms de variables dont une valeur littérale est acceptée (exacts, casse comprise).", "Variable names whose literal value is accepted (exact, case-sensitive)."),
        },
    },
    types: withPatches(K8S_WORKLOADS),
    sensitive: ["env"],
    check(r, ctx) {
        const pod = podSpec(r.type, r.props);
        if (!pod) {
            if (isPatch(r.type)) ctx.notApplicable(notSetByPatch("pod template"));
            return;
        }
        const allowed = new Set(ctx.config.variablesAutorisees);
        for (const c of containers(pod)) {
            arr(c.container["env"]).forEach((e, i) => {
                const entry = rec(e);
                // Presence only: the value itself is never read (it may be a secret, or unknown).
                if (!entry || !Object.prototype.hasOwnProperty.call(entry, "value")) return;
                const name = str(entry["name"]) ?? `#${i}`;
                if (allowed.has(name)) return;
                ctx.report({
                    property: `${c.path}.env[${i}].value`,
                    problem: msg(
                        m`conteneur « ${c.name} » : la variable ${name} a une valeur littérale dans le manifeste.`,
                        m`container "${c.name}": variable ${name} has a literal value in the manifest.`,
                    ),
                    fix: msg(
                        m`lire ${name} depuis une ConfigMap ou un Secret (\`valueFrom\`, \`envFrom\`).`,
                        m`read ${name} from a ConfigMap or a Secret (\`valueFrom\`, \`envFrom\`).`,
                    ),
                });
            });
        }
    },
});
