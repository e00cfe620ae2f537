/**
 * Kubernetes objects in every form the pack meets them give the verdicts of the typed resources:
 * the mistakes of the pack's Kubernetes fixtures, written as ReplicationControllers, as patches
 * (`…Patch`), as the YAML of a `kubernetes:yaml/v2:ConfigGroup` that the checker reads itself, and
 * as plain manifests (`check --manifests`), through the real pack over gRPC.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import YAML from "yaml";
import type { Fixture, FixtureResource } from "@cloud-de-confiance/policies/dist/lib/fixture";
import { fullType, isPatch } from "@cloud-de-confiance/policies/dist/lib/k8s-patch";
import { isK8sObject, K8S } from "@cloud-de-confiance/policies/dist/lib/types";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { manifestResources, parseManifests, withYamlComponentChildren } from "../src/checker/manifests";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, Evaluation, isCannotCheck } from "../src/engine/engine";
import { EngineResource, isSecret, UNKNOWN } from "../src/engine/types";
import { engineResources, fixtureConfig } from "./support/fixtures";
import { startPack } from "./support/pack";

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

/** The rules that read a Kubernetes kind, with their compliant and non-compliant fixtures. */
const kubernetesRules = ruleModules()
    .filter((m) => m.rule.types.some((t) => t.startsWith("kubernetes:")) && m.fixturesFile)
    .map((m) => ({ rule: m.rule, fixtures: (require(m.fixturesFile!) as { default: Fixture[] }).default }));

async function run(ruleName: string, f: Fixture, resources: EngineResource[]): Promise<Evaluation> {
    return evaluate(pack, resources, { config: fixtureConfig(ruleName, f), stack: { project: "fixtures", stack: "test", tags: f.stackTags ?? {} } });
}

/** The typed fixture's evaluation, once for the three comparisons. */
const typedRuns = new Map<Fixture, Promise<Evaluation>>();
function runTyped(ruleName: string, f: Fixture): Promise<Evaluation> {
    let ev = typedRuns.get(f);
    if (!ev) typedRuns.set(f, (ev = run(ruleName, f, engineResources(f))));
    return ev;
}

/** The rule's findings, as comparable keys: `violation|<resource name>` and `cannot-check`. */
function verdicts(ev: Evaluation, ruleName: string, name: (urn: string) => string = (u) => u.split("::").pop() ?? u): string[] {
    return ev.diagnostics
        .filter((d) => d.policyName === ruleName)
        .map((d) => (isCannotCheck(d) ? "cannot-check" : `violation|${name(d.urn)}`))
        .sort();
}

/** Whether a value holds what YAML cannot carry (unknowns, secrets). */
function plainValue(v: unknown): boolean {
    if (v === UNKNOWN || isSecret(v)) return false;
    if (Array.isArray(v)) return v.every(plainValue);
    if (v !== null && typeof v === "object") return Object.values(v).every(plainValue);
    return true;
}

const KINDS: Fixture["kind"][] = ["compliant", "non-compliant"];

// ------------------------------------------------------------------------------------------------
// ReplicationController

/** A Deployment written as a ReplicationController (selector as a map), and the HPAs that target it. */
function asReplicationController(r: FixtureResource): FixtureResource {
    if (r.type === K8S.deployment) {
        const props = structuredClone(r.props) as Record<string, any>;
        const spec = props.spec;
        if (spec && typeof spec === "object") {
            const sel = spec.selector;
            if (sel && typeof sel === "object" && !Array.isArray(sel) && "matchLabels" in sel) spec.selector = sel.matchLabels;
            delete spec.strategy;
        }
        return { ...r, type: K8S.replicationController, props };
    }
    if ([K8S.hpaV1, K8S.hpaV2, K8S.hpaV2beta2].includes(r.type as never)) {
        const props = structuredClone(r.props) as Record<string, any>;
        const ref = props?.spec?.scaleTargetRef;
        if (ref && typeof ref === "object" && ref.kind === "Deployment") {
            ref.kind = "ReplicationController";
            ref.apiVersion = "v1";
        }
        return { ...r, props };
    }
    return r;
}

describe("ReplicationController : les verdicts du Deployment", () => {
    for (const { rule, fixtures } of kubernetesRules) {
        // PIL-01 reads the types of its configuration: a configured list without ReplicationController
        // rightly leaves it out.
        for (const f of fixtures.filter((x) => x.resources.some((r) => r.type === K8S.deployment) && !(x.config as { typesKubernetes?: unknown })?.typesKubernetes)) {
            test(`${rule.name} [${f.kind}] ${f.title}`, async () => {
                const typed = verdicts(await runTyped(rule.name, f), rule.name);
                const rc = { ...f, resources: f.resources.map(asReplicationController) };
                const asRc = verdicts(await run(rule.name, rc, engineResources(rc)), rule.name);
                assert.deepEqual(asRc, typed);
            });
        }
    }
});

// ------------------------------------------------------------------------------------------------
// Patches

