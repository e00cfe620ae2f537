import { txt } from "../../lib/i18n";
import { fullType, isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import type * as Selectors from "../../lib/k8s-selectors";
import { arr, get, rec, str, strings } from "../../lib/props";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { items, m, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const selectors = lazy(() => require("../../lib/k8s-selectors") as typeof Selectors);

interface Config {
    rolesPrivilegies: string[];
    sujetsInterdits: string[];
    groupesDeCharges: string[];
    utilisateursDeCharges: string[];
    refuserGroupesApiJoker: boolean;
    verbesEscalade: string[];
    etiquettesRolesPrivilegies: string[];
}

const BINDINGS: readonly string[] = [K8S.roleBinding, K8S.clusterRoleBinding];

/** `system:serviceaccount:<namespace>:<name>`: the user name the API server gives a service account's tokens. */
const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

function matchesAny(name: string, patterns: readonly string[]): boolean {
    return patterns.some((g) => (g.endsWith("*") ? name.startsWith(g.slice(0, -1)) : name === g));
}

export default defineResourceRule<Config>({
    name: "sec-15-droits-minimaux",
    needs: ["SEC-15"],
    title: txt("Droits minimaux", "Least privilege"),
    description: txt(
        "Aucun RoleBinding ni ClusterRoleBinding n'accorde un rôle privilégié (`roleRef.name` dans `rolesPrivilegies`, par défaut `cluster-admin`, quel que soit `roleRef.kind`) à une charge de travail, reconnue comme l'autorisateur RBAC compare les sujets (noms exacts) : un sujet `ServiceAccount` ; un sujet `User` dont le nom est celui que l'API donne aux jetons d'un compte de service (`utilisateursDeCharges` : `system:serviceaccount:<espace>:<nom>`, et `system:anonymous`) ; un sujet `Group` qui contient des comptes de service (`groupesDeCharges` : `system:serviceaccounts`, `system:serviceaccounts:<espace>`, `system:authenticated`, `system:unauthenticated`). Décision : les autres sujets `User` et `Group` (personnes, via le fournisseur d'identité et le bastion) sont acceptés par défaut ; les refuser aussi en ajoutant `User` et `Group` à `sujetsInterdits`. Aucun Role ni ClusterRole n'a de joker, avec le sens que lui donne RBAC : `*` dans `rules[].verbs`, `*` ou `*/<sous-ressource>` dans `rules[].resources` (`pods/*` n'est pas un joker pour RBAC), `*` dans `rules[].apiGroups` (`refuserGroupesApiJoker`, par défaut), `*` ou `/*` dans `rules[].nonResourceURLs`. Décision : les verbes d'escalade `escalate` (créer des rôles plus larges que les siens), `bind` (lier n'importe quel rôle) et `impersonate` (agir sous une autre identité) (`verbesEscalade`) sont en défaut quand la règle ne les restreint pas par `resourceNames`. Décision : un ClusterRole agrégé (`aggregationRule`) reçoit les règles de tous les ClusterRoles que ses `clusterRoleSelectors` sélectionnent ; il est en défaut quand un sélecteur choisit `cluster-admin` (sélecteur vide, ou qui retient les étiquettes de `etiquettesRolesPrivilegies`, `kubernetes.io/bootstrapping=rbac-defaults`) ; les ClusterRoles de la pile qu'il agrège sont jugés chacun ; ses `rules` déclarées, que le contrôleur remplace, sont jugées aussi (dans l'état, elles sont les règles agrégées)." + " Correctifs (`RoleBindingPatch`, `RolePatch`…, voir « Correctifs Kubernetes » dans docs/regles.md) : `subjects` et `rules` sont des listes atomiques, `roleRef` ne change pas ; un correctif est jugé sur ce qu'il fixe ; un correctif de liaison qui ne fixe pas `roleRef` alors qu'il lie un sujet refusé, ou qui lie un rôle privilégié sans fixer `subjects`, est invérifiable ; un correctif qui ne fixe ni règles, ni agrégation, ni rôle, ni sujets n'est pas examiné.",
        "No RoleBinding or ClusterRoleBinding grants a privileged role (`roleRef.name` in `rolesPrivilegies`, by default `cluster-admin`, whatever `roleRef.kind`) to a workload, recognised as the RBAC authorizer compares subjects (exact names): a `ServiceAccount` subject; a `User` subject whose name is the one the API gives a service account's tokens (`utilisateursDeCharges`: `system:serviceaccount:<namespace>:<name>`, and `system:anonymous`); a `Group` subject containing service accounts (`groupesDeCharges`: `system:serviceaccounts`, `system:serviceaccounts:<namespace>`, `system:authenticated`, `system:unauthenticated`). Decision: other `User` and `Group` subjects (people, through the identity provider and bastion) are accepted by default; refuse them too by adding `User` and `Group` to `sujetsInterdits`. No Role or ClusterRole has a wildcard, in the meaning RBAC gives it: `*` in `rules[].verbs`, `*` or `*/<subresource>` in `rules[].resources` (`pods/*` is no wildcard for RBAC), `*` in `rules[].apiGroups` (`refuserGroupesApiJoker`, default), `*` or `/*` in `rules[].nonResourceURLs`. Decision: the escalation verbs `escalate` (create roles wider than one's own), `bind` (bind any role) and `impersonate` (act as another identity) (`verbesEscalade`) fail when the rule does not restrict them with `resourceNames`. Decision: an aggregated ClusterRole (`aggregationRule`) receives the rules of every ClusterRole its `clusterRoleSelectors` select; it fails when a selector picks `cluster-admin` (an empty selector, or one retaining the labels of `etiquettesRolesPrivilegies`, `kubernetes.io/bootstrapping=rbac-defaults`); the stack's ClusterRoles it aggregates are judged each; its declared `rules`, which the controller replaces, are judged too (in the state, they are the aggregated rules)." + " Patches (`RoleBindingPatch`, `RolePatch`…, see \"Correctifs Kubernetes\" in docs/regles.md): `subjects` and `rules` are atomic lists, `roleRef` does not change; a patch is judged on what it sets; a binding patch that does not set `roleRef` while binding a refused subject, or that binds a privileged role without setting `subjects`, cannot be checked; a patch that sets no rules, aggregation, role or subjects is not examined.",
    ),
    remediation: txt(
        "Lier le compte de service à un Role dédié qui liste les seuls verbes et ressources nécessaires ; remplacer les jokers `*` par des listes explicites ; restreindre `bind`/`escalate`/`impersonate` par `resourceNames`.",
        "Bind the service account to a dedicated Role listing only the verbs and resources it needs; replace `*` wildcards with explicit lists; restrict `bind`/`escalate`/`impersonate` with `resourceNames`.",
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
                "Genres de sujets (`subjects[].kind`) qui ne reçoivent pas de rôle privilégié (`ServiceAccount` : les charges, sous toutes leurs écritures ; `User`, `Group`).",
                "Subject kinds (`subjects[].kind`) that receive no privileged role (`ServiceAccount`: workloads, however written; `User`, `Group`).",
            ),
        },
        groupesDeCharges: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["system:serviceaccounts", "system:serviceaccounts:*", "system:authenticated", "system:unauthenticated"],
            description: txt(
                "Groupes qui contiennent des comptes de service (un `*` final désigne un préfixe) : les lier vaut lier des charges.",
                "Groups that contain service accounts (a trailing `*` means a prefix): binding them binds workloads.",
            ),
        },
        utilisateursDeCharges: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["system:serviceaccount:*", "system:anonymous"],
            description: txt(
                "Noms d'utilisateur qui désignent des charges ou tout le monde (un `*` final désigne un préfixe).",
                "User names designating workloads or anyone (a trailing `*` means a prefix).",
            ),
        },
        refuserGroupesApiJoker: {
            type: "boolean",
            default: true,
            description: txt("Refuser `*` dans `rules[].apiGroups`.", "Refuse `*` in `rules[].apiGroups`."),
        },
        verbesEscalade: {
            type: "array",
            items: { type: "string" },
            default: ["escalate", "bind", "impersonate"],
            description: txt(
                "Verbes d'escalade refusés sans `resourceNames` (liste vide : aucun).",
                "Escalation verbs refused without `resourceNames` (empty list: none).",
            ),
        },
        etiquettesRolesPrivilegies: {
            type: "array",
            items: { type: "string" },
            default: ["kubernetes.io/bootstrapping=rbac-defaults"],
            description: txt(
                "Étiquettes (`clé=valeur`) que porte `cluster-admin` : un ClusterRole agrégé qui les sélectionne l'agrège.",
                "Labels (`key=value`) carried by `cluster-admin`: an aggregated ClusterRole selecting them aggregates it.",
            ),
        },
    },
    types: withPatches([...BINDINGS, K8S.role, K8S.clusterRole]),
    check(r, ctx) {
        if (BINDINGS.includes(fullType(r.type))) checkBinding(r, ctx);
        else checkRole(r, ctx);
    },
});

