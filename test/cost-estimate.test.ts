/**
 * The cost and carbon estimate (PIL-03, PIL-04, PIL-05): figures computed by hand from the tables,
 * metamorphic properties (fast-check, fixed seeds), budgets under, at and over their threshold,
 * what cannot be priced listed and never counted as zero, attribution, and the data files'
 * provenance.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import fc from "fast-check";
import { checkBudgets, hasBudget } from "@cloud-de-confiance/policies/dist/lib/cost/budget";
import { CARBON_COEFFICIENTS, DATA_DIR, EstimationSettings, priceBookProfiles } from "@cloud-de-confiance/policies/dist/lib/cost/data";
import { CostEstimate, estimate, estimateOptions } from "@cloud-de-confiance/policies/dist/lib/cost/estimate";
import { parseQuantity } from "@cloud-de-confiance/policies/dist/lib/cost/quantities";
import { policyResources, WireResource } from "@cloud-de-confiance/policies/dist/lib/cost/resources";
import { cents, formatEur } from "@cloud-de-confiance/policies/dist/lib/cost/texts";
import { StackView } from "@cloud-de-confiance/policies/dist/lib/rule";
import { secret, UNKNOWN } from "../src/engine/types";

const SEED = 20261130;
const OS_INSTANCE = "openstack:compute/instance:Instance";
const OS_VOLUME = "openstack:blockstorage/volume:Volume";

const book = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "tarifs/ovhcloud.json"), "utf8"));
const carbon = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "carbone.json"), "utf8"));
const C = Object.fromEntries(Object.entries(carbon.coefficients).map(([k, v]) => [k, (v as { valeur: number }).valeur])) as Record<string, number>;

const provider = { urn: "urn:pulumi:t::p::pulumi:providers:openstack::default", type: "pulumi:providers:openstack", name: "default", properties: {} };
function res(type: string, name: string, properties: Record<string, unknown>, extra: Partial<WireResource> = {}): WireResource {
    return { urn: `urn:pulumi:t::p::${type}::${name}`, type, name, properties, provider, ...extra };
}
const tags = (cc: string) => ["application=portail", "environnement=production", `centre-de-cout=${cc}`, "proprietaire=equipe"];

function est(resources: WireResource[], settings: { profil?: string; estimation?: EstimationSettings } = { profil: "ovhcloud" }, stackTags = new Map<string, string>(), stackConfig = new Map<string, string>()): CostEstimate {
    return estimate(new StackView(policyResources(resources), stackTags), estimateOptions(settings, stackTags, stackConfig));
}
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)), `${what}: ${a} ≠ ${b}`);
const byName = (e: CostEstimate, name: string) => e.resources.find((r) => r.name === name)!;

/** The method, written out once more from docs/methode-cout-carbone.md, with the table's coefficients. */
function computeKg(o: { vcpu?: number; mem?: number; gpu?: number; ssdGb?: number; hddGb?: number; embodiedVcpu?: boolean }, pue: number, grid: number, u = C.tauxUtilisation): number {
    const h = C.heuresParMois;
    const watts =
        (o.vcpu ?? 0) * (C.wattsMinVcpu + u * (C.wattsMaxVcpu - C.wattsMinVcpu)) +
        (o.mem ?? 0) * C.wattsGoMemoire +
        (o.gpu ?? 0) * (C.gpuWattsMin + u * (C.gpuWattsMax - C.gpuWattsMin)) +
        ((o.ssdGb ?? 0) / 1000) * C.whTeraOctetHeureSsd +
        ((o.hddGb ?? 0) / 1000) * C.whTeraOctetHeureHdd;
    const kwh = (watts * h * pue) / 1000;
    const embodied =
        (o.embodiedVcpu === false ? 0 : ((o.vcpu ?? 0) * h * C.fabricationServeurKg) / (C.vcpuParServeur * C.dureeVieHeures)) +
        (((o.ssdGb ?? 0) + (o.hddGb ?? 0)) * C.fabricationGoStockageKg) / C.dureeVieStockageMois;
    return (kwh * grid) / 1000 + embodied;
}

