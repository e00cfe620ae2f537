import type { PolicyResource } from "@pulumi/policy";
import { sameVolumeType } from "../cinder";
import { HpaIndex, effectiveNamespace } from "../k8s-selectors";
import { containers, podSpec } from "../k8s";
import { DEFAULT_PROFILE, providerProfile } from "../profiles";
import { arr, get, isUnknownValueError, rec, str } from "../props";
import type { StackView } from "../rule";
import { markerValue } from "../tags";
import { K8S, OS, OS_VOLUMES } from "../types";
import { Attribution, AttributionSource, Attributor } from "./attribution";
import { EstimationData, EstimationSettings, Flavor, inTypeList, LoadBalancerFlavor, mergeData, VolumeType } from "./data";
import { bytesToGib, parseQuantity } from "./quantities";

/**
 * The monthly cost (€, taxes excluded) and emissions (kgCO2e) of a stack, per resource, with totals
 * by cost-attribution key (PIL-03, PIL-04, PIL-05). One implementation: the pack's policies run it
 * on the resources of AnalyzeStack, the checker on the same resources (resources.ts), so both give
 * the same figures. The method is documented in docs/methode-cout-carbone.md.
 *
 * Never a guess, never a silent zero: what cannot be priced (a flavor or a volume type the price
 * book does not know, a value unknown at preview, a Kubernetes container without requests, …) is
 * listed as an `Issue`, and the totals are then lower bounds. Resources that cost nothing by
 * themselves (networks, rules, attachments, Kubernetes objects other than workloads, claims and
 * load-balancer services) are left out; OpenStack types that are neither priced nor free are
 * listed as unpriced; resources of other providers are counted as out of scope.
 */

export type Reason =
    /** The flavor is not in the price book. */
    | "gabarit-inconnu"
    /** The flavor is given by an ID the price book does not know. */
    | "gabarit-identifiant"
    /** No flavor is given (nor by a cluster template). */
    | "gabarit-absent"
    /** The price book knows the item but not its price. */
    | "prix-absent"
    /** The price book has no entry for this kind of item (load balancers, object storage, Kubernetes). */
    | "bareme-absent"
    | "type-volume-inconnu"
    /** The volume's type is Cinder's default, which the profile does not know. */
    | "type-volume-defaut-inconnu"
    /** The volume takes its type from a source volume, snapshot or backup. */
    | "type-volume-herite"
    /** The size comes from a snapshot or image, not from the program. */
    | "taille-inconnue"
    | "valeur-inconnue"
    | "valeur-invalide"
    /** An object storage container without the size marker. */
    | "quantite-stockee-inconnue"
    /** An OpenStack type that is neither priced nor free. */
    | "type-sans-tarif"
    | "requetes-absentes"
    /** One pod per node: the number of nodes is not in the stack. */
    | "replicas-inconnues"
    /** Jobs run for a time the stack does not say. */
    | "duree-inconnue"
    | "classe-stockage-inconnue"
    | "repartiteur-inconnu"
    /** The grid's carbon intensity is unknown for the country. */
    | "intensite-reseau-inconnue"
    /** An entry of the price book (configured) without vCPU or memory: its footprint is unknown. */
    | "caracteristiques-absentes";

export interface Issue {
    urn: string;
    name: string;
    type: string;
    reason: Reason;
    /** Whether the cost, the emissions, or both are left unknown. */
    cost: boolean;
    carbon: boolean;
    /** The property the reason is about, and its value when it is known and shown. */
    property?: string;
    value?: string | number;
}

export type PartKind = "gabarit" | "disque" | "volume" | "repartiteur" | "forfait" | "objet" | "charge" | "noeuds";

/** One priced item of a resource: `count` × `detail`. */
export interface Part {
    kind: PartKind;
    /** Language-neutral detail: a flavor name, `50 Go high-speed`, `0.25 vCPU + 0.25 Go`. */
    detail: string;
    count: number;
    costEur?: number;
    co2Kg?: number;
}

export interface ResourceEstimate {
    urn: string;
    name: string;
    type: string;
    parts: Part[];
    /** Monthly cost of the priced parts; undefined when no part is priced. */
    costEur?: number;
    /** Monthly emissions of the parts whose emissions are known (operational + embodied). */
    co2Kg?: number;
    energyKwh: number;
    embodiedKg: number;
    keys: Record<string, string>;
    attribution: Record<string, AttributionSource>;
    issues: Issue[];
}

export interface KeyValueTotal {
    /** The key's value; "" = unattributed. */
    value: string;
    costEur: number;
    co2Kg: number;
    resources: number;
    /** Issues of resources attributed to this value (their amounts are not in the totals). */
    unpriced: number;
    carbonUnknown: number;
}

export interface KeyTotals {
    key: string;
    values: KeyValueTotal[];
}

