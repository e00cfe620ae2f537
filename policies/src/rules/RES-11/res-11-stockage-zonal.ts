import { txt } from "../../lib/i18n";
import { arr, rec, str, strings } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    modesLiaisonAcceptes: string[];
    clesZone: string[];
}

export default defineResourceRule<Config>({
    name: "res-11-stockage-zonal",
    needs: ["RES-11"],
    title: txt("Stockage zonal", "Zonal storage"),
    description: txt(
        "Une StorageClass crée ses volumes dans la zone du pod qui les utilise : `volumeBindingMode` vaut `WaitForFirstConsumer` (le volume est créé après l'ordonnancement du pod, dans sa zone), ou bien `allowedTopologies` restreint la zone — chaque terme de `allowedTopologies[]` a une expression `matchLabelExpressions[]` dont la clé est une clé de zone configurée (`topology.kubernetes.io/zone`, `topology.cinder.csi.openstack.org/zone`) avec au moins une valeur ; les pods qui utilisent ces volumes sont alors placés dans ces zones. Un `volumeBindingMode` absent vaut `Immediate` (défaut de Kubernetes) : sans `allowedTopologies` zonal, la StorageClass est en défaut." + " Le mode de liaison et les topologies d'une StorageClass ne peuvent pas changer : un StorageClassPatch n'est pas examiné (voir « Correctifs Kubernetes » dans docs/regles.md).",
        "A StorageClass creates its volumes in the zone of the pod that uses them: `volumeBindingMode` is `WaitForFirstConsumer` (the volume is created after the pod is scheduled, in its zone), or `allowedTopologies` restricts the zone — every term of `allowedTopologies[]` has a `matchLabelExpressions[]` entry whose key is a configured zone key (`topology.kubernetes.io/zone`, `topology.cinder.csi.openstack.org/zone`) with at least one value; pods using these volumes are then scheduled in those zones. A missing `volumeBindingMode` means `Immediate` (Kubernetes' default): without a zonal `allowedTopologies`, the StorageClass fails." + " A StorageClass's binding mode and topologies cannot change: a StorageClassPatch is not examined (see \"Correctifs Kubernetes\" in docs/regles.md).",
    ),
    remediation: txt(
        "Fixer `volumeBindingMode: WaitForFirstConsumer` sur la StorageClass (ou restreindre `allowedTopologies` à des zones).",
        "Set `volumeBindingMode: WaitForFirstConsumer` on the StorageClass (or restrict `allowedTopologies` to zones).",
    ),
    severity: "medium",
    enforcementLevel: "advisory",
    config: {
        modesLiaisonAcceptes: {
            type: "array",
            items: { type: "string" },
            default: ["WaitForFirstConsumer"],
            description: txt("Valeurs de `volumeBindingMode` acceptées sans autre condition.", "`volumeBindingMode` values accepted without further condition."),
        },
        clesZone: {
            type: "array",
            items: { type: "string" },
            default: ["topology.kubernetes.io/zone", "topology.cinder.csi.openstack.org/zone"],
            description: txt(
                "Clés de topologie qui désignent une zone dans `allowedTopologies` (la clé CSI dépend du pilote de stockage).",
                "Topology keys that name a zone in `allowedTopologies` (the CSI key depends on the storage driver).",
            ),
        },
    },
    types: [K8S.storageClass],
    check(r, ctx) {
        const mode = r.props["volumeBindingMode"];
        const given = str(mode);
        if (given && ctx.config.modesLiaisonAcceptes.includes(given)) return;
        const terms = arr(r.props["allowedTopologies"]);
        const zonal = (t: unknown) =>
            arr(rec(t)?.["matchLabelExpressions"]).some((e) => {
                const x = rec(e);
                const key = str(x?.["key"]);
                return !!key && ctx.config.clesZone.includes(key) && strings(x?.["values"]).length > 0;
            });
        if (terms.length > 0 && terms.every(zonal)) return;
        ctx.report({
            property: "volumeBindingMode",
            value: mode,
            problem: msg(
                m`liaison ${given ?? "Immediate (défaut)"} sans \`allowedTopologies\` restreint à une zone (${items(ctx.config.clesZone)}) : le volume peut être créé dans une autre zone que le pod.`,
                m`${given ?? "Immediate (default)"} binding without \`allowedTopologies\` restricted to a zone (${items(ctx.config.clesZone)}): the volume may be created in another zone than the pod.`,
            ),
        });
    },
});