describe("estimates equal the values computed by hand from the tables", () => {
    test("profil ovhcloud : gabarit, volume de démarrage, volume, répartiteur, IP, routeur, stockage objet", () => {
        const resources = [
            res(OS_INSTANCE, "web", {
                flavorName: "b3-8",
                tags: tags("CC-1"),
                blockDevices: [{ sourceType: "image", destinationType: "volume", volumeSize: 20, volumeType: "high-speed-gen2-luks", uuid: "img" }],
            }),
            res(OS_VOLUME, "donnees", { size: 50, volumeType: "HIGH-SPEED", metadata: { "centre-de-cout": "CC-1" } }),
            res(OS_VOLUME, "sans-type", { size: 10, metadata: { "centre-de-cout": "CC-1" } }),
            res("openstack:loadbalancer/loadBalancer:LoadBalancer", "lb", { tags: tags("CC-1") }),
            res("openstack:networking/floatingIp:FloatingIp", "ip", { tags: tags("CC-1") }),
            res("openstack:networking/router:Router", "routeur", { tags: tags("CC-1") }),
            res("openstack:objectstorage/container:Container", "sauvegardes", { metadata: { "volume-estime-go": "200", "centre-de-cout": "CC-1" } }),
            res("openstack:networking/network:Network", "reseau", { tags: tags("CC-1") }),
        ];
        const e = est(resources);
        const h = 730;
        const g = book.gabarits["b3-8"];
        const pue = book.centreDeDonnees.pue.valeur;
        const grid = e.assumptions.find((a) => a.name === "intensiteReseau")!.value as number;
        assert.equal(grid, 44.18, "France, averageIntensity of @tgwf/co2");
        const volume = (gb: number, type: string) => gb * book.typesVolume[type].prixGoMois;
        close(byName(e, "web").costEur!, g.prixHoraire * h + volume(20, "high-speed-gen2-luks"), "instance");
        close(byName(e, "donnees").costEur!, volume(50, "high-speed"), "volume (type compared ignoring case, as Cinder does)");
        close(byName(e, "sans-type").costEur!, volume(10, "classic"), "volume without type: the profile's default type");
        const lb = book.repartiteurs.gabarits[book.repartiteurs.parDefaut];
        close(byName(e, "lb").costEur!, lb.prixHoraire * h, "load balancer");
        close(byName(e, "ip").costEur!, book.forfaits["openstack:networking/floatingIp:FloatingIp"].prixHoraire * h, "floating IP");
        close(byName(e, "routeur").costEur!, book.forfaits["openstack:networking/router:Router"].prixHoraire * h, "router");
        close(byName(e, "sauvegardes").costEur!, 200 * book.stockageObjet.prixGoMois, "object storage");
        assert.equal(e.resources.some((r) => r.name === "reseau"), false, "a network costs nothing by itself");

        close(byName(e, "web").co2Kg!, computeKg({ vcpu: g.vcpu, mem: g.memoireGo, ssdGb: g.disqueGo }, pue, grid) + computeKg({ ssdGb: 20 * C.replicationBloc }, pue, grid), "instance carbon");
        close(byName(e, "donnees").co2Kg!, computeKg({ ssdGb: 50 * C.replicationBloc }, pue, grid), "volume carbon");
        close(byName(e, "lb").co2Kg!, computeKg({ vcpu: lb.amphores * lb.vcpu, mem: lb.amphores * lb.memoireGo }, pue, grid), "amphorae");
        close(byName(e, "sauvegardes").co2Kg!, computeKg({ hddGb: 200 * C.replicationObjet }, pue, grid), "object storage carbon");
        assert.equal(byName(e, "ip").co2Kg, 0, "a public IP has no footprint of its own in the method");
        close(e.totals.costEur, e.resources.reduce((a, r) => a + (r.costEur ?? 0), 0), "total");
        assert.equal(e.totals.unpriced, 0);
        const cc = e.byKey.find((k) => k.key === "centre-de-cout")!.values;
        assert.deepEqual(cc.map((v) => v.value), ["CC-1"]);
        close(cc[0].costEur, e.totals.costEur, "by key");
    });

    test("configuration : gabarits, types, prix Kubernetes et coefficients ajoutés ou remplacés", () => {
        const settings = {
            profil: "defaut",
            estimation: {
                gabarits: { "g2-4": { vcpu: 2, memoireGo: 4, prixHoraire: 0.1 }, gpu1: { vcpu: 8, memoireGo: 32, gpu: 1, prixHoraire: 1 } },
                typesVolume: { rapide: { prixGoMois: 0.05, support: "ssd" as const }, lent: { prixGoMois: 0.02, support: "hdd" as const } },
                kubernetes: { prixVcpuHeure: 0.02, prixGoHeure: 0.005 },
                carbone: { intensiteReseau: 50, pue: 1.5, tauxUtilisation: 0.3 },
            },
        };
        const k8s = (type: string, name: string, properties: Record<string, unknown>, extra: Partial<WireResource> = {}) =>
            res(type, name, properties, { provider: { urn: "urn:k8s", type: "pulumi:providers:kubernetes", name: "k", properties: { namespace: "app" } }, ...extra });
        const resources = [
            res(OS_INSTANCE, "web", { flavorName: "g2-4" }),
            res(OS_INSTANCE, "ia", { flavorName: "gpu1" }),
            res(OS_VOLUME, "archive", { size: 100, volumeType: "lent" }),
            k8s("kubernetes:apps/v1:Deployment", "app", {
                metadata: { name: "app" },
                spec: {
                    replicas: 5,
                    template: {
                        spec: {
                            initContainers: [{ name: "init", resources: { requests: { cpu: "2", memory: "128Mi" } } }],
                            containers: [
                                { name: "a", resources: { requests: { cpu: "250m", memory: "256Mi" } } },
                                { name: "b", resources: { limits: { cpu: "0.5", memory: "0.5Gi" } } },
                                { name: "c" },
                            ],
                        },
                    },
                },
            }),
            k8s("kubernetes:core/v1:LimitRange", "limites", { metadata: { name: "limites" }, spec: { limits: [{ type: "Container", default: { cpu: "1", memory: "1Gi" }, defaultRequest: { cpu: "100m", memory: "64Mi" } }] } }),
            k8s("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "hpa", { metadata: { name: "hpa" }, spec: { minReplicas: 2, scaleTargetRef: { kind: "Deployment", name: "app" } } }),
            k8s("kubernetes:storage.k8s.io/v1:StorageClass", "lent", { metadata: { name: "lent" }, provisioner: "cinder.csi.openstack.org", parameters: { type: "lent" } }),
            k8s("kubernetes:core/v1:PersistentVolumeClaim", "pvc", { metadata: { name: "pvc" }, spec: { storageClassName: "lent", resources: { requests: { storage: "20Gi" } } } }),
            k8s("kubernetes:core/v1:Service", "public", { metadata: { name: "public" }, spec: { type: "LoadBalancer" } }),
            k8s("kubernetes:core/v1:ConfigMap", "config", { data: { a: "b" } }),
        ];
        const e = est(resources, settings);
        const h = 730;
        const u = 0.3;
        close(byName(e, "web").costEur!, 0.1 * h, "configured flavor");
        close(byName(e, "web").co2Kg!, computeKg({ vcpu: 2, mem: 4 }, 1.5, 50, u), "configured coefficients");
        close(byName(e, "ia").co2Kg!, computeKg({ vcpu: 8, mem: 32, gpu: 1 }, 1.5, 50, u), "GPU");
        close(byName(e, "archive").costEur!, 100 * 0.02, "HDD volume");
        close(byName(e, "archive").co2Kg!, computeKg({ hddGb: 100 * C.replicationBloc }, 1.5, 50, u), "HDD volume carbon");
        // Pod: requests 0.25 + 0.5 (limit) + 0.1 (LimitRange) = 0.85 vCPU; 256Mi + 512Mi + 64Mi = 832Mi; the init
        // container asks for 2 vCPU: the pod reserves max(0.85, 2) = 2 vCPU. Replicas: the HPA's minimum, 2.
        const memGb = 832 / 1024;
        close(byName(e, "app").costEur!, 2 * (2 * 0.02 + memGb * 0.005) * h, "workload");
        close(byName(e, "app").co2Kg!, computeKg({ vcpu: 4, mem: 2 * memGb }, 1.5, 50, u), "workload carbon");
        assert.equal(byName(e, "pvc").costEur, 20 * 0.02, "claim in the StorageClass's Cinder type");
        assert.ok(byName(e, "public").issues.some((i) => i.reason === "bareme-absent"), "no load balancer in the default book: listed");
        assert.equal(e.resources.some((r) => r.name === "config" || r.name === "limites" || r.name === "hpa"), false);
    });

    test("quantités Kubernetes lues comme l'API les lit", () => {
        assert.equal(parseQuantity("250m"), 0.25);
        assert.equal(parseQuantity("1Gi"), 2 ** 30);
        assert.equal(parseQuantity("1G"), 1e9);
        assert.equal(parseQuantity("1e3"), 1000);
        assert.equal(parseQuantity("1E"), 1e18);
        assert.equal(parseQuantity(".5"), 0.5);
        assert.equal(parseQuantity(2), 2);
        for (const bad of ["1 Gi", "Gi", "1gi", "1.2.3", "", "abc", null, {}]) assert.equal(parseQuantity(bad), undefined, String(bad));
    });
});

describe("metamorphic properties", () => {
    const flavors = Object.keys(book.gabarits);
    const types = Object.keys(book.typesVolume);
    const item = fc.oneof(
        fc.record({ kind: fc.constant("instance" as const), flavor: fc.constantFrom(...flavors), cc: fc.constantFrom("CC-1", "CC-2", "CC-3") }),
        fc.record({ kind: fc.constant("volume" as const), type: fc.constantFrom(...types), size: fc.integer({ min: 1, max: 2000 }), cc: fc.constantFrom("CC-1", "CC-2", "CC-3") }),
    );
    type Item = { kind: "instance"; flavor: string; cc: string } | { kind: "volume"; type: string; size: number; cc: string };
    const build = (items: Item[], suffix = ""): WireResource[] =>
        items.map((it, i) =>
            it.kind === "instance"
                ? res(OS_INSTANCE, `vm-${i}${suffix}`, { flavorName: it.flavor, tags: tags(it.cc) })
                : res(OS_VOLUME, `vol-${i}${suffix}`, { size: it.size, volumeType: it.type, metadata: { "centre-de-cout": it.cc } }),
        );

    test("doubler les instances et volumes double le coût et l'empreinte", () => {
        fc.assert(
            fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), (items) => {
                const once = est(build(items));
                const twice = est([...build(items, "-a"), ...build(items, "-b")]);
                close(twice.totals.costEur, 2 * once.totals.costEur, "cost");
                close(twice.totals.co2Kg, 2 * once.totals.co2Kg, "carbon");
                close(twice.totals.energyKwh, 2 * once.totals.energyKwh, "energy");
            }),
            { seed: SEED, numRuns: 40 },
        );
    });

    test("changer une ressource de centre de coût déplace son montant et garde le total", () => {
        fc.assert(
            fc.property(fc.array(item, { minLength: 1, maxLength: 12 }), fc.nat(), fc.constantFrom("CC-1", "CC-2", "CC-3", "CC-9"), (items, k, to) => {
                const i = k % items.length;
                const before = est(build(items));
                const moved = items.map((it, j) => (j === i ? { ...it, cc: to } : it));
                const after = est(build(moved));
                close(after.totals.costEur, before.totals.costEur, "total cost");
                close(after.totals.co2Kg, before.totals.co2Kg, "total carbon");
                const amount = (e: CostEstimate, cc: string) => e.byKey.find((x) => x.key === "centre-de-cout")!.values.find((v) => v.value === cc)?.costEur ?? 0;
                const r = before.resources.find((x) => x.name.endsWith(`-${i}`))!;
                const from = items[i].cc;
                if (from === to) return;
                close(amount(after, from), amount(before, from) - r.costEur!, "leaves its cost centre");
                close(amount(after, to), amount(before, to) + r.costEur!, "arrives in the other");
            }),
            { seed: SEED, numRuns: 40 },
        );
    });

    test("une utilisation plus haute ne baisse jamais l'empreinte", () => {
        fc.assert(
            fc.property(
                fc.array(item, { minLength: 1, maxLength: 8 }),
                fc.double({ min: 0, max: 1, noNaN: true }),
                fc.double({ min: 0, max: 1, noNaN: true }),
                (items, a, b) => {
                    const [lo, hi] = a <= b ? [a, b] : [b, a];
                    const at = (u: number) => est(build(items), { profil: "ovhcloud", estimation: { carbone: { tauxUtilisation: u } } }).totals.co2Kg;
                    assert.ok(at(lo) <= at(hi) + 1e-12, `${lo} → ${at(lo)}, ${hi} → ${at(hi)}`);
                },
            ),
            { seed: SEED, numRuns: 40 },
        );
        // Even with coefficients given the wrong way round, the slope is never negative.
        const inverted = (u: number) => est(build([{ kind: "instance", flavor: "b3-8", cc: "CC-1" }]), { profil: "ovhcloud", estimation: { carbone: { tauxUtilisation: u, wattsMinVcpu: 5, wattsMaxVcpu: 1 } } }).totals.co2Kg;
        assert.ok(inverted(0) <= inverted(1));
    });
});

