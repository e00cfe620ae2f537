/**
 * Remediations through the engine protocol: what Remediate returns replaces the resource's inputs,
 * so it must keep every secret secret, every unknown unknown, every asset as it was, write only
 * values the provider accepts, and never touch a property whose change replaces the resource.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { isLabelKey, isLabelValue, tagRefusal, UNSAFE_TO_CHANGE, unsafeChange } from "@cloud-de-confiance/policies/dist/lib/remediation";
import { attributionCarrier, K8S, OS } from "@cloud-de-confiance/policies/dist/lib/types";
import { PolicyPackProcess } from "../src/engine/driver";
import { evaluate, isCannotCheck, parsePolicyConfig } from "../src/engine/engine";
import { EngineResource, isSecret, secret, SIG_KEY, UNKNOWN } from "../src/engine/types";
import { startPack } from "./support/pack";

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

const POLICY = "pil-01-imputation-des-couts";
const STACK_TAGS = { application: "portail", environnement: "production", "centre-de-cout": "CC-9", proprietaire: "équipe web" };
const res = (type: string, name: string, properties: Record<string, unknown>): EngineResource => ({
    urn: `urn:pulumi:prod::portail::${type}::${name}`,
    type,
    name,
    properties,
});

async function remediate(r: EngineResource, stackTags: Record<string, string> = STACK_TAGS) {
    const ev = await evaluate(pack, [r], {
        config: parsePolicyConfig({ [POLICY]: "remediate" }),
        stack: { project: "portail", stack: "prod", tags: stackTags },
    });
    const rem = ev.remediations.filter((x) => x.policyName === POLICY);
    const diags = ev.diagnostics.filter((d) => d.policyName === POLICY);
    return { properties: rem.at(-1)?.properties, count: rem.length, diags, ev };
}

/** The wire value of an asset archive, as the engine sends it. */
const ARCHIVE = { [SIG_KEY]: "0def7320c3a5731c473e5ecbe6d01bc7", assets: { "a.txt": { [SIG_KEY]: "c44067f5952c0a294b673a41bacd8c17", text: "bonjour" } } };

