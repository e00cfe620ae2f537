import { txt } from "../../lib/i18n";
import { matchesAny } from "../../lib/profiles";
import { arr, bool, str, strings } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    dureeMaxJours: number;
    rolesInterdits: string[];
    exigerReglesAcces: boolean;
}

const DAY = 24 * 3600 * 1000;

export default defineResourceRule<Config>({
    name: "sec-12-identifiants-restreints",
    needs: ["SEC-12"],
    title: txt("Identifiants restreints", "Restricted credentials"),
    description: txt(
        "Les identifiants applicatifs Keystone (`identity.ApplicationCredential`) sont restreints et expirent. En défaut : `unrestricted: true` (l'identifiant peut créer d'autres identifiants) ; `expiresAt` absent (il n'expire jamais) ou illisible (date RFC 3339 attendue) ; une expiration plus lointaine que `dureeMaxJours` (365 jours) à compter du moment de l'analyse (le verdict dépend donc de la date du jour) ; un rôle de `roles` qui correspond à `rolesInterdits` (par défaut `admin`, expressions régulières sur le nom entier, sans casse). Les règles d'accès (`accessRules`) ne sont pas exigées par défaut, parce que beaucoup d'usages (outils d'infrastructure, pilotes Kubernetes) ont besoin de toute l'API du projet ; `exigerReglesAcces: true` les rend obligatoires (au moins une). La valeur de `secret` n'est jamais lue ni affichée.",
        "Keystone application credentials (`identity.ApplicationCredential`) are restricted and expire. Failing: `unrestricted: true` (the credential can create other credentials); `expiresAt` missing (it never expires) or unreadable (RFC 3339 date expected); an expiry further than `dureeMaxJours` (365 days) from the time of analysis (the verdict thus depends on today's date); a role in `roles` matching `rolesInterdits` (by default `admin`, regular expressions on the whole name, case-insensitive). Access rules (`accessRules`) are not required by default, because many uses (infrastructure tools, Kubernetes drivers) need the whole project API; `exigerReglesAcces: true` makes them mandatory (at least one). The value of `secret` is never read nor shown.",
    ),
    remediation: txt(
        "Retirer `unrestricted`, fixer `expiresAt` à moins d'un an et prévoir la rotation, limiter `roles` (sans admin) et, si possible, déclarer des `accessRules`.",
        "Remove `unrestricted`, set `expiresAt` within a year and plan rotation, limit `roles` (no admin) and, where possible, declare `accessRules`.",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    sensitive: ["secret"],
    config: {
        dureeMaxJours: {
            type: "integer",
            minimum: 1,
            default: 365,
            description: txt("Durée de validité maximale, en jours à compter de l'analyse.", "Maximum validity, in days from the analysis."),
        },
        rolesInterdits: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["admin"],
            description: txt("Rôles interdits (expressions régulières sur le nom entier, sans casse).", "Forbidden roles (regular expressions on the whole name, case-insensitive)."),
        },
        exigerReglesAcces: {
            type: "boolean",
            default: false,
            description: txt("Exiger au moins une règle d'accès (`accessRules`).", "Require at least one access rule (`accessRules`)."),
        },
    },
    types: [OS.applicationCredential],
    check(r, ctx) {
        const c = ctx.config;
        if (bool(r.props["unrestricted"]) === true) {
            ctx.report({
                property: "unrestricted",
                value: true,
                problem: msg(m`identifiant non restreint : il peut créer ou supprimer d'autres identifiants.`, m`unrestricted credential: it can create or delete other credentials.`),
            });
        }
        const raw = r.props["expiresAt"];
        const s = str(raw)?.trim();
        if (!s) {
            ctx.report({ property: "expiresAt", value: raw, problem: msg(m`aucune date d'expiration : l'identifiant est valable sans limite.`, m`no expiry date: the credential never expires.`) });
        } else {
            const t = /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : NaN;
            if (Number.isNaN(t)) {
                ctx.report({ property: "expiresAt", value: s, problem: msg(m`date d'expiration illisible (RFC 3339 attendu).`, m`unreadable expiry date (RFC 3339 expected).`) });
            } else if (t > Date.now() + c.dureeMaxJours * DAY) {
                const days = Math.round((t - Date.now()) / DAY);
                ctx.report({
                    property: "expiresAt",
                    value: s,
                    problem: msg(
                        m`expiration dans ${days} jours, au-delà du maximum de ${c.dureeMaxJours} jours.`,
                        m`expires in ${days} days, beyond the maximum of ${c.dureeMaxJours} days.`,
                    ),
                });
            }
        }
        const forbidden = strings(r.props["roles"]).filter((role) => matchesAny(role, c.rolesInterdits));
        if (forbidden.length > 0) {
            ctx.report({
                property: "roles",
                value: r.props["roles"],
                problem: msg(m`rôle(s) interdit(s) : ${items(forbidden)}.`, m`forbidden role(s): ${items(forbidden)}.`),
            });
        }
        if (c.exigerReglesAcces && arr(r.props["accessRules"]).length === 0) {
            ctx.report({
                property: "accessRules",
                problem: msg(m`aucune règle d'accès : l'identifiant peut appeler toute l'API du projet.`, m`no access rule: the credential can call the whole project API.`),
            });
        }
    },
});
