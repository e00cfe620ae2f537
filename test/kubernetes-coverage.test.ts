/**
 * No Kubernetes blind spot: what the pack cannot see is said (Helm, kustomize, unrendered YAML,
 * pod templates of kinds the rules do not read) and counts as « cannot be checked » in the matrix;
 * yaml/v2 files are read by the checker; `check --manifests` reads plain Kubernetes YAML.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { K8S_COMPONENTS, KUBERNETES_NEEDS, POD_NEEDS } from "@cloud-de-confiance/policies/dist/lib/k8s-coverage";
import { K8S } from "@cloud-de-confiance/policies/dist/lib/types";
import { ruleModules } from "@cloud-de-confiance/policies/dist/registry";
import { check } from "../src/checker/check";
import { InputError } from "../src/checker/errors";
import { glob, manifestResources, parseManifests, readManifests, typeToken, withYamlComponentChildren } from "../src/checker/manifests";
import { CheckResult } from "../src/checker/model";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate } from "../src/engine/engine";
import { EngineResource, isSecret, secret, UNKNOWN } from "../src/engine/types";
import { ROOT, startPack } from "./support/pack";

const CLI = path.join(ROOT, "dist/src/cli/main.js");
const NOT_INSPECTED = "sec-13-contenu-kubernetes-non-inspecte";
const POD_TEMPLATES = "sec-13-modeles-de-pods-non-inspectes";
const STACK = { project: "fixtures", stack: "test" };
let tmp: string;

before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cdc-k8s-"));
});
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(rel: string, text: string): string {
    const f = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
    return f;
}

function cli(args: string[], input?: string, cwd = ROOT) {
    const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8", timeout: 180_000, input });
    return { code: r.status, out: r.stdout, err: r.stderr };
}

function assertOneLineError(r: ReturnType<typeof cli>, pattern: RegExp) {
    assert.equal(r.code, 2, `code ${r.code}, stdout: ${r.out.slice(0, 300)}, stderr: ${r.err}`);
    const lines = r.err.trim().split("\n");
    assert.equal(lines.length, 1, r.err);
    assert.match(lines[0], pattern);
}

/** A throw-away Pulumi project whose node_modules is the repository's. */
function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(tmp, "prog-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

function urn(type: string, name: string, parent?: string): string {
    const chain = parent ? `${parent.split("::")[2]}$${type}` : type;
    return `urn:pulumi:test::fixtures::${chain}::${name}`;
}

function component(type: string, name: string, properties: Record<string, unknown> = {}): EngineResource {
    return { urn: urn(type, name), type, name, properties };
}

async function checkResources(resources: EngineResource[], kind: "program" | "preview" | "state" = "preview", dir = tmp): Promise<CheckResult> {
    return (await check({ source: { kind, path: dir }, resources, stack: STACK })).result;
}

const DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: app
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: r.example.fr/web:1.0
          securityContext: {runAsNonRoot: yes, allowPrivilegeEscalation: no, privileged: true}
`;

const SECRET_YAML = `apiVersion: v1
kind: Secret
metadata: {name: db}
stringData: {password: Sup3r-S3cret-Yaml}
`;

test("les besoins des règles « non inspecté » suivent les règles qui lisent Kubernetes", () => {
    const rules = ruleModules().map((m) => m.rule).filter((r) => !r.name.startsWith("sec-13-") || r.name === "sec-13-pods-durcis");
    const reading = new Set(rules.filter((r) => r.types.some((t) => t.startsWith("kubernetes:"))).flatMap((r) => r.needs));
    reading.add("PROD-05"); // custom resources: every type token, through `applies`
    assert.deepEqual([...KUBERNETES_NEEDS].sort(), [...reading].sort());
    const pods = new Set(rules.filter((r) => r.types.includes(K8S.deployment)).flatMap((r) => r.needs));
    assert.deepEqual([...POD_NEEDS].sort(), [...pods].sort());
    const byName = new Map(ruleModules().map((m) => [m.rule.name, m.rule]));
    assert.deepEqual(byName.get(NOT_INSPECTED)?.needs, KUBERNETES_NEEDS);
    assert.deepEqual(byName.get(POD_TEMPLATES)?.needs, POD_NEEDS);
});

for (const [label, type] of [
    ["Release Helm v3", K8S_COMPONENTS.helmRelease],
    ["Chart Helm v3", K8S_COMPONENTS.helmChartV3],
    ["Chart Helm v4", K8S_COMPONENTS.helmChartV4],
    ["Directory kustomize v2", K8S_COMPONENTS.kustomizeV2],
] as const) {
    test(`${label} sans enfants : « non inspecté », et « invérifiable » dans la matrice pour chaque besoin Kubernetes`, async () => {
        const result = await checkResources([component(type, "app", { chart: "app" })]);
        const found = result.findings.filter((f) => f.policy === NOT_INSPECTED);
        assert.equal(found.length, 1);
        assert.equal(found[0].status, "unknown");
        assert.equal(found[0].enforcementLevel, "advisory");
        assert.match(found[0].message, /non inspectés/);
        assert.match(found[0].message, /check --manifests/);
        assert.match(found[0].message, new RegExp(type.includes("kustomize") ? "kustomize build" : "helm template"));
        for (const need of KUBERNETES_NEEDS) {
            const row = result.conformance.find((c) => c.need === need);
            assert.equal(row?.status, "cannot-check", `${need} : ${row?.status}`);
        }
        // Needs no Kubernetes object touches keep their status.
        assert.equal(result.conformance.find((c) => c.need === "SEC-04")?.status, "not-exercised");
    });
}

test("Chart v3 avec ses enfants (moteur réel) : rien de caché, la règle ne s'applique pas", async () => {
    const pack: PolicyPackProcess = await startPack();
    try {
        const chart = component(K8S_COMPONENTS.helmChartV3, "nginx", { chart: "ingress-nginx" });
        const child: EngineResource = {
            urn: urn(K8S.configMap, "nginx:app/settings", chart.urn),
            type: K8S.configMap,
            name: "nginx:app/settings",
            parent: chart.urn,
            properties: { metadata: { name: "settings", namespace: "app" }, data: { a: "b" } },
        };
        const ev = await evaluate(pack, [chart, child], { stack: STACK });
        assert.deepEqual(ev.diagnostics.filter((d) => d.policyName === NOT_INSPECTED), []);
        assert.equal(ev.applied.get(NOT_INSPECTED)?.size ?? 0, 0, "pas compté comme vérifié");
    } finally {
        await pack.close();
    }
});

test("programme sous simulation : Release, Chart v3 et v4 sans enfants sont nommés « non inspectés »", () => {
    const dir = project({
        "Pulumi.yaml": "name: helm\nruntime: nodejs\n",
        "index.ts": [
            'import * as k8s from "@pulumi/kubernetes";',
            'new k8s.helm.v3.Release("redis", { chart: "redis", version: "19.0.1", values: { auth: { password: "x" } } });',
            'new k8s.helm.v3.Chart("nginx", { chart: "ingress-nginx", version: "4.10.0" });',
            'new k8s.helm.v4.Chart("cert-manager", { chart: "cert-manager" });',
        ].join("\n"),
    });
    const r = cli(["check", dir, "--format", "json"]);
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out) as CheckResult;
    const found = result.findings.filter((f) => f.policy === NOT_INSPECTED);
    assert.equal(found.length, 1);
    for (const name of ["helm.sh/Release « redis »", "helm.sh/Chart « nginx »", "helm.sh/Chart « cert-manager »"]) assert.ok(found[0].message.includes(name), found[0].message);
    for (const need of KUBERNETES_NEEDS) assert.equal(result.conformance.find((c) => c.need === need)?.status, "cannot-check", need);
});

test("modèle de pod d'un genre non lu (Rollout Argo) : « invérifiable » pour les besoins des pods, jamais « respecté »", async () => {
    const rollout: EngineResource = {
        urn: urn("kubernetes:argoproj.io/v1alpha1:Rollout", "web"),
        type: "kubernetes:argoproj.io/v1alpha1:Rollout",
        name: "web",
        properties: { metadata: { name: "web", annotations: { "cloud-de-confiance.gouv.fr/reversibilite": "https://exemple.fr/sortie" } }, spec: { template: { spec: { containers: [{ name: "c", image: "r.example.fr/c:1" }] } } } },
    };
    const result = await checkResources([rollout]);
    const found = result.findings.filter((f) => f.policy === POD_TEMPLATES);
    assert.equal(found.length, 1);
    assert.equal(found[0].resource?.urn, rollout.urn);
    for (const need of POD_NEEDS) assert.equal(result.conformance.find((c) => c.need === need)?.status, "cannot-check", need);
    // An Ingress-only need stays untouched by a pod template.
    assert.equal(result.conformance.find((c) => c.need === "SEC-05")?.status, "not-exercised");
});

// ------------------------------------------------------------------------------------------------
// yaml/v2

test("yaml/v2 dans un programme : ConfigFile et ConfigGroup (motif, yaml, objs, préfixe) lus par le vérificateur", async () => {
    const dir = project({
        "Pulumi.yaml": "name: yamlv2\nruntime: nodejs\n",
        "k8s/web.yaml": DEPLOYMENT_YAML,
        "k8s/db.yml": SECRET_YAML,
        "k8s/ignored.txt": "not yaml",
        "index.ts": [
            'import * as k8s from "@pulumi/kubernetes";',
            'new k8s.yaml.v2.ConfigFile("app", { file: "k8s/web.yaml" });',
            'new k8s.yaml.v2.ConfigGroup("grp", { files: ["k8s/*.y*ml"], resourcePrefix: "p",',
            '    yaml: "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: inline\\n",',
            '    objs: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "app" } }] });',
        ].join("\n"),
    });
    const r = cli(["check", dir, "--format", "json"]);
    assert.equal(r.code, 1, r.err);
    const result = JSON.parse(r.out) as CheckResult;
    const P = "urn:pulumi:dev::yamlv2::";
    const urns = result.resources.map((x) => x.urn);
    for (const u of [
        `${P}kubernetes:yaml/v2:ConfigFile$kubernetes:apps/v1:Deployment::app:app/web`,
        `${P}kubernetes:yaml/v2:ConfigGroup$kubernetes:apps/v1:Deployment::p:app/web`,
        `${P}kubernetes:yaml/v2:ConfigGroup$kubernetes:core/v1:Secret::p:default/db`,
        `${P}kubernetes:yaml/v2:ConfigGroup$kubernetes:core/v1:ConfigMap::p:default/inline`,
        `${P}kubernetes:yaml/v2:ConfigGroup$kubernetes:core/v1:Namespace::p:app`,
    ]) assert.ok(urns.includes(u), `${u} absent de ${urns.join("\n")}`);
    // The objects are judged, attributed to the component, located in their file.
    const privileged = result.findings.filter((f) => f.policy === "sec-13-pods-durcis" && f.message.includes("privilégié"));
    assert.equal(privileged.length, 2);
    const fromFile = privileged.find((f) => f.resource?.urn.includes("ConfigFile"));
    // Outside the working directory, the path is absolute (below it, relative: see --manifests).
    assert.deepEqual(fromFile?.location, { file: path.join(dir, "k8s/web.yaml"), line: 1 });
    assert.equal(result.findings.filter((f) => f.policy === NOT_INSPECTED).length, 0);
    assert.ok(!r.out.includes("Sup3r-S3cret-Yaml"));
});

test("yaml/v2 dans une prévisualisation : fichiers lus depuis le dossier courant (le projet), sinon « non inspecté »", () => {
    const dir = fs.mkdtempSync(path.join(tmp, "preview-"));
    fs.mkdirSync(path.join(dir, "k8s"));
    fs.writeFileSync(path.join(dir, "k8s", "web.yaml"), DEPLOYMENT_YAML);
    const group = "urn:pulumi:prod::app::kubernetes:yaml/v2:ConfigGroup::grp";
    const preview = path.join(dir, "preview.json");
    fs.writeFileSync(preview, JSON.stringify({
        config: {},
        steps: [{ op: "create", urn: group, newState: { urn: group, custom: false, type: "kubernetes:yaml/v2:ConfigGroup", inputs: { files: ["k8s/*.yaml"] } } }],
    }));
    const inProject = JSON.parse(cli(["check", "--preview", preview, "--format", "json"], undefined, dir).out) as CheckResult;
    assert.ok(inProject.resources.some((r) => r.urn === "urn:pulumi:prod::app::kubernetes:yaml/v2:ConfigGroup$kubernetes:apps/v1:Deployment::grp:app/web"));
    const privileged = inProject.findings.find((f) => f.policy === "sec-13-pods-durcis" && f.message.includes("privilégié"));
    assert.deepEqual(privileged?.location, { file: "k8s/web.yaml", line: 1 });
    assert.equal(inProject.findings.filter((f) => f.policy === NOT_INSPECTED).length, 0);
    const elsewhere = JSON.parse(cli(["check", "--preview", preview, "--format", "json"], undefined, tmp).out) as CheckResult;
    assert.equal(elsewhere.resources.length, 1);
    assert.equal(elsewhere.findings.filter((f) => f.policy === NOT_INSPECTED).length, 1);
});

test("yaml/v2 : objets lus comme le fournisseur (espace par défaut, Secret secret, List, CRD de portée Cluster)", () => {
    const provider = { urn: "urn:pulumi:test::fixtures::pulumi:providers:kubernetes::k", type: "pulumi:providers:kubernetes", name: "k", properties: { namespace: "equipe" } };
    const yaml = [
        SECRET_YAML,
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n  - apiVersion: example.fr/v1\n    kind: Widget\n    metadata: {name: w}\n",
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: widgets.example.fr}\nspec: {scope: Cluster, names: {kind: Widget}}\n",
    ].join("---\n");
    const group = { ...component("kubernetes:yaml/v2:ConfigGroup", "g", { yaml, skipAwait: true }), provider };
    const { resources } = withYamlComponentChildren([group], { baseDir: tmp, missingFiles: "error" });
    const names = resources.map((r) => `${r.type}::${r.name}`);
    assert.deepEqual(names, [
        "kubernetes:yaml/v2:ConfigGroup::g",
        "kubernetes:core/v1:Secret::g:equipe/db",
        "kubernetes:core/v1:ConfigMap::g:equipe/a",
        "kubernetes:example.fr/v1:Widget::g:w",
        "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition::g:widgets.example.fr",
    ]);
    const db = resources[1];
    assert.ok(isSecret(db.properties.stringData));
    assert.equal(db.parent, group.urn);
    assert.equal(db.provider, provider);
    assert.equal((db.properties.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/skipAwait"], "true");
});

test("yaml/v2 : entrées inconnues, URL, fichier absent (programme : erreur ; prévisualisation : « non inspecté »)", async () => {
    const unknownFile = component("kubernetes:yaml/v2:ConfigFile", "u", { file: UNKNOWN });
    const url = component("kubernetes:yaml/v2:ConfigFile", "url", { file: "https://example.fr/app.yaml" });
    const missing = component("kubernetes:yaml/v2:ConfigGroup", "m", { files: ["absent/app.yaml"] });
    assert.equal(withYamlComponentChildren([unknownFile, url], { baseDir: tmp, missingFiles: "error" }).resources.length, 2);
    assert.throws(() => withYamlComponentChildren([missing], { baseDir: tmp, missingFiles: "error" }), (e: unknown) => e instanceof InputError && /absent\/app\.yaml \(no such file\)/.test(e.message));
    const result = await checkResources([unknownFile, url, missing], "preview");
    const found = result.findings.filter((f) => f.policy === NOT_INSPECTED);
    assert.equal(found.length, 1);
    for (const n of ["« u »", "« url »", "« m »"]) assert.ok(found[0].message.includes(n), found[0].message);
    // A secret input: the objects are secret too.
    const hidden = component("kubernetes:yaml/v2:ConfigGroup", "s", { yaml: secret(DEPLOYMENT_YAML) });
    const [, child] = withYamlComponentChildren([hidden], { baseDir: tmp, missingFiles: "error" }).resources;
    assert.ok(isSecret(child.properties.spec));
    assert.equal(child.properties.kind, "Deployment");
});

test("yaml/v2 : un composant qui a déjà ses enfants (état, moteur réel) n'est pas relu", () => {
    const file = write("state/app.yaml", DEPLOYMENT_YAML);
    const c = component("kubernetes:yaml/v2:ConfigFile", "app", { file });
    const child: EngineResource = { urn: urn(K8S.deployment, "app:app/web", c.urn), type: K8S.deployment, name: "app:app/web", parent: c.urn, properties: {} };
    assert.equal(withYamlComponentChildren([c, child], { baseDir: tmp, missingFiles: "error" }).resources.length, 2);
});

test("motifs de fichiers comme filepath.Glob", () => {
    write("g/a.yaml", "");
    write("g/b.yml", "");
    write("g/sub/c.yaml", "");
    write("g/[x].yaml", "");
    const rel = (l: string[]) => l.map((f) => path.relative(tmp, f).split(path.sep).join("/"));
    assert.deepEqual(rel(glob("g/*.yaml", tmp)), ["g/[x].yaml", "g/a.yaml"]);
    assert.deepEqual(rel(glob("g/?.y*ml", tmp)), ["g/a.yaml", "g/b.yml"]);
    assert.deepEqual(rel(glob("g/*/*.yaml", tmp)), ["g/sub/c.yaml"]);
    assert.deepEqual(rel(glob("g/[ab].yaml", tmp)), ["g/a.yaml"]);
    assert.deepEqual(rel(glob("g/\\[x].yaml", tmp)), ["g/[x].yaml"]);
    assert.deepEqual(glob("absent/*.yaml", tmp), []);
});

// ------------------------------------------------------------------------------------------------
// Manifests

test("manifestes : plusieurs documents, List, documents vides, types et lignes", () => {
    const text = `# Source: app/templates/cm.yaml
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: app}
---
---
apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: {name: web}
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata: {name: r}
`;
    const objects = parseManifests(text, path.join(tmp, "rendu.yaml"));
    assert.deepEqual(objects.map((o) => [o.object.kind, o.location.line]), [["ConfigMap", 3], ["Deployment", 11], ["ClusterRole", 14]]);
    const { resources, locations } = manifestResources(objects, { project: "manifests", stack: "manifests" });
    assert.deepEqual(resources.map((r) => r.urn), [
        "urn:pulumi:manifests::manifests::kubernetes:core/v1:ConfigMap::app/a",
        "urn:pulumi:manifests::manifests::kubernetes:apps/v1:Deployment::web",
        "urn:pulumi:manifests::manifests::kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::r",
    ]);
    assert.equal(Object.values(locations)[0].line, 3);
    assert.equal(typeToken("v1", "Pod"), "kubernetes:core/v1:Pod");
    assert.equal(typeToken("core/v1", "Pod"), "kubernetes:core/v1:Pod");
    assert.equal(typeToken("networking.k8s.io/v1", "Ingress"), "kubernetes:networking.k8s.io/v1:Ingress");
    // The same object twice keeps both declarations.
    const twice = manifestResources([...objects.slice(0, 1), ...objects.slice(0, 1)], { project: "m", stack: "m" }).resources;
    assert.deepEqual(twice.map((r) => r.name), ["app/a", "app/a (2)"]);
});

test("manifestes mal formés : erreur d'entrée sur une ligne, avec fichier et ligne", () => {
    const cases: [string, RegExp][] = [
        ["apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata: [\n", /bad\.yaml:6:1: invalid YAML: /],
        ["apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n- 1\n- 2\n", /bad\.yaml:5: not a Kubernetes object/],
        ["metadata: {name: a}\n", /bad\.yaml:1: Kubernetes objects require a kind and an apiVersion/],
        ["apiVersion: v1\nkind: ConfigMap\n", /bad\.yaml:1: ConfigMap without metadata\.name/],
        ["a: &x [*x]\nb: [\n  \"\n", /bad\.yaml:\d+(:\d+)?: invalid YAML/],
    ];
    for (const [text, pattern] of cases) {
        assert.throws(() => parseManifests(text, path.join(tmp, "bad.yaml")), (e: unknown) => e instanceof InputError && !e.message.includes("\n") && pattern.test(e.message), text);
    }
    assert.throws(() => readManifests(write("empty.yaml", "# rien\n---\n")), /empty\.yaml: no Kubernetes object/);
    write("chart/Chart.yaml", "name: app\n");
    write("chart/templates/d.yaml", "{{ .Values.x }}");
    assert.throws(() => readManifests(path.join(tmp, "chart")), /a Helm chart \(Chart\.yaml\), not manifests: render it first \(helm template/);
    write("kust/kustomization.yaml", "resources: [d.yaml]\n");
    assert.throws(() => readManifests(path.join(tmp, "kust")), /a kustomization \(kustomization\.yaml\), not manifests: render it first \(kustomize build/);
});

test("check --manifests : fichier, dossier et entrée standard ; codes de sortie ; options exclusives", () => {
    const file = write("man/web.yaml", DEPLOYMENT_YAML);
    write("man/sub/db.json", JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: "Sup3r-S3cret-Json" } }] }));
    write("man/notes.txt", "not a manifest");

    const one = cli(["check", "--manifests", file, "--format", "json"]);
    assert.equal(one.code, 1, one.err);
    const result = JSON.parse(one.out) as CheckResult;
    assert.deepEqual(result.source, { kind: "manifests", path: file, stack: "manifests" });
    assert.deepEqual(result.resources.map((r) => r.urn), ["urn:pulumi:manifests::manifests::kubernetes:apps/v1:Deployment::app/web"]);
    const privileged = result.findings.find((f) => f.policy === "sec-13-pods-durcis" && f.message.includes("privilégié"));
    assert.ok(privileged);
    assert.equal(privileged.location?.line, 1);
    assert.equal(privileged.resource?.source?.line, 1);
    assert.equal(result.conformance.find((c) => c.need === "SEC-13")?.status, "violated");

    const dir = cli(["check", "--manifests", path.join(tmp, "man"), "--format", "json", "--stack", "rendu"]);
    assert.equal(dir.code, 1, dir.err);
    const all = JSON.parse(dir.out) as CheckResult;
    assert.deepEqual(all.resources.map((r) => r.name).sort(), ["app/web", "db"]);
    assert.ok(!dir.out.includes("Sup3r-S3cret-Json"));

    const stdin = cli(["check", "--manifests", "-", "--format", "json"], DEPLOYMENT_YAML.replace("privileged: true", "privileged: false").replace("replicas: 1", "replicas: 2"));
    const piped = JSON.parse(stdin.out) as CheckResult;
    assert.equal(piped.findings.filter((f) => f.policy === "sec-13-pods-durcis").length, 0, stdin.out);
    assert.equal(piped.source.path, "-");

    assertOneLineError(cli(["check", "--manifests", write("man2/bad.yaml", "kind: [\n")]), /bad\.yaml:2:1: invalid YAML/);
    assertOneLineError(cli(["check", "--manifests", "-"], ""), /<stdin>: no Kubernetes object/);
    assertOneLineError(cli(["check", "--manifests", path.join(tmp, "absent.yaml")]), /absent\.yaml: cannot read the manifests/);
    assertOneLineError(cli(["check", "--manifests", file, "--preview", file]), /--manifests is exclusive with a program DIR, --preview and --state/);
    assertOneLineError(cli(["check", tmp, "--manifests", file]), /--manifests is exclusive/);
});

test("un manifeste et la ressource typée équivalente : mêmes constats par le vérificateur", async () => {
    // The fixture-by-fixture comparison is in kubernetes-equivalence.test.ts; here, through check().
    const objects = parseManifests(DEPLOYMENT_YAML, "web.yaml");
    const { resources } = manifestResources(objects, { project: "manifests", stack: "manifests" });
    const typed: EngineResource = { ...resources[0], urn: urn(K8S.deployment, "app/web") };
    const a = await checkResources(resources, "preview");
    const b = await checkResources([typed], "preview");
    const key = (r: CheckResult) => r.findings.map((f) => `${f.policy}|${f.status}`).sort();
    assert.ok(key(a).length > 0);
    assert.deepEqual(key(a), key(b));
});
