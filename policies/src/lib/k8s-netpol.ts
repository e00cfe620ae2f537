/**
 * What a NetworkPolicy does, as the Kubernetes API server stores it and network plugins apply it
 * (`k8s.io/api/networking/v1`):
 * - `spec.podSelector` is a non-pointer field: absent or null, it is the empty selector, which
 *   selects every pod of the namespace; a malformed one makes the API reject the object.
 * - `policyTypes` unset (or empty) is defaulted to `Ingress`, plus `Egress` when `egress` holds at
 *   least one rule (`SetDefaults_NetworkPolicySpec`: `len(spec.Egress) != 0`).
 * - Policies are additive: a pod selected by a policy of a type is isolated for that direction, and
 *   the traffic any rule of any policy selecting it allows is allowed.
 * - A rule without peers (`from`/`to` absent or empty) matches every source/destination; a rule
 *   without ports (absent or empty), or with a port entry without `port`, matches every port (of
 *   that protocol).
 * A policy with a field of the wrong type is rejected by the API server: it has no effect.
 */
import { isEmptySelector, parseSelector } from "./k8s-selectors";
import { arr, get, touchAll } from "./props";

export type Direction = "Ingress" | "Egress";

export interface PolicyEffect {
    /** False when the API server would reject the object. */
    valid: boolean;
    /** The pod selector selects every pod of the namespace. */
    selectsAll: boolean;
    /** Effective policy types (after the API server's defaulting). */
    types: Set<Direction>;
    /** Isolates every pod of the namespace for the direction and allows nothing: a default deny. */
    denies: Set<Direction>;
    /** Rules (index in `ingress`/`egress`) that allow every peer on every port. */
    opens: Map<Direction, number[]>;
}

const NONE: PolicyEffect = { valid: false, selectsAll: false, types: new Set(), denies: new Set(), opens: new Map() };

function isArrayOrAbsent(v: unknown): v is unknown[] | undefined | null {
    return v === undefined || v === null || Array.isArray(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Whether a CIDR covers a whole address family (`0.0.0.0/0`, `::/0`). */
function everyAddress(cidr: unknown): boolean {
    return typeof cidr === "string" && /\/0$/.test(cidr.trim());
}

/** A peer list that matches every source or destination. */
function everyPeer(peers: unknown): boolean {
    if (peers === undefined || peers === null) return true;
    if (!Array.isArray(peers)) return false;
    if (peers.length === 0) return true;
    return arr(peers).some((p) => {
        const block = isObject(p) ? p["ipBlock"] : undefined;
        if (!isObject(block)) return false;
        const except = block["except"];
        return everyAddress(block["cidr"]) && arr(except).length === 0;
    });
}

/** A port list that matches every port (of at least one protocol). */
function everyPort(ports: unknown): boolean {
    if (ports === undefined || ports === null) return true;
    if (!Array.isArray(ports)) return false;
    if (ports.length === 0) return true;
    return arr(ports).some((p) => {
        if (!isObject(p)) return false;
        const port = p["port"];
        if (port === undefined || port === null) return true;
        const end = p["endPort"];
        return port === 1 && typeof end === "number" && end >= 65535;
    });
}

/** The effect of a NetworkPolicy (throws the unknown-value error when its spec holds an unknown). */
export function policyEffect(props: Record<string, unknown>): PolicyEffect {
    const spec = get(props, "spec");
    touchAll(spec); // an unknown anywhere in the spec: the effect cannot be told yet
    if (!isObject(spec)) return NONE;
    const ps = spec["podSelector"];
    const sel = ps === undefined || ps === null ? parseSelector({}) : parseSelector(ps);
    if (!sel || !sel.valid) return NONE;
    const ingress = spec["ingress"];
    const egress = spec["egress"];
    const pt = spec["policyTypes"];
    if (!isArrayOrAbsent(ingress) || !isArrayOrAbsent(egress) || !isArrayOrAbsent(pt)) return NONE;
    const rulesIn = arr(ingress);
    const rulesOut = arr(egress);
    if (!rulesIn.every(isObject) || !rulesOut.every(isObject)) return NONE;
    const declared = arr(pt);
    if (!declared.every((t) => t === "Ingress" || t === "Egress")) return NONE;
    const types = new Set<Direction>(declared as Direction[]);
    if (types.size === 0) {
        types.add("Ingress");
        if (rulesOut.length > 0) types.add("Egress");
    }
    const selectsAll = isEmptySelector(sel);
    const denies = new Set<Direction>();
    const opens = new Map<Direction, number[]>();
    for (const [dir, rules, peer] of [["Ingress", rulesIn, "from"], ["Egress", rulesOut, "to"]] as const) {
        if (!types.has(dir)) continue;
        if (rules.length === 0 && selectsAll) denies.add(dir);
        const open: number[] = [];
        rules.forEach((r, i) => {
            const rule = r as Record<string, unknown>;
            if (everyPeer(rule[peer]) && everyPort(rule["ports"])) open.push(i);
        });
        if (open.length > 0) opens.set(dir, open);
    }
    return { valid: true, selectsAll, types, denies, opens };
}
