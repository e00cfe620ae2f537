import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { EngineResource, SECRET_SIG, SIG_KEY, UNKNOWN, isSecret, secret } from "../src/engine/types";
import { InputError } from "../src/checker/errors";
import {
    ImportedStack,
    makeUrn,
    normalizeValue,
    parsePreviewJson,
    parseProviderRef,
    parseStateJson,
    parseUrn,
} from "../src/checker/inputs";
import { sovereignAppUrns } from "./support/sovereign-app";

const FIXTURES = path.resolve(__dirname, "..", "..", "test", "fixtures");
const fixture = (rel: string) => path.join(FIXTURES, rel);
const read = (rel: string) => fs.readFileSync(fixture(rel), "utf8");
const preview = (rel: string) => parsePreviewJson(read(rel), fixture(rel));
const state = (rel: string) => parseStateJson(read(rel), fixture(rel));

const { P, STACK, WEB, NET, SG, VM, VOLUME, OS_DEFAULT } = sovereignAppUrns("prod");
const API = `${P}kubernetes:apps/v1:Deployment::api`;
const CLUSTER = `${P}pulumi:providers:kubernetes::cluster`;
const HIDDEN = secret("[secret]");
/** The default OpenStack provider the fixture's resources get, as the engine passes it. */
const DEFAULT_PROVIDER = {
    urn: OS_DEFAULT,
    type: "pulumi:providers:openstack",
    name: "default_3_15_2",
    properties: {
        authUrl: "https://identity.cloud.example.fr:5000/v3",
        insecure: "false",
        password: HIDDEN,
        region: "fr-par-1",
        version: "3.15.2",
    },
};

function byUrn(s: ImportedStack, urn: string): EngineResource {
    const r = s.resources.find((x) => x.urn === urn);
    assert.ok(r, `no resource ${urn} in ${s.resources.map((x) => x.urn).join(", ")}`);
    return r;
}

/** Asserts an InputError whose message is one line, names the file and matches `pattern`. */
function assertInputError(fn: () => unknown, file: string, pattern: RegExp): void {
    assert.throws(fn, (e: unknown) => {
        assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
        assert.equal(e.message.includes("\n"), false, `message on several lines: ${e.message}`);
        assert.ok(e.message.startsWith(`${file}: `), `message does not start with the file: ${e.message}`);
        assert.match(e.message, pattern);
        assert.equal(/\bat .*:\d+:\d+\)/.test(e.message), false, "stack trace in the message");
        return true;
    });
}

// ---------------------------------------------------------------------------------------------
// pulumi preview --json
// ---------------------------------------------------------------------------------------------

test("preview: analyzes what the update produces, providers included, without the stack or deletions", () => {
    const s = preview("preview/create-update.json");
    assert.equal(s.project, "sovereign-app");
    assert.equal(s.stack, "prod");
    assert.deepEqual(s.stackTags, { classification: "DR", owner: "equipe-socle" });
    assert.deepEqual(
        s.resources.map((r) => [r.type, r.name]),
        [
            ["pulumi:providers:openstack", "default_3_15_2"],
            ["my:app:Service", "web"],
            ["openstack:networking/network:Network", "web-net"],
            ["openstack:networking/secGroup:SecGroup", "web-sg"],
            ["openstack:compute/instance:Instance", "web-vm"],
            ["openstack:blockstorage/volume:Volume", "data"],
            ["kubernetes:apps/v1:Deployment", "api"],
        ],
    );
});

test("preview: a component is analyzed and its children point to it", () => {
    const s = preview("preview/create-update.json");
    const web = byUrn(s, WEB);
    assert.equal(web.parent, STACK);
    assert.deepEqual(web.properties, {});
    assert.equal(web.provider, undefined);
    assert.equal(byUrn(s, NET).parent, WEB);
    assert.equal(byUrn(s, VM).options?.parent, WEB);
});