describe("budgets: under, at and over, in total and per key", () => {
    const settings = { profil: "defaut", estimation: { gabarits: { "g2-4": { vcpu: 2, memoireGo: 4, prixHoraire: 0.1 } } } };
    const e = est([res(OS_INSTANCE, "a", { flavorName: "g2-4", tags: tags("CC-1") }), res(OS_INSTANCE, "b", { flavorName: "g2-4", tags: tags("CC-2") })], settings);
    test("pile : 146,00 € pour des budgets de 146,01, 146 et 145,99", () => {
        close(e.totals.costEur, 146, "two instances at 73 €");
        assert.deepEqual(checkBudgets(e, { budgetMensuel: 146.01 }).map((b) => b.status), ["within"]);
        assert.deepEqual(checkBudgets(e, { budgetMensuel: 146 }).map((b) => b.status), ["within"]);
        assert.deepEqual(checkBudgets(e, { budgetMensuel: 145.99 }).map((b) => b.status), ["over"]);
    });
    test("par clé : CC-1 au budget, CC-2 au-dessus, une valeur sans ressource sous le sien", () => {
        const checks = checkBudgets(e, { budgetsParCle: { "centre-de-cout": { "CC-1": 73, "CC-2": 72.99, "CC-3": 1 } } });
        assert.deepEqual(checks.map((b) => [b.value, b.status, cents(b.amount)]), [["CC-1", "within", 73], ["CC-2", "over", 73], ["CC-3", "within", 0]]);
        assert.equal(hasBudget({ budgetMensuel: 0, budgetsParCle: {} }), false);
        assert.equal(hasBudget({ budgetsParCle: { "centre-de-cout": { x: 0 } } }), true);
    });
    test("élément non chiffré : au-dessus = dépassement certain, en dessous = invérifiable", () => {
        const partial = est([res(OS_INSTANCE, "a", { flavorName: "g2-4", tags: tags("CC-1") }), res(OS_INSTANCE, "x", { flavorName: "inconnu", tags: tags("CC-2") })], settings);
        assert.deepEqual(checkBudgets(partial, { budgetMensuel: 100 }).map((b) => b.status), ["unknown"]);
        assert.deepEqual(checkBudgets(partial, { budgetMensuel: 50 }).map((b) => b.status), ["over"]);
        // Per key, only the items of the key's value count.
        assert.deepEqual(checkBudgets(partial, { budgetsParCle: { "centre-de-cout": { "CC-1": 100, "CC-2": 100 } } }).map((b) => b.status), ["within", "unknown"]);
    });
});

