/**
 * Conformance matrices of the reference stacks, one per stack and provider profile, committed as
 * generated documentation in docs/conformite/ (`npm run matrices`; a test fails when one is stale).
 * Each stack program runs under Pulumi's mocks with its stack configuration, and the pack evaluates
 * it with the policy configuration of its profile, exactly as `cloud-de-confiance check` does.
 */
import * as fs from "fs";
import * as path from "path";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { providerProfile } from "@cloud-de-confiance/policies/dist/lib/profiles";
import { check, toResult } from "../checker/check";
import { CheckResult } from "../checker/model";
import { ProgramRun, runProgram } from "../checker/program";
import { attachSecrets, inputSecrets } from "../checker/secrets";
import { PolicyPackProcess } from "../engine/driver";
import { evaluate } from "../engine/engine";
import { stackContext, stackKnowledge } from "../checker/stack-description";
import { parsePolicyConfig } from "../engine/engine";
import { renderConformanceMarkdown } from "../reports/conformance";

export const ROOT = path.resolve(__dirname, "../../..");
export const MATRICES_DIR = path.join(ROOT, "docs/conformite");

export interface ReferenceStack {
    /** Folder under stacks/. */
    pile: string;
    /** Stack name: the program reads Pulumi.<stack>.yaml. */
    stack: string;
    /** Policy configuration, relative to the repository root; its `profil` is the profile. */
    configuration: string;
}

/** Every reference stack, with each of its stack configurations and the policy configuration to use. */
export const REFERENCE_STACKS: readonly ReferenceStack[] = [
    { pile: "application-web", stack: "ovhcloud", configuration: "examples/configurations/ovhcloud-production.json" },
    { pile: "application-web", stack: "defaut", configuration: "examples/configurations/defaut-hors-production.json" },
    { pile: "kubernetes-gere", stack: "ovhcloud", configuration: "examples/configurations/ovhcloud-production.json" },
    { pile: "kubernetes-gere", stack: "defaut", configuration: "examples/configurations/defaut-hors-production.json" },
    { pile: "kubernetes-gere", stack: "kubernetes-qualifie", configuration: "examples/configurations/kubernetes-qualifie-production.json" },
    { pile: "service-donnees", stack: "ovhcloud", configuration: "examples/configurations/ovhcloud-production.json" },
    { pile: "service-donnees", stack: "defaut", configuration: "examples/configurations/defaut-hors-production.json" },
];

export function matrixFile(s: ReferenceStack): string {
    return path.join(MATRICES_DIR, `${s.pile}.${s.stack}.md`);
}

export function policyConfigOf(s: ReferenceStack): Record<string, unknown> {
    return JSON.parse(fs.readFileSync(path.join(ROOT, s.configuration), "utf8")) as Record<string, unknown>;
}

/** The profile a policy configuration selects (the pack's default when none). */
export function profileOf(s: ReferenceStack): string {
    const settings = policyConfigOf(s)["cloud-de-confiance"] as { profil?: string } | undefined;
    return settings?.profil ?? "defaut";
}

/**
 * Whether a need applies to an offer of the profile: one of its rules inspects a resource of an API
 * the offer exposes (`apis` of the profile, both OpenStack and Kubernetes by default), or the stack
 * itself (no resource type).
 */
export function needApplies(need: string, profile: string): boolean {
    const apis = providerProfile(profile)?.apis ?? ["openstack", "kubernetes"];
    return ruleModules().some(({ rule }) =>
        rule.needs.includes(need) &&
        (rule.types.length === 0 || rule.types.some((t) => apis.some((a) => t.startsWith(`${a}:`) || t === `pulumi:providers:${a}`))));
}

/** Runs the stack program under mocks, as `cloud-de-confiance check stacks/<pile> --stack <stack>` does. */
export function runReferenceStack(s: ReferenceStack, configOverrides?: Record<string, string>): Promise<ProgramRun> {
    return runProgram(path.join(ROOT, "stacks", s.pile), { stack: s.stack, preview: true, configOverrides });
}

