import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { arr, bool, known, rec, str } from "../../lib/props";
import type * as Resilience from "../../lib/resilience";
import { defineStackRule, StackView } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, Message, msg, Template } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const resilience = lazy(() => require("../../lib/resilience") as typeof Resilience);

interface Config {
    zonesMin: number;
    moniteurObligatoire: boolean;
}

/** One load-balancer member as the rule sees it: where it comes from, and the instance it was related to. */
interface MemberSlot {
    label: string;
    instance?: PolicyResource;
}

export default defineStackRule<Config>({
    name: "res-05-repartition-charge",
    needs: ["RES-05"],
    title: txt("Répartition de charge redondante", "Redundant load balancing"),
    description: txt(
        "Chaque pool de répartiteur (loadbalancer Pool) a des membres dans au moins deux zones de disponibilité et un moniteur de santé. Un Member ou un Members appartient au pool dont vient sa propriété `poolId` (dépendance de propriété ; à défaut, sa dépendance vers un Pool). La zone d'un membre est le `availabilityZone` de l'instance dont vient son adresse : dépendance de la propriété `address` (Member) ou `members` (Members) vers une compute Instance, ou vers un networking Port qu'une instance utilise (`networks[].port`) ; à défaut, l'adresse connue égale à une adresse fixe connue d'une instance (`accessIpV4`/`accessIpV6`, `networks[].fixedIpV4`/`fixedIpV6`). Pour un Members, les instances reliées par la propriété `members` comptent chacune pour un membre ; les entrées en surnombre sont sans instance. Un membre dont l'instance ne peut être reliée, ou dont l'instance n'a pas de zone explicite, ne compte pour aucune zone, et le message le dit. Un membre ou un moniteur dont `adminStateUp` vaut false ne compte pas. Un moniteur compte pour le pool dont vient son `poolId` (dépendance de propriété, à défaut sa dépendance vers un Pool). Un pool sans membre est en défaut. Deux constats distincts au plus par pool : zones, moniteur.",
        "Every load-balancer pool (loadbalancer Pool) has members in at least two availability zones and a health monitor. A Member or Members belongs to the pool its `poolId` property comes from (property dependency; failing that, its dependency on a Pool). A member's zone is the `availabilityZone` of the instance its address comes from: dependency of the `address` (Member) or `members` (Members) property on a compute Instance, or on a networking Port an instance uses (`networks[].port`); failing that, a known address equal to a known fixed address of an instance (`accessIpV4`/`accessIpV6`, `networks[].fixedIpV4`/`fixedIpV6`). For a Members resource, the instances related through the `members` property count for one member each; entries beyond them have no instance. A member whose instance cannot be related, or whose instance has no explicit zone, counts for no zone, and the message says so. A member or monitor with `adminStateUp` false does not count. A monitor counts for the pool its `poolId` comes from (property dependency, failing that its dependency on a Pool). A pool without members fails. At most two separate findings per pool: zones, monitor.",
    ),
    remediation: txt(
        "Ajouter au pool des membres sur des instances d'autres zones (`availabilityZone`) et un loadbalancer Monitor avec `poolId: pool.id`.",
        "Add members on instances of other zones (`availabilityZone`) to the pool, and a loadbalancer Monitor with `poolId: pool.id`.",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        zonesMin: {
            type: "integer",
            minimum: 1,
            default: 2,
            description: txt("Nombre minimal de zones distinctes parmi les membres d'un pool.", "Minimum number of distinct zones among a pool's members."),
        },
        moniteurObligatoire: {
            type: "boolean",
            default: true,
            description: txt("Chaque pool doit avoir un moniteur de santé actif.", "Every pool must have an active health monitor."),
        },
    },
    types: [OS.pool],
    check(stack, ctx) {
        const pools = stack.ofType(OS.pool);
        if (pools.length === 0) return;
        const slots = new Map<string, MemberSlot[]>();
        const monitors = new Map<string, PolicyResource[]>();
        const byAddress = addressIndex(stack);
        const portUsers = portIndex(stack);

        for (const m of stack.ofType(OS.member)) {
            if (disabled(m)) continue;
            const instance = memberInstance(stack, m, "address", portUsers)[0]
                ?? lookup(byAddress, known(() => str(m.props["address"])));
            for (const p of resilience().relatedThrough(stack, m, "poolId", [OS.pool])) push(slots, p.urn, { label: `Member « ${m.name} »`, instance });
        }
        for (const ms of stack.ofType(OS.members)) {
            const entries = arr(ms.props["members"]);
            const fromDeps = memberInstance(stack, ms, "members", portUsers);
            const left = [...fromDeps];
            const own: MemberSlot[] = [];
            entries.forEach((e, i) => {
                const entry = rec(e);
                if (entry && known(() => bool(entry["adminStateUp"])) === false) return;
                const label = `Members « ${ms.name} » members[${i}]`;
                const inst = lookup(byAddress, entry ? known(() => str(entry["address"])) : undefined);
                if (inst) {
                    const k = left.findIndex((l) => l.urn === inst.urn);
                    if (k >= 0) left.splice(k, 1);
                }
                own.push({ label, instance: inst });
            });
            for (const s of own) if (!s.instance && left.length > 0) s.instance = left.shift();
            for (const p of resilience().relatedThrough(stack, ms, "poolId", [OS.pool])) for (const s of own) push(slots, p.urn, s);
        }
        for (const mon of stack.ofType(OS.monitor)) {
            if (disabled(mon)) continue;
            for (const p of resilience().relatedThrough(stack, mon, "poolId", [OS.pool])) push(monitors, p.urn, mon);
        }

        for (const pool of pools) {
            const members = slots.get(pool.urn) ?? [];
            const zones = new Set<string>();
            const nowhere: Message[] = [];
            const placed: Message[] = [];
            let unrelated = false;
            for (const s of members) {
                const z = s.instance ? resilience().zoneOf(s.instance) : undefined;
                if (z) {
                    zones.add(z);
                    placed.push(msg(m`${s.label} → « ${s.instance!.name} » (${z})`, m`${s.label} → "${s.instance!.name}" (${z})`));
                } else if (s.instance) {
                    nowhere.push(msg(m`${s.label} → « ${s.instance.name} » (availabilityZone absent)`, m`${s.label} → "${s.instance.name}" (no availabilityZone)`));
                } else {
                    nowhere.push(msg(m`${s.label} (instance non reliée)`, m`${s.label} (instance not related)`));
                    unrelated = true;
                }
            }
            const min = ctx.config.zonesMin;
            if (zones.size < min) {
                const parts = (lang: "fr" | "en") =>
                    [
                        placed.length ? (lang === "fr" ? m`membres : ${items(placed)}` : m`members: ${items(placed)}`) : undefined,
                        nowhere.length ? (lang === "fr" ? m`sans zone : ${items(nowhere)}` : m`no zone: ${items(nowhere)}`) : undefined,
                    ].filter((x): x is Template => x !== undefined);
                const detail = members.length === 0
                    ? msg(m`aucun membre actif`, m`no active member`)
                    : msg(m`${items(parts("fr"), { sep: " ; " })}`, m`${items(parts("en"), { sep: "; " })}`);
                ctx.report({
                    resource: pool,
                    problem: msg(
                        m`les membres du pool occupent ${zones.size} zone(s) (${zones.size ? items([...zones]) : "—"}) ; il en faut au moins ${min} — ${detail.fr}.`,
                        m`the pool's members span ${zones.size} zone(s) (${zones.size ? items([...zones]) : "—"}); at least ${min} are required — ${detail.en}.`,
                    ),
                    fix: unrelated
                        ? msg(
                              m`ajouter des membres dans d'autres zones, et tirer l'adresse de chaque membre de son instance (\`address: instance.accessIpV4\`) pour qu'elle puisse être reliée.`,
                              m`add members in other zones, and take each member's address from its instance (\`address: instance.accessIpV4\`) so that it can be related.`,
                          )
                        : msg(
                              m`ajouter au pool des membres sur des instances d'autres zones (\`availabilityZone\`).`,
                              m`add members on instances of other zones (\`availabilityZone\`) to the pool.`,
                          ),
                });
            }
            if (ctx.config.moniteurObligatoire && (monitors.get(pool.urn) ?? []).length === 0) {
                ctx.report({
                    resource: pool,
                    problem: msg(
                        m`aucun loadbalancer Monitor actif dont le \`poolId\` vient de ce pool : les membres défaillants ne sont pas retirés.`,
                        m`no active loadbalancer Monitor whose \`poolId\` comes from this pool: failed members are not taken out.`,
                    ),
                    fix: msg(m`ajouter un loadbalancer Monitor avec \`poolId: pool.id\`.`, m`add a loadbalancer Monitor with \`poolId: pool.id\`.`),
                });
            }
        }
    },
});