describe("unknown flavors and values unknown at preview: listed, never zero", () => {
    test("gabarit absent du barème, donné par identifiant, absent ; type de volume inconnu", () => {
        const e = est([
            res(OS_INSTANCE, "a", { flavorName: "b9-999" }),
            res(OS_INSTANCE, "b", { flavorId: "3f0c1e4a-8a43-4b3e-9d3f-1a2b3c4d5e6f" }),
            res(OS_INSTANCE, "c", {}),
            res(OS_VOLUME, "v", { size: 10, volumeType: "platine" }),
        ]);
        assert.deepEqual(e.issues.map((i) => [i.name, i.reason, i.cost, i.carbon]), [
            ["a", "gabarit-inconnu", true, true],
            ["b", "gabarit-identifiant", true, true],
            ["c", "gabarit-absent", true, true],
            ["v", "type-volume-inconnu", true, false],
        ]);
        assert.equal(e.totals.costEur, 0);
        assert.equal(e.totals.unpriced, 4);
        assert.equal(byName(e, "a").costEur, undefined, "unpriced, not zero");
        // An unknown volume type is counted as SSD for carbon (the higher coefficient).
        assert.ok(byName(e, "v").co2Kg! > 0);
    });

    test("gabarit configuré avec son seul prix : coût connu, empreinte listée comme inconnue", () => {
        const e = est([res(OS_INSTANCE, "a", { flavorName: "maison" })], { profil: "ovhcloud", estimation: { gabarits: { maison: { prixHoraire: 0.5 } } } });
        close(e.totals.costEur, 365, "price only");
        assert.equal(byName(e, "a").co2Kg, undefined);
        assert.deepEqual(e.issues.map((i) => [i.reason, i.cost, i.carbon]), [["caracteristiques-absentes", false, true]]);
        assert.ok(Number.isFinite(e.totals.co2Kg));
    });

    test("valeurs inconnues à la prévisualisation : listées comme inconnues, avec la propriété", () => {
        const e = est([
            res(OS_INSTANCE, "a", { flavorName: UNKNOWN }),
            res(OS_VOLUME, "v", { size: UNKNOWN, volumeType: "classic" }),
            res(OS_INSTANCE, "b", { flavorName: "b3-8", blockDevices: [{ destinationType: "volume", sourceType: "image", volumeSize: UNKNOWN }] }),
            res("kubernetes:apps/v1:Deployment", "d", { spec: { replicas: UNKNOWN, template: { spec: { containers: [] } } } }),
        ]);
        assert.deepEqual(e.issues.map((i) => [i.name, i.reason, i.property]), [
            ["a", "valeur-inconnue", "flavorName"],
            ["v", "valeur-inconnue", "size"],
            ["b", "valeur-inconnue", "blockDevices[0].volumeSize"],
            ["d", "valeur-inconnue", "spec.replicas"],
        ]);
        // The part of "b" that is known (its flavor) is priced; the unknown part is listed.
        close(byName(e, "b").costEur!, book.gabarits["b3-8"].prixHoraire * 730, "known part");
    });

    test("secrets : la valeur se lit pour chiffrer (le masquage est celui des messages et rapports)", () => {
        const e = est([res(OS_VOLUME, "v", { size: secret(10), volumeType: secret("classic") })]);
        close(e.totals.costEur, 10 * book.typesVolume.classic.prixGoMois, "secret values are read");
    });
});

