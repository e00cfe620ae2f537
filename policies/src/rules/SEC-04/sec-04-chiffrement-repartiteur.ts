import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import type { Prefix } from "../../lib/net";
import type * as Net from "../../lib/net";
import type * as OsSecurity from "../../lib/os-security";
import { matchesAny } from "../../lib/profiles";
import { arr, isUnknownValueError, known, num, str, touchAll } from "../../lib/props";
import { defineStackRule, RuleContext, StackView } from "../../lib/rule";
import { OS } from "../../lib/types";
import { at, items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const net = lazy(() => require("../../lib/net") as typeof Net);
const osSecurity = lazy(() => require("../../lib/os-security") as typeof OsSecurity);

interface Config {
    protocolesEnClair: string[];
    portsTlsDeBoutEnBout: number[];
    referencesBarbican: string[];
    versionsTls: string[];
}

/** Octavia L7 policy (`openstack_lb_l7policy_v2`). */
const L7_POLICY = "openstack:loadbalancer/l7PolicyV2:L7PolicyV2";

export default defineStackRule<Config>({
    name: "sec-04-chiffrement-repartiteur",
    needs: ["SEC-04"],
    title: txt("Chiffrement en transit (répartiteur)", "Encryption in transit (load balancer)"),
    description: txt(
        "Aucun écouteur de répartiteur de charge (Octavia `Listener`) n'expose de texte en clair, où qu'il écoute, et les écouteurs TLS utilisent un certificat conservé dans Barbican (SecNumCloud 10.2, guide TLS de l'ANSSI). Un écouteur dont le `protocol` est en clair (HTTP, TCP, UDP, SCTP, PROMETHEUS par défaut, sans casse) est en défaut quelles que soient ses sources : `allowedCidrs` ne sert qu'à dire dans le message d'où il est joignable (absent ou vide : de partout, comme Octavia ; préfixes lus comme netaddr, tout Internet quand leur union couvre tout l'espace d'une famille). Exceptions : un écouteur TCP ou UDP sur un port de `portsTlsDeBoutEnBout` (443 par défaut) est tenu pour du TLS (ou QUIC) transmis aux membres, non vérifiable ici ; un écouteur HTTP qui ne fait que rediriger vers HTTPS, reconnu ainsi : aucun pool par défaut (`defaultPoolId` vide et aucun `Pool` de la pile dont `listenerId` désigne l'écouteur), aucune politique L7 active (`loadbalancer.L7PolicyV2` reliée par `listenerId`, dépendance de la propriété ou même identifiant, `adminStateUp` différent de false) d'action `REDIRECT_TO_POOL`, au moins une politique active `REDIRECT_TO_URL` ou `REDIRECT_PREFIX`, et toutes celles-ci vers une URL `https://` (schéma sans casse, avec un hôte). Sans pool, rien n'atteint les membres en clair ; Octavia n'applique une politique que si elle a au moins une règle L7, et sans règle l'écouteur ne sert qu'une erreur. `HTTPS` (TLS transmis aux membres) est accepté. `TERMINATED_HTTPS` exige `defaultTlsContainerRef`, référence à un conteneur ou secret Barbican (motif `referencesBarbican`, recherché dans la valeur) ; chaque `sniContainerRefs` suit le même motif. `tlsVersions`, quand il est donné, ne contient que des versions de `versionsTls` (TLSv1.2, TLSv1.3). Un protocole absent ou illisible est en défaut. Une valeur inconnue à la prévisualisation (référence de certificat tirée d'une ressource keymanager, cible de redirection…) empêche de conclure pour cet écouteur ; un `defaultPoolId` inconnu est l'identifiant d'un pool.",
        "No load-balancer listener (Octavia `Listener`) exposes clear text, wherever it listens, and TLS listeners use a certificate kept in Barbican (SecNumCloud 10.2, ANSSI TLS guide). A listener whose `protocol` is clear text (HTTP, TCP, UDP, SCTP, PROMETHEUS by default, case-insensitive) fails whatever its sources: `allowedCidrs` only tells in the message where it is reachable from (missing or empty: from anywhere, as Octavia does; prefixes read as netaddr reads them, the whole Internet when their union covers a family's whole space). Exceptions: a TCP or UDP listener on a port of `portsTlsDeBoutEnBout` (443 by default) is taken as TLS (or QUIC) passed through to the members, not verifiable here; an HTTP listener that only redirects to HTTPS, recognised so: no default pool (`defaultPoolId` empty and no `Pool` of the stack whose `listenerId` names the listener), no active L7 policy (`loadbalancer.L7PolicyV2` related by `listenerId`, property dependency or same id, `adminStateUp` not false) with action `REDIRECT_TO_POOL`, at least one active `REDIRECT_TO_URL` or `REDIRECT_PREFIX` policy, and all of these to an `https://` URL (scheme case-insensitive, with a host). Without a pool, nothing reaches the members in clear text; Octavia applies a policy only if it has at least one L7 rule, and without one the listener only serves an error. `HTTPS` (TLS passed through to members) is accepted. `TERMINATED_HTTPS` requires `defaultTlsContainerRef`, a reference to a Barbican container or secret (pattern `referencesBarbican`, searched in the value); every `sniContainerRefs` entry follows the same pattern. `tlsVersions`, when given, contains only versions of `versionsTls` (TLSv1.2, TLSv1.3). A missing or unreadable protocol fails. A value unknown at preview (certificate reference taken from a keymanager resource, redirect target…) prevents a conclusion for that listener; an unknown `defaultPoolId` is a pool's id.",
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
        portsTlsDeBoutEnBout: {
            type: "array",
            items: { type: "integer", minimum: 1, maximum: 65535 },
            default: [443],
            description: txt(
                "Ports où un écouteur TCP ou UDP est tenu pour du TLS (ou QUIC) transmis aux membres (TLS de bout en bout).",
                "Ports where a TCP or UDP listener is taken as TLS (or QUIC) passed through to the members (end-to-end TLS).",
            ),
        },
        referencesBarbican: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["/v1/(containers|secrets)/[0-9a-f-]{8,}"],
            description: txt(
                "Motifs d'une référence de conteneur ou secret Barbican (expressions régulières recherchées dans la valeur, sans casse).",
                "Patterns of a Barbican container or secret reference (regular expressions searched in the value, case-insensitive).",
            ),
        },
        versionsTls: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["TLSv1.2", "TLSv1.3"],
            description: txt("Versions TLS autorisées dans `tlsVersions`.", "TLS versions allowed in `tlsVersions`."),
        },
    },
    types: [OS.listener],
    check(stack, ctx) {
        const pending: string[] = [];
        for (const l of stack.ofType(OS.listener)) {
            // Each part on its own: a value unknown at preview stops that part only.
            const part = (f: () => void) => {
                try {
                    f();
                } catch (e) {
                    if (!isUnknownValueError(e)) throw e;
                    if (!pending.includes(l.name)) pending.push(l.name);
                }
            };
            let protocol: string | undefined;
            part(() => {
                protocol = protocolOf(l, ctx);
            });
            if (protocol) {
                const p = protocol;
                part(() => clearText(l, p, stack, ctx));
                if (p === "TERMINATED_HTTPS") part(() => certificate(l, ctx));
            }
            part(() => sni(l, ctx));
            part(() => versions(l, ctx));
        }
        if (pending.length > 0) {
            ctx.cannotCheck(msg(
                m`écouteurs dont une valeur n'est connue qu'au déploiement (${items(pending)}) : leur chiffrement ne peut pas être établi à la prévisualisation.`,
                m`listeners with a value known only at deployment (${items(pending)}): their encryption cannot be established at preview.`,
            ));
        }
    },
});

