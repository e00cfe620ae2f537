import { txt } from "../../lib/i18n";
import { bool, num, rec, str } from "../../lib/props";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { OS } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    mastersMin: number;
    mastersImpair: boolean;
    labelRepartiteur: string;
    repartiteurSurCluster: boolean;
}

export default defineResourceRule<Config>({
    name: "res-07-plan-controle-ha",
    needs: ["RES-07"],
    title: txt("Plan de contrôle haute disponibilité", "Highly available control plane"),
    description: txt(
        "Un Kubernetes géré (Magnum) a au moins trois nœuds maîtres derrière un répartiteur de charge. Cluster : `masterCount` vaut au moins `mastersMin` (3 par défaut) ; absent, il vaut 1 (défaut de Magnum). Le nombre doit être impair (`mastersImpair`, vrai par défaut) : le quorum etcd exige une majorité, et un nombre pair de maîtres ne tolère pas plus de pannes que le nombre impair inférieur (4 maîtres tolèrent 1 panne, comme 3) tout en ajoutant un membre qui peut tomber. Répartiteur : un ClusterTemplate (de `coe` « kubernetes » ou non précisé) active `masterLbEnabled: true`, ou porte le label `master_lb_enabled` à « true » (clé configurable) ; l'un ou l'autre suffit. Un Cluster peut surcharger son modèle : son `masterLbEnabled` (versions récentes du fournisseur), quand il est renseigné, décide ; sinon son label `master_lb_enabled`, quand il est renseigné, décide ; sinon c'est le modèle qui décide, jugé comme ressource propre (une règle par ressource ne voit pas le modèle depuis le cluster ; un modèle lu par identifiant hors de la pile n'est donc pas vérifié, sauf si `repartiteurSurCluster` exige que le cluster l'active lui-même). Un modèle sans répartiteur est en défaut même si un cluster le surcharge.",
        "A managed Kubernetes (Magnum) has at least three master nodes behind a load balancer. Cluster: `masterCount` is at least `mastersMin` (3 by default); when missing it is 1 (Magnum's default). The number must be odd (`mastersImpair`, true by default): etcd quorum needs a majority, and an even number of masters tolerates no more failures than the odd number below it (4 masters tolerate 1 failure, like 3) while adding a member that can fail. Load balancer: a ClusterTemplate (with `coe` \"kubernetes\" or unset) sets `masterLbEnabled: true`, or carries the label `master_lb_enabled` = \"true\" (configurable key); either is enough. A Cluster may override its template: its `masterLbEnabled` (recent provider versions), when set, decides; otherwise its `master_lb_enabled` label, when set, decides; otherwise the template decides, judged as a resource of its own (a per-resource rule cannot see the template from the cluster; a template read by ID outside the stack is therefore not checked, unless `repartiteurSurCluster` requires the cluster to enable it itself). A template without a load balancer fails even if a cluster overrides it.",
    ),
    remediation: txt(
        "Fixer `masterCount: 3` (ou 5) sur le Cluster et `masterLbEnabled: true` sur le ClusterTemplate.",
        "Set `masterCount: 3` (or 5) on the Cluster and `masterLbEnabled: true` on the ClusterTemplate.",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        mastersMin: {
            type: "integer",
            minimum: 1,
            default: 3,
            description: txt("Nombre minimal de nœuds maîtres (`masterCount`).", "Minimum number of master nodes (`masterCount`)."),
        },
        mastersImpair: {
            type: "boolean",
            default: true,
            description: txt("Le nombre de maîtres doit être impair (quorum etcd).", "The number of masters must be odd (etcd quorum)."),
        },
        labelRepartiteur: {
            type: "string",
            default: "master_lb_enabled",
            description: txt(
                "Label Magnum qui active le répartiteur des maîtres (valeur « true »).",
                "Magnum label that enables the masters' load balancer (value \"true\").",
            ),
        },
        repartiteurSurCluster: {
            type: "boolean",
            default: false,
            description: txt(
                "Exiger que chaque Cluster active lui-même le répartiteur (`masterLbEnabled` ou label), sans s'en remettre à son modèle.",
                "Require every Cluster to enable the load balancer itself (`masterLbEnabled` or label), without relying on its template.",
            ),
        },
    },
    types: [OS.magnumCluster, OS.magnumClusterTemplate],
    check(r, ctx) {
        if (r.type === OS.magnumCluster) checkCluster(r, ctx);
        else checkTemplate(r, ctx);
    },
});