describe("attribution of resources without tags", () => {
    test("par le parent, puis les dépendances, puis la pile", () => {
        const comp = res("cdc:app:Service", "service", {}, { provider: undefined });
        const inst = res(OS_INSTANCE, "web", { flavorName: "b3-8", tags: ["centre-de-cout=CC-7"] });
        const volChild = res(OS_VOLUME, "enfant", { size: 10 }, { parent: inst.urn });
        const fip = res("openstack:networking/floatingIp:FloatingIp", "ip", {}, { propertyDependencies: { portId: [inst.urn] } });
        const lone = res(OS_VOLUME, "seul", { size: 10 });
        const e = est([comp, inst, volChild, fip, lone], { profil: "ovhcloud" }, new Map([["application", "portail"]]), new Map([["projet:centre-de-cout", "CC-PILE"]]));
        const keys = (n: string) => [byName(e, n).keys["centre-de-cout"], byName(e, n).attribution["centre-de-cout"]];
        assert.deepEqual(keys("web"), ["CC-7", "ressource"]);
        assert.deepEqual(keys("enfant"), ["CC-7", "parent"]);
        assert.deepEqual(keys("ip"), ["CC-7", "dependance"]);
        assert.deepEqual(keys("seul"), ["CC-PILE", "pile"]);
        assert.equal(byName(e, "seul").keys["application"], "portail", "stack tag");
        assert.equal(byName(e, "seul").keys["proprietaire"], "", "unattributed");
        assert.equal(e.resources.some((r) => r.name === "service"), false, "a component costs nothing itself");
    });

    test("un forfait configuré chiffre un type, même réputé sans coût", () => {
        const e = est([res("openstack:networking/port:Port", "p", {}), res("openstack:database/instance:Instance", "base", {})], {
            profil: "ovhcloud",
            estimation: { forfaits: { "openstack:networking/port:Port": { prixHoraire: 0.001 }, "openstack:database/instance:Instance": { prixHoraire: 0.2 } } },
        });
        close(byName(e, "p").costEur!, 0.73, "port");
        close(byName(e, "base").costEur!, 146, "database instance");
        assert.equal(est([res("openstack:database/instance:Instance", "base", {})]).issues[0].reason, "type-sans-tarif");
    });

    test("autres fournisseurs : hors périmètre, comptés", () => {
        const e = est([res("random:index/randomPassword:RandomPassword", "mdp", { length: 20 }), res("aws:ec2/instance:Instance", "vm", {})]);
        assert.deepEqual(e.outOfScope, [{ package: "aws", count: 1 }, { package: "random", count: 1 }]);
    });
});

