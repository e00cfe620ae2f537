import { txt } from "../../lib/i18n";
import { containers, podSpec } from "../../lib/k8s";
import { isPatch, notSetByPatch, withPatches } from "../../lib/k8s-patch";
import type * as CloudInit from "../../lib/cloud-init";
import type { ScanRules, SecretFinding } from "../../lib/secret-scan";
import type * as SecretScan from "../../lib/secret-scan";
import { DEFAULT_NAME_RULES, isSecretName, NameRules } from "../../lib/secret-names";
import { arr, isMissing, rec, str, strings, touchAll } from "../../lib/props";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { K8S_WORKLOADS, OS } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const cloudInit = lazy(() => require("../../lib/cloud-init") as typeof CloudInit);
const secretScan = lazy(() => require("../../lib/secret-scan") as typeof SecretScan);

interface Config {
    exigerPaireDeCles: boolean;
    accepterEmpreintes: boolean;
    nomsSecrets: string[];
    nomsSecretsCourts: string[];
    qualificatifsCle: string[];
    motsNeutres: string[];
    motsDeReglage: string[];
    optionsMotDePasse: string[];
    motifsJetons: string[];
}

const D = DEFAULT_NAME_RULES;

export default defineResourceRule<Config>({
    name: "sec-09-pas-de-secret-en-clair",
    needs: ["SEC-09"],
    title: txt("Pas de secret en clair", "No secret in clear"),
    description: txt(
        "Aucun secret n'est écrit en clair dans le code d'infrastructure (SecNumCloud 10.5 : secrets dans un conteneur de sécurité). Les secrets sont reconnus par ce qu'ils sont, en lisant les valeurs comme le système qui les reçoit, jamais par une sous-chaîne. " +
            "Noms : un nom (variable, clé, option) désigne un secret quand son dernier mot significatif (mots séparés par `_`, `-`, `.`, la casse chameau ; chiffres finals et pluriels ignorés) est un nom de secret (`nomsSecrets` : password, passwd, passphrase, secret, token, apikey…, aussi collé en fin de mot : `PGPASSWORD` ; `nomsSecretsCourts` pass, pwd seulement précédés d'un qualificatif : `DB_PASS`, pas `PWD`), ou `key` précédé de `qualificatifsCle` (api, private, secret, encryption, signing…, et `secret access key`) ; seuls `motsNeutres` (value, b64, hash…) peuvent suivre. Ainsi `*_PASSWORD`, `*_PWD`, `*_PASS`, `MYSQL_ROOT_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`, `*_PRIVATE_KEY`, `AWS_SECRET_ACCESS_KEY`, `OS_PASSWORD`, `dbPassword` sont des secrets ; `SECRET_NAME`, `*_SECRET_REF`, `*_TTL_SECONDS`, `PASSWORD_MIN_LENGTH`, `TOKEN_URL`, `*_FILE`, `*_PATH`, `AWS_ACCESS_KEY_ID` n'en sont pas ; un mot de `motsDeReglage` avant le nom en fait un réglage (`MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD`, `lock_passwd`). Une valeur qui ne fait que renvoyer ailleurs n'est pas un secret : vide, expansion (`$VAR`, `${VAR}`, `$(cmd)`, `$(VAR)` de Kubernetes), gabarit `{{ … }}`, valeur chiffrée (`!vault`, `ENC[…]`). " +
            "Quelle que soit la syntaxe : clé privée PEM, jetons de format connu (`motifsJetons`), identifiants dans une URL (`scheme://utilisateur:mot-de-passe@hôte`, l'information d'utilisateur finissant au dernier `@` de l'autorité). " +
            "Instances OpenStack : `adminPass` renseigné est en défaut ; une instance sans `keyPair` est en défaut (accès SSH par paire de clés ; `exigerPaireDeCles: false` pour des images sans SSH). `userData` est lu comme l'instance le reçoit : décodé du base64 quand il en est (gophercloud ne ré-encode pas une valeur déjà en base64 standard), décompressé du gzip, découpé comme cloud-init (`user_data.py`) : message MIME multipart (`Content-Transfer-Encoding` base64 ou quoted-printable, parties gzip), parties typées par leur début (`#cloud-config`, `#!`, `#cloud-boothook`, `#include`/`#include-once` dont les URL sont examinées, `#cloud-config-archive` dont chaque entrée est une partie, `## template: jinja` dont le reste est la partie). Dans un `#cloud-config` (YAML 1.1) : `password` et `chpasswd` (`list` en texte ou en liste, `users`) comme `cc_set_passwords` (`R`/`RANDOM` et `type: RANDOM` sont tirés au hasard et acceptés ; une empreinte crypt `$1$`, `$5$`, `$6$`… ou `type: hash`, défaut de `users`, est une empreinte), `users[].plain_text_passwd` (en clair), `users[].passwd`/`hashed_passwd` (empreintes ; `!` ou `*` : compte verrouillé, accepté), `ssh_keys.*_private`, `write_files[].content` décodé selon `encoding` et lu comme un fichier, `runcmd`/`bootcmd` lus comme des commandes, toute autre clé qui désigne un secret avec une valeur littérale. Scripts et fichiers : affectations (`export NOM=…`, `NOM=… commande`, `PGPASSWORD=… psql`), lignes `clé: valeur`, `clé = valeur`, `\"clé\": \"valeur\"`, options `--password=…`/`--token …` (toute option longue qui désigne un secret), options de `optionsMotDePasse` (`mysql -pSECRET`, `sshpass -p`, `curl -u utilisateur:mot-de-passe`…), `echo 'u:p' | chpasswd` et document en ligne vers `chpasswd`. Une partie illisible est lue comme du texte. Décision : une empreinte de mot de passe est en défaut (elle se casse hors ligne et ouvre une connexion par mot de passe), sauf `accepterEmpreintes: true`. Le contenu des `personalities` est lu comme un fichier. Dans l'état (`check --state`), le fournisseur OpenStack ne garde de `user_data` que son empreinte SHA1 : l'instance est alors « impossible à vérifier », jamais conforme. " +
            "Conteneurs Kubernetes (y compris d'initialisation, dans les gabarits de pod des Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) : une variable `env` dont le nom désigne un secret et qui porte une valeur littérale (`value`) est en défaut, `valueFrom` (secretKeyRef…) est attendu ; toute valeur `env` qui contient une clé privée, un jeton ou des identifiants d'URL est en défaut ; `command` et `args` sont lus comme une ligne de commande (et `sh -c` comme un script). Les valeurs ne sont jamais affichées." + " Correctifs Kubernetes (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : jugés sur les variables et lignes de commande qu'ils fixent ; un correctif sans modèle de pod n'est pas examiné.",
        "No secret is written in clear in the infrastructure code (SecNumCloud 10.5: secrets in a security container). Secrets are recognised by what they are, reading values as the receiving system does, never by a substring. " +
            "Names: a name (variable, key, option) designates a secret when its last meaningful word (words split at `_`, `-`, `.`, camel case; trailing digits and plurals ignored) is a secret noun (`nomsSecrets`: password, passwd, passphrase, secret, token, apikey…, also glued at the end of a word: `PGPASSWORD`; `nomsSecretsCourts` pass, pwd only after a qualifier: `DB_PASS`, not `PWD`), or `key` after one of `qualificatifsCle` (api, private, secret, encryption, signing…, and `secret access key`); only `motsNeutres` (value, b64, hash…) may follow. So `*_PASSWORD`, `*_PWD`, `*_PASS`, `MYSQL_ROOT_PASSWORD`, `*_SECRET`, `*_TOKEN`, `*_API_KEY`, `*_PRIVATE_KEY`, `AWS_SECRET_ACCESS_KEY`, `OS_PASSWORD`, `dbPassword` are secrets; `SECRET_NAME`, `*_SECRET_REF`, `*_TTL_SECONDS`, `PASSWORD_MIN_LENGTH`, `TOKEN_URL`, `*_FILE`, `*_PATH`, `AWS_ACCESS_KEY_ID` are not; a word of `motsDeReglage` before the noun makes it a setting (`MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD`, `lock_passwd`). A value that only refers elsewhere is no secret: empty, an expansion (`$VAR`, `${VAR}`, `$(cmd)`, Kubernetes `$(VAR)`), a `{{ … }}` template, an encrypted value (`!vault`, `ENC[…]`). " +
            "Whatever the syntax: a PEM private key, tokens of known formats (`motifsJetons`), credentials in a URL (`scheme://user:password@host`, the user information ending at the authority's last `@`). " +
            "OpenStack instances: a set `adminPass` fails; an instance without `keyPair` fails (SSH access by key pair; `exigerPaireDeCles: false` for images without SSH). `userData` is read as the instance receives it: base64-decoded when it is base64 (gophercloud does not re-encode a value that already is standard base64), gunzipped, split as cloud-init does (`user_data.py`): multipart MIME message (`Content-Transfer-Encoding` base64 or quoted-printable, gzip parts), parts typed by how they start (`#cloud-config`, `#!`, `#cloud-boothook`, `#include`/`#include-once` whose URLs are examined, `#cloud-config-archive` whose entries are parts, `## template: jinja` whose rest is the part). In a `#cloud-config` (YAML 1.1): `password` and `chpasswd` (`list` as text or list, `users`) as `cc_set_passwords` reads them (`R`/`RANDOM` and `type: RANDOM` are drawn at random and accepted; a crypt hash `$1$`, `$5$`, `$6$`… or `type: hash`, the default of `users`, is a hash), `users[].plain_text_passwd` (clear), `users[].passwd`/`hashed_passwd` (hashes; `!` or `*`: a locked account, accepted), `ssh_keys.*_private`, `write_files[].content` decoded by its `encoding` and read as a file, `runcmd`/`bootcmd` read as commands, any other key designating a secret with a literal value. Scripts and files: assignments (`export NAME=…`, `NAME=… command`, `PGPASSWORD=… psql`), `key: value`, `key = value`, `\"key\": \"value\"` lines, `--password=…`/`--token …` options (any long option designating a secret), options of `optionsMotDePasse` (`mysql -pSECRET`, `sshpass -p`, `curl -u user:password`…), `echo 'u:p' | chpasswd` and a here-document into `chpasswd`. A part that does not parse is read as text. Decision: a password hash fails (it can be cracked offline and enables password log-in), unless `accepterEmpreintes: true`. The content of `personalities` is read as a file. In the state (`check --state`), the OpenStack provider keeps only the SHA1 hash of `user_data`: the instance is then \"cannot be checked\", never compliant. " +
            "Kubernetes containers (init containers included, in the pod templates of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob): an `env` variable whose name designates a secret and that carries a literal `value` fails, `valueFrom` (secretKeyRef…) is expected; any `env` value holding a private key, a token or URL credentials fails; `command` and `args` are read as a command line (and `sh -c` as a script). Values are never shown." + " Kubernetes patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): judged on the variables and command lines they set; a patch without a pod template is not examined.",
    ),
    remediation: txt(
        "Ne pas fixer de mot de passe : se connecter par `keyPair` ; ranger les secrets dans Barbican ou un Secret Kubernetes et les lire à l'exécution (`valueFrom.secretKeyRef`), jamais dans `userData` ni dans une valeur `env`.",
        "Set no password: log in with a `keyPair`; keep secrets in Barbican or a Kubernetes Secret and read them at run time (`valueFrom.secretKeyRef`), never in `userData` nor an `env` value.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    sensitive: ["adminPass", "userData", "personalities"],
    config: {
        exigerPaireDeCles: {
            type: "boolean",
            default: true,
            description: txt("Exiger une `keyPair` sur chaque instance.", "Require a `keyPair` on every instance."),
        },
        accepterEmpreintes: {
            type: "boolean",
            default: false,
            description: txt(
                "Accepter les empreintes de mot de passe (crypt) dans les données utilisateur.",
                "Accept password hashes (crypt) in user data.",
            ),
        },
        nomsSecrets: {
            type: "array",
            items: { type: "string" },
            default: [...D.nouns],
            description: txt("Noms qui désignent un secret (dernier mot d'un nom composé, ou fin d'un mot collé de 5 lettres ou plus).", "Nouns designating a secret (last word of a compound name, or end of a glued word of 5 letters or more)."),
        },
        nomsSecretsCourts: {
            type: "array",
            items: { type: "string" },
            default: [...D.shortNouns],
            description: txt("Noms courts qui désignent un secret seulement comme mot entier après un qualificatif.", "Short nouns designating a secret only as a whole word after a qualifier."),
        },
        qualificatifsCle: {
            type: "array",
            items: { type: "string" },
            default: [...D.keyQualifiers],
            description: txt("Mots qui font de `<mot> key` un secret.", "Words that make `<word> key` a secret."),
        },
        motsNeutres: {
            type: "array",
            items: { type: "string" },
            default: [...D.neutral],
            description: txt("Mots qui peuvent suivre le nom du secret sans changer ce que le nom désigne.", "Words that may follow the secret noun without changing what the name designates."),
        },
        motsDeReglage: {
            type: "array",
            items: { type: "string" },
            default: [...D.settings],
            description: txt("Mots qui, avant le nom du secret, font du nom un réglage.", "Words that, before the secret noun, make the name a setting."),
        },
        optionsMotDePasse: {
            type: "array",
            items: { type: "string" },
            default: [
                "mysql -p+", "mysqldump -p+", "mysqladmin -p+", "mysqlimport -p+", "mariadb -p+", "mariadb-dump -p+", "mariadb-admin -p+",
                "sshpass -p", "redis-cli -a", "useradd -p", "usermod -p", "curl -u:", "curl --user:", "wget --password", "htpasswd -b:",
            ],
            description: txt(
                "Options de commandes qui portent un mot de passe (`commande option`, `+` final : valeur seulement collée, `:` final : valeur `utilisateur:mot-de-passe`).",
                "Command options carrying a password (`command option`, trailing `+`: value attached only, trailing `:`: value `user:password`).",
            ),
        },
        motifsJetons: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["\\bgh[pousr]_[A-Za-z0-9]{36,}", "\\bgithub_pat_[A-Za-z0-9_]{22,}", "\\bglpat-[A-Za-z0-9_-]{20,}", "\\bxox[abprs]-[A-Za-z0-9-]{10,}"],
            description: txt("Formats de jetons reconnus quel que soit leur nom (expressions régulières).", "Token formats recognised whatever their name (regular expressions)."),
        },
    },
    types: [OS.instance, ...withPatches(K8S_WORKLOADS)],
    check(r, ctx) {
        if (r.type === OS.instance) return checkInstance(r, ctx);
        checkWorkload(r, ctx);
    },
});

