/**
 * The documentation of a policy, as reports link and quote it: the rule's section of the
 * generated reference `docs/regles.md` (one anchor per policy name, see src/docs/generate.ts), and
 * the rule's own description (the interpretation it applies) and remediation, read from the pack's
 * registry.
 *
 * Links: SARIF wants an absolute URI for `helpUri`, GitLab an http(s) URL for an identifier. The
 * reference's URL is the `docsUrl` option (`--docs-url`: where `docs/regles.md` of this version is
 * published, for instance `https://github.com/ORG/cloud-de-confiance/blob/v0.1.0/docs/regles.md`);
 * without it, reports name the file in the tool's package (`docs/regles.md#<policy>`) in text and
 * give no link.
 */
import type { Rule } from "@cloud-de-confiance/policies/dist/lib/rule";
import { Lang } from "../checker/model";

/** The reference, relative to the tool's package (and repository) root. */
export const REFERENCE_PATH = "docs/regles.md";

export interface RuleDoc {
    title: string;
    description: string;
    remediation: string;
    needs: readonly string[];
}

let registry: Map<string, Rule> | undefined;

function rules(): Map<string, Rule> {
    if (!registry) {
        registry = new Map();
        try {
            // eslint-disable-next-line @typescript-eslint/no-var-requires
            const { ruleModules } = require("@cloud-de-confiance/policies/dist/registry") as typeof import("@cloud-de-confiance/policies/dist/registry");
            for (const m of ruleModules()) registry.set(m.rule.name, m.rule);
        } catch {
            // A report can be rendered without the pack (a result read back from JSON): no quotes then.
        }
    }
    return registry;
}

/** The rule's documentation in a language, when the pack knows the policy. */
export function ruleDoc(policy: string, lang: Lang): RuleDoc | undefined {
    const rule = rules().get(policy);
    if (!rule) return undefined;
    return { title: rule.title[lang], description: rule.description[lang], remediation: rule.remediation[lang], needs: rule.needs };
}

/** Whether a policy judges resources one by one or the stack as a whole, when the pack knows it. */
export function ruleKind(policy: string): "resource" | "stack" | undefined {
    return rules().get(policy)?.kind;
}

/** The URL of a policy's section of the reference, when its URL is known; undefined otherwise. */
export function ruleUrl(policy: string, docsUrl: string | undefined): string | undefined {
    if (!docsUrl || !/^https?:\/\/\S+$/i.test(docsUrl)) return undefined;
    return `${docsUrl.replace(/#.*$/, "")}#${encodeURIComponent(policy)}`;
}

/** Where a policy's section is, as text: its URL, else the file of the package. */
export function ruleReference(policy: string, docsUrl: string | undefined): string {
    return ruleUrl(policy, docsUrl) ?? `${REFERENCE_PATH}#${policy}`;
}
