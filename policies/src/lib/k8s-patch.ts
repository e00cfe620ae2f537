import { txt } from "./i18n";
import { items, m, Message, msg } from "./message";
import type { RuleContext } from "./rule";
import { isK8sObject, shortType } from "./types";

/**
 * Kubernetes patches: `kubernetes:<group>/<version>:<Kind>Patch` (`k8s.apps.v1.DeploymentPatch`…).
 * pulumi-kubernetes applies a patch with server-side apply onto an object that already exists in
 * the cluster: the fields the patch sets are merged into the live object (lists keyed by name —
 * containers, env, ports, volumes — merge item by item; atomic lists such as an Ingress's `rules`
 * and `tls`, a Role's `rules` or a RoleBinding's `subjects` are replaced whole), the fields it does
 * not set keep the live object's values, which the pack cannot see. Every rule that reads a kind
 * reads its patch the same way (`PATCH_SEMANTICS`, shown in docs/regles.md):
 *
 * - a value the patch sets is judged as in the full kind: a wrong value is a violation;
 * - a part of the object the patch does not set at all (no pod template, no labels…) is not
 *   examined: the rule does not apply to the patch (not counted as checked);
 * - within a part the patch sets, a field that the full kind requires and the patch leaves unset
 *   is not a violation but « cannot be checked » (`PatchGaps`): its value is the live object's.
 *
 * In an exported state (`check --state`), a patch's properties are its outputs (the object the
 * provider read back after applying it): the same reading applies to the fields they hold.
 */

export const PATCH_SUFFIX = "Patch";

/** Whether a type token is a Kubernetes patch (`…Patch`), as pulumi-kubernetes recognises them. */
export function isPatch(type: string): boolean {
    return isK8sObject(type) && type.endsWith(PATCH_SUFFIX) && !type.endsWith(`:${PATCH_SUFFIX}`);
}

/** The kind a patch type patches: `kubernetes:apps/v1:DeploymentPatch` → `kubernetes:apps/v1:Deployment`. */
export function fullType(type: string): string {
    return isPatch(type) ? type.slice(0, -PATCH_SUFFIX.length) : type;
}

/** The types and their patches: `[Deployment]` → `[Deployment, DeploymentPatch]`. */
export function withPatches(types: readonly string[]): string[] {
    return types.flatMap((t) => [t, `${t}${PATCH_SUFFIX}`]);
}

/** How the rules read patches: the text of docs/regles.md, referred to by each rule's description. */
export const PATCH_SEMANTICS = txt(
    "Un correctif (`…Patch` : `DeploymentPatch`, `PodPatch`, `ServicePatch`, `NamespacePatch`, `NetworkPolicyPatch`, `RoleBindingPatch`…) est appliqué par pulumi-kubernetes en « server-side apply » sur un objet qui existe déjà : les champs qu'il fixe sont fusionnés dans l'objet vivant (les listes à clé — conteneurs par `name`, `env`, `ports`, `volumes` — élément par élément ; les listes atomiques — `rules` et `tls` d'un Ingress, `rules` d'un Role, `subjects` d'un RoleBinding — remplacées en entier), les champs qu'il ne fixe pas gardent la valeur de l'objet vivant, que le pack ne voit pas. Chaque règle qui lit un genre lit ses correctifs ainsi : une valeur que le correctif fixe est jugée comme dans le genre complet (une valeur fautive est une violation) ; une partie de l'objet que le correctif ne fixe pas du tout (pas de modèle de pod, pas d'étiquettes…) n'est pas examinée (la règle ne s'applique pas au correctif, qui ne compte pas comme vérifié) ; dans une partie qu'il fixe, un champ que le genre complet exige et que le correctif ne fixe pas n'est pas une violation mais « invérifiable » (conseil), avec les champs en cause : sa valeur sera celle de l'objet vivant. Dans un état exporté (`check --state`), les propriétés d'un correctif sont ses sorties, l'objet que le fournisseur a relu après l'avoir appliqué : les champs qu'elles portent sont jugés de même, un champ qu'elles ne portent pas reste invérifiable. Les champs d'une StorageClass que jugent SEC-03 et RES-11 (provisionneur, paramètres, mode de liaison, topologies autorisées) ne peuvent pas changer (l'API refuse la mise à jour) : un StorageClassPatch n'est pas examiné. Un ReplicationController (`core/v1`) est lu comme un ReplicaSet : modèle de pod en `spec.template`, réplicas en `spec.replicas`.",
    "A patch (`…Patch`: `DeploymentPatch`, `PodPatch`, `ServicePatch`, `NamespacePatch`, `NetworkPolicyPatch`, `RoleBindingPatch`…) is applied by pulumi-kubernetes with server-side apply onto an object that already exists: the fields it sets are merged into the live object (keyed lists — containers by `name`, `env`, `ports`, `volumes` — item by item; atomic lists — an Ingress's `rules` and `tls`, a Role's `rules`, a RoleBinding's `subjects` — replaced whole), the fields it does not set keep the live object's value, which the pack does not see. Every rule that reads a kind reads its patches this way: a value the patch sets is judged as in the full kind (a wrong value is a violation); a part of the object the patch does not set at all (no pod template, no labels…) is not examined (the rule does not apply to the patch, which does not count as checked); within a part it sets, a field the full kind requires and the patch does not set is not a violation but \"cannot be checked\" (advisory), naming the fields: its value will be the live object's. In an exported state (`check --state`), a patch's properties are its outputs, the object the provider read back after applying it: the fields they hold are judged the same way, a field they do not hold stays \"cannot be checked\". The StorageClass fields SEC-03 and RES-11 judge (provisioner, parameters, binding mode, allowed topologies) cannot change (the API refuses the update): a StorageClassPatch is not examined. A ReplicationController (`core/v1`) is read like a ReplicaSet: pod template at `spec.template`, replicas at `spec.replicas`.",
);

