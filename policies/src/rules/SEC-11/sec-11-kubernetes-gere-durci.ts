import { txt } from "../../lib/i18n";
import { bool, stringMap } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    labelsApiPublique: string[];
    refuserIpFlottanteParDefaut: boolean;
}

export default defineResourceRule<Config>({
    name: "sec-11-kubernetes-gere-durci",
    needs: ["SEC-11"],
    title: txt("Kubernetes géré durci", "Hardened managed Kubernetes"),
    description: txt(
        "Les gabarits (`ClusterTemplate`) et grappes (`Cluster`) Kubernetes gérés par Magnum gardent TLS, n'exposent pas l'API à Internet et ne donnent pas d'IP publique aux nœuds. Gabarit : `tlsDisabled: true` est en défaut ; `floatingIpEnabled: true` est en défaut, et son absence aussi (Magnum donne alors une IP flottante à chaque nœud ; désactivable par `refuserIpFlottanteParDefaut: false`). Grappe : `floatingIpEnabled: true` (qui remplace la valeur du gabarit) est en défaut ; absente, elle hérite du gabarit, examiné à part. Gabarit et grappe : un label de `labelsApiPublique` (par défaut `master_lb_floating_ip_enabled`) valant « true » publie l'API par une IP flottante et est en défaut. La haute disponibilité du plan de contrôle (`masterLbEnabled`, nombre de maîtres) relève de RES-07.",
        "Magnum-managed Kubernetes templates (`ClusterTemplate`) and clusters (`Cluster`) keep TLS, do not expose the API to the Internet and give nodes no public IP. Template: `tlsDisabled: true` fails; `floatingIpEnabled: true` fails, and so does its absence (Magnum then gives every node a floating IP; can be turned off with `refuserIpFlottanteParDefaut: false`). Cluster: `floatingIpEnabled: true` (which overrides the template's value) fails; when absent it inherits from the template, checked separately. Template and cluster: a `labelsApiPublique` label (by default `master_lb_floating_ip_enabled`) set to \"true\" publishes the API through a floating IP and fails. Control-plane high availability (`masterLbEnabled`, master count) belongs to RES-07.",
    ),
    remediation: txt(
        "Fixer `tlsDisabled: false` et `floatingIpEnabled: false`, et `master_lb_floating_ip_enabled: \"false\"` ; accéder à l'API par le réseau privé (bastion, VPN).",
        "Set `tlsDisabled: false` and `floatingIpEnabled: false`, and `master_lb_floating_ip_enabled: \"false\"`; reach the API through the private network (bastion, VPN).",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        labelsApiPublique: {
            type: "array",
            items: { type: "string" },
            default: ["master_lb_floating_ip_enabled"],
            description: txt("Labels Magnum qui, à « true », publient l'API par une IP flottante.", "Magnum labels that, when \"true\", publish the API through a floating IP."),
        },
        refuserIpFlottanteParDefaut: {
            type: "boolean",
            default: true,
            description: txt(
                "Refuser un gabarit sans `floatingIpEnabled` (la valeur par défaut de Magnum est « vrai »).",
                "Refuse a template without `floatingIpEnabled` (Magnum's default is \"true\").",
            ),
        },
    },
    types: [OS.magnumClusterTemplate, OS.magnumCluster],
    check(r, ctx) {
        const template = r.type === OS.magnumClusterTemplate;
        if (template && bool(r.props["tlsDisabled"]) === true) {
            ctx.report({
                property: "tlsDisabled",
                value: true,
                problem: msg(m`TLS désactivé entre les composants et pour l'API Kubernetes.`, m`TLS disabled between components and for the Kubernetes API.`),
            });
        }
        const rawFip = r.props["floatingIpEnabled"];
        const fip = bool(rawFip);
        if (fip === true || (template && fip === undefined && ctx.config.refuserIpFlottanteParDefaut)) {
            ctx.report({
                property: "floatingIpEnabled",
                value: rawFip,
                problem: fip === true
                    ? msg(m`chaque nœud reçoit une IP publique.`, m`every node gets a public IP.`)
                    : msg(m`absent : Magnum donne par défaut une IP publique à chaque nœud.`, m`missing: Magnum gives every node a public IP by default.`),
            });
        }
        const labels = stringMap(r.props["labels"]);
        for (const l of ctx.config.labelsApiPublique) {
            const v = labels.get(l);
            if (v !== undefined && bool(v.trim().toLowerCase()) === true) {
                ctx.report({
                    property: `labels.${l}`,
                    value: v,
                    problem: msg(m`l'API Kubernetes est publiée par une IP flottante.`, m`the Kubernetes API is published through a floating IP.`),
                });
            }
        }
    },
});