function protocolOf(l: PolicyResource, ctx: RuleContext<Config>): string | undefined {
    const raw = l.props["protocol"];
    const protocol = str(raw)?.trim().toUpperCase();
    if (!protocol) {
        ctx.report({
            resource: l,
            property: "protocol",
            value: raw,
            problem: msg(m`protocole absent ou illisible : le chiffrement ne peut pas être établi.`, m`missing or unreadable protocol: encryption cannot be established.`),
        });
    }
    return protocol;
}

function clearText(l: PolicyResource, protocol: string, stack: StackView, ctx: RuleContext<Config>): void {
    const c = ctx.config;
    if (!c.protocolesEnClair.some((p) => p.toUpperCase() === protocol)) return;
    const port = num(l.props["protocolPort"]);
    if ((protocol === "TCP" || protocol === "UDP") && port !== undefined && c.portsTlsDeBoutEnBout.includes(port)) return;
    let notRedirect: Message | undefined;
    if (protocol === "HTTP") {
        notRedirect = redirectOnly(l, stack);
        if (!notRedirect) return;
    }
    const where = exposure(l);
    const why = notRedirect
        ? msg(m` ; ce n'est pas une simple redirection vers HTTPS : ${notRedirect.fr}`, m`; it is not a mere redirection to HTTPS: ${notRedirect.en}`)
        : msg(m``, m``);
    ctx.report({
        resource: l,
        property: "protocol",
        value: l.props["protocol"],
        problem: msg(
            m`écouteur en clair (${protocol}/${port ?? "?"}), ${where.fr}${why.fr}.`,
            m`clear-text listener (${protocol}/${port ?? "?"}), ${where.en}${why.en}.`,
        ),
    });
}