function disabled(r: PolicyResource): boolean {
    return known(() => bool(r.props["adminStateUp"])) === false;
}

/** Instances the property `key` of `r` comes from, directly or through a Port the instance uses. */
function memberInstance(stack: StackView, r: PolicyResource, key: string, portUsers: Map<string, PolicyResource>): PolicyResource[] {
    const out: PolicyResource[] = [];
    for (const d of resilience().relatedByProperty(stack, r, key, [OS.instance, OS.port])) {
        if (d.type === OS.instance) out.push(d);
        else {
            const user = portUsers.get(d.urn);
            if (user) out.push(user);
        }
    }
    return out;
}

/** Port URN → the instance whose `networks` property comes from it. */
function portIndex(stack: StackView): Map<string, PolicyResource> {
    const out = new Map<string, PolicyResource>();
    for (const inst of stack.ofType(OS.instance)) {
        for (const p of resilience().relatedByProperty(stack, inst, "networks", [OS.port])) if (!out.has(p.urn)) out.set(p.urn, inst);
    }
    return out;
}

/** Known fixed address → instance; an address claimed by two instances is ambiguous and dropped. */
function addressIndex(stack: StackView): Map<string, PolicyResource | null> {
    const out = new Map<string, PolicyResource | null>();
    for (const inst of stack.ofType(OS.instance)) {
        for (const a of resilience().knownAddresses(inst)) out.set(a, out.has(a) && out.get(a) !== inst ? null : inst);
    }
    return out;
}

function lookup(index: Map<string, PolicyResource | null>, address: string | undefined): PolicyResource | undefined {
    if (!address) return undefined;
    return index.get(address.trim()) ?? undefined;
}

function push<V>(m: Map<string, V[]>, k: string, v: V): void {
    const l = m.get(k);
    if (l) l.push(v);
    else m.set(k, [v]);
}
