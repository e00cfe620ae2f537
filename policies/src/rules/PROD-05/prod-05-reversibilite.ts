import { txt } from "../../lib/i18n";
import { moduleOf, packageOf } from "../../lib/pilotage";
import { markerValue } from "../../lib/tags";
import { matchesAny } from "../../lib/profiles";
import { defineStackRule } from "../../lib/rule";
import { m, msg } from "../../lib/message";

interface Config {
    paquetsStandard: string[];
    typesAutorises: string[];
    cleReversibilite: string;
    verifierRessourcesPersonnalisees: boolean;
    groupesApiStandard: string[];
}

const PROVIDER_PREFIX = "pulumi:providers:";

export default defineStackRule<Config>({
    name: "prod-05-reversibilite",
    needs: ["PROD-05"],
    title: txt("Réversibilité", "Reversibility"),
    description: txt(
        "Chaque ressource de la pile utilise une API standard, ou documente son chemin de sortie. Le paquet d'une ressource est le premier segment de son type (`aws:s3/bucket:Bucket` → `aws`). Sont standard : les paquets de `paquetsStandard` (par défaut `openstack`, `kubernetes`, `pulumi` — pile, fournisseurs, références de pile —, et `random`, `tls`, `command`, qui n'appellent aucune API de fournisseur de cloud : calcul local ou commandes locales/SSH). Un composant du programme n'est pas une API : une ressource qui a des enfants dans la pile et dont le paquet n'est celui d'aucun fournisseur présent (ressource `pulumi:providers:<paquet>` ou fournisseur d'une ressource) est un composant et n'est pas examinée (ses enfants le sont) ; un composant sans enfant est jugé comme une ressource. Côté Kubernetes, si `verifierRessourcesPersonnalisees` est vrai (défaut), une ressource personnalisée `kubernetes:<groupe>/<version>:<Genre>` dont le groupe n'est pas dans `groupesApiStandard` (motifs : `core`, `apps`, `batch`, `autoscaling`, `policy`, tout groupe `*.k8s.io` — y compris Gateway API et instantanés CSI —, et les aides Pulumi `helm.sh`, `yaml`, `kustomize`) dépend d'un opérateur que la plateforme cible devra aussi offrir : elle est signalée. La déclaration d'une CustomResourceDefinition n'est pas signalée (ce sont ses instances qui le sont). Une ressource non standard est conforme quand son type correspond à un motif de `typesAutorises` (expression régulière sur le type entier, insensible à la casse), ou quand elle porte le marqueur `cleReversibilite` (défaut `cloud-de-confiance.gouv.fr/reversibilite`) avec une valeur non vide (URL ou texte du plan de sortie) : étiquette `clé=valeur` ou entrée d'une table `tags`, `metadata`, `labels`, annotation ou label Kubernetes. Une violation par ressource non conforme.",
        "Every resource of the stack uses a standard API, or documents its exit path. A resource's package is the first segment of its type (`aws:s3/bucket:Bucket` → `aws`). Standard are the packages of `paquetsStandard` (by default `openstack`, `kubernetes`, `pulumi` — stack, providers, stack references —, and `random`, `tls`, `command`, which call no cloud provider API: local computation or local/SSH commands). A component of the program is not an API: a resource that has children in the stack and whose package is that of no provider present (a `pulumi:providers:<package>` resource or the provider of a resource) is a component and is not examined (its children are); a component without children is judged like a resource. On Kubernetes, when `verifierRessourcesPersonnalisees` is true (default), a custom resource `kubernetes:<group>/<version>:<Kind>` whose group is not in `groupesApiStandard` (patterns: `core`, `apps`, `batch`, `autoscaling`, `policy`, any `*.k8s.io` group — Gateway API and CSI snapshots included —, and Pulumi's helpers `helm.sh`, `yaml`, `kustomize`) depends on an operator the target platform will also have to offer: it is reported. Declaring a CustomResourceDefinition is not reported (its instances are). A non-standard resource is compliant when its type matches a pattern of `typesAutorises` (regular expression over the whole type, case-insensitive), or when it carries the marker `cleReversibilite` (default `cloud-de-confiance.gouv.fr/reversibilite`) with a non-empty value (URL or text of the exit plan): a `key=value` tag or an entry of a `tags`, `metadata` or `labels` map, a Kubernetes annotation or label. One violation per non-compliant resource.",
    ),
    remediation: txt(
        "Remplacer la ressource par un équivalent OpenStack ou Kubernetes standard, ou documenter le chemin de sortie : marqueur `cloud-de-confiance.gouv.fr/reversibilite` (URL du plan de réversibilité) sur la ressource, ou motif du type dans `typesAutorises`.",
        "Replace the resource with a standard OpenStack or Kubernetes equivalent, or document the exit path: marker `cloud-de-confiance.gouv.fr/reversibilite` (URL of the reversibility plan) on the resource, or the type's pattern in `typesAutorises`.",
    ),
    severity: "low",
    enforcementLevel: "advisory",
    config: {
        paquetsStandard: {
            type: "array",
            items: { type: "string" },
            default: ["openstack", "kubernetes", "pulumi", "random", "tls", "command"],
            description: txt("Paquets Pulumi considérés comme des API standard (premier segment du type).", "Pulumi packages considered standard APIs (first segment of the type)."),
        },
        typesAutorises: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: [],
            description: txt(
                "Motifs (expressions régulières sur le type entier, insensibles à la casse) des types non standard dont le chemin de sortie est documenté ailleurs.",
                "Patterns (regular expressions over the whole type, case-insensitive) of non-standard types whose exit path is documented elsewhere.",
            ),
        },
        cleReversibilite: {
            type: "string",
            default: "cloud-de-confiance.gouv.fr/reversibilite",
            description: txt("Clé du marqueur qui documente le chemin de sortie d'une ressource.", "Key of the marker documenting a resource's exit path."),
        },
        verifierRessourcesPersonnalisees: {
            type: "boolean",
            default: true,
            description: txt("Signaler les ressources Kubernetes personnalisées de groupes d'API non standard.", "Report Kubernetes custom resources of non-standard API groups."),
        },
        groupesApiStandard: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["core", "apps", "batch", "autoscaling", "policy", "(.+\\.)?k8s\\.io", "helm\\.sh", "yaml", "kustomize"],
            description: txt(
                "Motifs des groupes d'API Kubernetes standard (expression régulière sur le groupe entier).",
                "Patterns of the standard Kubernetes API groups (regular expression over the whole group).",
            ),
        },
    },
    types: [],
    check(stack, ctx) {
        const cfg = ctx.config;
        const standard = new Set(cfg.paquetsStandard);
        // Packages with a provider in the stack: a resource of such a package is never a component.
        const providerPackages = new Set<string>();
        for (const r of stack.resources) {
            if (r.type.startsWith(PROVIDER_PREFIX)) providerPackages.add(r.type.slice(PROVIDER_PREFIX.length));
            const p = r.provider?.type;
            if (p && p.startsWith(PROVIDER_PREFIX)) providerPackages.add(p.slice(PROVIDER_PREFIX.length));
        }
        for (const r of stack.resources) {
            const pkg = packageOf(r.type);
            let reason: "package" | "group" | undefined;
            let group = "";
            if (!standard.has(pkg)) {
                if (stack.children(r).length > 0 && !providerPackages.has(pkg)) continue; // a component
                reason = "package";
            } else if (pkg === "kubernetes" && cfg.verifierRessourcesPersonnalisees) {
                const mod = moduleOf(r.type);
                group = mod.split("/")[0];
                if (group && !matchesAny(group, cfg.groupesApiStandard)) reason = "group";
            }
            if (!reason) continue;
            if (matchesAny(r.type, cfg.typesAutorises)) continue;
            if (markerValue(r.props, cfg.cleReversibilite) !== undefined) continue;
            ctx.report({
                resource: r,
                problem:
                    reason === "package"
                        ? msg(
                              m`le type \`${r.type}\` relève du paquet « ${pkg} », qui n'est pas une API standard (OpenStack, Kubernetes), et aucun chemin de sortie n'est documenté (marqueur « ${cfg.cleReversibilite} »).`,
                              m`type \`${r.type}\` belongs to package "${pkg}", which is not a standard API (OpenStack, Kubernetes), and no exit path is documented (marker "${cfg.cleReversibilite}").`,
                          )
                        : msg(
                              m`le type \`${r.type}\` est une ressource personnalisée du groupe d'API « ${group} », hors des API Kubernetes standard, et aucun chemin de sortie n'est documenté (annotation « ${cfg.cleReversibilite} »).`,
                              m`type \`${r.type}\` is a custom resource of API group "${group}", outside the standard Kubernetes APIs, and no exit path is documented (annotation "${cfg.cleReversibilite}").`,
                          ),
            });
        }
    },
});