test("preview: inputs keep unknowns, blinded secrets become secrets, internal keys are dropped", () => {
    const vm = byUrn(preview("preview/create-update.json"), VM);
    assert.deepEqual(vm.properties, {
        adminPass: HIDDEN,
        flavorName: "s1.medium",
        imageId: "0c6e8d3a-6f1d-4a47-9c29-6a3c3b0a5f11",
        metadata: { environment: "prod" },
        name: "web-vm-5d0c9aa",
        networks: [{ uuid: UNKNOWN }],
        securityGroups: ["web-sg-2b7a441"],
        stopBeforeDestroy: false,
        userData: HIDDEN,
    });
    assert.ok(isSecret(vm.properties.userData));
    assert.equal((vm.properties.networks as { uuid: string }[])[0].uuid, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
});

test("preview: options, dependencies and property dependencies of the goal state", () => {
    const vm = byUrn(preview("preview/create-update.json"), VM);
    assert.deepEqual(vm.options, {
        protect: true,
        ignoreChanges: ["imageId"],
        aliases: [],
        additionalSecretOutputs: ["adminPass"],
        customTimeouts: { create: 600, delete: 5400 },
        parent: WEB,
    });
    assert.deepEqual(vm.dependencies, [NET, SG]);
    assert.deepEqual(vm.propertyDependencies?.networks, [NET]);
    assert.deepEqual(vm.propertyDependencies?.securityGroups, [SG]);
    assert.deepEqual(vm.propertyDependencies?.userData, []);
});

test("preview: the default provider is passed with its inputs (secret blinded, no internal keys)", () => {
    const vm = byUrn(preview("preview/create-update.json"), VM);
    assert.deepEqual(vm.provider, DEFAULT_PROVIDER);
});

test("preview: an update is analyzed with its new inputs, a replacement with the new goal", () => {
    const s = preview("preview/create-update.json");
    const volume = byUrn(s, VOLUME);
    assert.deepEqual(volume.properties, { enableOnlineResize: true, name: "data-1f3e2d1", size: 20 });
    assert.deepEqual(volume.options?.aliases, [`${P}openstack:blockstorage/volume:Volume::old-data`]);
    const api = byUrn(s, API);
    const container = (api.properties.spec as any).template.spec.containers[0];
    assert.deepEqual(container.env, [{ name: "DB_PASSWORD", value: HIDDEN }]);
    assert.deepEqual(container.securityContext, { privileged: false, runAsNonRoot: true });
    assert.equal(s.resources.some((r) => r.name === "legacy-ip"), false, "a deleted resource is analyzed");
});

test("preview: a provider the preview does not show (op same) is named from its reference, and reported unseen", () => {
    const s = preview("preview/create-update.json");
    const api = byUrn(s, API);
    assert.deepEqual(api.provider, {
        urn: CLUSTER,
        type: "pulumi:providers:kubernetes",
        name: "cluster",
        properties: {},
    });
    assert.equal(s.resources.some((r) => r.urn === CLUSTER), false);
    assert.deepEqual(s.unseenProviders, [{ urn: CLUSTER, type: "pulumi:providers:kubernetes", name: "cluster", usedBy: [API] }]);
});

test("preview: the default provider is a resource of its own, with its inputs, before the resources that use it", () => {
    const s = preview("preview/create-update.json");
    const p = byUrn(s, OS_DEFAULT);
    assert.deepEqual(p.properties, DEFAULT_PROVIDER.properties);
    assert.equal(p.provider, undefined);
    assert.ok(isSecret(p.properties.password), "a secret input stays secret");
    const first = s.resources.findIndex((r) => r.provider?.urn === OS_DEFAULT);
    assert.ok(s.resources.indexOf(p) < first);
});

test("preview: an unchanged default provider (no step) is rebuilt from the stack configuration, as the engine builds it", () => {
    const doc = JSON.parse(read("preview/create-update.json"));
    doc.steps = doc.steps.filter((st: { urn: string }) => st.urn !== OS_DEFAULT);
    const s = parsePreviewJson(JSON.stringify(doc), "p.json");
    const p = byUrn(s, OS_DEFAULT);
    // Every `openstack:` key of the configuration as a string input, secrets secret, and the version.
    const expected = { authUrl: "https://identity.cloud.example.fr:5000/v3", password: HIDDEN, region: "fr-par-1", version: "3.15.2" };
    assert.deepEqual(p.properties, expected);
    assert.deepEqual(byUrn(s, VM).provider, { urn: OS_DEFAULT, type: "pulumi:providers:openstack", name: "default_3_15_2", properties: expected });
    assert.equal(s.resources.filter((r) => r.urn === OS_DEFAULT).length, 1, "rebuilt once");
    assert.ok(s.resources.indexOf(p) < s.resources.findIndex((r) => r.provider?.urn === OS_DEFAULT));
    assert.deepEqual(s.unseenProviders?.map((u) => u.name), ["cluster"], "only the explicit provider stays unseen");
});

test("preview: replacement steps of one resource give one resource; reads and shown providers are used", () => {
    const s = preview("preview/replacement-steps.json");
    assert.equal(s.stackTags, undefined);
    assert.deepEqual(
        s.resources.map((r) => r.name),
        ["cluster", "default_3_15_2", "ext-net", "api"],
    );
    // The read network's default provider is no step: rebuilt from the (empty) configuration.
    assert.deepEqual(byUrn(s, OS_DEFAULT).properties, { version: "3.15.2" });
    assert.equal(s.unseenProviders, undefined);
    const api = byUrn(s, API);
    assert.deepEqual(api.properties, {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: UNKNOWN },
        spec: { replicas: 3 },
    });
    assert.deepEqual(api.provider, {
        urn: CLUSTER,
        type: "pulumi:providers:kubernetes",
        name: "cluster",
        properties: { enableServerSideApply: "true", kubeconfig: HIDDEN, namespace: "prod", version: "4.34.2" },
    });
    // A read resource has no inputs: its outputs are analyzed.
    const ext = byUrn(s, `${P}openstack:networking/network:Network::ext-net`);
    assert.deepEqual(ext.properties, { external: true, id: "e0e0e0e0-1111-4222-8333-444455556666", name: "ext-net" });
});