/** Where the listener is reachable from, as Octavia reads `allowedCidrs`. */
function exposure(l: PolicyResource): Message {
    try {
        const raw = l.props["allowedCidrs"];
        if (typeof raw === "object" && raw !== null) touchAll(raw);
        const cidrs = arr(raw);
        if (cidrs.length === 0) {
            return msg(m`joignable de tout Internet (allowedCidrs absent : Octavia accepte toute source)`, m`reachable from the whole Internet (no allowedCidrs: Octavia accepts any source)`);
        }
        const prefixes: Prefix[] = [];
        const unreadable: unknown[] = [];
        for (const x of cidrs) {
            const p = typeof x === "string" ? net().parsePrefix(x) : undefined;
            if (p) prefixes.push(p);
            else unreadable.push(x);
        }
        const shown = at(raw, "allowedCidrs");
        if (unreadable.length > 0) {
            return msg(m`allowedCidrs qu'Octavia refuse (${items(unreadable)})`, m`allowedCidrs that Octavia refuses (${items(unreadable)})`);
        }
        if (net().coversWholeSpace(prefixes, 4) || net().coversWholeSpace(prefixes, 6)) {
            return msg(m`joignable de tout Internet (allowedCidrs : ${shown})`, m`reachable from the whole Internet (allowedCidrs: ${shown})`);
        }
        return msg(m`joignable depuis allowedCidrs : ${shown}`, m`reachable from allowedCidrs: ${shown}`);
    } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        return msg(m`sources (allowedCidrs) connues au déploiement`, m`sources (allowedCidrs) known at deployment`);
    }
}

/** Resources of `types` whose `key` names the listener: by property dependency, or by the same id. */
function relatedTo(l: PolicyResource, types: readonly string[], key: string, stack: StackView): PolicyResource[] {
    const id = known(() => str(l.props["id"]));
    return stack.ofType(...types).filter((x) =>
        stack.propertyDependency(x, key).some((d) => d.urn === l.urn) || (id !== undefined && id !== "" && known(() => str(x.props[key])) === id),
    );
}