export interface Assumption {
    name: string;
    value: number | string;
    unit: string;
    source: string;
    date: string;
}

export interface CostEstimate {
    profile: string;
    currency: string;
    hoursPerMonth: number;
    keys: string[];
    resources: ResourceEstimate[];
    totals: {
        costEur: number;
        co2Kg: number;
        energyKwh: number;
        embodiedKg: number;
        /** Resources with a priced part. */
        priced: number;
        /** Issues leaving a cost unknown, and an emission unknown. */
        unpriced: number;
        carbonUnknown: number;
    };
    byKey: KeyTotals[];
    /** Every issue, in resource order. */
    issues: Issue[];
    /** Resources of other providers, by package: not estimated. */
    outOfScope: { package: string; count: number }[];
    /** The values the figures rest on (utilisation, PUE, grid intensity, …) and their sources. */
    assumptions: Assumption[];
    /** Sources cited by the assumptions and the price book. */
    sources: Record<string, { titre: string; url: string }>;
}

export interface EstimateOptions {
    data: EstimationData;
    keys: readonly string[];
    stackTags: ReadonlyMap<string, string>;
    /** The stack configuration, `project:key` → value (non-secret values only). */
    stackConfig: ReadonlyMap<string, string>;
    /** Cinder's default volume type for volumes without one ("" = unknown). */
    defaultVolumeType: string;
}

/** The options from the pack settings (profile and `estimation`) and what the stack declares. */
export function estimateOptions(
    settings: { profil?: string; estimation?: EstimationSettings },
    stackTags: ReadonlyMap<string, string> = new Map(),
    stackConfig: ReadonlyMap<string, string> = new Map(),
): EstimateOptions {
    const profile = providerProfile(settings.profil ?? DEFAULT_PROFILE.id) ?? DEFAULT_PROFILE;
    const estimation = settings.estimation ?? {};
    const keys = estimation.clesRegroupement && estimation.clesRegroupement.length > 0 ? estimation.clesRegroupement : profile.values.costKeys;
    return {
        data: mergeData(profile.id, estimation),
        keys: [...keys],
        stackTags,
        stackConfig,
        defaultVolumeType: profile.values.defaultVolumeType,
    };
}

/** What a resource needs, before prices and coefficients. */
interface Demand {
    vcpu: number;
    memGb: number;
    gpu: number;
    /** Storage in GB, replicas of the platform included, by medium. */
    ssdGb: number;
    hddGb: number;
}

const NO_DEMAND: Demand = { vcpu: 0, memGb: 0, gpu: 0, ssdGb: 0, hddGb: 0 };

class Unknown extends Error {
    constructor(readonly property: string) {
        super(property);
    }
}

/** Reads a value; a value unknown at preview becomes `Unknown` for `property`. */
function read<T>(property: string, fn: () => T): T {
    try {
        return fn();
    } catch (e) {
        if (isUnknownValueError(e)) throw new Unknown(property);
        throw e;
    }
}

const K8S_CHARGES: readonly string[] = [K8S.deployment, K8S.statefulSet, K8S.replicaSet, K8S.daemonSet, K8S.job, K8S.cronJob, K8S.pod];
const K8S_REPLICATED: readonly string[] = [K8S.deployment, K8S.statefulSet, K8S.replicaSet];
const LB_INTERNAL_ANNOTATION = "service.beta.kubernetes.io/openstack-internal-load-balancer";
const LB_FLAVOR_ANNOTATION = "loadbalancer.openstack.org/flavor-id";
const FIP_TYPE = OS.floatingIp;
const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";

/** The monthly estimate of a stack. */
export function estimate(stack: StackView, opts: EstimateOptions): CostEstimate {
    return new Estimator(stack, opts).run();
}

class Estimator {
    private readonly d: EstimationData;
    private readonly hours: number;
    private readonly attributor: Attributor;
    private hpas?: HpaIndex;
    private readonly out: ResourceEstimate[] = [];
    private readonly outOfScope = new Map<string, number>();
    private current!: ResourceEstimate;
    private currentResource!: PolicyResource;

    constructor(
        private readonly stack: StackView,
        private readonly opts: EstimateOptions,
    ) {
        this.d = opts.data;
        this.hours = this.d.coefficients.heuresParMois.valeur;
        this.attributor = new Attributor(stack, opts.keys, opts.stackTags, opts.stackConfig);
    }