describe("correctifs : jugés sur ce qu'ils fixent", () => {
    for (const { rule, fixtures } of kubernetesRules) {
        const patched = new Set(rule.types.filter(isPatch).map(fullType));
        for (const f of fixtures.filter((x) => KINDS.includes(x.kind) && x.resources.some((r) => patched.has(r.type)))) {
            test(`${rule.name} [${f.kind}] ${f.title}`, async () => {
                const typed = await runTyped(rule.name, f);
                const p = { ...f, resources: f.resources.map((r) => (patched.has(r.type) ? { ...r, type: `${r.type}Patch` } : r)) };
                const asPatch = await run(rule.name, p, engineResources(p));
                const full = verdicts(typed, rule.name).filter((v) => v !== "cannot-check");
                const own = verdicts(asPatch, rule.name);
                // Every violation of a patch is one of the full object's: a patch never fails for a
                // field it does not set.
                for (const v of own.filter((x) => x !== "cannot-check")) assert.ok(full.includes(v), `${v} absent du genre complet : ${full.join(", ")}`);
                // A compliant full object gives a compliant patch.
                if (full.length === 0) assert.deepEqual(own.filter((x) => x !== "cannot-check"), []);
                // A violation of the full object that the patch does not repeat is a field the patch
                // leaves to the live object: « cannot be checked », or a part it does not set at all
                // (the rule does not apply to the patch; a stack rule skips it, it cannot say so per resource).
                if (rule.kind === "stack") return;
                const applied = asPatch.applied.get(rule.name) ?? new Set<string>();
                for (const v of full.filter((x) => !own.includes(x))) {
                    const name = v.split("|")[1];
                    const urn = engineResources(p).find((r) => r.name === name)?.urn ?? "";
                    assert.ok(own.includes("cannot-check") || !applied.has(urn), `${v} : ni violation, ni « invérifiable », ni hors champ pour le correctif`);
                }
            });
        }
    }
});

// ------------------------------------------------------------------------------------------------
// YAML: yaml/v2 ConfigGroup and --manifests

/** A fixture's Kubernetes objects as manifests, when they can be written so. */
function manifestsOf(f: Fixture): { yaml: string; others: FixtureResource[] } | undefined {
    const objects: Record<string, unknown>[] = [];
    const others: FixtureResource[] = [];
    // A patch has no manifest form; a typed list is expanded by the YAML readers, by design.
    if (f.resources.some((r) => isPatch(r.type) || r.type.endsWith("List"))) return undefined;
    for (const r of f.resources) {
        if (!isK8sObject(r.type)) {
            others.push(r);
            continue;
        }
        if (r.parent || r.dependsOn?.length || Object.keys(r.propertyDependencies ?? {}).length || r.provider || !plainValue(r.props)) return undefined;
        const meta = r.props.metadata;
        if (meta !== undefined && (meta === null || typeof meta !== "object" || Array.isArray(meta))) return undefined;
        const m = (meta ?? {}) as Record<string, unknown>;
        // The fixtures name the resource, a manifest names the object.
        if (m.name !== undefined && typeof m.name !== "string") return undefined;
        const name = typeof m.name === "string" && m.name ? m.name : r.name;
        const [group, version, kind] = /^kubernetes:([^/]+)\/([^:]+):(.+)$/.exec(r.type)!.slice(1);
        objects.push({ apiVersion: group === "core" ? version : `${group}/${version}`, kind, ...r.props, metadata: { ...m, name } });
    }
    if (objects.length === 0 || others.some((r) => r.parent || r.dependsOn?.length)) return undefined;
    return { yaml: objects.map((o) => YAML.stringify(o, { version: "1.1" })).join("---\n"), others };
}

/** The object name of a resource named `<prefix>:<ns>/<name>` or `<ns>/<name>`. */
function objectName(urn: string): string {
    const n = urn.split("::").pop() ?? urn;
    return n.slice(n.lastIndexOf(":") + 1).split("/").pop()!;
}

/** Same, for the typed resources: their object name (metadata.name, else the fixture's name). */
function typedName(f: Fixture): (urn: string) => string {
    return (urn) => {
        const r = f.resources.find((x) => urn.endsWith(`::${x.name}`));
        const m = r?.props.metadata as Record<string, unknown> | undefined;
        return typeof m?.name === "string" && m.name ? m.name : r?.name ?? urn;
    };
}

/** The component's own « not inspected » verdict and the provider-less namespaces aside, YAML gives the typed verdicts. */
describe("YAML : ConfigGroup yaml/v2 lu par le vérificateur et --manifests", () => {
    for (const { rule, fixtures } of kubernetesRules) {
        for (const f of fixtures.filter((x) => KINDS.includes(x.kind))) {
            const m = manifestsOf(f);
            if (!m) continue;
            test(`${rule.name} [${f.kind}] ${f.title}`, async () => {
                const typed = verdicts(await runTyped(rule.name, f), rule.name, typedName(f));
                const withOthers = (resources: EngineResource[]) => [...engineResources({ ...f, resources: m.others }), ...resources];

                const group: EngineResource = {
                    urn: "urn:pulumi:test::fixtures::kubernetes:yaml/v2:ConfigGroup::manifests",
                    type: "kubernetes:yaml/v2:ConfigGroup",
                    name: "manifests",
                    properties: { yaml: m.yaml },
                };
                const expanded = withYamlComponentChildren([group], { baseDir: process.cwd(), missingFiles: "error" }).resources;
                const fromGroup = verdicts(await run(rule.name, f, withOthers(expanded)), rule.name, objectName);
                assert.deepEqual(fromGroup, typed, "ConfigGroup yaml/v2");

                const plain = manifestResources(parseManifests(m.yaml, "fixture.yaml"), { project: "fixtures", stack: "test" }).resources;
                const fromManifests = verdicts(await run(rule.name, f, withOthers(plain)), rule.name, objectName);
                assert.deepEqual(fromManifests, typed, "--manifests");
            });
        }
    }
});
