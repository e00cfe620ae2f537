/**
 * `check --state` gives the verdicts a preview gives, for SEC-09, SEC-13, SEC-14 and SEC-15.
 *
 * The same program is given twice: as the engine sends its inputs at preview, and as
 * `pulumi stack export` holds it after an update, its outputs shaped as the providers write them:
 * - pulumi-kubernetes checkpoints the live object the API server returns (`checkpointObject`:
 *   the live object plus `__inputs`): metadata filled (uid, resourceVersion, generation,
 *   creationTimestamp, managedFields, the `kubectl.kubernetes.io/last-applied-configuration`
 *   annotation in client-side apply, holding the inputs as JSON), defaults set by the API server
 *   (pod spec: dnsPolicy, restartPolicy, schedulerName, securityContext `{}`, ports' protocol,
 *   `hostPort` copied from `containerPort` under `hostNetwork`; NetworkPolicy: podSelector `{}`,
 *   policyTypes; Deployment: strategy, revisionHistoryLimit…; aggregated ClusterRole: the rules the
 *   controller aggregated), and `status`.
 * - terraform-provider-openstack keeps `user_data` as its SHA1 (`StateFunc`): SEC-09 cannot judge
 *   it from the state, and must say so rather than pass.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, test } from "node:test";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck } from "../src/engine/engine";
import { EngineResource } from "../src/engine/types";
import { parseStateJson } from "../src/checker/inputs";
import { startPack } from "./support/pack";

const RULES = ["sec-09-pas-de-secret-en-clair", "sec-13-pods-durcis", "sec-14-cloisonnement", "sec-15-droits-minimaux"];
const P = "urn:pulumi:prod::k8s-app::";
const K8S_PROVIDER = `${P}pulumi:providers:kubernetes::cluster`;
const OS_PROVIDER = `${P}pulumi:providers:openstack::default_3_15_2`;

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

interface Program {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

// ------------------------------------------------------------------------------------------------
// The program.

const hardened = { runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: { type: "RuntimeDefault" } };
const template = (app: string, spec: Record<string, unknown>) => ({
    metadata: { labels: { app } },
    spec,
});
const deployment = (name: string, ns: string, spec: Record<string, unknown>): Program => ({
    type: "kubernetes:apps/v1:Deployment",
    name,
    inputs: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name, namespace: ns },
        spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: template(name, spec) },
    },
});

const PROGRAM: Program[] = [
    { type: "kubernetes:core/v1:Namespace", name: "shop", inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } } },
    { type: "kubernetes:core/v1:Namespace", name: "lab", inputs: { apiVersion: "v1", kind: "Namespace", metadata: { name: "lab" } } },
    {
        type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        name: "shop-deny",
        // No podSelector, no policyTypes: the API server stores `podSelector: {}`, `policyTypes: [Ingress]`.
        inputs: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "shop-deny", namespace: "shop" }, spec: {} },
    },
    {
        type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        name: "lab-deny",
        inputs: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "lab-deny", namespace: "lab" }, spec: { podSelector: {}, policyTypes: ["Ingress"] } },
    },
    {
        type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        name: "lab-open",
        inputs: {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "lab-open", namespace: "lab" },
            spec: { podSelector: { matchLabels: { app: "debug" } }, ingress: [{}] },
        },
    },
    deployment("web", "shop", {
        securityContext: { runAsUser: 10001 },
        containers: [
            {
                name: "web",
                image: "registry.example.fr/web:1.4.2",
                securityContext: { ...hardened, capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } },
                ports: [{ containerPort: 8443 }],
                env: [
                    { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
                    { name: "DATABASE_URL", value: "postgres://web:$(DB_PASSWORD)@db:5432/shop" },
                    { name: "PASSWORD_MIN_LENGTH", value: "14" },
                ],
            },
        ],
    }),
    deployment("agent", "lab", {
        hostNetwork: true,
        containers: [
            {
                name: "agent",
                image: "registry.example.fr/agent:2.0.0",
                securityContext: hardened,
                ports: [{ containerPort: 9100 }],
                env: [{ name: "API_TOKEN", value: "tok-0123456789abcdef" }],
            },
        ],
    }),
    {
        type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        name: "lecture",
        inputs: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: "lecture", labels: { "rbac.example.fr/aggregate-to-lecture": "true" } },
            rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list", "watch"] }],
        },
    },
    {
        type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
        name: "lecture-agregee",
        inputs: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: "lecture-agregee" },
            aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.example.fr/aggregate-to-lecture": "true" } }] },
        },
    },
    {
        type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        name: "ci-admin",
        inputs: {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: "ci-admin" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
            subjects: [{ kind: "User", name: "system:serviceaccount:ci:runner", apiGroup: "rbac.authorization.k8s.io" }],
        },
    },
    {
        type: "openstack:compute/instance:Instance",
        name: "bastion",
        inputs: { name: "bastion", flavorName: "b3-8", imageName: "debian-12", keyPair: "admin", userData: "#cloud-config\nchpasswd:\n  users:\n    - {name: debian, type: RANDOM}\n" },
    },
    {
        type: "openstack:compute/instance:Instance",
        name: "legacy",
        inputs: { name: "legacy", flavorName: "b3-8", imageName: "debian-12", keyPair: "admin", userData: "#cloud-config\npassword: Azerty123!\n" },
    },
];

// ------------------------------------------------------------------------------------------------
// What the providers write.

/** SetDefaults_PodSpec, SetDefaults_Container, SetDefaults_ContainerPort (pkg/apis/core/v1/defaults.go). */
function defaultPodSpec(spec: Record<string, any>): void {
    spec.dnsPolicy ??= "ClusterFirst";
    spec.restartPolicy ??= "Always";
    spec.schedulerName ??= "default-scheduler";
    spec.terminationGracePeriodSeconds ??= 30;
    spec.enableServiceLinks ??= true;
    spec.securityContext ??= {};
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
        c.imagePullPolicy ??= String(c.image).endsWith(":latest") ? "Always" : "IfNotPresent";
        c.terminationMessagePath ??= "/dev/termination-log";
        c.terminationMessagePolicy ??= "File";
        c.resources ??= {};
        for (const p of c.ports ?? []) {
            p.protocol ??= "TCP";
            if (spec.hostNetwork && !p.hostPort) p.hostPort = p.containerPort;
        }
    }
}