    run(): CostEstimate {
        for (const r of this.stack.resources) {
            if (!this.inScope(r)) continue;
            const attribution: Attribution = this.attributor.attribute(r);
            this.current = {
                urn: r.urn,
                name: r.name,
                type: r.type,
                parts: [],
                energyKwh: 0,
                embodiedKg: 0,
                keys: attribution.keys,
                attribution: attribution.from,
                issues: [],
            };
            this.currentResource = r;
            try {
                this.resource(r);
            } catch (e) {
                if (e instanceof Unknown) this.issue("valeur-inconnue", true, true, e.property);
                else if (isUnknownValueError(e)) this.issue("valeur-inconnue", true, true);
                else this.issue("valeur-invalide", true, true);
            }
            if (this.current.parts.length > 0 || this.current.issues.length > 0) this.out.push(this.current);
        }
        return this.result();
    }

    /**
     * Whether a resource may cost something: OpenStack resources not known to be free, and the
     * Kubernetes objects that reserve capacity. Resources of other providers are counted out of
     * scope; components (no provider) cost nothing themselves: their children are what costs.
     */
    private inScope(r: PolicyResource): boolean {
        const pkg = r.type.split(":")[0];
        // A flat price given for a type (by the book or the configuration) wins over the free list.
        if (this.d.book.forfaits[r.type]) return true;
        if (pkg === "openstack") return !inTypeList(r.type, this.d.freeTypes);
        if (pkg === "kubernetes") {
            return K8S_CHARGES.includes(r.type) || r.type === K8S.persistentVolumeClaim || r.type === K8S.service;
        }
        if (pkg !== "pulumi" && r.provider) this.outOfScope.set(pkg, (this.outOfScope.get(pkg) ?? 0) + 1);
        return false;
    }

    private resource(r: PolicyResource): void {
        const p = r.props;
        if (r.type === OS.instance) return this.instance(p);
        if (OS_VOLUMES.includes(r.type)) return this.volume(p);
        if (r.type === OS.loadBalancer) return this.loadBalancer(read("flavorId", () => str(p["flavorId"])));
        if (r.type === OS.container) return this.container(p);
        if (r.type === OS.magnumCluster) return this.magnumCluster(r);
        if (r.type === OS.magnumNodeGroup) return this.magnumNodeGroup(r);
        if (this.d.book.forfaits[r.type]) return this.flat(r.type);
        if (K8S_CHARGES.includes(r.type)) return this.workload(r);
        if (r.type === K8S.persistentVolumeClaim) return this.claim(r);
        if (r.type === K8S.service) return this.service(p);
        this.issue("type-sans-tarif", true, true);
    }

    // --------------------------------------------------------------------------------------------
    // OpenStack.

    private instance(p: Record<string, unknown>): void {
        const name = read("flavorName", () => str(p["flavorName"]))?.trim();
        let flavor: Flavor | undefined;
        let label = "";
        if (name) {
            flavor = this.d.book.gabarits[name];
            label = name;
            if (!flavor) return this.issue("gabarit-inconnu", true, true, "flavorName", name);
        } else {
            const id = read("flavorId", () => str(p["flavorId"]))?.trim();
            if (!id) return this.issue("gabarit-absent", true, true, "flavorName");
            flavor = this.d.book.gabarits[id];
            label = id;
            if (!flavor) return this.issue("gabarit-identifiant", true, true, "flavorId", id);
        }
        this.flavorPart("gabarit", label, flavor, 1);
        arr(read("blockDevices", () => p["blockDevices"])).forEach((raw, i) => {
            const path = `blockDevices[${i}]`;
            const bd = rec(read(path, () => raw));
            if (!bd) return;
            const destination = read(`${path}.destinationType`, () => str(bd["destinationType"])) ?? "";
            const source = read(`${path}.sourceType`, () => str(bd["sourceType"])) ?? "";
            if (destination !== "volume" || source === "volume") return;
            const size = read(`${path}.volumeSize`, () => bd["volumeSize"]);
            // Without a size, Nova takes the image's or the snapshot's: not in the program.
            if (size === undefined || size === null || size === 0) return this.issue("taille-inconnue", true, true, `${path}.volumeSize`);
            this.storage("disque", `${path}.volumeSize`, size, `${path}.volumeType`, read(`${path}.volumeType`, () => bd["volumeType"]));
        });
    }

    private volume(p: Record<string, unknown>): void {
        const raw = read("volumeType", () => p["volumeType"]);
        const explicit = typeof raw === "string" && raw !== "";
        if (!explicit) {
            const from = read("sourceVolId", () => str(p["sourceVolId"])) || read("snapshotId", () => str(p["snapshotId"])) || read("backupId", () => str(p["backupId"]));
            if (from) {
                const gb = this.positive("size", read("size", () => p["size"]));
                if (gb === undefined) return;
                const part: Part = { kind: "volume", detail: `${gb} Go`, count: 1 };
                this.current.parts.push(part);
                this.issue("type-volume-herite", true, false, "volumeType");
                return this.addCarbon(part, { ...NO_DEMAND, ssdGb: gb * this.coef("replicationBloc") }, "volume");
            }
        }
        this.storage("volume", "size", read("size", () => p["size"]), "volumeType", raw);
    }