describe("secrets, unknowns and assets come back as they were sent", () => {
    test("liste d'étiquettes secrète : la liste complétée reste secrète", async () => {
        const { properties } = await remediate(res(OS.instance, "vm", { flavorName: "b3-8", tags: secret(["application=portail"]) }));
        assert.ok(properties && isSecret(properties.tags), JSON.stringify(properties));
        assert.deepEqual((properties.tags as { value: string[] }).value, [
            "application=portail", "environnement=production", "centre-de-cout=CC-9", "proprietaire=équipe web",
        ]);
    });

    test("une étiquette secrète dans la liste reste secrète, les autres valeurs ne bougent pas", async () => {
        const input = { flavorName: "b3-8", adminPass: secret("Zq8v!kP2mW"), userData: UNKNOWN, archive: ARCHIVE, tags: ["application=portail", secret("proprietaire=équipe-secrète")] };
        const { properties } = await remediate(res(OS.instance, "vm", input));
        assert.ok(properties);
        const tags = properties.tags as unknown[];
        assert.deepEqual(tags.slice(0, 2), input.tags);
        assert.deepEqual(tags.slice(2), ["environnement=production", "centre-de-cout=CC-9"]);
        // Everything the remediation did not add is returned exactly as the engine sent it.
        const { tags: _t, ...rest } = properties;
        const { tags: _u, ...given } = input;
        assert.deepEqual(rest, given);
    });

    test("métadonnées secrètes : les clés ajoutées sont écrites dans le secret", async () => {
        const { properties } = await remediate(res(OS.volume, "v", { size: 10, metadata: secret({ application: "portail" }) }));
        assert.ok(properties && isSecret(properties.metadata));
        assert.deepEqual((properties.metadata as { value: unknown }).value, {
            application: "portail", environnement: "production", "centre-de-cout": "CC-9", proprietaire: "équipe web",
        });
    });

    test("carrier unknown at preview: no remediation, « cannot be checked »", async () => {
        const { ev, diags } = await remediate(res(OS.volume, "v", { size: 10, metadata: UNKNOWN }));
        const rem = ev.remediations.filter((x) => x.policyName === POLICY);
        assert.ok(rem.every((x) => x.properties === undefined && /^can't run remediation/.test(x.diagnostic)), JSON.stringify(rem));
        assert.ok(diags.length > 0 && diags.every(isCannotCheck), JSON.stringify(diags));
    });
});

describe("only values the provider accepts", () => {
    test("Nova : une étiquette avec « / » ou de plus de 60 caractères n'est pas écrite, et le message dit pourquoi", async () => {
        const tags = { ...STACK_TAGS, "centre-de-cout": "DINUM/DSI", proprietaire: "x".repeat(70) };
        const { properties, diags } = await remediate(res(OS.instance, "vm", { flavorName: "b3-8", tags: ["application=portail"] }), tags);
        assert.deepEqual(properties?.tags, ["application=portail", "environnement=production"]);
        for (const t of properties!.tags as string[]) assert.equal(tagRefusal(OS.instance, t), undefined, t);
        assert.equal(diags.length, 1);
        assert.match(diags[0].message, /Clé « centre-de-cout » non remédiable : Nova refuse « \/ » dans une étiquette/);
        assert.match(diags[0].message, /Clé « proprietaire » non remédiable : Nova refuse les étiquettes de plus de 60 caractères/);
    });

    test("Neutron accepte « / » : l'étiquette est écrite", async () => {
        const { properties } = await remediate(res(OS.network, "net", { tags: [] }), { ...STACK_TAGS, "centre-de-cout": "DINUM/DSI" });
        assert.ok((properties?.tags as string[]).includes("centre-de-cout=DINUM/DSI"));
    });

    test("Kubernetes : valeurs de labels rendues valides (accents, espaces), clés valides", async () => {
        const { properties } = await remediate(res(K8S.deployment, "api", { metadata: { name: "api", labels: { application: "portail" } }, spec: {} }));
        const labels = (properties?.metadata as { labels: Record<string, string> }).labels;
        assert.equal(labels.proprietaire, "equipe-web");
        for (const [k, v] of Object.entries(labels)) {
            assert.ok(isLabelKey(k), k);
            assert.ok(isLabelValue(v), v);
        }
    });

    test("Swift : une clé de métadonnées hors de l'alphabet accepté n'est pas écrite", async () => {
        const ev = await evaluate(pack, [res(OS.container, "sauvegardes", { name: "sauvegardes", metadata: {} })], {
            config: parsePolicyConfig({ [POLICY]: { enforcementLevel: "remediate", clesImputation: ["application", "centre de coût"] } }),
            stack: { project: "portail", stack: "prod", tags: { application: "portail", "centre de coût": "CC-9" } },
        });
        assert.deepEqual(ev.remediations.at(-1)?.properties?.metadata, { application: "portail" });
        assert.match(ev.diagnostics.find((d) => d.policyName === POLICY)!.message, /Swift n'accepte que les clés de métadonnées/);
    });
});

describe("never a replacement", () => {
    test("cluster Magnum : pas de remédiation des labels, le message dit ce qui aurait été ajouté", async () => {
        const { count, diags } = await remediate(res(OS.magnumCluster, "k8s", { clusterTemplateId: "tpl", labels: { application: "portail" } }));
        assert.equal(count, 0);
        assert.equal(diags.length, 1);
        assert.equal(diags[0].enforcementLevel, "mandatory");
        assert.match(diags[0].message, /Remédiation non appliquée : modifier `labels` forcerait le remplacement du cluster ; elle aurait ajouté environnement=production, centre-de-cout=CC-9, proprietaire=équipe web/);
    });

    test("every carrier type a remediation writes: only the carrier changes, never an unsafe property", async () => {
        const types = [
            OS.instance, OS.network, OS.subnet, OS.port, OS.router, OS.secGroup, OS.floatingIp, OS.loadBalancer, OS.listener, OS.image, OS.project,
            OS.volume, OS.volumeV2, OS.volumeV1, OS.container, OS.share, OS.secretV1,
            OS.magnumCluster, OS.magnumClusterTemplate, OS.magnumNodeGroup,
            K8S.namespace, K8S.deployment, K8S.service, K8S.persistentVolumeClaim,
        ];
        for (const type of types) {
            const carrier = attributionCarrier(type)!;
            assert.ok(carrier, type);
            const input: Record<string, unknown> = { name: "x", other: secret("Zq8v!kP2mW") };
            const { properties, count } = await remediate(res(type, "x", input));
            const path = carrier === "k8s-labels" ? "metadata" : carrier;
            if (unsafeChange(type, carrier === "k8s-labels" ? "metadata.labels" : carrier)) {
                assert.equal(count, 0, `${type} : remédiation sur une propriété interdite`);
                continue;
            }
            assert.equal(count, 1, type);
            const changed = Object.keys(properties!).filter((k) => JSON.stringify(properties![k]) !== JSON.stringify(input[k]));
            assert.deepEqual(changed, [path], type);
        }
        // The table holds the providers' ForceNew properties among those a remediation writes.
        assert.ok(unsafeChange(OS.magnumCluster, "labels") && unsafeChange(OS.magnumNodeGroup, "labels"));
        assert.deepEqual(Object.keys(UNSAFE_TO_CHANGE).sort(), [OS.magnumCluster, OS.magnumClusterTemplate, OS.magnumNodeGroup].sort());
    });
});