function live(p: Program, all: Program[], serial: number): Record<string, any> {
    const o = clone(p.inputs);
    const kind = o.kind as string;
    o.metadata = {
        ...o.metadata,
        uid: `4b1c7f2e-0000-4000-8000-${String(serial).padStart(12, "0")}`,
        resourceVersion: String(48210 + serial),
        generation: 1,
        creationTimestamp: "2025-03-04T09:13:05Z",
        annotations: { ...(o.metadata.annotations ?? {}), "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(p.inputs) },
        managedFields: [
            { manager: "pulumi-kubernetes-9b2a1f4", operation: "Update", apiVersion: o.apiVersion, time: "2025-03-04T09:13:05Z", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": {} } },
        ],
    };
    if (kind === "Namespace") {
        o.metadata.labels = { ...(o.metadata.labels ?? {}), "kubernetes.io/metadata.name": o.metadata.name };
        o.spec = { finalizers: ["kubernetes"] };
        o.status = { phase: "Active" };
    }
    if (kind === "NetworkPolicy") {
        o.spec.podSelector ??= {};
        if (!o.spec.policyTypes?.length) o.spec.policyTypes = ["Ingress", ...(o.spec.egress?.length ? ["Egress"] : [])];
    }
    if (kind === "Deployment") {
        o.spec.revisionHistoryLimit ??= 10;
        o.spec.progressDeadlineSeconds ??= 600;
        o.spec.strategy ??= { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } };
        o.spec.template.metadata.creationTimestamp = null;
        defaultPodSpec(o.spec.template.spec);
        o.status = { observedGeneration: 1, replicas: o.spec.replicas, readyReplicas: o.spec.replicas, availableReplicas: o.spec.replicas, updatedReplicas: o.spec.replicas };
    }
    if (kind === "ClusterRole" && o.aggregationRule) {
        // The aggregation controller fills `rules` with those of the selected ClusterRoles.
        const labels = (q: Program) => (q.inputs.metadata?.labels ?? {}) as Record<string, string>;
        o.rules = all
            .filter((q) => q.inputs.kind === "ClusterRole" && q !== p)
            .filter((q) => o.aggregationRule.clusterRoleSelectors.some((s: any) => Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels(q)[k] === v)))
            .flatMap((q) => q.inputs.rules ?? []);
    }
    return { ...o, __inputs: p.inputs };
}