describe("data files: every value carries its source, date and the word indicative", () => {
    const files = ["carbone.json", "perimetre.json", ...priceBookProfiles().map((p) => `tarifs/${p}.json`)];
    test("profils : un barème par profil du pack", () => {
        assert.deepEqual(priceBookProfiles(), ["defaut", "ovhcloud"]);
    });
    for (const file of files) {
        test(file, () => {
            const doc = JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), "utf8"));
            assert.ok(typeof doc.description === "string" && (file === "perimetre.json" || /indicati/.test(doc.description)), "description");
            assert.match(doc.version, /^\d{4}-\d{2}-\d{2}$/);
            const sources = doc.sources ?? {};
            for (const s of Object.values(sources) as { titre: string; url: string }[]) assert.ok(s.titre && s.url, JSON.stringify(s));
            let values = 0;
            const visit = (v: unknown, where: string) => {
                if (!v || typeof v !== "object" || Array.isArray(v)) return;
                const o = v as Record<string, unknown>;
                const priced = ["valeur", "prixHoraire", "prixGoMois", "prixVcpuHeure", "vcpu"].some((k) => k in o);
                if (priced) {
                    values++;
                    assert.equal(o.nature, "indicatif", `${where}: nature`);
                    assert.match(String(o.date), /^\d{4}-\d{2}-\d{2}$/, `${where}: date`);
                    assert.ok(typeof o.source === "string" && o.source in sources, `${where}: source ${String(o.source)}`);
                    if ("sourceCaracteristiques" in o) assert.ok(String(o.sourceCaracteristiques) in sources, `${where}: sourceCaracteristiques`);
                    return;
                }
                for (const [k, x] of Object.entries(o)) if (k !== "sources") visit(x, `${where}.${k}`);
            };
            visit(doc, file);
            if (file !== "perimetre.json" && file !== "tarifs/defaut.json") assert.ok(values > 5, `${values} values`);
        });
    }
    test("coefficients carbone : tous présents", () => {
        for (const k of CARBON_COEFFICIENTS) assert.equal(typeof carbon.coefficients[k]?.valeur, "number", k);
        assert.equal(carbon.intensiteReseau.paquet, "@tgwf/co2");
    });
    test("types sans coût : des types que le fournisseur OpenStack déclare", () => {
        const pkg = path.dirname(require.resolve("@pulumi/openstack/package.json"));
        const known = new Set<string>();
        const walk = (dir: string) => {
            for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
                if (f.isDirectory()) walk(path.join(dir, f.name));
                else if (f.name.endsWith(".js")) for (const m of fs.readFileSync(path.join(dir, f.name), "utf8").matchAll(/__pulumiType = '([^']+)'/g)) known.add(m[1]);
            }
        };
        walk(pkg);
        const perimeter = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "perimetre.json"), "utf8"));
        for (const t of [...perimeter.typesSansCout, ...Object.keys(book.forfaits)]) {
            if (t.endsWith("*")) assert.ok([...known].some((k) => k.startsWith(t.slice(0, -1))), t);
            else assert.ok(known.has(t), t);
        }
    });
    test("montants formatés comme les lit un lecteur français ou anglais", () => {
        assert.equal(formatEur(1234.5, "fr"), "1\u00a0234,50\u00a0€");
        assert.equal(formatEur(1234.5, "en"), "€1,234.50");
    });
});
