import { txt } from "../../lib/i18n";
import { HELM_TYPES, K8S_COMPONENT_TYPES, K8S_COMPONENTS, KUBERNETES_NEEDS, KUSTOMIZE_TYPES } from "../../lib/k8s-coverage";
import { items, m, Message, msg } from "../../lib/message";
import { defineStackRule } from "../../lib/rule";
import { shortType } from "../../lib/types";

export default defineStackRule<Record<string, never>>({
    name: "sec-13-contenu-kubernetes-non-inspecte",
    needs: KUBERNETES_NEEDS,
    title: txt("Contenu Kubernetes non inspecté", "Kubernetes content not inspected"),
    description: txt(
        "Aucun angle mort : les objets Kubernetes qu'un composant déploie sans qu'ils figurent dans la pile ne sont pas examinés, et le pack le dit. Composants concernés : `helm.sh/v3:Release` (Helm installe la carte dans le fournisseur : jamais d'enfants), `helm.sh/v2:Chart`, `helm.sh/v3:Chart`, `helm.sh/v4:Chart`, `kustomize:Directory`, `kustomize/v2:Directory`, `yaml:ConfigFile`, `yaml:ConfigGroup`, `yaml/v2:ConfigFile`, `yaml/v2:ConfigGroup`. Un composant dont les objets sont dans la pile comme ses enfants (moteur réel, état exporté, fichiers YAML lus par le vérificateur) est examiné par les autres règles ; un composant sans enfant (Release toujours ; Chart et Directory sous les simulations du vérificateur ou quand le rendu n'a pas eu lieu) est « invérifiable » pour tous les besoins qu'un objet Kubernetes peut toucher (ceux des règles qui lisent un genre Kubernetes : SEC-13 en tête), jamais « respecté » ni « non sollicité ». Le message nomme les composants et dit comment les vérifier : rendre les manifestes (`helm template …`, `kustomize build …`) et les passer à `cloud-de-confiance check --manifests`. Sans composant non rendu, la règle ne s'applique pas.",
        "No blind spot: the Kubernetes objects a component deploys without them being in the stack are not examined, and the pack says so. Components concerned: `helm.sh/v3:Release` (Helm installs the chart inside the provider: never any children), `helm.sh/v2:Chart`, `helm.sh/v3:Chart`, `helm.sh/v4:Chart`, `kustomize:Directory`, `kustomize/v2:Directory`, `yaml:ConfigFile`, `yaml:ConfigGroup`, `yaml/v2:ConfigFile`, `yaml/v2:ConfigGroup`. A component whose objects are in the stack as its children (real engine, exported state, YAML files read by the checker) is examined by the other rules; a component without children (a Release always; a Chart or Directory under the checker's mocks or when rendering did not happen) is \"cannot be checked\" for every need a Kubernetes object may bear on (those of the rules that read a Kubernetes kind: SEC-13 first), never \"respected\" nor \"not exercised\". The message names the components and says how to check them: render the manifests (`helm template …`, `kustomize build …`) and pass them to `cloud-de-confiance check --manifests`. Without an unrendered component, the rule does not apply.",
    ),
    remediation: txt(
        "Rendre les manifestes du composant (`helm template <nom> <carte> -f valeurs.yaml > rendu.yaml`, `kustomize build <dossier> > rendu.yaml`) et les vérifier : `cloud-de-confiance check --manifests rendu.yaml`.",
        "Render the component's manifests (`helm template <name> <chart> -f values.yaml > rendered.yaml`, `kustomize build <dir> > rendered.yaml`) and check them: `cloud-de-confiance check --manifests rendered.yaml`.",
    ),
    severity: "high",
    enforcementLevel: "advisory",
    config: {},
    types: K8S_COMPONENT_TYPES,
    check(stack, ctx) {
        const hidden = stack
            .ofType(K8S_COMPONENT_TYPES)
            .filter((r) => r.type === K8S_COMPONENTS.helmRelease || stack.children(r).length === 0);
        if (hidden.length === 0) ctx.notApplicable("every component's objects are in the stack");
        const names = hidden.map((r) => msg(m`${shortType(r.type)} « ${r.name} »`, m`${shortType(r.type)} "${r.name}"`));
        const how: Message[] = [];
        if (hidden.some((r) => HELM_TYPES.includes(r.type))) how.push(msg(m`\`helm template\``, m`\`helm template\``));
        if (hidden.some((r) => KUSTOMIZE_TYPES.includes(r.type))) how.push(msg(m`\`kustomize build\``, m`\`kustomize build\``));
        const render = how.length > 0 ? how : [msg(m`les fichiers YAML eux-mêmes`, m`the YAML files themselves`)];
        ctx.cannotCheck(
            msg(
                m`objets Kubernetes non inspectés : le contenu de ${items(names, { max: 10 })} n'est pas dans la pile (non rendu) et le pack ne le voit pas. Pour le vérifier : rendre les manifestes (${items(render)}) et lancer \`cloud-de-confiance check --manifests <fichier|dossier|->\`.`,
                m`Kubernetes objects not inspected: the content of ${items(names, { max: 10 })} is not in the stack (not rendered) and the pack does not see it. To check it: render the manifests (${items(render)}) and run \`cloud-de-confiance check --manifests <file|dir|->\`.`,
            ),
        );
    },
});