function scanRules(c: Config): ScanRules {
    const names: NameRules = {
        nouns: c.nomsSecrets,
        shortNouns: c.nomsSecretsCourts,
        keyQualifiers: c.qualificatifsCle,
        neutral: c.motsNeutres,
        settings: c.motsDeReglage,
    };
    return { names, commandOptions: c.optionsMotDePasse, tokenPatterns: c.motifsJetons };
}

const KINDS: Record<SecretFinding["kind"], Message> = {
    password: msg(m`mot de passe en clair`, m`password in clear`),
    hash: msg(m`empreinte de mot de passe`, m`password hash`),
    "private-key": msg(m`clé privée`, m`private key`),
    "url-credentials": msg(m`identifiants dans une URL`, m`credentials in a URL`),
    named: msg(m`valeur secrète`, m`secret value`),
    option: msg(m`option de ligne de commande`, m`command-line option`),
    token: msg(m`jeton`, m`token`),
};

/** Findings as a list in each language: what, carried by which name, where. */
function listed(findings: readonly SecretFinding[]): Message {
    const line = (f: SecretFinding, lang: "fr" | "en") =>
        f.name ? m`${KINDS[f.kind][lang]} (${f.name}) — ${f.where}` : m`${KINDS[f.kind][lang]} — ${f.where}`;
    return msg(m`${items(findings.map((f) => line(f, "fr")), { sep: " ; " })}`, m`${items(findings.map((f) => line(f, "en")), { sep: "; " })}`);
}