    /** A Cinder volume of `size` GB and type `rawType` (absent or "": Cinder's default type). */
    private storage(kind: PartKind, sizePath: string, rawSize: unknown, typePath: string, rawType: unknown): void {
        const gb = this.positive(sizePath, rawSize);
        if (gb === undefined) return;
        let typeName: string;
        if (typeof rawType === "string" && rawType !== "") typeName = rawType;
        else if (rawType === undefined || rawType === null || rawType === "") typeName = this.opts.defaultVolumeType;
        else return this.issue("valeur-invalide", true, true, typePath);
        const entry = typeName ? this.volumeType(typeName) : undefined;
        const detail = `${gb} Go ${typeName || "?"}`;
        const part: Part = { kind, detail, count: 1 };
        this.current.parts.push(part);
        if (!typeName) this.issue("type-volume-defaut-inconnu", true, false, typePath);
        else if (!entry) this.issue("type-volume-inconnu", true, false, typePath, typeName);
        else if (entry.prixGoMois === undefined) this.issue("prix-absent", true, false, typePath, typeName);
        else this.addCost(part, gb * entry.prixGoMois * (this.hours / this.coef("heuresParMois")));
        // The medium of an unknown type is taken as SSD, the higher coefficient.
        const gbReplicated = gb * this.coef("replicationBloc");
        const demand = entry?.support === "hdd" ? { ...NO_DEMAND, hddGb: gbReplicated } : { ...NO_DEMAND, ssdGb: gbReplicated };
        this.addCarbon(part, demand, "volume");
    }

    private volumeType(name: string): VolumeType | undefined {
        const book = this.d.book.typesVolume;
        if (book[name]) return book[name];
        const key = Object.keys(book).find((k) => sameVolumeType(k, name));
        return key ? book[key] : undefined;
    }

    private loadBalancer(flavorId: string | undefined, count = 1): void {
        const lbs = this.d.book.repartiteurs;
        const key = flavorId?.trim() || lbs.parDefaut;
        const lb: LoadBalancerFlavor | undefined = key ? lbs.gabarits[key] : undefined;
        if (!lb) {
            if (flavorId?.trim()) return this.issue("repartiteur-inconnu", true, true, "flavorId", flavorId.trim());
            return this.issue("bareme-absent", true, true);
        }
        const part: Part = { kind: "repartiteur", detail: key, count };
        this.current.parts.push(part);
        if (lb.prixHoraire === undefined) this.issue("prix-absent", true, false, "flavorId", key);
        else this.addCost(part, count * lb.prixHoraire * this.hours);
        if (!isCount(lb.amphores) || !isCount(lb.vcpu) || !isCount(lb.memoireGo)) return this.issue("caracteristiques-absentes", false, true, "flavorId", key);
        const n = count * lb.amphores;
        this.addCarbon(part, { ...NO_DEMAND, vcpu: n * lb.vcpu, memGb: n * lb.memoireGo }, "calcul");
    }

    private flat(type: string, count = 1): void {
        const f = this.d.book.forfaits[type];
        const part: Part = { kind: "forfait", detail: type.slice(type.lastIndexOf(":") + 1), count };
        this.current.parts.push(part);
        this.addCost(part, count * f.prixHoraire * this.hours);
        // A flat-priced item (public IP, router) has no footprint of its own in the method.
        part.co2Kg = 0;
        if (this.d.grid) this.current.co2Kg = this.current.co2Kg ?? 0;
    }

    private container(p: Record<string, unknown>): void {
        const marker = this.d.sizeMarker;
        const raw = read(marker, () => markerValue(p, marker));
        if (raw === undefined) return this.issue("quantite-stockee-inconnue", true, true, marker);
        const gb = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
        if (gb === undefined) return this.issue("valeur-invalide", true, true, marker, raw);
        const part: Part = { kind: "objet", detail: `${gb} Go`, count: 1 };
        this.current.parts.push(part);
        const s = this.d.book.stockageObjet;
        if (s?.prixGoMois === undefined) this.issue(s ? "prix-absent" : "bareme-absent", true, false);
        else this.addCost(part, gb * s.prixGoMois * (this.hours / this.coef("heuresParMois")));
        const replicated = gb * this.coef("replicationObjet");
        this.addCarbon(part, s?.support === "hdd" ? { ...NO_DEMAND, hddGb: replicated } : { ...NO_DEMAND, ssdGb: replicated }, "volume");
    }