function unset(v: unknown): boolean {
    return v === undefined || v === null;
}

function checkBinding(r: ResourceView, ctx: RuleContext<Config>): void {
    const rawRole = get(r.props, "roleRef.name");
    const rawSubjects = r.props["subjects"];
    if (isPatch(r.type)) {
        // `subjects` is an atomic list and `roleRef` cannot change: a patch is judged on what it sets,
        // and the role or the subjects it leaves to the live object make the verdict unknown.
        if (unset(rawRole) && unset(rawSubjects)) ctx.notApplicable(notSetByPatch("role or subjects"));
        const gaps = new PatchGaps(true);
        const role = str(rawRole);
        if (unset(rawRole) && arr(rawSubjects).some((s) => forbidden(rec(s), ctx))) gaps.absent("roleRef.name");
        else if (role && ctx.config.rolesPrivilegies.includes(role) && unset(rawSubjects)) gaps.absent("subjects");
        gaps.end(ctx);
    }
    const role = str(rawRole);
    if (!role || !ctx.config.rolesPrivilegies.includes(role)) return;
    arr(rawSubjects).forEach((s, i) => {
        const subject = rec(s);
        const kind = str(subject?.["kind"]);
        const name = str(subject?.["name"]) ?? "?";
        if (!kind) return;
        const saUser = kind === "User" ? SA_USER.exec(name) : null;
        const workload =
            kind === "ServiceAccount" ||
            (kind === "User" && matchesAny(name, ctx.config.utilisateursDeCharges)) ||
            (kind === "Group" && matchesAny(name, ctx.config.groupesDeCharges));
        if (!ctx.config.sujetsInterdits.includes(kind) && !(workload && ctx.config.sujetsInterdits.includes("ServiceAccount"))) return;
        const who =
            kind === "ServiceAccount"
                ? `${kind} ${str(subject?.["namespace"]) ?? "?"}/${name}`
                : saUser
                  ? `${kind} ${name} (ServiceAccount ${saUser[1]}/${saUser[2]})`
                  : `${kind} ${name}`;
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

/** Whether a subject is one that receives no privileged role. */
function forbidden(subject: Record<string, unknown> | undefined, ctx: RuleContext<Config>): boolean {
    const kind = str(subject?.["kind"]);
    const name = str(subject?.["name"]) ?? "?";
    if (!kind) return false;
    const workload =
        kind === "ServiceAccount" ||
        (kind === "User" && matchesAny(name, ctx.config.utilisateursDeCharges)) ||
        (kind === "Group" && matchesAny(name, ctx.config.groupesDeCharges));
    return ctx.config.sujetsInterdits.includes(kind) || (workload && ctx.config.sujetsInterdits.includes("ServiceAccount"));
}

function checkRole(r: ResourceView, ctx: RuleContext<Config>): void {
    const clusterRole = fullType(r.type) === K8S.clusterRole;
    if (isPatch(r.type) && unset(r.props["rules"]) && !(clusterRole && !unset(r.props["aggregationRule"]))) {
        ctx.notApplicable(notSetByPatch("rules"));
    }
    arr(r.props["rules"]).forEach((x, i) => {
        const rule = rec(x);
        if (!rule) return;
        const fields: [string, (v: string) => boolean][] = [
            ["verbs", (v) => v === "*"],
            ["resources", (v) => v === "*" || v.startsWith("*/")],
            ["nonResourceURLs", (v) => v === "*" || v === "/*"],
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
        const escalation = strings(rule["verbs"]).filter((v) => ctx.config.verbesEscalade.includes(v));
        if (escalation.length > 0 && strings(rule["resourceNames"]).length === 0) {
            ctx.report({
                property: `rules[${i}].verbs`,
                value: rule["verbs"],
                problem: msg(
                    m`verbes d'escalade ${items(escalation)} sans \`resourceNames\` : le rôle permet d'obtenir n'importe quel droit.`,
                    m`escalation verbs ${items(escalation)} without \`resourceNames\`: the role allows obtaining any right.`,
                ),
                fix: msg(m`retirer ces verbes ou les restreindre par \`resourceNames\`.`, m`remove these verbs or restrict them with \`resourceNames\`.`),
            });
        }
    });
    if (!clusterRole) return;
    const privileged = new Map<string, string>();
    for (const l of ctx.config.etiquettesRolesPrivilegies) {
        const k = l.indexOf("=");
        if (k > 0) privileged.set(l.slice(0, k), l.slice(k + 1));
    }
    arr(get(r.props, "aggregationRule.clusterRoleSelectors")).forEach((sel, i) => {
        const parsed = selectors().parseSelector(sel);
        if (!parsed || !selectors().selects(parsed, privileged)) return;
        ctx.report({
            property: `aggregationRule.clusterRoleSelectors[${i}]`,
            value: sel,
            problem: msg(
                m`ce sélecteur d'agrégation retient cluster-admin (étiquettes ${items(ctx.config.etiquettesRolesPrivilegies)}) : le rôle agrégé reçoit tous les droits.`,
                m`this aggregation selector retains cluster-admin (labels ${items(ctx.config.etiquettesRolesPrivilegies)}): the aggregated role receives every right.`,
            ),
            fix: msg(
                m`sélectionner une étiquette d'agrégation propre (\`rbac.example.fr/aggregate-to-<rôle>: "true"\`).`,
                m`select a dedicated aggregation label (\`rbac.example.fr/aggregate-to-<role>: "true"\`).`,
            ),
        });
    });
}