/** What terraform-provider-openstack's Read leaves in the state for an instance (user_data: its SHA1). */
function instanceOutputs(p: Program, serial: number): Record<string, unknown> {
    const { userData, ...rest } = p.inputs;
    return {
        ...rest,
        id: `0c6e8d3a-6f1d-4a47-9c29-${String(serial).padStart(12, "0")}`,
        userData: createHash("sha1").update(String(userData)).digest("hex"),
        accessIpV4: "10.0.0.12",
        accessIpV6: "",
        allMetadata: {},
        allTags: [],
        availabilityZone: "nova",
        flavorId: "f3b1a7d2",
        imageId: "9a1d2c3b",
        networks: [{ accessNetwork: false, fixedIpV4: "10.0.0.12", fixedIpV6: "", mac: "fa:16:3e:00:00:01", name: "private", port: "", uuid: "e0e0e0e0" }],
        powerState: "active",
        region: "fr-par-1",
        securityGroups: ["default"],
        stopBeforeDestroy: false,
        forceDelete: false,
        created: "2025-03-04 09:13:05 +0000 UTC",
        updated: "2025-03-04 09:14:02 +0000 UTC",
    };
}

function exportOf(program: Program[]): string {
    const resources: unknown[] = [
        { urn: `${P}pulumi:pulumi:Stack::k8s-app-prod`, custom: false, type: "pulumi:pulumi:Stack", outputs: {} },
        {
            urn: K8S_PROVIDER,
            custom: true,
            id: "7c2b2f1e-3d4a-4b5c-8d6e-9f0a1b2c3d4e",
            type: "pulumi:providers:kubernetes",
            inputs: { enableServerSideApply: "false", version: "4.34.2" },
            outputs: { enableServerSideApply: "false", version: "4.34.2" },
        },
        {
            urn: OS_PROVIDER,
            custom: true,
            id: "6b1f7ab7-7c8e-4e0b-9a1e-0f2f3c4d5e6a",
            type: "pulumi:providers:openstack",
            inputs: { region: "fr-par-1", version: "3.15.2" },
            outputs: { region: "fr-par-1", version: "3.15.2" },
        },
    ];
    program.forEach((p, i) => {
        const os = p.type.startsWith("openstack:");
        const outputs = os ? instanceOutputs(p, i) : live(p, program, i);
        resources.push({
            urn: `${P}${p.type}::${p.name}`,
            custom: true,
            id: os ? outputs.id : `${p.inputs.metadata?.namespace ? `${p.inputs.metadata.namespace}/` : ""}${p.inputs.metadata?.name}`,
            type: p.type,
            inputs: p.inputs,
            outputs,
            parent: `${P}pulumi:pulumi:Stack::k8s-app-prod`,
            provider: os ? `${OS_PROVIDER}::6b1f7ab7-7c8e-4e0b-9a1e-0f2f3c4d5e6a` : `${K8S_PROVIDER}::7c2b2f1e-3d4a-4b5c-8d6e-9f0a1b2c3d4e`,
            created: "2025-03-04T09:13:05.117843Z",
            modified: "2025-03-04T09:13:05.117843Z",
        });
    });
    return JSON.stringify({ version: 3, deployment: { manifest: { time: "2025-03-04T10:13:02+01:00", magic: "", version: "v3.150.0" }, resources } });
}

function previewOf(program: Program[]): EngineResource[] {
    return program.map((p) => ({
        urn: `${P}${p.type}::${p.name}`,
        type: p.type,
        name: p.name,
        properties: clone(p.inputs),
        provider: p.type.startsWith("openstack:")
            ? { urn: OS_PROVIDER, type: "pulumi:providers:openstack", name: "default_3_15_2", properties: { region: "fr-par-1", version: "3.15.2" } }
            : { urn: K8S_PROVIDER, type: "pulumi:providers:kubernetes", name: "cluster", properties: { enableServerSideApply: "false", version: "4.34.2" } },
    }));
}

type Verdict = "fail" | "cannot" | "pass";