/** What the OpenStack provider keeps of `user_data` in the state: its SHA1, in hexadecimal. */
const STATE_HASH = /^[0-9a-f]{40}$/;

function checkInstance(r: ResourceView, ctx: RuleContext<Config>): void {
    const c = ctx.config;
    const rules = scanRules(c);
    const keep = (f: SecretFinding) => !(c.accepterEmpreintes && f.kind === "hash");
    if (!isMissing(r.props["adminPass"])) {
        ctx.report({
            property: "adminPass",
            problem: msg(m`mot de passe administrateur écrit dans le code (il figure aussi dans l'état).`, m`administrator password written in the code (it is in the state too).`),
        });
    }
    if (c.exigerPaireDeCles && !str(r.props["keyPair"])?.trim()) {
        ctx.report({
            property: "keyPair",
            value: r.props["keyPair"],
            problem: msg(m`instance sans paire de clés : l'accès SSH repose sur un mot de passe.`, m`instance without a key pair: SSH access relies on a password.`),
            fix: msg(m`déclarer une \`openstack.compute.Keypair\` et la référencer dans \`keyPair\`.`, m`declare an \`openstack.compute.Keypair\` and reference it in \`keyPair\`.`),
        });
    }
    arr(r.props["personalities"]).forEach((p, i) => {
        const content = str(rec(p)?.["content"]);
        if (!content) return;
        const file = str(rec(p)?.["file"]);
        const found: SecretFinding[] = [];
        secretScan().scanFileText(content, file ?? `personalities[${i}]`, rules, found);
        const kept = secretScan().dedupe(found).filter(keep);
        if (kept.length === 0) return;
        const list = listed(kept);
        ctx.report({
            property: `personalities[${i}].content`,
            problem: msg(m`fichier injecté contenant des secrets en clair : ${list.fr}.`, m`injected file containing secrets in clear: ${list.en}.`),
        });
    });
    const userData = str(r.props["userData"]);
    if (!userData) return;
    if (STATE_HASH.test(userData)) {
        ctx.cannotCheck(
            msg(
                m`userData : l'état ne garde que l'empreinte SHA1 des données utilisateur (terraform-provider-openstack), leur contenu ne peut pas être vérifié ; vérifier le programme par une prévisualisation.`,
                m`userData: the state keeps only the SHA1 hash of the user data (terraform-provider-openstack), their content cannot be checked; check the program with a preview.`,
            ),
        );
    }
    const { findings, encodings } = cloudInit().scanUserData(userData, { rules });
    const kept = findings.filter(keep);
    if (kept.length === 0) return;
    const list = listed(kept);
    const how = encodings.length > 0 ? ` (${encodings.join(", ")})` : "";
    ctx.report({
        property: "userData",
        problem: msg(
            m`les données utilisateur${how} contiennent des secrets en clair : ${list.fr}.`,
            m`user data${how} contain secrets in clear: ${list.en}.`,
        ),
    });
}

