import { txt } from "../../lib/i18n";
import { bool } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { m, msg } from "../../lib/message";

type Config = Record<string, never>;

export default defineResourceRule<Config>({
    name: "sec-07-securite-des-ports",
    needs: ["SEC-07"],
    title: txt("Sécurité des ports", "Port security"),
    description: txt(
        "La sécurité des ports Neutron (groupes de sécurité, anti-usurpation d'adresses IP et MAC) n'est jamais désactivée : un `Port` ou un `Network` avec `portSecurityEnabled: false` (ou la chaîne « false ») est en défaut (SecNumCloud 13.2). Absente, la propriété vaut la valeur par défaut de Neutron (activée). Les paires d'adresses autorisées (`allowedAddressPairs`) restent le moyen prévu pour les adresses virtuelles.",
        "Neutron port security (security groups, IP and MAC anti-spoofing) is never disabled: a `Port` or `Network` with `portSecurityEnabled: false` (or the string \"false\") fails (SecNumCloud 13.2). When absent, the property takes Neutron's default (enabled). Allowed address pairs (`allowedAddressPairs`) remain the intended way for virtual addresses.",
    ),
    remediation: txt(
        "Retirer `portSecurityEnabled: false` (ou le passer à `true`) ; pour une adresse virtuelle (VRRP, répartiteur), déclarer `allowedAddressPairs` sur le port.",
        "Remove `portSecurityEnabled: false` (or set it to `true`); for a virtual address (VRRP, load balancer), declare `allowedAddressPairs` on the port.",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {},
    types: [OS.port, OS.network],
    check(r, ctx) {
        const raw = r.props["portSecurityEnabled"];
        if (bool(raw) !== false) return;
        ctx.report({
            property: "portSecurityEnabled",
            value: raw,
            problem: r.type === OS.network
                ? msg(m`sécurité des ports désactivée pour tout le réseau : ses ports n'ont ni filtrage ni anti-usurpation.`, m`port security disabled for the whole network: its ports get neither filtering nor anti-spoofing.`)
                : msg(m`sécurité du port désactivée : ni groupe de sécurité ni anti-usurpation.`, m`port security disabled: no security group, no anti-spoofing.`),
        });
    },
});
