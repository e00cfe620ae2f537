import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import type * as OsSecurity from "../../lib/os-security";
import { arr, get, known, rec, str, stringMap, strings } from "../../lib/props";
import { defineStackRule, RuleContext, StackView } from "../../lib/rule";
import { tagsToMap } from "../../lib/tags";
import { OS, shortType } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const osSecurity = lazy(() => require("../../lib/os-security") as typeof OsSecurity);

interface Config {
    marqueursBastion: string[];
    motifsNomBastion: string[];
}

type Verdict = { ok: true } | { ok: false; what: Message };

export default defineStackRule<Config>({
    name: "sec-08-exposition-maitrisee",
    needs: ["SEC-08"],
    title: txt("Exposition maîtrisée", "Controlled exposure"),
    description: txt(
        "Les adresses IP publiques (flottantes) ne sont associées qu'à des répartiteurs de charge ou à un bastion (SecNumCloud 13.2, cadre Cloud Pi Native : administration par bastion). Associations examinées : `networking.FloatingIp` (`portId`), `networking.FloatingIpAssociate` (`portId`), `compute.FloatingIpAssociate` (`instanceId`), et `compute.Instance` avec la propriété dépréciée `floatingIp`. La cible est trouvée par les dépendances de la propriété (valeur tirée d'une ressource du programme) ; à défaut, par la valeur littérale quand elle égale le `vipPortId` d'un répartiteur ou le `port` d'un réseau d'instance. La cible est acceptée quand c'est un `LoadBalancer`, une instance bastion, ou un `Port` marqué bastion ou dont dépend un répartiteur (`vipPortId`) ou une instance bastion (`networks[].port`). Une instance (ou un port) est un bastion quand elle porte un marqueur `marqueursBastion` (`clé=valeur`, dans `tags` ou `metadata`) ou quand son nom (ressource ou propriété `name`) correspond à `motifsNomBastion`. Toute autre cible est en défaut ; une association dont la cible littérale n'est pas dans la pile est signalée « association inconnue ». Une IP sans association n'est pas examinée ici (PIL-08).",
        "Public (floating) IPs are associated only with load balancers or a bastion (SecNumCloud 13.2, Cloud Pi Native: administration through a bastion). Associations inspected: `networking.FloatingIp` (`portId`), `networking.FloatingIpAssociate` (`portId`), `compute.FloatingIpAssociate` (`instanceId`), and `compute.Instance` with the deprecated `floatingIp` property. The target is found through the property's dependencies (value taken from a resource of the program); failing that, through the literal value when it equals a load balancer's `vipPortId` or an instance network's `port`. The target is accepted when it is a `LoadBalancer`, a bastion instance, or a `Port` marked as bastion or that a load balancer (`vipPortId`) or a bastion instance (`networks[].port`) depends on. An instance (or port) is a bastion when it carries a `marqueursBastion` marker (`key=value`, in `tags` or `metadata`) or when its name (resource or `name` property) matches `motifsNomBastion`. Any other target fails; an association whose literal target is not in the stack is reported as \"unknown association\". An IP without association is not checked here (PIL-08).",
    ),
    remediation: txt(
        "Publier le service derrière un répartiteur de charge, et administrer les instances par un bastion (marqué `role=bastion`) ; retirer l'IP flottante des autres instances.",
        "Publish the service behind a load balancer, and administer instances through a bastion (marked `role=bastion`); remove the floating IP from other instances.",
    ),
    severity: "high",
    enforcementLevel: "advisory",
    config: {
        marqueursBastion: {
            type: "array",
            items: { type: "string" },
            default: ["role=bastion"],
            description: txt(
                "Marqueurs `clé=valeur` d'un bastion, cherchés dans `tags` et `metadata` (valeur sans casse).",
                "`key=value` markers of a bastion, looked up in `tags` and `metadata` (value case-insensitive).",
            ),
        },
        motifsNomBastion: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["bastion"],
            description: txt(
                "Motifs de nom d'un bastion (expressions régulières recherchées dans le nom, sans casse). Vide : seuls les marqueurs comptent.",
                "Name patterns of a bastion (regular expressions searched in the name, case-insensitive). Empty: only markers count.",
            ),
        },
    },
    types: [OS.floatingIp, OS.floatingIpAssociate, OS.computeFloatingIpAssociate, OS.instance],
    check(stack, ctx) {
        // Literal fallbacks, indexed once: load balancers by vipPortId, instances by their network ports.
        const byPort = new Map<string, PolicyResource>();
        for (const lb of stack.ofType(OS.loadBalancer)) {
            const p = known(() => str(lb.props["vipPortId"]));
            if (p) byPort.set(p, lb);
        }
        for (const vm of stack.ofType(OS.instance)) {
            const nets = known(() => arr(vm.props["networks"]).map((n) => str(rec(n)?.["port"])));
            for (const p of nets ?? []) if (p && !byPort.has(p)) byPort.set(p, vm);
        }
        const assoc = (r: PolicyResource, key: string) => {
            const deps = stack.propertyDependency(r, key);
            if (deps.length > 0) return judge(r, key, undefined, [...deps], stack, ctx);
            const literal = known(() => str(r.props[key]));
            if (!literal) return; // not associated: PIL-08's business
            const target = byPort.get(literal);
            judge(r, key, literal, target ? [target] : [], stack, ctx);
        };
        for (const r of stack.ofType(OS.floatingIp, OS.floatingIpAssociate)) assoc(r, "portId");
        for (const r of stack.ofType(OS.computeFloatingIpAssociate)) assoc(r, "instanceId");
        for (const vm of stack.ofType(OS.instance)) {
            if (stack.propertyDependency(vm, "floatingIp").length === 0 && !known(() => str(vm.props["floatingIp"]))) continue;
            const v = verdictOf(vm, stack, ctx);
            if (!v.ok) report(vm, "floatingIp", undefined, v.what, ctx);
        }
    },
});

