import { txt } from "../../lib/i18n";
import { arr, get, rec, str, strings } from "../../lib/props";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    rolesPrivilegies: string[];
    sujetsInterdits: string[];
    groupesDeCharges: string[];
    refuserGroupesApiJoker: boolean;
}

const BINDINGS: readonly string[] = [K8S.roleBinding, K8S.clusterRoleBinding];

export default defineResourceRule<Config>({
    name: "sec-15-droits-minimaux",
    needs: ["SEC-15"],
    title: txt("Droits minimaux", "Least privilege"),
    description: txt(
        "Aucun RoleBinding ni ClusterRoleBinding n'accorde un rôle privilégié (`roleRef.name` dans `rolesPrivilegies`, par défaut `cluster-admin`, quel que soit `roleRef.kind`) à une charge de travail : un sujet de genre `ServiceAccount`, ou un groupe qui contient des comptes de service (`system:serviceaccounts`, `system:serviceaccounts:<espace>`, `system:authenticated`, `system:unauthenticated`). Décision : les sujets `User` et `Group` (personnes, via le fournisseur d'identité et le bastion) sont acceptés par défaut ; les refuser aussi en ajoutant `User` et `Group` à `sujetsInterdits`. Aucun Role ni ClusterRole n'a de joker `*` dans `rules[].verbs` ni dans `rules[].resources` (`*` ou `*/<sous-ressource>`). Décision : `apiGroups: [\"*\"]` seul (avec des ressources et verbes nommés) est accepté, sauf option `refuserGroupesApiJoker`. Les ClusterRoles agrégés (`aggregationRule`) sont jugés sur leurs seules `rules` déclarées.",
        "No RoleBinding or ClusterRoleBinding grants a privileged role (`roleRef.name` in `rolesPrivilegies`, by default `cluster-admin`, whatever `roleRef.kind`) to a workload: a subject of kind `ServiceAccount`, or a group containing service accounts (`system:serviceaccounts`, `system:serviceaccounts:<namespace>`, `system:authenticated`, `system:unauthenticated`). Decision: `User` and `Group` subjects (people, through the identity provider and bastion) are accepted by default; refuse them too by adding `User` and `Group` to `sujetsInterdits`. No Role or ClusterRole has a `*` wildcard in `rules[].verbs` or `rules[].resources` (`*` or `*/<subresource>`). Decision: `apiGroups: [\"*\"]` alone (with named resources and verbs) is accepted, unless option `refuserGroupesApiJoker`. Aggregated ClusterRoles (`aggregationRule`) are judged on their declared `rules` only.",
    ),
    remediation: txt(
        "Lier le compte de service à un Role dédié qui liste les seuls verbes et ressources nécessaires ; remplacer les jokers `*` par des listes explicites.",
        "Bind the service account to a dedicated Role listing only the verbs and resources it needs; replace `*` wildcards with explicit lists.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    config: {
        rolesPrivilegies: {
            type: "array",
            items: { type: "string" },
            default: ["cluster-admin"],
            description: txt(
                "Rôles (`roleRef.name`) qui ne doivent pas être accordés aux charges (par exemple ajouter `admin`, `edit`).",
                "Roles (`roleRef.name`) that must not be granted to workloads (for example add `admin`, `edit`).",
            ),
        },
        sujetsInterdits: {
            type: "array",
            items: { type: "string" },
            default: ["ServiceAccount"],
            description: txt(
                "Genres de sujets (`subjects[].kind`) qui ne reçoivent pas de rôle privilégié (`ServiceAccount`, `User`, `Group`).",
                "Subject kinds (`subjects[].kind`) that receive no privileged role (`ServiceAccount`, `User`, `Group`).",
            ),
        },
        groupesDeCharges: {
            type: "array",
            items: { type: "string" },
            default: ["system:serviceaccounts", "system:serviceaccounts:*", "system:authenticated", "system:unauthenticated"],
            description: txt(
                "Groupes qui contiennent des comptes de service (un `*` final désigne un préfixe) : les lier vaut lier des charges.",
                "Groups that contain service accounts (a trailing `*` means a prefix): binding them binds workloads.",
            ),
        },
        refuserGroupesApiJoker: {
            type: "boolean",
            default: false,
            description: txt("Refuser aussi `*` dans `rules[].apiGroups`.", "Also refuse `*` in `rules[].apiGroups`."),
        },
    },
    types: [...BINDINGS, K8S.role, K8S.clusterRole],
    check(r, ctx) {
        if (BINDINGS.includes(r.type)) checkBinding(r, ctx);
        else checkRole(r, ctx);
    },
});

function checkBinding(r: ResourceView, ctx: RuleContext<Config>): void {
    const role = str(get(r.props, "roleRef.name"));
    if (!role || !ctx.config.rolesPrivilegies.includes(role)) return;
    const groupMatches = (name: string) =>
        ctx.config.groupesDeCharges.some((g) => (g.endsWith("*") ? name.startsWith(g.slice(0, -1)) : name === g));
    arr(r.props["subjects"]).forEach((s, i) => {
        const subject = rec(s);
        const kind = str(subject?.["kind"]);
        const name = str(subject?.["name"]) ?? "?";
        if (!kind) return;
        const workload = kind === "ServiceAccount" || (kind === "Group" && groupMatches(name));
        if (!ctx.config.sujetsInterdits.includes(kind) && !(workload && ctx.config.sujetsInterdits.includes("ServiceAccount"))) return;
        const who = kind === "ServiceAccount" ? `${kind} ${str(subject?.["namespace"]) ?? "?"}/${name}` : `${kind} ${name}`;
        ctx.report({
            property: `subjects[${i}]`,
            value: who,
            problem: msg(
                m`le rôle privilégié « ${role} » est accordé à ${who}${workload ? " (charges de travail)" : ""}.`,
                m`privileged role "${role}" is granted to ${who}${workload ? " (workloads)" : ""}.`,
            ),
            fix: msg(
                m`retirer ce sujet et le lier à un Role dédié aux seuls droits nécessaires.`,
                m`remove this subject and bind it to a Role dedicated to the rights it needs.`,
            ),
        });
    });
}

function checkRole(r: ResourceView, ctx: RuleContext<Config>): void {
    arr(r.props["rules"]).forEach((x, i) => {
        const rule = rec(x);
        if (!rule) return;
        const fields: [string, (v: string) => boolean][] = [
            ["verbs", (v) => v === "*"],
            ["resources", (v) => v === "*" || v.startsWith("*/")],
        ];
        if (ctx.config.refuserGroupesApiJoker) fields.push(["apiGroups", (v) => v === "*"]);
        for (const [field, wild] of fields) {
            const values = strings(rule[field]);
            const bad = values.filter(wild);
            if (bad.length === 0) continue;
            ctx.report({
                property: `rules[${i}].${field}`,
                value: rule[field],
                problem: msg(
                    m`joker ${items(bad)} dans \`${field}\` : le rôle accorde plus que le nécessaire.`,
                    m`wildcard ${items(bad)} in \`${field}\`: the role grants more than needed.`,
                ),
                fix: msg(m`lister explicitement les \`${field}\` nécessaires.`, m`list the needed \`${field}\` explicitly.`),
            });
        }
    });
}