async function verdicts(resources: EngineResource[]): Promise<Map<string, Verdict>> {
    const ev = await evaluate(pack, resources, { stack: { project: "k8s-app", stack: "prod" } });
    const out = new Map<string, Verdict>();
    for (const r of resources) for (const rule of RULES) out.set(`${rule} ${r.name}`, "pass");
    for (const d of ev.diagnostics) {
        if (!RULES.includes(d.policyName)) continue;
        const name = d.urn ? d.urn.slice(d.urn.lastIndexOf("::") + 2) : "(stack)";
        const key = `${d.policyName} ${name}`;
        if (isCannotCheck(d)) {
            if (out.get(key) !== "fail") out.set(key, "cannot");
        } else out.set(key, "fail");
    }
    return out;
}

test("state: the export holds live objects and the SHA1 of user data, as the providers write them", () => {
    const s = parseStateJson(exportOf(PROGRAM), "export.json");
    const np = s.resources.find((r) => r.name === "shop-deny")!;
    assert.deepEqual((np.properties.spec as any).policyTypes, ["Ingress"]);
    assert.deepEqual((np.properties.spec as any).podSelector, {});
    assert.equal("__inputs" in np.properties, false);
    const agent = s.resources.find((r) => r.name === "agent")!;
    assert.equal((agent.properties.spec as any).template.spec.containers[0].ports[0].hostPort, 9100);
    assert.match(String((agent.properties.metadata as any).annotations["kubectl.kubernetes.io/last-applied-configuration"]), /tok-0123456789abcdef/);
    const vm = s.resources.find((r) => r.name === "legacy")!;
    assert.match(String(vm.properties.userData), /^[0-9a-f]{40}$/);
    const agg = s.resources.find((r) => r.name === "lecture-agregee")!;
    assert.equal((agg.properties.rules as unknown[]).length, 1);
});

test("state: SEC-09, SEC-13, SEC-14 and SEC-15 give a preview's verdicts on Kubernetes live objects", async () => {
    const fromPreview = await verdicts(previewOf(PROGRAM));
    const fromState = await verdicts(parseStateJson(exportOf(PROGRAM), "export.json").resources);
    const k8s = [...fromPreview.keys()].filter((k) => !k.endsWith(" bastion") && !k.endsWith(" legacy"));
    for (const k of k8s) assert.equal(fromState.get(k), fromPreview.get(k), `${k}: preview ${fromPreview.get(k)}, state ${fromState.get(k)}`);
    // The program's own findings, so that "same" is not "both empty".
    assert.equal(fromPreview.get("sec-09-pas-de-secret-en-clair agent"), "fail");
    assert.equal(fromPreview.get("sec-09-pas-de-secret-en-clair web"), "pass");
    assert.equal(fromPreview.get("sec-13-pods-durcis agent"), "fail");
    assert.equal(fromPreview.get("sec-13-pods-durcis web"), "pass");
    assert.equal(fromPreview.get("sec-14-cloisonnement lab-open"), "fail");
    assert.equal(fromPreview.get("sec-14-cloisonnement shop"), "pass");
    assert.equal(fromPreview.get("sec-15-droits-minimaux ci-admin"), "fail");
    assert.equal(fromPreview.get("sec-15-droits-minimaux lecture-agregee"), "pass");
});

test("state: user data kept as a SHA1 is « cannot be checked », never compliant", async () => {
    const fromPreview = await verdicts(previewOf(PROGRAM));
    const fromState = await verdicts(parseStateJson(exportOf(PROGRAM), "export.json").resources);
    assert.equal(fromPreview.get("sec-09-pas-de-secret-en-clair legacy"), "fail");
    assert.equal(fromPreview.get("sec-09-pas-de-secret-en-clair bastion"), "pass");
    assert.equal(fromState.get("sec-09-pas-de-secret-en-clair legacy"), "cannot");
    assert.equal(fromState.get("sec-09-pas-de-secret-en-clair bastion"), "cannot");
});

test("state: the same number of SEC-13 findings under hostNetwork (hostPort copied by the API server is not counted twice)", async () => {
    const count = async (resources: EngineResource[]) =>
        (await evaluate(pack, resources, {})).diagnostics.filter((d) => d.policyName === "sec-13-pods-durcis" && !isCannotCheck(d) && d.urn.endsWith("::agent")).length;
    const fromState = parseStateJson(exportOf(PROGRAM), "export.json").resources;
    assert.equal(await count(fromState), await count(previewOf(PROGRAM)));
});