function labelValue(r: ResourceView, key: string): { raw: unknown; on: boolean | undefined } {
    const labels = rec(r.props["labels"]);
    const raw = labels && Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
    return { raw, on: bool(raw) };
}

function checkCluster(r: ResourceView, ctx: RuleContext<Config>): void {
    const { mastersMin, mastersImpair, labelRepartiteur } = ctx.config;
    const raw = r.props["masterCount"];
    const n = num(raw);
    // Missing: Magnum's default of 1; anything that is not a whole number counts as 0.
    const count = n !== undefined ? (Number.isInteger(n) ? n : 0) : raw === undefined || raw === null ? 1 : 0;
    const tooFew = count < mastersMin;
    const even = mastersImpair && count % 2 === 0;
    if (tooFew || even) {
        const suggest = Math.max(mastersMin, 3) % 2 === 0 && mastersImpair ? Math.max(mastersMin, 3) + 1 : Math.max(mastersMin, 3);
        ctx.report({
            property: "masterCount",
            value: raw,
            problem: tooFew
                ? msg(
                      m`${count} nœud(s) maître(s) : il en faut au moins ${mastersMin}${mastersImpair ? ", en nombre impair" : ""} (absent : 1, défaut de Magnum).`,
                      m`${count} master node(s): at least ${mastersMin} are required${mastersImpair ? ", an odd number" : ""} (missing: 1, Magnum's default).`,
                  )
                : msg(
                      m`${count} nœuds maîtres : un nombre pair n'améliore pas le quorum etcd ; il faut un nombre impair.`,
                      m`${count} master nodes: an even number does not improve etcd quorum; an odd number is required.`,
                  ),
            fix: msg(m`fixer \`masterCount: ${tooFew ? suggest : count + 1}\`.`, m`set \`masterCount: ${tooFew ? suggest : count + 1}\`.`),
        });
    }
    const own = r.props["masterLbEnabled"];
    const ownOn = bool(own);
    const label = labelValue(r, labelRepartiteur);
    const decided = ownOn !== undefined ? { on: ownOn, property: "masterLbEnabled", value: own }
        : label.on !== undefined ? { on: label.on, property: `labels.${labelRepartiteur}`, value: label.raw }
        : undefined;
    if (decided && !decided.on) {
        ctx.report({
            property: decided.property,
            value: decided.value,
            problem: msg(
                m`le cluster désactive le répartiteur de charge de ses maîtres : l'API Kubernetes dépend d'un seul maître.`,
                m`the cluster disables its masters' load balancer: the Kubernetes API depends on a single master.`,
            ),
            fix: msg(m`fixer \`${decided.property}\` à true, ou le retirer pour hériter du modèle.`, m`set \`${decided.property}\` to true, or remove it to inherit from the template.`),
        });
    } else if (!decided && ctx.config.repartiteurSurCluster) {
        ctx.report({
            property: "masterLbEnabled",
            value: own,
            problem: msg(
                m`le cluster n'active pas lui-même le répartiteur de ses maîtres (ni \`masterLbEnabled\`, ni label \`${labelRepartiteur}\`).`,
                m`the cluster does not itself enable its masters' load balancer (neither \`masterLbEnabled\` nor label \`${labelRepartiteur}\`).`,
            ),
            fix: msg(
                m`fixer \`masterLbEnabled: true\` ou le label \`${labelRepartiteur}: "true"\`.`,
                m`set \`masterLbEnabled: true\` or label \`${labelRepartiteur}: "true"\`.`,
            ),
        });
    }
}

function checkTemplate(r: ResourceView, ctx: RuleContext<Config>): void {
    const coe = str(r.props["coe"]);
    if (coe && coe.trim().toLowerCase() !== "kubernetes") return;
    const key = ctx.config.labelRepartiteur;
    const own = r.props["masterLbEnabled"];
    if (bool(own) === true || labelValue(r, key).on === true) return;
    ctx.report({
        property: "masterLbEnabled",
        value: own,
        problem: msg(
            m`le modèle ne place pas les maîtres derrière un répartiteur de charge (ni \`masterLbEnabled: true\`, ni label \`${key}\` à « true ») : l'API Kubernetes dépend d'un seul maître.`,
            m`the template does not put the masters behind a load balancer (neither \`masterLbEnabled: true\` nor label \`${key}\` = "true"): the Kubernetes API depends on a single master.`,
        ),
        fix: msg(m`fixer \`masterLbEnabled: true\`.`, m`set \`masterLbEnabled: true\`.`),
    });
}