    private magnumCluster(r: PolicyResource): void {
        const p = r.props;
        const template = this.stack.propertyDependency(r, "clusterTemplateId")[0];
        const fromTemplate = (k: string) => (template ? read(`clusterTemplateId.${k}`, () => str(template.props[k]))?.trim() : undefined);
        const masters = this.count("masterCount", read("masterCount", () => p["masterCount"]));
        const nodes = this.count("nodeCount", read("nodeCount", () => p["nodeCount"]));
        if (masters === undefined || nodes === undefined) return;
        const masterFlavor = read("masterFlavor", () => str(p["masterFlavor"]))?.trim() || fromTemplate("masterFlavor");
        const nodeFlavor = read("flavor", () => str(p["flavor"]))?.trim() || fromTemplate("flavor");
        this.nodes("masterFlavor", masterFlavor, masters);
        this.nodes("flavor", nodeFlavor, nodes);
    }

    private magnumNodeGroup(r: PolicyResource): void {
        const p = r.props;
        const nodes = this.count("nodeCount", read("nodeCount", () => p["nodeCount"]));
        if (nodes === undefined) return;
        let flavor = read("flavorId", () => str(p["flavorId"]))?.trim();
        if (!flavor) {
            const cluster = this.stack.propertyDependency(r, "clusterId")[0];
            flavor = cluster ? read("clusterId.flavor", () => str(cluster.props["flavor"]))?.trim() : undefined;
            if (!flavor && cluster) {
                const template = this.stack.propertyDependency(cluster, "clusterTemplateId")[0];
                flavor = template ? read("clusterId.flavor", () => str(template.props["flavor"]))?.trim() : undefined;
            }
        }
        this.nodes("flavorId", flavor, nodes);
    }

    private nodes(property: string, flavorName: string | undefined, count: number): void {
        if (count === 0) return;
        if (!flavorName) return this.issue("gabarit-absent", true, true, property);
        const flavor = this.d.book.gabarits[flavorName];
        if (!flavor) return this.issue("gabarit-inconnu", true, true, property, flavorName);
        this.flavorPart("noeuds", flavorName, flavor, count);
    }

    private flavorPart(kind: PartKind, label: string, flavor: Flavor, count: number): void {
        const part: Part = { kind, detail: label, count };
        this.current.parts.push(part);
        if (flavor.prixHoraire === undefined) this.issue("prix-absent", true, false, undefined, label);
        else this.addCost(part, count * flavor.prixHoraire * this.hours);
        if (!isCount(flavor.vcpu) || !isCount(flavor.memoireGo)) return this.issue("caracteristiques-absentes", false, true, undefined, label);
        this.addCarbon(
            part,
            { vcpu: count * flavor.vcpu, memGb: count * flavor.memoireGo, gpu: count * (isCount(flavor.gpu) ? flavor.gpu : 0), ssdGb: count * (isCount(flavor.disqueGo) ? flavor.disqueGo : 0), hddGb: 0 },
            "calcul",
        );
    }

    // --------------------------------------------------------------------------------------------
    // Kubernetes.

    private workload(r: PolicyResource): void {
        if (r.type === K8S.daemonSet) return this.issue("replicas-inconnues", true, true);
        if (r.type === K8S.job || r.type === K8S.cronJob) return this.issue("duree-inconnue", true, true);
        const replicas = this.replicas(r);
        if (replicas === undefined) return;
        const pod = read("spec", () => podSpec(r.type, r.props));
        if (!pod) return this.issue("valeur-invalide", true, true, "spec");
        const req = this.podRequests(r, pod);
        if (!req) return;
        if (replicas > 0) {
            const detail = `${round(req.cpu)} vCPU + ${round(req.memGb)} Go`;
            const part: Part = { kind: "charge", detail, count: replicas };
            this.current.parts.push(part);
            const k = this.d.book.kubernetes;
            if (k?.prixVcpuHeure === undefined || k.prixGoHeure === undefined) this.issue(k ? "prix-absent" : "bareme-absent", true, false);
            else this.addCost(part, replicas * (req.cpu * k.prixVcpuHeure + req.memGb * k.prixGoHeure) * this.hours);
            this.addCarbon(part, { ...NO_DEMAND, vcpu: replicas * req.cpu, memGb: replicas * req.memGb }, "calcul");
        }
        if (r.type === K8S.statefulSet) {
            arr(read("spec.volumeClaimTemplates", () => get(r.props, "spec.volumeClaimTemplates"))).forEach((t, i) => {
                const path = `spec.volumeClaimTemplates[${i}]`;
                const spec = rec(read(`${path}.spec`, () => get(t, "spec")));
                if (spec) this.claimSpec(r, spec, `${path}.spec`, replicas);
            });
        }
    }

    /** Replicas: the minimum of the HorizontalPodAutoscaler driving the workload, else `spec.replicas` (default 1). */
    private replicas(r: PolicyResource): number | undefined {
        if (r.type === K8S.pod) return 1;
        if (!K8S_REPLICATED.includes(r.type)) return 1;
        this.hpas ??= new HpaIndex(this.stack);
        const hpa = this.hpas.driving(r)[0];
        if (hpa) return this.count("spec.minReplicas", read("spec.minReplicas", () => get(hpa.props, "spec.minReplicas")), 1);
        return this.count("spec.replicas", read("spec.replicas", () => get(r.props, "spec.replicas")), 1);
    }