function judge(r: PolicyResource, key: string, literal: string | undefined, targets: PolicyResource[], stack: StackView, ctx: RuleContext<Config>): void {
    if (targets.length === 0) {
        ctx.report({
            resource: r,
            property: key,
            value: literal,
            problem: msg(
                m`association inconnue : la cible de l'IP publique n'est pas une ressource de la pile, rien ne montre qu'il s'agit d'un répartiteur ou d'un bastion.`,
                m`unknown association: the public IP's target is not a resource of the stack, nothing shows it is a load balancer or a bastion.`,
            ),
        });
        return;
    }
    let first: Verdict | undefined;
    for (const t of targets) {
        const v = verdictOf(t, stack, ctx);
        if (v.ok) return;
        first ??= v;
    }
    if (first && !first.ok) report(r, key, literal, first.what, ctx);
}

function report(r: PolicyResource, key: string, literal: string | undefined, what: Message, ctx: RuleContext<Config>): void {
    ctx.report({
        resource: r,
        property: key,
        ...(literal !== undefined ? { value: literal } : {}),
        problem: msg(
            m`IP publique associée à ${what.fr}, qui n'est ni un répartiteur de charge ni un bastion.`,
            m`public IP associated with ${what.en}, which is neither a load balancer nor a bastion.`,
        ),
    });
}

function label(r: PolicyResource): Message {
    return msg(m`${shortType(r.type)} « ${r.name} »`, m`${shortType(r.type)} "${r.name}"`);
}

function verdictOf(t: PolicyResource, stack: StackView, ctx: RuleContext<Config>): Verdict {
    if (t.type === OS.loadBalancer) return { ok: true };
    if (t.type === OS.instance) return isBastion(t, ctx) ? { ok: true } : { ok: false, what: label(t) };
    if (t.type === OS.port) {
        if (isBastion(t, ctx)) return { ok: true };
        for (const d of stack.dependents(t)) {
            if (d.type === OS.loadBalancer) return { ok: true };
            if (d.type === OS.instance && isBastion(d, ctx)) return { ok: true };
        }
        const users = stack.dependents(t).filter((d) => d.type === OS.instance).map((d) => d.name);
        return {
            ok: false,
            what: users.length
                ? msg(m`${label(t).fr} (instance ${items(users)})`, m`${label(t).en} (instance ${items(users)})`)
                : label(t),
        };
    }
    return { ok: false, what: label(t) };
}

/** Reads markers and names: a value unknown at preview makes the rule unable to conclude (on purpose). */
function isBastion(r: PolicyResource, ctx: RuleContext<Config>): boolean {
    const markers = ctx.config.marqueursBastion.map((m) => {
        const i = m.indexOf("=");
        return i < 0 ? [m.trim(), ""] : [m.slice(0, i).trim(), m.slice(i + 1).trim()];
    });
    const tags = tagsToMap(strings(r.props["tags"]));
    const meta = stringMap(r.props["metadata"]);
    for (const [k, v] of markers) {
        for (const m of [tags, meta]) {
            const got = m.get(k);
            if (got !== undefined && (v === "" || got.toLowerCase() === v.toLowerCase())) return true;
        }
    }
    const name = str(get(r.props, "name"));
    return osSecurity().nameMatches([r.name, name], ctx.config.motifsNomBastion);
}