/**
 * Required fields a patch leaves unset, collected during a check: `absent()` says whether the
 * caller must hold its violation back (the resource is a patch), `end()` then reports what was
 * collected as « cannot be checked ». Call `end()` last: it stops the check.
 */
export class PatchGaps {
    private readonly unset: Message[] = [];
    private readonly outside: Message[] = [];

    /** `patch`: whether the resource under check is a patch (resource rules). */
    constructor(private readonly patch = false) {}

    /**
     * A required field is absent. In a patch (`resource` given: that resource, a stack rule's), it is
     * recorded and the answer is true: no violation. For a full object, false: the caller reports.
     */
    absent(path: string, resource?: { name: string; type: string }): boolean {
        if (resource ? !isPatch(resource.type) : !this.patch) return false;
        this.unset.push(
            resource
                ? msg(m`${shortType(resource.type)} « ${resource.name} » : ${path}`, m`${shortType(resource.type)} "${resource.name}": ${path}`)
                : msg(m`${path}`, m`${path}`),
        );
        return true;
    }

    /**
     * What the full kind needs from the stack (a PodDisruptionBudget, a default-deny NetworkPolicy,
     * a ResourceQuota…) is missing for `resource`. For a patch, the patched object already exists and
     * may have it outside the stack: recorded, and true (no violation). For a full object, false.
     */
    outsideStack(what: string | Message, resource: { name: string; type: string }): boolean {
        if (!isPatch(resource.type)) return false;
        this.outside.push(msg(m`${shortType(resource.type)} « ${resource.name} » : ${what}`, m`${shortType(resource.type)} "${resource.name}": ${what}`));
        return true;
    }

    get empty(): boolean {
        return this.unset.length === 0 && this.outside.length === 0;
    }

    /** Reports what was collected, if anything, as « cannot be checked » (stops the check). */
    end(ctx: RuleContext<unknown>): void {
        if (this.empty) return;
        const fr: Message[] = [];
        if (this.unset.length > 0) {
            const list = items(this.unset, { max: 8 });
            fr.push(msg(
                m`correctif (Patch) : ${list} non fixé(s) par le correctif ; la valeur appliquée sera celle de l'objet existant, que le pack ne voit pas.`,
                m`patch: ${list} not set by the patch; the value applied will be the existing object's, which the pack does not see.`,
            ));
        }
        if (this.outside.length > 0) {
            const list = items(this.outside, { max: 8 });
            fr.push(msg(
                m`correctif (Patch) : ${list} absent(s) de la pile ; l'objet corrigé existe déjà et peut l'avoir hors de la pile, que le pack ne voit pas.`,
                m`patch: ${list} missing from the stack; the patched object already exists and may have it outside the stack, which the pack does not see.`,
            ));
        }
        const parts = items(fr, { sep: " ", max: 2 });
        const how = this.unset.length > 0
            ? msg(m`fixer ces champs dans le correctif, ou vérifier`, m`set these fields in the patch, or check`)
            : msg(m`déclarer ces objets dans la pile, ou vérifier`, m`declare these objects in the stack, or check`);
        ctx.cannotCheck(
            msg(
                m`${parts} Pour le vérifier : ${how} l'objet déployé (\`check --state\`) ou les manifestes du cluster (\`check --manifests\`).`,
                m`${parts} To check it: ${how} the deployed object (\`check --state\`) or the cluster's manifests (\`check --manifests\`).`,
            ),
        );
    }
}

/** Why a rule does not apply to a patch that sets none of what it examines. */
export function notSetByPatch(what: string): string {
    return `the patch sets no ${what}: the object is managed outside the stack`;
}
