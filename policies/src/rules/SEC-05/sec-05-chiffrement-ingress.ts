import { list } from "../../lib/format";
import { txt } from "../../lib/i18n";
import { isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { arr, get, rec, str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    accepterTlsSansHotes: boolean;
}

export default defineResourceRule<Config>({
    name: "sec-05-chiffrement-ingress",
    needs: ["SEC-05"],
    title: txt("Chiffrement en transit (Ingress)", "Encryption in transit (Ingress)"),
    description: txt(
        "Chaque hôte d'un Ingress (`spec.rules[].host`) est couvert par une entrée `spec.tls[].hosts` (SecNumCloud 10.2) : même nom (sans casse), ou joker `*.exemple.fr` qui couvre exactement un niveau (`a.exemple.fr`, ni `exemple.fr` ni `a.b.exemple.fr`). Un Ingress qui a des règles (ou un `spec.defaultBackend`) sans aucune entrée `tls` est en défaut. Décision : une règle sans hôte (attrape-tout) ou un `defaultBackend` n'est couvert que par une entrée `tls` sans `hosts` (certificat par défaut du contrôleur pour tous les noms), ce qu'autorise l'option `accepterTlsSansHotes` ; une entrée `tls` sans `hosts` ne couvre pas les hôtes nommés. Le `secretName` (certificat) n'est pas examiné, ni la redirection HTTP → HTTPS, propre au contrôleur. Un Ingress sans règle ni `defaultBackend` n'expose rien : il passe." + " Correctifs (`IngressPatch`, voir « Correctifs Kubernetes » dans docs/regles.md) : `rules` et `tls` sont des listes atomiques (un correctif qui les fixe les remplace) ; un correctif qui ne fixe ni règles, ni `defaultBackend`, ni TLS n'est pas examiné ; un correctif qui fixe des règles (ou un `defaultBackend`) sans `tls`, ou du TLS sans règles, est invérifiable (la partie manquante est celle de l'objet existant) ; un `defaultBackend` qu'il ne fixe pas n'est pas examiné.",
        "Every Ingress host (`spec.rules[].host`) is covered by a `spec.tls[].hosts` entry (SecNumCloud 10.2): the same name (case-insensitive), or a wildcard `*.example.fr` that covers exactly one label (`a.example.fr`, neither `example.fr` nor `a.b.example.fr`). An Ingress with rules (or a `spec.defaultBackend`) and no `tls` entry at all fails. Decision: a rule without host (catch-all) or a `defaultBackend` is covered only by a `tls` entry without `hosts` (the controller's default certificate for every name), which the option `accepterTlsSansHotes` allows; a `tls` entry without `hosts` does not cover named hosts. The `secretName` (certificate) is not examined, nor the HTTP → HTTPS redirect, which is controller-specific. An Ingress with neither rules nor `defaultBackend` exposes nothing: it passes." + " Patches (`IngressPatch`, see \"Correctifs Kubernetes\" in docs/regles.md): `rules` and `tls` are atomic lists (a patch that sets them replaces them); a patch that sets no rules, no `defaultBackend` and no TLS is not examined; a patch setting rules (or a `defaultBackend`) without `tls`, or TLS without rules, cannot be checked (the missing part is the existing object's); a `defaultBackend` it does not set is not examined.",
    ),
    remediation: txt(
        "Ajouter dans `spec.tls` une entrée dont `hosts` liste chaque hôte des règles, avec le `secretName` du certificat (par exemple délivré par cert-manager).",
        "Add to `spec.tls` an entry whose `hosts` lists every host of the rules, with the certificate's `secretName` (for example issued by cert-manager).",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        accepterTlsSansHotes: {
            type: "boolean",
            default: true,
            description: txt(
                "Une entrée `tls` sans `hosts` couvre les règles sans hôte et le `defaultBackend`.",
                "A `tls` entry without `hosts` covers host-less rules and the `defaultBackend`.",
            ),
        },
    },
    types: withPatches([K8S.ingress]),
    check(r, ctx) {
        const rawRules = get(r.props, "spec.rules");
        const rawTls = get(r.props, "spec.tls");
        const backend = get(r.props, "spec.defaultBackend");
        const unset = (v: unknown) => v === undefined || v === null;
        const patch = isPatch(r.type);
        const gaps = new PatchGaps(patch);
        if (patch && unset(rawRules) && unset(backend)) {
            // The patch sets TLS alone (or nothing): what it must cover is the live object's.
            if (unset(rawTls)) ctx.notApplicable(notSetByPatch("rules, default backend or TLS"));
            gaps.absent("spec.rules");
            return gaps.end(ctx);
        }
        const rules = arr(rawRules);
        const hasBackend = !unset(backend);
        if (rules.length === 0 && !hasBackend) return;
        const tls = arr(rawTls).map(rec).filter((t): t is Record<string, unknown> => !!t);
        if (tls.length === 0 && unset(rawTls) && gaps.absent("spec.tls")) return gaps.end(ctx);
        if (tls.length === 0) {
            const hosts = rules.map((x) => str(rec(x)?.["host"])).filter((h): h is string => !!h);
            ctx.report({
                property: "spec.tls",
                value: get(r.props, "spec.tls"),
                problem: msg(
                    m`aucune entrée TLS : l'Ingress sert ${hosts.length ? list(hosts) : "ses règles"} en clair.`,
                    m`no TLS entry: the Ingress serves ${hosts.length ? list(hosts) : "its rules"} in clear text.`,
                ),
            });
            return;
        }
        const named: string[] = [];
        let catchAll = false;
        for (const t of tls) {
            const raw = t["hosts"];
            const hosts = arr(raw);
            // No `hosts` (absent, null or []) is the controller's default certificate; a malformed value covers nothing.
            if (raw === undefined || raw === null || (Array.isArray(raw) && hosts.length === 0)) catchAll = true;
            for (const h of hosts) if (typeof h === "string" && h.trim()) named.push(h.trim().toLowerCase());
        }
        const coveredByDefault = catchAll && ctx.config.accepterTlsSansHotes;
        const covers = (host: string) => {
            const h = host.trim().toLowerCase().replace(/\.$/, "");
            return named.some((n) => n === h || wildcardCovers(n, h));
        };
        rules.forEach((x, i) => {
            const rule = rec(x);
            if (!rule) return;
            const host = str(rule["host"]);
            if (host && host.trim()) {
                if (!covers(host)) {
                    ctx.report({
                        property: `spec.rules[${i}].host`,
                        value: host,
                        problem: msg(m`l'hôte ${host} n'est couvert par aucune entrée \`spec.tls[].hosts\`.`, m`host ${host} is covered by no \`spec.tls[].hosts\` entry.`),
                        fix: msg(m`ajouter ${host} (ou un joker qui le couvre) aux \`hosts\` d'une entrée \`spec.tls\`.`, m`add ${host} (or a wildcard covering it) to the \`hosts\` of a \`spec.tls\` entry.`),
                    });
                }
            } else if (!coveredByDefault) {
                ctx.report({
                    property: `spec.rules[${i}].host`,
                    value: rule["host"],
                    problem: msg(
                        m`règle sans hôte (attrape-tout) sans entrée \`tls\` sans \`hosts\` : servie en clair.`,
                        m`rule without host (catch-all) without a host-less \`tls\` entry: served in clear text.`,
                    ),
                    fix: msg(m`nommer l'hôte de la règle et le lister dans \`spec.tls[].hosts\`.`, m`name the rule's host and list it in \`spec.tls[].hosts\`.`),
                });
            }
        });
        if (patch && unset(rawRules)) gaps.absent("spec.rules");
        if (hasBackend && !coveredByDefault) {
            ctx.report({
                property: "spec.defaultBackend",
                problem: msg(
                    m`\`defaultBackend\` (attrape-tout) sans entrée \`tls\` sans \`hosts\` : servi en clair pour tout nom non couvert.`,
                    m`\`defaultBackend\` (catch-all) without a host-less \`tls\` entry: served in clear text for every uncovered name.`,
                ),
                fix: msg(m`retirer le \`defaultBackend\` ou ajouter une entrée \`tls\` sans \`hosts\`.`, m`remove the \`defaultBackend\` or add a host-less \`tls\` entry.`),
            });
        }
        gaps.end(ctx);
    },
});

/** `*.example.fr` covers exactly one more label: `a.example.fr`, not `example.fr` nor `a.b.example.fr`. */
function wildcardCovers(pattern: string, host: string): boolean {
    if (!pattern.startsWith("*.")) return false;
    const suffix = pattern.slice(1);
    if (!host.endsWith(suffix)) return false;
    const label = host.slice(0, host.length - suffix.length);
    return label.length > 0 && !label.includes(".");
}
