import { txt } from "../../lib/i18n";
import { defineStackRule } from "../../lib/rule";
import { stackComplete, stackConfiguration, stackConfigurationKeys, stackDescribed } from "../../lib/settings";
import { configuredStackTags } from "../../lib/stack-knowledge";
import { items, m, msg } from "../../lib/message";

const STACK_TYPE = "pulumi:pulumi:Stack";

interface Config {
    clesExigees: string[];
}

export default defineStackRule<Config>({
    name: "pil-02-etiquettes-de-pile",
    needs: ["PIL-02"],
    title: txt("Étiquettes de pile", "Stack tags"),
    description: txt(
        "La pile déclare le ministère, l'application, l'environnement et le centre de coût : chaque clé de `clesExigees` (par défaut `ministere`, `application`, `environnement`, `centre-de-cout`) a une valeur non vide (hors espaces), soit comme étiquette de pile (`pulumi stack tag set <clé> <valeur>`, nom exact, sensible à la casse), soit dans la configuration de la pile sous n'importe quel espace de noms (`<projet>:<clé>`, par exemple `portail:ministere`) ; une clé de configuration secrète compte comme déclarée (sa valeur n'est jamais lue) ; la clé de configuration `pulumi:tags` (table nom → valeur que la CLI ajoute aux étiquettes de la pile) compte comme étiquettes. Une violation n'est possible que si le pack connaît entièrement les étiquettes et la configuration ; sinon, une clé manquante rend la règle « invérifiable » (jamais une violation). Sans appel ConfigureStack (CLI Pulumi antérieure à 3.221), les étiquettes de pile sont inconnues : seules les clés de la configuration transmise au processus du pack (`PULUMI_CONFIG`) sont lues. Le vérificateur (`cloud-de-confiance check`) appelle ConfigureStack avec ce qu'il sait et nomme ce qu'il ignore dans l'étiquette réservée `cloud-de-confiance/inconnu` (`etiquettes`, `configuration`), qu'aucune CLI ne peut poser (un nom d'étiquette de pile n'admet pas `/`) et que le pack retire avant toute politique : les étiquettes sont inconnues sauf `--stack-tag`/`--stack-tags` ; la configuration est connue pour un programme et une prévisualisation (le JSON la contient), inconnue pour un état (`pulumi stack export` ne contient ni étiquettes ni configuration) sauf `--config`/`--stack-config`. La règle s'applique à toute pile, même sans ressource, et ne lit aucune propriété de ressource : une seule violation, pour la pile entière (portée par sa ressource racine `pulumi:pulumi:Stack` quand elle est présente, ce qui permet d'y déroger), énumère les clés manquantes.",
        "The stack declares the ministry, application, environment and cost centre: every key of `clesExigees` (by default `ministere`, `application`, `environnement`, `centre-de-cout`) has a non-blank value, either as a stack tag (`pulumi stack tag set <key> <value>`, exact, case-sensitive name) or in the stack configuration under any namespace (`<project>:<key>`, e.g. `portail:ministere`); a secret configuration key counts as declared (its value is never read); the `pulumi:tags` configuration key (a name → value mapping the CLI adds to the stack's tags) counts as tags. A violation is only possible when the pack knows the tags and the configuration completely; otherwise a missing key makes the rule \"cannot be checked\" (never a violation). Without a ConfigureStack call (Pulumi CLI before 3.221), stack tags are unknown: only the keys of the configuration given to the pack's process (`PULUMI_CONFIG`) are read. The checker (`cloud-de-confiance check`) calls ConfigureStack with what it knows and names what it does not know in the reserved tag `cloud-de-confiance/inconnu` (`etiquettes`, `configuration`), which no CLI can set (a stack tag name admits no `/`) and which the pack removes before any policy: tags are unknown unless `--stack-tag`/`--stack-tags` are given; the configuration is known for a program and a preview (the JSON holds it), unknown for a state (`pulumi stack export` holds neither tags nor configuration) unless `--config`/`--stack-config` are given. The rule applies to every stack, even without resources, and reads no resource property: one violation, for the whole stack (carried by its root resource `pulumi:pulumi:Stack` when present, so that a derogation can name it), lists the missing keys.",
    ),
    remediation: txt(
        "Déclarer les clés manquantes : `pulumi stack tag set ministere <valeur>` (etc.), ou `pulumi config set ministere <valeur>`.",
        "Declare the missing keys: `pulumi stack tag set ministere <value>` (etc.), or `pulumi config set ministere <value>`.",
    ),
    severity: "medium",
    enforcementLevel: "mandatory",
    config: {
        clesExigees: {
            type: "array",
            items: { type: "string" },
            default: ["ministere", "application", "environnement", "centre-de-cout"],
            description: txt(
                "Clés que la pile doit déclarer (étiquettes de pile ou configuration `<projet>:<clé>`).",
                "Keys the stack must declare (stack tags or `<project>:<key>` configuration).",
            ),
        },
    },
    types: [],
    check(stack, ctx) {
        const present = new Set<string>();
        for (const [k, v] of stack.stackTags) if (typeof v === "string" && v.trim()) present.add(k);
        // `pulumi:tags` in the configuration sets stack tags (the CLI merges them in).
        for (const [k, v] of configuredStackTags()) if (v.trim()) present.add(k);
        const values = stackConfiguration();
        for (const k of stackConfigurationKeys()) {
            const i = k.indexOf(":");
            if (i < 0) continue;
            // A secret value is declared but unseen: it counts as given.
            const v = values.get(k);
            if (v === undefined || v.trim()) present.add(k.slice(i + 1));
        }
        const missing = ctx.config.clesExigees.filter((k) => !present.has(k));
        if (missing.length === 0) return;
        const list = items(missing, { max: 20 });
        if (!stackDescribed()) {
            // CLIs before 3.221 never call ConfigureStack: the stack tags are unknown to the pack.
            ctx.cannotCheck(msg(
                m`le moteur n'a pas décrit la pile (ConfigureStack, CLI Pulumi 3.221 ou plus récente) : ses étiquettes sont inconnues, ${list} absent(s) de sa configuration.`,
                m`the engine did not describe the stack (ConfigureStack, Pulumi CLI 3.221 or later): its tags are unknown, ${list} missing from its configuration.`,
            ));
        }
        const complete = stackComplete();
        if (!complete.tags && !complete.config) {
            ctx.cannotCheck(msg(
                m`ni les étiquettes ni la configuration de la pile ne sont connues (vérificateur : --stack-tag, --stack-tags, --config, --stack-config) ; ${list} non déclaré(s) dans ce qui est connu.`,
                m`neither the stack's tags nor its configuration are known (checker: --stack-tag, --stack-tags, --config, --stack-config); ${list} not declared in what is known.`,
            ));
        }
        if (!complete.tags) {
            ctx.cannotCheck(msg(
                m`les étiquettes de la pile ne sont pas connues (vérificateur : --stack-tag, --stack-tags) ; ${list} absent(s) de sa configuration.`,
                m`the stack's tags are not known (checker: --stack-tag, --stack-tags); ${list} missing from its configuration.`,
            ));
        }
        if (!complete.config) {
            ctx.cannotCheck(msg(
                m`la configuration de la pile n'est pas connue (vérificateur : --config, --stack-config) ; ${list} absent(s) de ses étiquettes.`,
                m`the stack's configuration is not known (checker: --config, --stack-config); ${list} missing from its tags.`,
            ));
        }
        // The whole stack: its root resource when present (always, in a real stack), so that a
        // derogation can name it; otherwise no resource.
        const root = stack.ofType(STACK_TYPE)[0];
        ctx.report({
            ...(root ? { resource: root } : {}),
            problem: msg(
                m`la pile ne déclare pas : ${list} (ni étiquette de pile ni configuration \`<projet>:<clé>\` non vide).`,
                m`the stack does not declare: ${list} (neither a stack tag nor a non-empty \`<project>:<key>\` configuration).`,
            ),
        });
    },
});
