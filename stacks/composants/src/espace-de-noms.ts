import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Imputation } from "./imputation";

export interface EspaceDeNomsArgs {
    provider?: k8s.Provider;
    nom: string;
    /** Quota de l'espace de noms (ResourceQuota `spec.hard`). */
    quota: Record<string, string>;
    /** Valeurs par défaut et demandées par conteneur (LimitRange). */
    defautConteneur: { cpu: string; memoire: string };
    demandeConteneur: { cpu: string; memoire: string };
    imputation: Imputation;
}

/**
 * Espace de noms isolé : profil « restricted » des Pod Security Standards, NetworkPolicy de refus par
 * défaut (entrée et sortie), quota et valeurs par défaut.
 *
 * Besoins satisfaits : SEC-14 (refus par défaut, sans règle qui rouvre tout), SEC-13 (admission
 * « restricted » en plus des contextes de sécurité des charges), PIL-07 (ResourceQuota et LimitRange),
 * PIL-01 (labels d'imputation).
 */
export class EspaceDeNoms extends pulumi.ComponentResource {
    readonly espace: k8s.core.v1.Namespace;
    /** Nom de l'espace, tiré de la ressource (les objets qui l'utilisent en dépendent). */
    readonly nom: pulumi.Output<string>;

    constructor(name: string, args: EspaceDeNomsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-de-confiance:composants:EspaceDeNoms", name, {}, opts);
        const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
        const labels = { ...args.imputation };
        this.espace = new k8s.core.v1.Namespace(name, {
            metadata: {
                name: args.nom,
                labels: { ...labels, "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" },
            },
        }, child);
        this.nom = this.espace.metadata.name;
        const namespace = this.nom;
        new k8s.networking.v1.NetworkPolicy(`${name}-refus-par-defaut`, {
            metadata: { name: "refus-par-defaut", namespace, labels },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }, child);
        new k8s.core.v1.ResourceQuota(`${name}-quota`, {
            metadata: { name: "quota", namespace, labels },
            spec: { hard: args.quota },
        }, child);
        new k8s.core.v1.LimitRange(`${name}-limites`, {
            metadata: { name: "limites", namespace, labels },
            spec: {
                limits: [{
                    type: "Container",
                    default: { cpu: args.defautConteneur.cpu, memory: args.defautConteneur.memoire },
                    defaultRequest: { cpu: args.demandeConteneur.cpu, memory: args.demandeConteneur.memoire },
                }],
            },
        }, child);
        this.registerOutputs({ nom: this.nom });
    }
}
