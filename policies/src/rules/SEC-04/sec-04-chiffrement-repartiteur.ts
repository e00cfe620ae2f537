import { list } from "../../lib/format";
import { txt } from "../../lib/i18n";
import { findAny } from "../../lib/os-security";
import { matchesAny } from "../../lib/profiles";
import { arr, num, str, strings } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    protocolesEnClair: string[];
    prefixesOuverts: string[];
    portsTlsDeBoutEnBout: number[];
    portsRedirectionHttps: number[];
    referencesBarbican: string[];
    versionsTls: string[];
}

export default defineResourceRule<Config>({
    name: "sec-04-chiffrement-repartiteur",
    needs: ["SEC-04"],
    title: txt("Chiffrement en transit (répartiteur)", "Encryption in transit (load balancer)"),
    description: txt(
        "Aucun écouteur de répartiteur de charge (Octavia `Listener`) n'expose de texte en clair à tout Internet, et les écouteurs TLS utilisent un certificat conservé dans Barbican (SecNumCloud 10.2, guide TLS de l'ANSSI). Un écouteur dont le `protocol` est en clair (HTTP, TCP, UDP, SCTP, PROMETHEUS par défaut) est en défaut s'il est joignable de partout : `allowedCidrs` absent ou vide (Octavia accepte alors toute source), ou contenant 0.0.0.0/0 ou ::/0. Exceptions documentées : un écouteur TCP sur un port de `portsTlsDeBoutEnBout` (443 par défaut) est tenu pour du TLS de bout en bout terminé par les membres (non vérifiable ici) ; un écouteur HTTP sur un port de `portsRedirectionHttps` (vide par défaut) est tenu pour une simple redirection vers HTTPS, que la règle ne peut pas voir (politique L7). `HTTPS` (TLS transmis aux membres) est accepté. `TERMINATED_HTTPS` exige `defaultTlsContainerRef`, référence à un conteneur ou secret Barbican (motif `referencesBarbican`, recherché dans la valeur) ; chaque `sniContainerRefs` suit le même motif. Une référence tirée d'une ressource keymanager est inconnue à la prévisualisation : la politique ne peut alors pas conclure avant le déploiement. `tlsVersions`, quand il est donné (versions récentes du fournisseur), ne contient que des versions de `versionsTls` (TLSv1.2, TLSv1.3). Un protocole absent ou illisible est en défaut.",
        "No load-balancer listener (Octavia `Listener`) exposes clear text to the whole Internet, and TLS listeners use a certificate kept in Barbican (SecNumCloud 10.2, ANSSI TLS guide). A listener whose `protocol` is clear text (HTTP, TCP, UDP, SCTP, PROMETHEUS by default) fails when reachable from anywhere: `allowedCidrs` missing or empty (Octavia then accepts any source), or containing 0.0.0.0/0 or ::/0. Documented exceptions: a TCP listener on a port of `portsTlsDeBoutEnBout` (443 by default) is taken as end-to-end TLS terminated by the members (not verifiable here); an HTTP listener on a port of `portsRedirectionHttps` (empty by default) is taken as a mere redirection to HTTPS, which the rule cannot see (L7 policy). `HTTPS` (TLS passed through to members) is accepted. `TERMINATED_HTTPS` requires `defaultTlsContainerRef`, a reference to a Barbican container or secret (pattern `referencesBarbican`, searched in the value); every `sniContainerRefs` entry follows the same pattern. A reference taken from a keymanager resource is unknown at preview: the policy then cannot conclude before deployment. `tlsVersions`, when given (recent provider versions), contains only versions of `versionsTls` (TLSv1.2, TLSv1.3). A missing or unreadable protocol fails.",
    ),
    remediation: txt(
        "Utiliser `protocol: \"TERMINATED_HTTPS\"` avec `defaultTlsContainerRef` pointant vers un conteneur Barbican (ou `HTTPS` de bout en bout), ou restreindre `allowedCidrs` aux réseaux internes.",
        "Use `protocol: \"TERMINATED_HTTPS\"` with `defaultTlsContainerRef` pointing to a Barbican container (or end-to-end `HTTPS`), or restrict `allowedCidrs` to internal networks.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    config: {
        protocolesEnClair: {
            type: "array",
            items: { type: "string" },
            default: ["HTTP", "TCP", "UDP", "SCTP", "PROMETHEUS"],
            description: txt("Protocoles d'écouteur qui transportent du texte en clair (sans casse).", "Listener protocols that carry clear text (case-insensitive)."),
        },
        prefixesOuverts: {
            type: "array",
            items: { type: "string" },
            default: ["0.0.0.0/0", "::/0"],
            description: txt("Préfixes qui valent « tout Internet » dans `allowedCidrs`.", "Prefixes that mean “the whole Internet” in `allowedCidrs`."),
        },
        portsTlsDeBoutEnBout: {
            type: "array",
            items: { type: "integer", minimum: 1, maximum: 65535 },
            default: [443],
            description: txt(
                "Ports où un écouteur TCP est tenu pour du TLS transmis aux membres (TLS de bout en bout).",
                "Ports where a TCP listener is taken as TLS passed through to the members (end-to-end TLS).",
            ),
        },
        portsRedirectionHttps: {
            type: "array",
            items: { type: "integer", minimum: 1, maximum: 65535 },
            default: [],
            description: txt(
                "Ports où un écouteur HTTP ne fait que rediriger vers HTTPS (engagement de l'équipe, non vérifiable par la règle). Exemple : [80].",
                "Ports where an HTTP listener only redirects to HTTPS (the team's commitment, not verifiable by the rule). Example: [80].",
            ),
        },
        referencesBarbican: {
            type: "array",
            items: { type: "string" },
            default: ["/v1/(containers|secrets)/[0-9a-f-]{8,}"],
            description: txt(
                "Motifs d'une référence de conteneur ou secret Barbican (expressions régulières recherchées dans la valeur, sans casse).",
                "Patterns of a Barbican container or secret reference (regular expressions searched in the value, case-insensitive).",
            ),
        },
        versionsTls: {
            type: "array",
            items: { type: "string" },
            default: ["TLSv1.2", "TLSv1.3"],
            description: txt("Versions TLS autorisées dans `tlsVersions`.", "TLS versions allowed in `tlsVersions`."),
        },
    },
    types: [OS.listener],
    check(r, ctx) {
        const c = ctx.config;
        const rawProtocol = r.props["protocol"];
        const protocol = str(rawProtocol)?.trim().toUpperCase();
        const port = num(r.props["protocolPort"]);
        if (!protocol) {
            ctx.report({
                property: "protocol",
                value: rawProtocol,
                problem: msg(m`protocole absent ou illisible : le chiffrement ne peut pas être établi.`, m`missing or unreadable protocol: encryption cannot be established.`),
            });
            return;
        }
        if (c.protocolesEnClair.some((p) => p.toUpperCase() === protocol)) {
            const passthrough = protocol === "TCP" && port !== undefined && c.portsTlsDeBoutEnBout.includes(port);
            const redirect = protocol === "HTTP" && port !== undefined && c.portsRedirectionHttps.includes(port);
            if (!passthrough && !redirect) {
                const cidrs = strings(r.props["allowedCidrs"]).map((s) => s.trim());
                const open = cidrs.length === 0 || cidrs.some((s) => c.prefixesOuverts.includes(s));
                if (open) {
                    ctx.report({
                        property: "protocol",
                        value: rawProtocol,
                        problem: msg(
                            m`écouteur en clair (${protocol}/${port ?? "?"}) joignable de tout Internet (${cidrs.length ? `allowedCidrs : ${list(cidrs)}` : "allowedCidrs absent"}).`,
                            m`clear-text listener (${protocol}/${port ?? "?"}) reachable from the whole Internet (${cidrs.length ? `allowedCidrs: ${list(cidrs)}` : "no allowedCidrs"}).`,
                        ),
                    });
                }
            }
        }
        if (protocol === "TERMINATED_HTTPS") {
            const ref = r.props["defaultTlsContainerRef"];
            const s = str(ref)?.trim();
            if (!s) {
                ctx.report({
                    property: "defaultTlsContainerRef",
                    value: ref,
                    problem: msg(m`écouteur TERMINATED_HTTPS sans certificat (\`defaultTlsContainerRef\`).`, m`TERMINATED_HTTPS listener without a certificate (\`defaultTlsContainerRef\`).`),
                });
            } else if (!findAny(s, c.referencesBarbican)) {
                ctx.report({
                    property: "defaultTlsContainerRef",
                    value: s,
                    problem: msg(m`le certificat n'est pas une référence Barbican (conteneur ou secret).`, m`the certificate is not a Barbican reference (container or secret).`),
                });
            }
        }
        arr(r.props["sniContainerRefs"]).forEach((x, i) => {
            const s = str(x)?.trim();
            if (!s || !findAny(s, c.referencesBarbican)) {
                ctx.report({
                    property: `sniContainerRefs[${i}]`,
                    value: x,
                    problem: msg(m`certificat SNI qui n'est pas une référence Barbican.`, m`SNI certificate that is not a Barbican reference.`),
                });
            }
        });
        const rawVersions = r.props["tlsVersions"];
        if (rawVersions !== undefined && rawVersions !== null) {
            const bad = arr(rawVersions).filter((v) => typeof v !== "string" || !matchesAny(v, c.versionsTls));
            if (bad.length > 0 || !Array.isArray(rawVersions)) {
                ctx.report({
                    property: "tlsVersions",
                    value: rawVersions,
                    problem: msg(
                        m`versions TLS refusées : ${Array.isArray(rawVersions) ? list(bad) : "valeur illisible"} (autorisées : ${items(c.versionsTls)}).`,
                        m`refused TLS versions: ${Array.isArray(rawVersions) ? list(bad) : "unreadable value"} (allowed: ${items(c.versionsTls)}).`,
                    ),
                });
            }
        }
    },
});