    /**
     * What one pod requests, as the API server sets it: a container's request, else its limit
     * (defaulting), else the namespace LimitRange's `defaultRequest`, else its `default`; the
     * pod's request is the larger of the containers' sum and the largest init container.
     */
    private podRequests(r: PolicyResource, pod: { path: string; spec: Record<string, unknown> }): { cpu: number; memGb: number } | undefined {
        const list = read("spec", () => containers(pod));
        const limits = this.limitRange(r);
        const total = { cpu: 0, mem: 0 };
        const init = { cpu: 0, mem: 0 };
        for (const c of list) {
            const isInit = c.path.includes(".initContainers[");
            const values: Record<"cpu" | "memory", number> = { cpu: 0, memory: 0 };
            for (const res of ["cpu", "memory"] as const) {
                const path = `${c.path}.resources.requests.${res}`;
                const given = read(path, () => get(c.container, `resources.requests.${res}`) ?? get(c.container, `resources.limits.${res}`));
                const raw = given ?? limits?.[res];
                if (raw === undefined || raw === null) {
                    this.issue("requetes-absentes", true, true, path);
                    return undefined;
                }
                const q = parseQuantity(raw);
                if (q === undefined || q < 0) {
                    this.issue("valeur-invalide", true, true, path, typeof raw === "string" || typeof raw === "number" ? raw : undefined);
                    return undefined;
                }
                values[res] = q;
            }
            if (isInit) {
                init.cpu = Math.max(init.cpu, values.cpu);
                init.mem = Math.max(init.mem, values.memory);
            } else {
                total.cpu += values.cpu;
                total.mem += values.memory;
            }
        }
        return { cpu: Math.max(total.cpu, init.cpu), memGb: bytesToGib(Math.max(total.mem, init.mem)) };
    }

    /** The defaults of the first `Container` LimitRange of the workload's namespace, when the stack declares one. */
    private limitRangesByNs?: Map<string, PolicyResource[]>;

    /** The LimitRanges of a namespace, in the stack's order: indexed once (not once per workload). */
    private limitRangesIn(ns: string): readonly PolicyResource[] {
        if (!this.limitRangesByNs) {
            this.limitRangesByNs = new Map();
            for (const lr of this.stack.ofType(K8S.limitRange)) {
                let lrNs: string;
                try {
                    lrNs = effectiveNamespace(lr);
                } catch {
                    continue;
                }
                const l = this.limitRangesByNs.get(lrNs);
                if (l) l.push(lr);
                else this.limitRangesByNs.set(lrNs, [lr]);
            }
        }
        return this.limitRangesByNs.get(ns) ?? [];
    }

    private limitRange(r: PolicyResource): Partial<Record<"cpu" | "memory", unknown>> | undefined {
        let ns: string | undefined;
        try {
            ns = effectiveNamespace(r);
        } catch {
            return undefined;
        }
        for (const lr of this.limitRangesIn(ns)) {
            for (const item of arr(read("limits", () => get(lr.props, "spec.limits")))) {
                const it = rec(item);
                if (!it || read("limits", () => str(it["type"])) !== "Container") continue;
                const out: Partial<Record<"cpu" | "memory", unknown>> = {};
                for (const res of ["cpu", "memory"] as const) {
                    const v = read("limits", () => get(it, `defaultRequest.${res}`) ?? get(it, `default.${res}`));
                    if (v !== undefined) out[res] = v;
                }
                return out;
            }
        }
        return undefined;
    }

    private claim(r: PolicyResource): void {
        const spec = rec(read("spec", () => get(r.props, "spec")));
        if (!spec) return this.issue("valeur-invalide", true, true, "spec");
        // A claim bound to a given volume uses that volume, counted where it is declared.
        if (read("spec.volumeName", () => str(spec["volumeName"]))?.trim()) return;
        this.claimSpec(r, spec, "spec", 1);
    }

    /** Storage of a claim (or claim template × replicas): its size, in the Cinder type of its StorageClass. */
    private claimSpec(_r: PolicyResource, spec: Record<string, unknown>, path: string, count: number): void {
        const sizePath = `${path}.resources.requests.storage`;
        const raw = read(sizePath, () => get(spec, "resources.requests.storage"));
        const bytes = parseQuantity(raw);
        if (raw === undefined || raw === null) return this.issue("taille-inconnue", true, true, sizePath);
        if (bytes === undefined || bytes < 0) return this.issue("valeur-invalide", true, true, sizePath, typeof raw === "string" ? raw : undefined);
        const className = read(`${path}.storageClassName`, () => str(spec["storageClassName"]));
        const sc = this.storageClass(className);
        if (!sc) return this.issue("classe-stockage-inconnue", true, true, `${path}.storageClassName`, className || undefined);
        const gb = round(bytesToGib(bytes) * count);
        this.storage("volume", sizePath, gb, `${path}.storageClassName`, sc.type);
    }

