import type { PolicyResource } from "@pulumi/policy";
import { known } from "../props";
import type { StackView } from "../rule";
import { keyValues } from "../tags";

/**
 * Cost attribution of a resource (PIL-03, PIL-05): for each cost-attribution key, the value the
 * resource carries (OpenStack `tags` as `key=value`, `metadata`, Magnum `labels`, Kubernetes
 * `metadata.labels`); for a key it does not carry (a pool, a member, a rule, an attachment, a
 * component's child), the value of its parent, then of its ancestors; then of what it depends on
 * (`dependsOn` and property dependencies, breadth first, up to `MAX_DEPTH` steps); then the
 * stack's (stack tags, then the stack configuration `<project>:<key>`). A key found nowhere is
 * unattributed ("").
 */
export type AttributionSource = "ressource" | "parent" | "dependance" | "pile" | "aucune";

export const MAX_DEPTH = 3;

export interface Attribution {
    keys: Record<string, string>;
    from: Record<string, AttributionSource>;
}

export class Attributor {
    private readonly own = new Map<string, Map<string, string>>();

    constructor(
        private readonly stack: StackView,
        private readonly keys: readonly string[],
        private readonly stackTags: ReadonlyMap<string, string>,
        private readonly stackConfig: ReadonlyMap<string, string>,
    ) {}

    /** The keys a resource carries itself, non-empty values only (values unknown at preview are not carried). */
    ownKeys(r: PolicyResource): Map<string, string> {
        let m = this.own.get(r.urn);
        if (!m) {
            m = new Map();
            const kv = known(() => keyValues(r.type, r.props)) ?? new Map<string, string>();
            for (const k of this.keys) {
                const v = kv.get(k)?.trim();
                if (v) m.set(k, v);
            }
            this.own.set(r.urn, m);
        }
        return m;
    }

    attribute(r: PolicyResource): Attribution {
        const out: Attribution = { keys: {}, from: {} };
        for (const k of this.keys) {
            const [v, from] = this.find(r, k);
            out.keys[k] = v;
            out.from[k] = from;
        }
        return out;
    }

    private find(r: PolicyResource, key: string): [string, AttributionSource] {
        const v = this.ownKeys(r).get(key);
        if (v) return [v, "ressource"];
        const seen = new Set<string>([r.urn]);
        for (let p = r.parent; p && !seen.has(p.urn); p = p.parent) {
            seen.add(p.urn);
            const pv = this.ownKeys(p).get(key);
            if (pv) return [pv, "parent"];
        }
        let level: PolicyResource[] = [r];
        const visited = new Set<string>([r.urn]);
        for (let depth = 0; depth < MAX_DEPTH && level.length > 0; depth++) {
            const next: PolicyResource[] = [];
            for (const x of level) {
                for (const d of this.stack.dependencies(x)) {
                    if (visited.has(d.urn)) continue;
                    visited.add(d.urn);
                    const dv = this.ownKeys(d).get(key);
                    if (dv) return [dv, "dependance"];
                    next.push(d);
                }
            }
            level = next;
        }
        const tag = this.stackTags.get(key)?.trim();
        if (tag) return [tag, "pile"];
        for (const [k, cv] of this.stackConfig) {
            if (k.endsWith(`:${key}`) && cv.trim()) return [cv.trim(), "pile"];
        }
        return ["", "aucune"];
    }
}
