/**
 * Policies that cannot apply to a resource's type, answered without running them.
 *
 * For each Analyze call, `@pulumi/policy` runs every resource policy: it builds the policy's
 * arguments (properties, options, provider), awaits it, and for a policy of another type catches
 * the « not applicable » error it throws. A resource matters to a few of the pack's hundred
 * policies; the others cost most of the call (see BENCHMARKS.md).
 *
 * A rule with a list of types and no `applies` function (rule.ts) says « not applicable » to any
 * other type before anything else, with a reason that depends on the rule only. For such policies
 * the Analyze handler is shown (through the iteration of the pack's policy list, which it starts
 * synchronously when called) only those that may apply; the response then gets, in the policies'
 * order, the « not applicable » entries the skipped ones would have given, with the same reasons.
 * Everything else is unchanged: a policy the configuration disables is skipped without an entry
 * (as @pulumi/policy does), the first resource policy always runs (so that an unreadable resource
 * fails the call as it did), and other calls (Remediate, AnalyzeStack, GetAnalyzerInfo) see the
 * whole list.
 */
import { configuredLevel } from "./levels";

type Policy = { name: string; validateResource?: unknown; enforcementLevel?: string };
interface Skippable {
    types: ReadonlySet<string>;
    reason: string;
}
type Handler = (call: { request: any }, callback: (err: unknown, resp?: any) => void) => unknown;

const skippable = new WeakMap<object, Skippable>();
/** The type of the Analyze call being started, while its handler starts (synchronously). */
let startingType: string | undefined;

/** Declares that `policy` says « not applicable » (with `reason`) to every type outside `types`. */
export function skippableOutside(policy: object, types: readonly string[], reason: string): void {
    skippable.set(policy, { types: new Set(types), reason });
}

function skipped(p: Policy, type: string, first: Policy | undefined): Skippable | undefined {
    if (p === first) return undefined;
    const s = skippable.get(p);
    return s && !s.types.has(type) ? s : undefined;
}

/** The pack's policy list, iterated without the skippable policies while an Analyze handler starts. */
export function typeFiltered<P extends Policy>(policies: P[]): P[] {
    const all = policies;
    const first = all.find((p) => p.validateResource !== undefined);
    const byType = new Map<string, P[]>();
    const arrayIterator = Array.prototype[Symbol.iterator];
    Object.defineProperty(all, Symbol.iterator, {
        configurable: true,
        value: function (this: P[]) {
            const type = startingType;
            if (type === undefined || this !== all) return arrayIterator.call(this);
            let kept = byType.get(type);
            if (!kept) {
                kept = all.filter((p) => !skipped(p, type, first));
                byType.set(type, kept);
            }
            return arrayIterator.call(kept);
        },
    });
    filtered = { policies: all, first };
    return all;
}

let filtered: { policies: Policy[]; first: Policy | undefined } | undefined;

/** Wraps the Analyze handler: starts it with the filtered list, completes its « not applicable » list. */
export function analyzeByType(next: Handler): Handler {
    return (call, callback) => {
        const list = filtered;
        let type: string | undefined;
        try {
            type = list ? String(call.request.getType()) : undefined;
        } catch {
            type = undefined;
        }
        if (!list || type === undefined) return next(call, callback);
        startingType = type;
        try {
            return next(call, (err, resp) => {
                if (!err && resp && typeof resp.getNotApplicableList === "function") {
                    try {
                        completeNotApplicable(resp, list.policies, list.first, type as string);
                    } catch {
                        // Leave the response as @pulumi/policy made it.
                    }
                }
                callback(err, resp);
            });
        } finally {
            startingType = undefined;
        }
    };
}

let NotApplicableClass: (new () => { setPolicyName(n: string): void; setReason(r: string): void; getPolicyName(): string }) | undefined;

function notApplicableClass() {
    if (!NotApplicableClass) {
        // The message class of the @pulumi/pulumi that @pulumi/policy uses.
        const pb = require(require.resolve("@pulumi/pulumi/proto/analyzer_pb", { paths: [require.resolve("@pulumi/policy")] }));
        NotApplicableClass = pb.PolicyNotApplicable;
    }
    return NotApplicableClass!;
}

/** By type: each policy of the list, with the « not applicable » entry it gets when skipped. */
const entries = new Map<string, { policy: Policy; na?: unknown }[]>();

function entriesFor(policies: Policy[], first: Policy | undefined, type: string): { policy: Policy; na?: unknown }[] {
    let list = entries.get(type);
    if (!list) {
        list = policies.map((policy) => {
            const s = skipped(policy, type, first);
            if (!s) return { policy };
            // Built once per type: a message object is only read when a response is serialized.
            const na = new (notApplicableClass())();
            na.setPolicyName(policy.name);
            na.setReason(s.reason);
            return { policy, na };
        });
        entries.set(type, list);
    }
    return list;
}

function completeNotApplicable(resp: any, policies: Policy[], first: Policy | undefined, type: string): void {
    const given: { getPolicyName(): string }[] = resp.getNotApplicableList();
    const byName = new Map<string, { getPolicyName(): string }[]>();
    for (const n of given) {
        const l = byName.get(n.getPolicyName());
        if (l) l.push(n);
        else byName.set(n.getPolicyName(), [n]);
    }
    const out: unknown[] = [];
    let added = 0;
    for (const { policy, na } of entriesFor(policies, first, type)) {
        if (na) {
            if (levelOf(policy) === "disabled") continue;
            out.push(na);
            added++;
            continue;
        }
        const own = byName.get(policy.name);
        if (own) {
            out.push(...own);
            byName.delete(policy.name);
        }
    }
    for (const rest of byName.values()) out.push(...rest);
    if (added > 0) resp.setNotApplicableList(out);
}

/** The level @pulumi/policy runs a policy at: the configured one, else the policy's own. */
function levelOf(p: Policy): string {
    return configuredLevel(p.name) ?? p.enforcementLevel ?? "advisory";
}