    /** The Cinder type a StorageClass of the stack gives its volumes ("" = Cinder's default), by name or as the default class. */
    private storageClass(name: string | undefined): { type: string } | undefined {
        for (const sc of this.stack.ofType(K8S.storageClass)) {
            const scName = readKnown(() => str(get(sc.props, "metadata.name")));
            const isDefault = readKnown(() => str(get(sc.props, ["metadata", "annotations", DEFAULT_CLASS_ANNOTATION])))?.trim() === "true";
            if (name ? scName !== name : !isDefault) continue;
            const provisioner = readKnown(() => str(sc.props["provisioner"]));
            if (provisioner !== "cinder.csi.openstack.org" && provisioner !== "kubernetes.io/cinder") return undefined;
            const type = readKnown(() => get(sc.props, "parameters.type"));
            return { type: typeof type === "string" ? type : "" };
        }
        return undefined;
    }

    /** A Service of type LoadBalancer: cloud-provider-openstack creates an Octavia load balancer, and a floating IP unless internal. */
    private service(p: Record<string, unknown>): void {
        if (read("spec.type", () => str(get(p, "spec.type"))) !== "LoadBalancer") return;
        const annotations = rec(read("metadata.annotations", () => get(p, "metadata.annotations"))) ?? {};
        const flavor = read("metadata.annotations", () => str(annotations[LB_FLAVOR_ANNOTATION]));
        this.loadBalancer(flavor);
        const internal = read("metadata.annotations", () => str(annotations[LB_INTERNAL_ANNOTATION]))?.trim().toLowerCase() === "true";
        if (!internal && this.d.book.forfaits[FIP_TYPE]) this.flat(FIP_TYPE);
    }

    // --------------------------------------------------------------------------------------------
    // Figures.

    private coef(k: keyof EstimationData["coefficients"]): number {
        return this.d.coefficients[k].valeur;
    }

    private addCost(part: Part, eur: number): void {
        part.costEur = (part.costEur ?? 0) + eur;
        this.current.costEur = (this.current.costEur ?? 0) + eur;
    }

    /** Energy (kWh) and emissions (kgCO2e) of a month of `demand`, as docs/methode-cout-carbone.md states. */
    private addCarbon(part: Part, demand: Demand, embodied: "calcul" | "volume"): void {
        const c = (k: keyof EstimationData["coefficients"]) => this.coef(k);
        const u = Math.min(1, Math.max(0, c("tauxUtilisation")));
        const cpuW = demand.vcpu * (c("wattsMinVcpu") + u * Math.max(0, c("wattsMaxVcpu") - c("wattsMinVcpu")));
        const gpuW = demand.gpu * (c("gpuWattsMin") + u * Math.max(0, c("gpuWattsMax") - c("gpuWattsMin")));
        const memW = demand.memGb * c("wattsGoMemoire");
        const storageW = (demand.ssdGb / 1000) * c("whTeraOctetHeureSsd") + (demand.hddGb / 1000) * c("whTeraOctetHeureHdd");
        const energyKwh = ((cpuW + gpuW + memW + storageW) * this.hours * this.d.pue.valeur) / 1000;
        let embodiedKg = 0;
        if (embodied === "calcul") embodiedKg += (demand.vcpu * this.hours * c("fabricationServeurKg")) / (c("vcpuParServeur") * c("dureeVieHeures"));
        const storedGb = demand.ssdGb + demand.hddGb;
        embodiedKg += ((storedGb * c("fabricationGoStockageKg")) / c("dureeVieStockageMois")) * (this.hours / c("heuresParMois"));
        this.current.energyKwh += energyKwh;
        this.current.embodiedKg += embodiedKg;
        if (!this.d.grid) return;
        const kg = (energyKwh * this.d.grid.value) / 1000 + embodiedKg;
        part.co2Kg = (part.co2Kg ?? 0) + kg;
        this.current.co2Kg = (this.current.co2Kg ?? 0) + kg;
    }

    /** A size in GB: a positive number; an issue otherwise. */
    private positive(property: string, raw: unknown): number | undefined {
        const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : undefined;
        if (n === undefined || !Number.isFinite(n) || n <= 0) {
            this.issue(raw === undefined || raw === null ? "taille-inconnue" : "valeur-invalide", true, true, property, typeof raw === "string" || typeof raw === "number" ? raw : undefined);
            return undefined;
        }
        return n;
    }

