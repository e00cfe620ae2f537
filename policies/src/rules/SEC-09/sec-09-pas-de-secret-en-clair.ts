import { txt } from "../../lib/i18n";
import { containers, podSpec } from "../../lib/k8s";
import { findAny } from "../../lib/os-security";
import { arr, isMissing, rec, str, touchAll } from "../../lib/props";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { K8S_WORKLOADS, OS } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    motifsSecretsDonneesUtilisateur: string[];
    decoderBase64: boolean;
    exigerPaireDeCles: boolean;
    nomsVariablesSensibles: string[];
    nomsVariablesExclus: string[];
}

export default defineResourceRule<Config>({
    name: "sec-09-pas-de-secret-en-clair",
    needs: ["SEC-09"],
    title: txt("Pas de secret en clair", "No secret in clear"),
    description: txt(
        "Aucun secret n'est écrit en clair dans le code d'infrastructure (SecNumCloud 10.5 : secrets dans un conteneur de sécurité). Instances OpenStack : `adminPass` renseigné est en défaut ; `userData` et le contenu des `personalities` sont en défaut quand ils contiennent un motif d'identifiant (`motifsSecretsDonneesUtilisateur` : `password=`, `passwd:`, clés AWS, clé privée PEM, `OS_PASSWORD`, `token:`…, recherchés sans casse ; un `userData` en base64 est aussi décodé) ; une instance sans `keyPair` est en défaut (accès SSH par paire de clés ; désactivable par `exigerPaireDeCles: false`, par exemple pour des images sans SSH). Conteneurs Kubernetes (y compris d'initialisation, dans les gabarits de pod des Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) : une variable `env` dont le nom correspond à `nomsVariablesSensibles` (PASSWORD, SECRET, TOKEN, API_KEY…, sans casse) et qui porte une valeur littérale non vide (`value`) est en défaut ; `valueFrom` (secretKeyRef…) est attendu ; les noms qui correspondent à `nomsVariablesExclus` (suffixes `_FILE`, `_PATH`…, qui désignent un chemin) sont acceptés. Les valeurs ne sont jamais affichées.",
        "No secret is written in clear in the infrastructure code (SecNumCloud 10.5: secrets in a security container). OpenStack instances: a set `adminPass` fails; `userData` and the content of `personalities` fail when they contain a credential pattern (`motifsSecretsDonneesUtilisateur`: `password=`, `passwd:`, AWS keys, PEM private key, `OS_PASSWORD`, `token:`…, searched case-insensitive; a base64 `userData` is decoded too); an instance without `keyPair` fails (SSH access by key pair; can be turned off with `exigerPaireDeCles: false`, e.g. for images without SSH). Kubernetes containers (init containers included, in the pod templates of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob): an `env` variable whose name matches `nomsVariablesSensibles` (PASSWORD, SECRET, TOKEN, API_KEY…, case-insensitive) and that carries a non-empty literal `value` fails; `valueFrom` (secretKeyRef…) is expected; names matching `nomsVariablesExclus` (suffixes `_FILE`, `_PATH`…, which name a path) are accepted. Values are never shown.",
    ),
    remediation: txt(
        "Ne pas fixer de mot de passe : se connecter par `keyPair` ; ranger les secrets dans Barbican ou un Secret Kubernetes et les lire à l'exécution (`valueFrom.secretKeyRef`), jamais dans `userData` ni dans une valeur `env`.",
        "Set no password: log in with a `keyPair`; keep secrets in Barbican or a Kubernetes Secret and read them at run time (`valueFrom.secretKeyRef`), never in `userData` nor an `env` value.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    sensitive: ["adminPass", "userData", "personalities"],
    config: {
        motifsSecretsDonneesUtilisateur: {
            type: "array",
            items: { type: "string" },
            default: [
                "\\b(password|passwd|pwd)\\s*[=:]\\s*\\S",
                "\\bchpasswd\\s*:",
                "\\btoken\\s*[=:]\\s*\\S",
                "\\b(client_secret|secret_key|api[_-]?key)\\s*[=:]\\s*\\S",
                "AKIA[0-9A-Z]{16}",
                "aws_secret_access_key",
                "-----BEGIN [A-Z ]*PRIVATE KEY-----",
                "OS_PASSWORD",
                "OS_APPLICATION_CREDENTIAL_SECRET",
            ],
            description: txt(
                "Motifs d'identifiants cherchés dans `userData` et `personalities` (expressions régulières, sans casse).",
                "Credential patterns searched in `userData` and `personalities` (regular expressions, case-insensitive).",
            ),
        },
        decoderBase64: {
            type: "boolean",
            default: true,
            description: txt("Décoder aussi un `userData` en base64 avant la recherche.", "Also decode a base64 `userData` before searching."),
        },
        exigerPaireDeCles: {
            type: "boolean",
            default: true,
            description: txt("Exiger une `keyPair` sur chaque instance.", "Require a `keyPair` on every instance."),
        },
        nomsVariablesSensibles: {
            type: "array",
            items: { type: "string" },
            default: ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_?KEY", "PRIVATE_?KEY", "ACCESS_?KEY", "CREDENTIAL"],
            description: txt(
                "Motifs de noms de variables d'environnement sensibles (expressions régulières recherchées dans le nom, sans casse).",
                "Patterns of sensitive environment variable names (regular expressions searched in the name, case-insensitive).",
            ),
        },
        nomsVariablesExclus: {
            type: "array",
            items: { type: "string" },
            default: ["_(FILE|PATH|DIR|URL_FILE)$"],
            description: txt(
                "Motifs de noms acceptés malgré tout (la valeur est un chemin, pas un secret).",
                "Name patterns accepted anyway (the value is a path, not a secret).",
            ),
        },
    },
    types: [OS.instance, ...K8S_WORKLOADS],
    check(r, ctx) {
        if (r.type === OS.instance) return checkInstance(r, ctx);
        checkWorkload(r, ctx);
    },
});

function decoded(s: string): string | undefined {
    const t = s.replace(/\s+/g, "");
    if (t.length < 8 || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(t)) return undefined;
    const out = Buffer.from(t, "base64").toString("utf8");
    // Keep only text-like results.
    return /^[\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]*$/.test(out) && !out.includes("\ufffd") ? out : undefined;
}

function checkInstance(r: ResourceView, ctx: RuleContext<Config>): void {
    const c = ctx.config;
    if (!isMissing(r.props["adminPass"])) {
        ctx.report({
            property: "adminPass",
            problem: msg(m`mot de passe administrateur écrit dans le code (il figure aussi dans l'état).`, m`administrator password written in the code (it is in the state too).`),
        });
    }
    const userData = str(r.props["userData"]);
    if (userData) {
        const texts = [userData];
        const d = c.decoderBase64 ? decoded(userData) : undefined;
        if (d) texts.push(d);
        const hits = texts.map((t) => findAny(t, c.motifsSecretsDonneesUtilisateur)).filter((h): h is string => !!h);
        if (hits.length > 0) {
            ctx.report({
                property: "userData",
                problem: msg(
                    m`les données utilisateur contiennent un identifiant en clair (motif « ${hits[0]} »).`,
                    m`user data contain a credential in clear (pattern "${hits[0]}").`,
                ),
            });
        }
    }
    arr(r.props["personalities"]).forEach((p, i) => {
        const content = str(rec(p)?.["content"]);
        const hit = content ? findAny(content, c.motifsSecretsDonneesUtilisateur) : undefined;
        if (hit) {
            ctx.report({
                property: `personalities[${i}].content`,
                problem: msg(m`fichier injecté contenant un identifiant en clair (motif « ${hit} »).`, m`injected file containing a credential in clear (pattern "${hit}").`),
            });
        }
    });
    if (c.exigerPaireDeCles && !str(r.props["keyPair"])?.trim()) {
        ctx.report({
            property: "keyPair",
            value: r.props["keyPair"],
            problem: msg(m`instance sans paire de clés : l'accès SSH repose sur un mot de passe.`, m`instance without a key pair: SSH access relies on a password.`),
            fix: msg(m`déclarer une \`openstack.compute.Keypair\` et la référencer dans \`keyPair\`.`, m`declare an \`openstack.compute.Keypair\` and reference it in \`keyPair\`.`),
        });
    }
}

function checkWorkload(r: ResourceView, ctx: RuleContext<Config>): void {
    const pod = podSpec(r.type, r.props);
    if (!pod) return;
    for (const ct of containers(pod)) {
        arr(ct.container["env"]).forEach((e, i) => {
            const env = rec(e);
            const name = env ? str(env["name"]) : undefined;
            if (!env || !name) return;
            if (!findAny(name, ctx.config.nomsVariablesSensibles) || findAny(name, ctx.config.nomsVariablesExclus)) return;
            const v = env["value"];
            if (typeof v === "object" && v !== null) touchAll(v); // an unknown inside: cannot be checked yet
            const literal = typeof v === "string" ? v.length > 0 : typeof v === "number" || typeof v === "boolean";
            if (!literal) return;
            ctx.report({
                property: `${ct.path}.env[${i}].value`,
                problem: msg(
                    m`conteneur « ${ct.name} » : la variable ${name} porte une valeur littérale (valueFrom.secretKeyRef attendu).`,
                    m`container "${ct.name}": variable ${name} carries a literal value (valueFrom.secretKeyRef expected).`,
                ),
                fix: msg(
                    m`lire ${name} depuis un Secret : \`valueFrom: { secretKeyRef: { name, key } }\`.`,
                    m`read ${name} from a Secret: \`valueFrom: { secretKeyRef: { name, key } }\`.`,
                ),
            });
        });
    }
}