test("preview: malformed files give one-line errors naming the file", () => {
    const cases: [string, RegExp][] = [
        ["preview/truncated.json", /^.*: truncated JSON: the document ends unexpectedly at line 61, column 40/],
        ["preview/invalid.json", /invalid JSON at line 6, column 9: Expected double-quoted property name$/],
        ["preview/events-stream.json", /stream of engine events .* without PULUMI_ENABLE_STREAMING_JSON_PREVIEW$/],
        ["preview/missing-type.json", /resource urn:pulumi:prod::sovereign-app::openstack:networking\/network:Network::net has no 'type'$/],
        ["preview/no-urn.json", /step #1 has no 'urn'$/],
        [
            "preview/failed.json",
            /the preview failed and lists no resources: Missing required configuration variable 'sovereign-app:dbPassword' please set a value/,
        ],
        ["state/export-v3.json", /this is a stack state \(pulumi stack export\), not a preview: give it with --state/],
        ["state/terraform.tfstate.json", /not a Pulumi preview: expected an object with 'steps'/],
    ];
    for (const [rel, pattern] of cases) {
        assertInputError(() => preview(rel), fixture(rel), pattern);
    }
});

test("preview: structural errors in otherwise valid JSON", () => {
    const f = "plan.json";
    assertInputError(() => parsePreviewJson("", f), f, /the file is empty/);
    assertInputError(() => parsePreviewJson("  \n", f), f, /the file is empty/);
    assertInputError(() => parsePreviewJson("[]", f), f, /the JSON is an array/);
    assertInputError(() => parsePreviewJson('{"steps": {}}', f), f, /'steps' is an object, expected an array/);
    assertInputError(() => parsePreviewJson('{"steps": [42]}', f), f, /step #1 is a number, expected an object/);
    assertInputError(() => parsePreviewJson('{"steps": [{"urn": "urn:pulumi:a::b::t:m:T::n"}]}', f), f, /step #1 has no 'op'/);
    assertInputError(
        () => parsePreviewJson('{"steps": [{"op": "create", "urn": "x", "newState": {"urn": "nope", "type": "t:m:T"}}]}', f),
        f,
        /has a malformed urn 'nope'/,
    );
    assertInputError(() => parsePreviewJson('{"a": 1}\n{"b": 2}', f), f, /invalid JSON at line 2, column 1/);
    // A preview of an up-to-date stack lists only the root stack: no resource, no error.
    const same = parsePreviewJson(
        JSON.stringify({ steps: [{ op: "same", urn: STACK, newState: { urn: STACK, type: "pulumi:pulumi:Stack", custom: false } }] }),
        f,
    );
    // The CLI leaves `config` out when the stack has none: an empty, known configuration.
    assert.deepEqual(same, { project: "sovereign-app", stack: "prod", resources: [], secretSources: [], config: {}, secretKeys: [] });
    assertInputError(() => parsePreviewJson('{"config": "x", "steps": []}', f), f, /'config' is a string, expected an object of configuration values/);
});

test("preview: the stack configuration of the prelude, secrets blinded; tags only through pulumi:tags", () => {
    const s = preview("preview/create-update.json");
    assert.deepEqual(s.config, {
        "kubernetes:namespace": "apps",
        "openstack:authUrl": "https://identity.cloud.example.fr:5000/v3",
        "openstack:password": "[secret]",
        "openstack:region": "fr-par-1",
        "pulumi:tags": '{"classification":"DR","owner":"equipe-socle"}',
        "sovereign-app:dbPassword": "[secret]",
    });
    assert.deepEqual(s.secretKeys, ["openstack:password", "sovereign-app:dbPassword"]);

    const d = preview("preview/stack-config.json");
    assert.equal(d.project, "portail");
    assert.deepEqual(
        Object.keys(d.config ?? {}).filter((k) => k.startsWith("portail:")).sort(),
        ["portail:application", "portail:centre-de-cout", "portail:environnement", "portail:ministere"],
    );
    assert.deepEqual(d.secretKeys, ["openstack:password", "portail:centre-de-cout"]);
    assert.deepEqual(d.stackTags, { proprietaire: "equipe-portail" });
    // The root stack is not analyzed; the default provider, its instances and server group are.
    assert.deepEqual(d.resources.map((r) => r.name), ["default_3_15_2", "web-sg", "web-1", "web-2", "web-3", "bastion"]);
    const web1 = d.resources.find((r) => r.name === "web-1")!;
    assert.deepEqual(web1.propertyDependencies?.schedulerHints, ["urn:pulumi:prod::portail::openstack:compute/serverGroup:ServerGroup::web-sg"]);
});

// ---------------------------------------------------------------------------------------------
// pulumi stack export
// ---------------------------------------------------------------------------------------------

test("state: analyzes the outputs of what exists, providers included, without stack or pending deletions", () => {
    const s = state("state/export-v3.json");
    assert.equal(s.project, "sovereign-app");
    assert.equal(s.stack, "prod");
    assert.deepEqual(
        s.resources.map((r) => [r.type, r.name]),
        [
            ["pulumi:providers:openstack", "default_3_15_2"],
            ["pulumi:providers:kubernetes", "cluster"],
            ["my:app:Service", "web"],
            ["openstack:networking/network:Network", "web-net"],
            ["openstack:compute/instance:Instance", "web-vm"],
            ["openstack:networking/network:Network", "ext-net"],
            ["openstack:blockstorage/volume:Volume", "data"],
            ["kubernetes:core/v1:Secret", "db"],
        ],
    );
    const vm = byUrn(s, VM);
    assert.equal(vm.properties.id, "d6c5b4a3-2f1e-4d0c-9b8a-7f6e5d4c3b2a", "the pending deletion was taken");
    assert.equal(vm.properties.accessIpV4, "192.168.10.4");
    assert.equal(vm.properties.flavorId, "a1f0c9e8-d7b6-4a5c-9e3d-2b1a0f9e8d7c");
    assert.deepEqual((vm.properties.networks as any[])[0].fixedIpV4, "192.168.10.4");
    assert.equal("__defaults" in vm.properties, false);
    assert.deepEqual(byUrn(s, WEB).properties, { ip: "192.168.10.4" });
});

test("state: secrets stay secrets and are never decrypted", () => {
    const s = state("state/export-v3.json");
    const vm = byUrn(s, VM);
    assert.deepEqual(vm.properties.adminPass, HIDDEN);
    assert.deepEqual(vm.properties.userData, HIDDEN);
    const db = byUrn(s, `${P}kubernetes:core/v1:Secret::db`);
    assert.deepEqual(db.properties.data, HIDDEN);
    assert.deepEqual(db.properties.stringData, HIDDEN);
    const text = JSON.stringify(s);
    assert.equal(text.includes("ciphertext"), false);
    assert.equal(text.includes("2fC8bXoRkQwF1p4KjT6sE0vN9mA"), false);
});

test("state: options, graph and providers (default and explicit)", () => {
    const s = state("state/export-v3.json");
    const vm = byUrn(s, VM);
    assert.deepEqual(vm.options, {
        protect: true,
        ignoreChanges: ["imageId"],
        aliases: [],
        additionalSecretOutputs: ["adminPass"],
        customTimeouts: { create: 600, delete: 5400 },
        parent: WEB,
    });
    assert.equal(vm.parent, WEB);
    assert.deepEqual(vm.dependencies, [NET]);
    assert.deepEqual(vm.propertyDependencies?.networks, [NET]);
    assert.deepEqual(vm.provider, DEFAULT_PROVIDER);
    const db = byUrn(s, `${P}kubernetes:core/v1:Secret::db`);
    assert.deepEqual(db.provider, {
        urn: CLUSTER,
        type: "pulumi:providers:kubernetes",
        name: "cluster",
        properties: { enableServerSideApply: "true", kubeconfig: HIDDEN, namespace: "prod", version: "4.34.2" },
    });
    assert.equal(byUrn(s, WEB).provider, undefined);
    assert.deepEqual(byUrn(s, VOLUME).options?.aliases, [`${P}openstack:blockstorage/volume:Volume::old-data`]);
});

test("state: provider resources are analyzed with their outputs, secrets never decrypted", () => {
    const s = state("state/export-v3.json");
    const os = byUrn(s, OS_DEFAULT);
    const { version: _v, ...outputs } = DEFAULT_PROVIDER.properties;
    assert.deepEqual(os.properties, { ...outputs, version: "3.15.2" });
    assert.ok(isSecret(os.properties.password));
    assert.equal(os.provider, undefined);
    assert.equal(os.options?.protect, false);
    const cluster = byUrn(s, CLUSTER);
    assert.deepEqual(cluster.properties, { enableServerSideApply: "true", kubeconfig: HIDDEN, namespace: "prod", version: "4.34.2" });
    assert.equal(s.unseenProviders, undefined);
});

test("state: a provider is given before the resources that use it, whatever the file's order; a missing one is reported", () => {
    const P2 = "urn:pulumi:dev::app::";
    const PROV = `${P2}pulumi:providers:openstack::explicite`;
    const GONE = `${P2}pulumi:providers:openstack::disparu`;
    const doc = {
        version: 3,
        deployment: {
            resources: [
                { urn: `${P2}pulumi:pulumi:Stack::app-dev`, type: "pulumi:pulumi:Stack", custom: false },
                { urn: `${P2}openstack:networking/network:Network::a`, type: "openstack:networking/network:Network", custom: true, id: "a", outputs: { name: "a" }, provider: `${PROV}::p-id` },
                { urn: PROV, type: "pulumi:providers:openstack", custom: true, id: "p-id", inputs: { region: "R" }, outputs: { region: "R" } },
                { urn: `${P2}openstack:networking/network:Network::b`, type: "openstack:networking/network:Network", custom: true, id: "b", outputs: { name: "b" }, provider: `${GONE}::g-id` },
                { urn: `${P2}openstack:networking/network:Network::c`, type: "openstack:networking/network:Network", custom: true, id: "c", outputs: { name: "c" }, provider: `${GONE}::g-id` },
            ],
        },
    };
    const s = parseStateJson(JSON.stringify(doc), "etat.json");
    assert.deepEqual(s.resources.map((r) => r.name), ["explicite", "a", "b", "c"]);
    assert.deepEqual(s.resources[1].provider?.properties, { region: "R" });
    // The engine never rebuilds a provider from a state: an unseen one is reported, its users keep their reference.
    assert.deepEqual(s.unseenProviders, [{ urn: GONE, type: "pulumi:providers:openstack", name: "disparu", usedBy: [`${P2}openstack:networking/network:Network::b`, `${P2}openstack:networking/network:Network::c`] }]);
    assert.deepEqual(s.resources[2].provider, { urn: GONE, type: "pulumi:providers:openstack", name: "disparu", properties: {} });
});

test("state: the inputs can be analyzed instead of the outputs", () => {
    const s = parseStateJson(read("state/export-v3.json"), "x.json", { use: "inputs" });
    const vm = byUrn(s, VM);
    assert.equal(vm.properties.accessIpV4, undefined);
    assert.equal(vm.properties.flavorName, "s1.medium");
    // A resource without inputs (a read) falls back to its outputs.
    assert.equal(byUrn(s, `${P}openstack:networking/network:Network::ext-net`).properties.name, "ext-net");
});

test("state: --show-secrets plaintext is read back as secret values", () => {
    const s = state("state/export-show-secrets.json");
    assert.equal(s.stack, "dev");
    assert.deepEqual(s.resources.map((r) => r.name), ["default_4_34_2", "db"]);
    const db = s.resources[1];
    assert.deepEqual(db.properties.stringData, secret({ password: "Sup3r-S3cret" }));
    assert.deepEqual(db.properties.data, { [SIG_KEY]: SECRET_SIG, value: { password: "U3VwM3ItUzNjcmV0" } });
    assert.deepEqual(db.provider?.properties, { namespace: "apps", version: "4.34.2" });
    assert.equal(db.provider?.name, "default_4_34_2");
});

test("state: a file-backend checkpoint is read too", () => {
    const s = state("state/checkpoint.json");
    assert.equal(s.stack, "dev");
    assert.deepEqual(s.resources.map((r) => r.name), ["default_3_15_2", "data"]);
    assert.deepEqual(s.resources[1].properties, { id: "5f0f6d8e-2a7b-4d0e-8c3a-1a2b3c4d5e6f", size: 20, volumeType: "classic" });
    assert.deepEqual(s.resources[1].provider?.properties, { region: "fr-par-1", version: "3.15.2" });
    assert.deepEqual(s.resources[0].properties, { region: "fr-par-1", version: "3.15.2" });
});

test("state: `pulumi stack export` holds neither configuration nor tags; the root stack's outputs are not tags", () => {
    const s = state("state/export-v3.json");
    assert.equal(s.config, undefined);
    assert.equal(s.secretKeys, undefined);
    assert.equal(s.stackTags, undefined);
    // A recent file-backend checkpoint keeps no configuration either.
    assert.equal(state("state/checkpoint.json").config, undefined);
});

test("state: an old file-backend checkpoint's configuration is read, secure values stay secret", () => {
    const s = state("state/checkpoint-config.json");
    assert.equal(s.project, "portail");
    assert.equal(s.stack, "prod");
    assert.deepEqual(s.config, {
        "openstack:region": "EU-WEST-PAR",
        "portail:application": "portail",
        "portail:centre-de-cout": "[secret]",
        "portail:environnement": "production",
        "portail:ministere": "interieur",
        "pulumi:tags": '{"proprietaire":"equipe-portail"}',
    });
    assert.deepEqual(s.secretKeys, ["portail:centre-de-cout"]);
    assert.deepEqual(s.stackTags, { proprietaire: "equipe-portail" });
    assert.equal(JSON.stringify(s).includes("U2FsdGVkX1"), false, "no ciphertext");
    assert.deepEqual(s.resources.map((r) => [r.name, r.properties.availabilityZone]), [["default_3_15_2", undefined], ["api-1", "eu-west-par-a"], ["api-2", "eu-west-par-b"], ["bastion", "eu-west-par-a"]]);
});

test("state: deployment version 1 (no property dependencies) falls back to inputs when outputs are empty", () => {
    const doc = {
        version: 1,
        deployment: {
            manifest: { time: "2019-01-01T00:00:00Z", magic: "x", version: "v0.17.0" },
            resources: [
                {
                    urn: "urn:pulumi:old::legacy::openstack:blockstorage/volume:Volume::v",
                    custom: true,
                    id: "v-1",
                    type: "openstack:blockstorage/volume:Volume",
                    inputs: { size: 5 },
                    defaults: {},
                    outputs: {},
                    dependencies: [],
                    initErrors: [],
                },
            ],
        },
    };
    const s = parseStateJson(JSON.stringify(doc), "old.json");
    assert.deepEqual(s.resources, [
        {
            urn: "urn:pulumi:old::legacy::openstack:blockstorage/volume:Volume::v",
            type: "openstack:blockstorage/volume:Volume",
            name: "v",
            properties: { size: 5 },
            options: { protect: false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [] },
            dependencies: [],
            propertyDependencies: {},
        },
    ]);
});

test("state: malformed files give one-line errors naming the file", () => {
    const cases: [string, RegExp][] = [
        ["state/truncated.json", /truncated JSON: the document ends unexpectedly at line 70, column 53/],
        ["state/version-4.json", /unsupported deployment version 4 \(this checker reads versions 1 to 3; the file comes from a newer Pulumi CLI\)$/],
        ["state/missing-type.json", /resource urn:pulumi:prod::sovereign-app::openstack:blockstorage\/volume:Volume::data has no 'type'$/],
        ["state/missing-urn.json", /resource #1 has no 'urn'$/],
        ["state/terraform.tfstate.json", /not a Pulumi stack state: expected \{"version": 3, "deployment": \{\.\.\.\}\}/],
        ["preview/create-update.json", /this is a preview \(pulumi preview --json\), not a stack state: give it with --preview/],
        ["preview/invalid.json", /invalid JSON at line 6, column 9/],
    ];
    for (const [rel, pattern] of cases) {
        assertInputError(() => state(rel), fixture(rel), pattern);
    }
    const f = "s.json";
    assertInputError(() => parseStateJson('{"version": 0, "deployment": {}}', f), f, /unsupported deployment version 0/);
    assertInputError(() => parseStateJson('{"version": "3", "deployment": {}}', f), f, /version is "3", expected an integer/);
    assertInputError(() => parseStateJson('{"deployment": {"resources": []}}', f), f, /has no 'version'/);
    assertInputError(() => parseStateJson('{"version": 3, "deployment": []}', f), f, /'deployment' is an array/);
    assertInputError(
        () => parseStateJson('{"version": 3, "deployment": {"resources": {}}}', f),
        f,
        /'deployment.resources' is an object, expected an array/,
    );
    assertInputError(() => parseStateJson("null", f), f, /the JSON is null/);
});

// ---------------------------------------------------------------------------------------------
// Wire conventions and URNs
// ---------------------------------------------------------------------------------------------

test("property values are brought to the engine's analyzer conventions", () => {
    const ref = { [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e", urn: NET, id: "net-1", packageVersion: "3.15.2" };
    const componentRef = { [SIG_KEY]: "5cf8f73096256a8f31e491e813e4eb8e", urn: WEB, packageVersion: "" };
    const asset = { [SIG_KEY]: "c44067f5952c0a294b673a41bacd8c17", text: "hello" };
    const out = normalizeValue({
        a: ref,
        b: componentRef,
        c: asset,
        d: { [SIG_KEY]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", dependencies: [] },
        e: { [SIG_KEY]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "v", secret: true },
        f: { __internal: { x: 1 }, keep: [null, "[secret]"] },
        g: { [SIG_KEY]: SECRET_SIG, value: { [SIG_KEY]: SECRET_SIG, ciphertext: "zz" } },
    });
    assert.deepEqual(out, {
        a: "net-1",
        b: WEB,
        c: asset,
        d: UNKNOWN,
        e: secret("v"),
        f: { keep: [null, "[secret]"] },
        g: secret(secret("[secret]")),
    });
    assert.deepEqual(normalizeValue(["[secret]"], { blindedSecrets: true }), [secret("[secret]")]);
});

test("URNs and provider references are parsed and built as the engine does", () => {
    assert.deepEqual(parseUrn(`${P}my:app:Service$openstack:compute/instance:Instance::web::vm`), {
        stack: "prod",
        project: "sovereign-app",
        qualifiedType: "my:app:Service$openstack:compute/instance:Instance",
        type: "openstack:compute/instance:Instance",
        name: "web::vm",
    });
    assert.equal(parseUrn("arn:aws:s3:::bucket"), undefined);
    assert.equal(makeUrn("prod", "sovereign-app", STACK, "my:app:Service", "web"), WEB);
    assert.equal(makeUrn("prod", "sovereign-app", NET, "a:b:C", "x"), `${P}my:app:Service$openstack:networking/network:Network$a:b:C::x`);
    assert.deepEqual(parseProviderRef(`${OS_DEFAULT}::${UNKNOWN}`), { urn: OS_DEFAULT, id: UNKNOWN });
    assert.equal(parseProviderRef("default"), undefined);
});
