import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { arr, isUnknownValueError, known, rec, str } from "../../lib/props";
import type * as Resilience from "../../lib/resilience";
import { defineStackRule, StackView } from "../../lib/rule";
import { OS, OS_VOLUMES } from "../../lib/types";
import { at, items, m, msg, Template } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const resilience = lazy(() => require("../../lib/resilience") as typeof Resilience);

export default defineStackRule<Record<string, never>>({
    name: "sec-03-volumes-de-demarrage",
    needs: ["SEC-03"],
    title: txt("Chiffrement des volumes existants montés par les instances", "Encryption of existing volumes mounted by instances"),
    description: txt(
        "Un `blockDevices[i]` d'instance de `sourceType` « volume » monte un volume existant (souvent le disque de démarrage) : son chiffrement est celui de ce volume. Quand le volume est déclaré dans la pile (son `uuid` vient d'un Volume par la dépendance de la propriété `blockDevices`, ou, dans un état exporté, égale l'`id` d'un Volume de la pile), c'est ce Volume qui est jugé, par sec-03-chiffrement-au-repos (type chiffré déclaré). Sinon (volume créé hors du programme, identifiant écrit en dur ou lu d'une source de données), son type n'est pas visible : le besoin est invérifiable, jamais accepté en silence. Un bloc de source « volume » sans `uuid` ne monte rien de vérifiable : invérifiable aussi.",
        "An instance `blockDevices[i]` whose `sourceType` is \"volume\" mounts an existing volume (often the boot disk): its encryption is that volume's. When the volume is declared in the stack (its `uuid` comes from a Volume through the property dependency of `blockDevices`, or, in an exported state, equals the `id` of a Volume of the stack), that Volume is the one judged, by sec-03-chiffrement-au-repos (declared encrypted type). Otherwise (a volume created outside the program, an ID written literally or read from a data source), its type is not visible: the need cannot be checked, never silently accepted. A block with source \"volume\" and no `uuid` mounts nothing that can be checked: cannot be checked either.",
    ),
    remediation: txt(
        "Déclarer le volume dans le programme (un `openstack.blockstorage.Volume` d'un type chiffré, dont l'`id` alimente `uuid`), ou démarrer d'une image sur un volume créé par l'instance (`sourceType: \"image\"`, `destinationType: \"volume\"`, `volumeType` chiffré).",
        "Declare the volume in the program (an `openstack.blockstorage.Volume` of an encrypted type, whose `id` feeds `uuid`), or boot from an image onto a volume the instance creates (`sourceType: \"image\"`, `destinationType: \"volume\"`, encrypted `volumeType`).",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    config: {},
    types: [OS.instance],
    check(stack, ctx) {
        const undeclared: Template[] = [];
        for (const inst of stack.ofType(OS.instance)) {
            const devices = known(() => arr(inst.props["blockDevices"])) ?? [];
            devices.forEach((d, i) => {
                const dev = rec(d);
                if (!dev || known(() => str(dev["sourceType"])) !== "volume") return;
                const uuid = read(dev, "uuid");
                if (declared(stack, inst, uuid)) return;
                const path = `blockDevices[${i}].uuid`;
                undeclared.push(m`${inst.name} (${path} = ${at(uuid.unknown ? undefined : uuid.value, path, inst)})`);
            });
        }
        if (undeclared.length > 0) {
            ctx.cannotCheck(msg(
                m`volume monté hors du programme, type invisible : ${items(undeclared)}.`,
                m`volume mounted from outside the program, type not visible: ${items(undeclared)}.`,
            ));
        }
    },
});

/** A property's value, or that it is unknown at preview. */
function read(obj: Record<string, unknown>, key: string): { unknown: true } | { unknown: false; value: unknown } {
    try {
        return { unknown: false, value: obj[key] };
    } catch (e) {
        if (isUnknownValueError(e)) return { unknown: true };
        throw e;
    }
}

/**
 * Whether the volume a block device mounts is a Volume of the stack: at preview its ID is unknown
 * and the `blockDevices` property depends on a Volume; in a state (or an update) the ID is known
 * and equals a Volume's `id`, or the property still depends on a Volume.
 */
function declared(stack: StackView, inst: PolicyResource, uuid: { unknown: true } | { unknown: false; value: unknown }): boolean {
    const fromDependency = resilience().relatedByProperty(stack, inst, "blockDevices", OS_VOLUMES).length > 0;
    if (uuid.unknown) return fromDependency;
    const id = typeof uuid.value === "string" ? uuid.value : undefined;
    if (!id) return false;
    if (fromDependency) return true;
    return stack.ofType(OS_VOLUMES).some((v) => known(() => str(v.props["id"])) === id);
}
