import type { PolicyResource } from "@pulumi/policy";
import { kindOf } from "./k8s";
import { arr, get, known, rec, str, strings } from "./props";
import { push, StackView } from "./rule";
import { K8S, K8S_HPAS } from "./types";

/**
 * Kubernetes label selectors (`matchLabels` and `matchExpressions` with In, NotIn, Exists,
 * DoesNotExist), namespaces of resources, and the relation HPA → workload, for the Kubernetes
 * rules (RES-09, RES-10, SEC-14). Readers let the engine's unknown-value error through, except
 * where a function says otherwise.
 */

export interface Requirement {
    key: string;
    operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
    values: string[];
}

export interface LabelSelector {
    matchLabels: Map<string, string>;
    expressions: Requirement[];
    /** False when the selector is malformed (unknown operator, missing key, In without values…): it selects nothing. */
    valid: boolean;
}

const OPERATORS = new Set(["In", "NotIn", "Exists", "DoesNotExist"]);

/** Parses a selector; `undefined` when the value is absent or not an object (it selects nothing). */
export function parseSelector(value: unknown): LabelSelector | undefined {
    const sel = rec(value);
    if (!sel) return undefined;
    let valid = true;
    const matchLabels = new Map<string, string>();
    const ml = sel["matchLabels"];
    if (ml !== undefined && ml !== null) {
        const m = rec(ml);
        if (!m) valid = false;
        else
            for (const k of Object.keys(m)) {
                const v = m[k];
                if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") matchLabels.set(k, String(v));
                else valid = false;
            }
    }
    const expressions: Requirement[] = [];
    const me = sel["matchExpressions"];
    if (me !== undefined && me !== null && !Array.isArray(me)) valid = false;
    for (const e of arr(me)) {
        const x = rec(e);
        const key = str(x?.["key"]);
        const operator = str(x?.["operator"]);
        const values = strings(x?.["values"]);
        if (!x || !key || !operator || !OPERATORS.has(operator)) {
            valid = false;
            continue;
        }
        if ((operator === "In" || operator === "NotIn") && values.length === 0) valid = false;
        expressions.push({ key, operator: operator as Requirement["operator"], values });
    }
    return { matchLabels, expressions, valid };
}

/** Whether the selector is empty (`{}`): it selects every pod (NetworkPolicy, policy/v1 PodDisruptionBudget). */
export function isEmptySelector(sel: LabelSelector): boolean {
    return sel.valid && sel.matchLabels.size === 0 && sel.expressions.length === 0;
}

/** Whether a label set satisfies the selector (an empty selector selects everything; a malformed one nothing). */
export function selects(sel: LabelSelector | undefined, labels: ReadonlyMap<string, string>): boolean {
    if (!sel || !sel.valid) return false;
    for (const [k, v] of sel.matchLabels) if (labels.get(k) !== v) return false;
    for (const e of sel.expressions) {
        const has = labels.has(e.key);
        switch (e.operator) {
            case "In":
                if (!has || !e.values.includes(labels.get(e.key) as string)) return false;
                break;
            case "NotIn":
                if (has && e.values.includes(labels.get(e.key) as string)) return false;
                break;
            case "Exists":
                if (!has) return false;
                break;
            case "DoesNotExist":
                if (has) return false;
                break;
        }
    }
    return true;
}

// ------------------------------------------------------------------------------------------------
// Namespaces.

/**
 * The namespace a namespaced object lands in: `metadata.namespace`, else the Kubernetes provider's
 * `namespace` setting, else `default`. Throws the unknown-value error when `metadata.namespace` is unknown.
 */
export function effectiveNamespace(r: { props: Record<string, unknown>; provider?: { props: Record<string, unknown> } }): string {
    const ns = str(get(r.props, "metadata.namespace"));
    if (ns) return ns;
    const fromProvider = known(() => str(r.provider ? get(r.provider.props, "namespace") : undefined));
    return fromProvider || "default";
}

/** Key of a namespace: `name:<name>` when the name is known, else `urn:<Namespace urn>`. */
export function namespaceResourceKey(ns: PolicyResource): string {
    const name = known(() => str(get(ns.props, "metadata.name")));
    return name ? `name:${name}` : `urn:${ns.urn}`;
}

/**
 * Key of the namespace a resource lives in, without throwing: its known namespace name, else the
 * Namespace resource its `metadata` (or, failing that, its dependencies) come from; `undefined`
 * when neither tells.
 */
export function namespaceKeyOf(stack: StackView, r: PolicyResource): string | undefined {
    const ns = known(() => effectiveNamespace(r));
    if (ns) return `name:${ns}`;
    const fromMeta = stack.propertyDependency(r, "metadata").filter((d) => d.type === K8S.namespace);
    if (fromMeta.length === 1) return namespaceResourceKey(fromMeta[0]);
    const deps = stack.dependencies(r).filter((d) => d.type === K8S.namespace);
    return deps.length === 1 ? namespaceResourceKey(deps[0]) : undefined;
}

/** Readable name of a namespace key. */
export function namespaceLabel(key: string, stack?: StackView): string {
    if (key.startsWith("name:")) return key.slice(5);
    const urn = key.slice(4);
    const r = stack?.resources.find((x) => x.urn === urn);
    return r ? r.name : urn;
}

// ------------------------------------------------------------------------------------------------
// HorizontalPodAutoscalers and the workloads they drive (as RES-08 relates them).

export class HpaIndex {
    private readonly byDep = new Map<string, PolicyResource[]>();
    private readonly byName = new Map<string, PolicyResource[]>();

    constructor(stack: StackView) {
        for (const h of stack.ofType(K8S_HPAS)) {
            for (const d of stack.dependencies(h)) push(this.byDep, d.urn, h);
            const ref = known(() => ({
                kind: str(get(h.props, "spec.scaleTargetRef.kind")),
                name: str(get(h.props, "spec.scaleTargetRef.name")),
                ns: effectiveNamespace(h),
            }));
            if (ref?.kind && ref.name) push(this.byName, `${ref.kind}/${ref.ns}/${ref.name}`, h);
        }
    }

    /** HPAs that drive the workload: by dependency, or by kind, namespace and name when known. */
    driving(w: PolicyResource): PolicyResource[] {
        const name = known(() => str(get(w.props, "metadata.name")));
        const ns = known(() => effectiveNamespace(w));
        const out = [...(this.byDep.get(w.urn) ?? [])];
        if (name && ns) for (const h of this.byName.get(`${kindOf(w.type)}/${ns}/${name}`) ?? []) if (!out.includes(h)) out.push(h);
        return out;
    }
}

