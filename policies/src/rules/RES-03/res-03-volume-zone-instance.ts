import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { arr, rec, str } from "../../lib/props";
import type * as Resilience from "../../lib/resilience";
import { defineStackRule, RuleContext } from "../../lib/rule";
import { OS, OS_VOLUMES } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const resilience = lazy(() => require("../../lib/resilience") as typeof Resilience);

interface Config {
    zoneAbsenteEnDefaut: boolean;
}

export default defineStackRule<Config>({
    name: "res-03-volume-zone-instance",
    needs: ["RES-03"],
    title: txt("Volume dans la zone de son instance", "Volume in its instance's zone"),
    description: txt(
        "Un volume attaché vit dans la zone de disponibilité de son instance : le `availabilityZone` du volume (blockstorage Volume) est égal à celui de l'instance (compute Instance). Sont examinés : chaque compute VolumeAttach, relié à son instance par la dépendance de la propriété `instanceId` et à son volume par celle de `volumeId` (à défaut, par ses autres dépendances, dont `dependsOn`, du bon type ; jamais par identifiant, inconnu à la prévisualisation) ; et chaque `blockDevices[i]` d'instance de `sourceType` « volume » dont le `uuid` vient d'un Volume de la pile (dépendance de la propriété `blockDevices`). Un attachement relié par ce repli à plusieurs instances ou plusieurs volumes n'est pas deviné, ni jugé. Un attachement dont l'instance ou le volume n'est pas une ressource de la pile (volume existant lu par identifiant, par exemple) n'est pas jugé. Un volume ou une instance sans zone explicite est en défaut (la colocalisation n'est pas garantie : chaque service place alors selon sa zone par défaut ; voir aussi RES-02), sauf si `zoneAbsenteEnDefaut` vaut false. Le blockstorage VolumeAttach n'est pas examiné : il attache un volume à un hôte (`hostName`), pas à une instance. Les zones sont comparées telles quelles (casse comprise), espaces de bord retirés.",
        "An attached volume lives in its instance's availability zone: the volume's (blockstorage Volume) `availabilityZone` equals the instance's (compute Instance). Examined: every compute VolumeAttach, related to its instance through the property dependency of `instanceId` and to its volume through that of `volumeId` (failing that, through its other dependencies, `dependsOn` included, of the right type; never by ID, unknown at preview); and every instance `blockDevices[i]` with `sourceType` \"volume\" whose `uuid` comes from a Volume of the stack (property dependency of `blockDevices`). An attachment that this fallback relates to several instances or several volumes is not guessed, nor judged. An attachment whose instance or volume is not a resource of the stack (an existing volume read by ID, for instance) is not judged. A volume or an instance without an explicit zone fails (co-location is not guaranteed: each service then places it in its default zone; see also RES-02), unless `zoneAbsenteEnDefaut` is false. The blockstorage VolumeAttach is not examined: it attaches a volume to a host (`hostName`), not to an instance. Zones are compared as written (case included), outer spaces trimmed.",
    ),
    remediation: txt(
        "Créer le volume dans la zone de l'instance : `availabilityZone` du volume = `availabilityZone` de l'instance (par exemple en réutilisant la même variable).",
        "Create the volume in the instance's zone: the volume's `availabilityZone` = the instance's `availabilityZone` (for example by reusing the same variable).",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        zoneAbsenteEnDefaut: {
            type: "boolean",
            default: true,
            description: txt(
                "Un volume ou une instance attachés sans zone explicite sont en défaut (false : seuls deux zones explicites différentes le sont).",
                "An attached volume or instance without an explicit zone fails (false: only two different explicit zones fail).",
            ),
        },
    },
    types: [OS.computeVolumeAttach, OS.instance],
    check(stack, ctx) {
        for (const att of stack.ofType(OS.computeVolumeAttach)) {
            const instances = resilience().relatedThrough(stack, att, "instanceId", [OS.instance]);
            const volumes = resilience().relatedThrough(stack, att, "volumeId", OS_VOLUMES);
            // Ambiguous relations (several candidates through the fallback) are not guessed.
            if (instances.length !== 1 || volumes.length !== 1) continue;
            const [inst] = instances;
            const [vol] = volumes;
            compare(inst, vol, ctx, {
                resource: vol,
                property: "availabilityZone",
                how: msg(m`attaché par le VolumeAttach « ${att.name} »`, m`attached by VolumeAttach "${att.name}"`),
            });
        }
        for (const inst of stack.ofType(OS.instance)) {
            const vols = resilience().relatedByProperty(stack, inst, "blockDevices", OS_VOLUMES);
            if (vols.length === 0) continue;
            const fromVolume: number[] = [];
            arr(inst.props["blockDevices"]).forEach((d, i) => {
                const dev = rec(d);
                if (dev && str(dev["sourceType"]) === "volume") fromVolume.push(i);
            });
            if (fromVolume.length === 0) continue;
            const property = fromVolume.map((i) => `blockDevices[${i}].uuid`).join(", ");
            for (const vol of vols) {
                compare(inst, vol, ctx, {
                    resource: inst,
                    property,
                    how: msg(m`monté par l'instance (${property})`, m`mounted by the instance (${property})`),
                });
            }
        }
    },
});

function compare(inst: PolicyResource, vol: PolicyResource, ctx: RuleContext<Config>,
    at: { resource: PolicyResource; property: string; how: Message }): void {
    const zi = resilience().zoneOf(inst);
    const zv = resilience().zoneOf(vol);
    if (zi && zv && zi === zv) return;
    if ((!zi || !zv) && !ctx.config.zoneAbsenteEnDefaut) return;
    const show = (z: string | undefined, fr: boolean) => (z ? (fr ? `« ${z} »` : `"${z}"`) : fr ? "(aucune)" : "(none)");
    const missing = [!zv ? `« ${vol.name} »` : undefined, !zi ? `« ${inst.name} »` : undefined].filter((x): x is string => !!x);
    const missingEn = missing.map((m) => m.replace(/« (.*) »/, '"$1"'));
    const problem = zi && zv
        ? msg(
              m`le volume « ${vol.name} » (availabilityZone = ${show(zv, true)}), ${at.how.fr}, n'est pas dans la zone de l'instance « ${inst.name} » (availabilityZone = ${show(zi, true)}).`,
              m`volume "${vol.name}" (availabilityZone = ${show(zv, false)}), ${at.how.en}, is not in the zone of instance "${inst.name}" (availabilityZone = ${show(zi, false)}).`,
          )
        : msg(
              m`le volume « ${vol.name} » (availabilityZone = ${show(zv, true)}), ${at.how.fr}, et l'instance « ${inst.name} » (availabilityZone = ${show(zi, true)}) ne sont pas dans une même zone explicite : zone absente sur ${items(missing)}.`,
              m`volume "${vol.name}" (availabilityZone = ${show(zv, false)}), ${at.how.en}, and instance "${inst.name}" (availabilityZone = ${show(zi, false)}) are not in one explicit zone: no zone on ${items(missingEn)}.`,
          );
    const target = zi ? zi : zv;
    ctx.report({
        resource: at.resource,
        property: at.property,
        ...(at.resource === vol ? { value: vol.props["availabilityZone"] } : {}),
        problem,
        fix: target
            ? msg(
                  m`placer le volume et l'instance dans la même zone (par exemple availabilityZone = « ${target} » pour les deux).`,
                  m`place the volume and the instance in the same zone (for example availabilityZone = "${target}" for both).`,
              )
            : undefined,
    });
}