    /** A count: a non-negative integer, `dflt` when absent; an issue otherwise. */
    private count(property: string, raw: unknown, dflt = 1): number | undefined {
        if (raw === undefined || raw === null) return dflt;
        const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\d+$/.test(raw.trim()) ? Number(raw) : undefined;
        if (n === undefined || !Number.isInteger(n) || n < 0) {
            this.issue("valeur-invalide", true, true, property, typeof raw === "string" || typeof raw === "number" ? raw : undefined);
            return undefined;
        }
        return n;
    }

    private issue(reason: Reason, cost: boolean, carbon: boolean, property?: string, value?: string | number): void {
        const r = this.currentResource;
        const issue: Issue = { urn: r.urn, name: r.name, type: r.type, reason, cost, carbon };
        if (property !== undefined) issue.property = property;
        if (value !== undefined) issue.value = value;
        this.current.issues.push(issue);
    }

    private result(): CostEstimate {
        const d = this.d;
        const issues = this.out.flatMap((r) => r.issues);
        if (!d.grid) {
            for (const r of this.out) {
                if (r.parts.length === 0) continue;
                const issue: Issue = { urn: r.urn, name: r.name, type: r.type, reason: "intensite-reseau-inconnue", cost: false, carbon: true };
                r.issues.push(issue);
                issues.push(issue);
            }
        }
        const sum = (f: (r: ResourceEstimate) => number | undefined) => this.out.reduce((a, r) => a + (f(r) ?? 0), 0);
        const byKey: KeyTotals[] = this.opts.keys.map((key) => {
            const values = new Map<string, KeyValueTotal>();
            for (const r of this.out) {
                const v = r.keys[key] ?? "";
                let t = values.get(v);
                if (!t) values.set(v, (t = { value: v, costEur: 0, co2Kg: 0, resources: 0, unpriced: 0, carbonUnknown: 0 }));
                t.costEur += r.costEur ?? 0;
                t.co2Kg += r.co2Kg ?? 0;
                t.resources++;
                t.unpriced += r.issues.filter((i) => i.cost).length;
                t.carbonUnknown += r.issues.filter((i) => i.carbon).length;
            }
            return { key, values: [...values.values()].sort((a, b) => b.costEur - a.costEur || b.co2Kg - a.co2Kg || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)) };
        });
        const c = d.coefficients;
        const a = (name: string, v: { valeur: number; source: string; date: string }, unit: string): Assumption => ({ name, value: v.valeur, unit, source: v.source, date: v.date });
        const assumptions: Assumption[] = [
            a("heuresParMois", c.heuresParMois, "h"),
            a("tauxUtilisation", c.tauxUtilisation, ""),
            a("pue", d.pue, ""),
            d.grid
                ? { name: "intensiteReseau", value: d.grid.value, unit: `gCO2e/kWh (${d.grid.country})`, source: d.grid.source, date: "" }
                : { name: "intensiteReseau", value: "?", unit: "gCO2e/kWh", source: "", date: "" },
            a("wattsMinVcpu", c.wattsMinVcpu, "W/vCPU"),
            a("wattsMaxVcpu", c.wattsMaxVcpu, "W/vCPU"),
            a("wattsGoMemoire", c.wattsGoMemoire, "W/Go"),
            a("fabricationServeurKg", c.fabricationServeurKg, "kgCO2e"),
            a("vcpuParServeur", c.vcpuParServeur, "vCPU"),
            a("dureeVieHeures", c.dureeVieHeures, "h"),
        ];
        return {
            profile: d.profil,
            currency: d.devise,
            hoursPerMonth: this.hours,
            keys: [...this.opts.keys],
            resources: this.out,
            totals: {
                costEur: sum((r) => r.costEur),
                co2Kg: sum((r) => r.co2Kg),
                energyKwh: sum((r) => r.energyKwh),
                embodiedKg: sum((r) => r.embodiedKg),
                priced: this.out.filter((r) => r.costEur !== undefined).length,
                unpriced: issues.filter((i) => i.cost).length,
                carbonUnknown: issues.filter((i) => i.carbon).length,
            },
            byKey,
            issues,
            outOfScope: [...this.outOfScope].map(([pkg, count]) => ({ package: pkg, count })).sort((x, y) => (x.package < y.package ? -1 : 1)),
            assumptions,
            sources: d.sources,
        };
    }
}

/** A non-negative finite number (a configured entry may lack one). */
function isCount(n: unknown): n is number {
    return typeof n === "number" && Number.isFinite(n) && n >= 0;
}

function readKnown<T>(fn: () => T): T | undefined {
    try {
        return fn();
    } catch (e) {
        if (isUnknownValueError(e)) return undefined;
        throw e;
    }
}

/** Rounded to 3 decimals, for labels. */
function round(n: number): number {
    return Math.round(n * 1000) / 1000;
}