function checkWorkload(r: ResourceView, ctx: RuleContext<Config>): void {
    const pod = podSpec(r.type, r.props);
    if (!pod) {
        if (isPatch(r.type)) ctx.notApplicable(notSetByPatch("pod template"));
        return;
    }
    const rules = scanRules(ctx.config);
    for (const ct of containers(pod)) {
        arr(ct.container["env"]).forEach((e, i) => {
            const env = rec(e);
            const name = env ? str(env["name"]) : undefined;
            if (!env || !name) return;
            const v = env["value"];
            if (typeof v === "object" && v !== null) touchAll(v); // an unknown inside: cannot be checked yet
            const text = typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
            if (text === undefined) return;
            if (isSecretName(name, rules.names) && typeof v !== "boolean" && secretScan().isLiteral(text)) {
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
                return;
            }
            const found: SecretFinding[] = [];
            secretScan().scanValue(text, name, rules, found);
            if (found.length === 0) return;
            const list = listed(found);
            ctx.report({
                property: `${ct.path}.env[${i}].value`,
                problem: msg(
                    m`conteneur « ${ct.name} » : la variable ${name} contient des secrets en clair : ${list.fr}.`,
                    m`container "${ct.name}": variable ${name} holds secrets in clear: ${list.en}.`,
                ),
                fix: msg(
                    m`lire le secret depuis un Secret (\`valueFrom.secretKeyRef\`) et le composer par \`$(VAR)\`.`,
                    m`read the secret from a Secret (\`valueFrom.secretKeyRef\`) and compose it with \`$(VAR)\`.`,
                ),
            });
        });
        const command = ct.container["command"];
        const args = ct.container["args"];
        if (command === undefined && args === undefined) continue;
        const argv = [...(command === undefined ? [""] : strings(command)), ...strings(args)];
        const found: SecretFinding[] = [];
        cloudInit().scanArgv(argv, command === undefined ? "args" : "command", rules, found);
        const kept = secretScan().dedupe(found);
        if (kept.length === 0) continue;
        const list = listed(kept);
        ctx.report({
            property: `${ct.path}.${command === undefined ? "args" : "command"}`,
            problem: msg(
                m`conteneur « ${ct.name} » : la ligne de commande contient des secrets en clair : ${list.fr}.`,
                m`container "${ct.name}": the command line holds secrets in clear: ${list.en}.`,
            ),
            fix: msg(
                m`passer le secret par une variable lue d'un Secret (\`valueFrom.secretKeyRef\`) et l'utiliser par \`$(VAR)\`.`,
                m`pass the secret through a variable read from a Secret (\`valueFrom.secretKeyRef\`) and use it as \`$(VAR)\`.`,
            ),
        });
    }
}