/**
 * Checks a run of the stack with the pack, as `cloud-de-confiance check` does (a pack of its own,
 * unless one already started is given): the result the matrix is made of.
 */
export async function checkReferenceStack(s: ReferenceStack, run?: ProgramRun, pack?: PolicyPackProcess): Promise<CheckResult> {
    const r = run ?? (await runReferenceStack(s));
    const known = stackKnowledge({ project: r.project, tags: r.stackTags, config: r.config, secretKeys: r.secretConfigKeys });
    const stack = stackContext({ project: r.project, stack: r.stack, dryRun: true }, known);
    const source = { kind: "program" as const, path: `stacks/${s.pile}`, stack: r.stack };
    const config = parsePolicyConfig(policyConfigOf(s), s.configuration);
    if (pack) {
        const ev = await evaluate(pack, r.resources, { config, stack });
        return attachSecrets(toResult(ev, source, [], new Date(), undefined, stack), inputSecrets(r.resources, r.secretSources));
    }
    const { result } = await check({ source, resources: r.resources, stack, config, secretSources: r.secretSources });
    return result;
}

/** The committed document: a header naming the stack, profile and configuration, then the matrix. */
export function matrixDocument(s: ReferenceStack, result: CheckResult): string {
    return [
        `<!-- Document généré par \`npm run matrices\` : ne pas modifier à la main. -->`,
        "",
        `Pile de référence \`stacks/${s.pile}\`, configuration \`Pulumi.${s.stack}.yaml\`, profil \`${profileOf(s)}\`, configuration du pack \`${s.configuration}\`.`,
        "",
        // The date of the run is not part of a committed document: it would make it stale at once.
        renderConformanceMarkdown({ ...result, run: { ...result.run, at: "(date de génération : voir l'historique du fichier)" } }),
    ].join("\n");
}

/** The index of docs/conformite/: one line per matrix. */
export function indexDocument(): string {
    const lines = [
        "# Matrices de conformité des piles de référence",
        "",
        "_Document généré par `npm run matrices` ; ne pas modifier à la main._",
        "",
        "Chaque matrice dit, besoin par besoin, ce que la pile exerce sur le profil : la pile tourne sous la simulation de Pulumi",
        "(aucun compte cloud) avec sa configuration, et le pack l'évalue avec la configuration du profil. Un fournisseur produit",
        "la même matrice sur son offre à partir de l'état déployé (`cloud-de-confiance check --state`, voir le README).",
        "",
        "| pile | configuration de la pile | profil | configuration du pack | matrice |",
        "|---|---|---|---|---|",
        ...REFERENCE_STACKS.map((s) =>
            `| \`${s.pile}\` | \`Pulumi.${s.stack}.yaml\` | \`${profileOf(s)}\` | [\`${path.basename(s.configuration)}\`](../../${s.configuration}) | [${s.pile}.${s.stack}.md](${s.pile}.${s.stack}.md) |`),
        "",
    ];
    return lines.join("\n");
}

export const INDEX_FILE = path.join(MATRICES_DIR, "README.md");

async function main(): Promise<void> {
    fs.mkdirSync(MATRICES_DIR, { recursive: true });
    for (const s of REFERENCE_STACKS) {
        const result = await checkReferenceStack(s);
        fs.writeFileSync(matrixFile(s), matrixDocument(s, result));
        console.log(`écrit : ${path.relative(ROOT, matrixFile(s))} (${result.summary.mandatory} violation(s) obligatoire(s))`);
    }
    fs.writeFileSync(INDEX_FILE, indexDocument());
    console.log(`écrit : ${path.relative(ROOT, INDEX_FILE)}`);
}

if (require.main === module) {
    main().catch((e) => {
        console.error(`matrices : ${(e as Error).message}`);
        process.exitCode = 1;
    });
}