/** Why an HTTP listener is not a mere redirection to HTTPS; `undefined` when it is one. */
function redirectOnly(l: PolicyResource, stack: StackView): Message | undefined {
    let defaultPool: boolean;
    try {
        defaultPool = !!str(l.props["defaultPoolId"]);
    } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        defaultPool = true; // an id known at deployment: a pool
    }
    const pools = relatedTo(l, [OS.pool], "listenerId", stack);
    if (defaultPool || pools.length > 0) {
        return msg(
            m`il a un pool par défaut${pools.length ? m` (${items(pools.map((p) => m`« ${p.name} »`))})` : m``}`,
            m`it has a default pool${pools.length ? m` (${items(pools.map((p) => m`"${p.name}"`))})` : m``}`,
        );
    }
    const policies = relatedTo(l, [L7_POLICY], "listenerId", stack).filter((p) => p.props["adminStateUp"] !== false);
    const toPool = policies.filter((p) => str(p.props["action"])?.trim().toUpperCase() === "REDIRECT_TO_POOL");
    if (toPool.length > 0) {
        return msg(
            m`la politique L7 ${items(toPool.map((p) => m`« ${p.name} »`))} mène à un pool`,
            m`L7 policy ${items(toPool.map((p) => m`"${p.name}"`))} leads to a pool`,
        );
    }
    const redirects = policies.filter((p) => ["REDIRECT_TO_URL", "REDIRECT_PREFIX"].includes(str(p.props["action"])?.trim().toUpperCase() ?? ""));
    if (redirects.length === 0) {
        return msg(m`aucune politique L7 active ne redirige vers HTTPS`, m`no active L7 policy redirects to HTTPS`);
    }
    for (const p of redirects) {
        const key = str(p.props["action"])?.trim().toUpperCase() === "REDIRECT_TO_URL" ? "redirectUrl" : "redirectPrefix";
        const target = p.props[key];
        const url = str(target);
        if (url === undefined || !/^https:\/\/[^/?#\s]/i.test(url)) {
            return msg(m`la politique L7 « ${p.name} » redirige vers ${at(target, key, p)}, qui n'est pas une URL https://`, m`L7 policy "${p.name}" redirects to ${at(target, key, p)}, which is not an https:// URL`);
        }
    }
    return undefined;
}

function certificate(l: PolicyResource, ctx: RuleContext<Config>): void {
    const ref = l.props["defaultTlsContainerRef"];
    const s = str(ref)?.trim();
    if (!s) {
        ctx.report({
            resource: l,
            property: "defaultTlsContainerRef",
            value: ref,
            problem: msg(m`écouteur TERMINATED_HTTPS sans certificat (\`defaultTlsContainerRef\`).`, m`TERMINATED_HTTPS listener without a certificate (\`defaultTlsContainerRef\`).`),
        });
    } else if (!osSecurity().findAny(s, ctx.config.referencesBarbican)) {
        ctx.report({
            resource: l,
            property: "defaultTlsContainerRef",
            value: s,
            problem: msg(m`le certificat n'est pas une référence Barbican (conteneur ou secret).`, m`the certificate is not a Barbican reference (container or secret).`),
        });
    }
}

function sni(l: PolicyResource, ctx: RuleContext<Config>): void {
    arr(l.props["sniContainerRefs"]).forEach((x, i) => {
        const s = str(x)?.trim();
        if (!s || !osSecurity().findAny(s, ctx.config.referencesBarbican)) {
            ctx.report({
                resource: l,
                property: `sniContainerRefs[${i}]`,
                value: x,
                problem: msg(m`certificat SNI qui n'est pas une référence Barbican.`, m`SNI certificate that is not a Barbican reference.`),
            });
        }
    });
}

function versions(l: PolicyResource, ctx: RuleContext<Config>): void {
    const c = ctx.config;
    const rawVersions = l.props["tlsVersions"];
    if (rawVersions === undefined || rawVersions === null) return;
    const bad = arr(rawVersions).filter((v) => typeof v !== "string" || !matchesAny(v, c.versionsTls));
    if (bad.length > 0 || !Array.isArray(rawVersions)) {
        ctx.report({
            resource: l,
            property: "tlsVersions",
            value: rawVersions,
            problem: msg(
                m`versions TLS refusées : ${Array.isArray(rawVersions) ? items(bad) : "valeur illisible"} (autorisées : ${items(c.versionsTls)}).`,
                m`refused TLS versions: ${Array.isArray(rawVersions) ? items(bad) : "unreadable value"} (allowed: ${items(c.versionsTls)}).`,
            ),
        });
    }
}
