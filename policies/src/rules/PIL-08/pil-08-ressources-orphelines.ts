import type { PolicyResource } from "@pulumi/policy";
import { txt } from "../../lib/i18n";
import { isYes } from "../../lib/pilotage";
import { markerValue } from "../../lib/tags";
import { known, str } from "../../lib/props";
import { defineStackRule, StackView } from "../../lib/rule";
import { K8S_MORE_PILOTAGE, OS, OS_VOLUMES } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    cleConservation: string;
}

/** Resources that use a volume, and the property through which they refer to it. */
const VOLUME_USERS: readonly [string, string][] = [
    [OS.computeVolumeAttach, "volumeId"],
    [OS.blockVolumeAttach, "volumeId"],
    [OS.instance, "blockDevices"],
    [OS.instance, "volumes"],
    [K8S_MORE_PILOTAGE.persistentVolume, "spec"],
];

/** Resources that associate a floating IP, and the property through which they refer to it. */
const FIP_USERS: readonly [string, string][] = [
    [OS.floatingIpAssociate, "floatingIp"],
    [OS.computeFloatingIpAssociate, "floatingIp"],
    [OS.instance, "floatingIp"],
];

const FLOATING_IPS = [OS.floatingIp, OS.computeFloatingIp];

export default defineStackRule<Config>({
    name: "pil-08-ressources-orphelines",
    needs: ["PIL-08"],
    title: txt("Ressources orphelines", "Orphan resources"),
    description: txt(
        "Aucun volume n'est laissé sans attachement et aucune IP publique sans association. Un volume (blockstorage Volume, VolumeV2, VolumeV1) est utilisé quand une ressource de la pile s'y réfère par dépendance de propriété : `volumeId` d'un VolumeAttach (compute ou blockstorage), `blockDevices` ou `volumes` d'une instance, `spec` d'un PersistentVolume Kubernetes (volume Cinder ou CSI). Une IP flottante (networking ou compute FloatingIp) est associée quand elle a un `portId` non vide ou tiré d'une autre ressource (par exemple le `vipPortId` d'un répartiteur de charge), ou quand un FloatingIpAssociate (networking ou compute) ou une instance s'y réfère par `floatingIp` (dépendance de propriété, ou adresse connue égale à son `address`). Les identifiants étant inconnus à la prévisualisation, les volumes ne sont reliés que par les dépendances, jamais par identifiant. Une ressource conservée volontairement porte le marqueur `cleConservation` (défaut `conserver`) à une valeur « oui » (`true`, `oui`, `yes`, `1`) : métadonnée ou étiquette `conserver=true`. Un `portId` inconnu à la prévisualisation et sans dépendance empêche de conclure. Une violation par ressource orpheline.",
        "No volume is left unattached and no public IP unassociated. A volume (blockstorage Volume, VolumeV2, VolumeV1) is in use when a resource of the stack refers to it through a property dependency: `volumeId` of a VolumeAttach (compute or blockstorage), `blockDevices` or `volumes` of an instance, `spec` of a Kubernetes PersistentVolume (Cinder or CSI volume). A floating IP (networking or compute FloatingIp) is associated when it has a non-empty `portId` or one taken from another resource (for example a load balancer's `vipPortId`), or when a FloatingIpAssociate (networking or compute) or an instance refers to it through `floatingIp` (property dependency, or a known address equal to its `address`). IDs being unknown at preview, volumes are related through dependencies only, never by ID. A resource kept on purpose carries the marker `cleConservation` (default `conserver`) with a \"yes\" value (`true`, `oui`, `yes`, `1`): metadata or tag `conserver=true`. A `portId` unknown at preview without a dependency prevents a verdict. One violation per orphan resource.",
    ),
    remediation: txt(
        "Attacher le volume (VolumeAttach) ou l'associer à une IP (FloatingIpAssociate, `portId`), supprimer la ressource inutile, ou la marquer `conserver=true` si elle est gardée volontairement.",
        "Attach the volume (VolumeAttach) or associate the IP (FloatingIpAssociate, `portId`), delete the useless resource, or mark it `conserver=true` when it is kept on purpose.",
    ),
    severity: "low",
    enforcementLevel: "advisory",
    config: {
        cleConservation: {
            type: "string",
            default: "conserver",
            description: txt(
                "Clé du marqueur (métadonnée, étiquette) d'une ressource conservée volontairement sans attachement.",
                "Key of the marker (metadata, tag) of a resource kept unattached on purpose.",
            ),
        },
    },
    types: [...OS_VOLUMES, ...FLOATING_IPS],
    check(stack, ctx) {
        const key = ctx.config.cleConservation;
        const usedVolumes = referenced(stack, VOLUME_USERS);
        const usedFips = referenced(stack, FIP_USERS);
        const usedAddresses = new Set<string>();
        for (const [type, prop] of FIP_USERS) {
            for (const u of stack.ofType(type)) {
                const a = known(() => str(u.props[prop]));
                if (a) usedAddresses.add(a.trim());
            }
        }
        for (const v of stack.ofType(OS_VOLUMES)) {
            if (usedVolumes.has(v.urn) || isYes(markerValue(v.props, key))) continue;
            ctx.report({
                resource: v,
                problem: msg(
                    m`volume attaché à aucune instance de la pile (ni VolumeAttach, ni \`blockDevices\`/\`volumes\` d'instance, ni PersistentVolume).`,
                    m`volume attached to no instance of the stack (no VolumeAttach, no instance \`blockDevices\`/\`volumes\`, no PersistentVolume).`,
                ),
            });
        }
        for (const f of stack.ofType(FLOATING_IPS)) {
            if (usedFips.has(f.urn)) continue;
            if (f.type === OS.floatingIp && stack.propertyDependency(f, "portId").length > 0) continue;
            const address = known(() => str(f.props["address"]));
            if (address && usedAddresses.has(address.trim())) continue;
            if (isYes(markerValue(f.props, key))) continue;
            // Not related: the verdict now depends on portId, unknown values included.
            const port = f.type === OS.floatingIp ? str(f.props["portId"]) : undefined;
            if (port && port.trim()) continue;
            ctx.report({
                resource: f,
                ...(f.type === OS.floatingIp ? { property: "portId", value: f.props["portId"] ?? undefined } : {}),
                problem: msg(
                    m`IP publique associée à rien (ni \`portId\`, ni FloatingIpAssociate, ni instance).`,
                    m`public IP associated with nothing (no \`portId\`, no FloatingIpAssociate, no instance).`,
                ),
            });
        }
    },
});

/** URNs referred to through the given (type, property) pairs, indexed once. */
function referenced(stack: StackView, users: readonly [string, string][]): Set<string> {
    const out = new Set<string>();
    for (const [type, prop] of users) {
        for (const u of stack.ofType(type)) for (const d of stack.propertyDependency(u, prop) as PolicyResource[]) out.add(d.urn);
    }
    return out;
}
