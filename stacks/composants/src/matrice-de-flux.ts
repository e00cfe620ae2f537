import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { etiquettes, Imputation } from "./imputation";

/** D'où vient un flux : un rôle de la matrice, un groupe de sécurité existant ou une plage d'adresses. */
export type SourceDeFlux = { role: string } | { groupeId: pulumi.Input<string> } | { cidr: pulumi.Input<string> };

export interface Flux {
    /** Rôle qui reçoit le flux. */
    vers: string;
    depuis: SourceDeFlux;
    protocole?: "tcp" | "udp";
    /** Port, ou plage `[min, max]`. */
    ports: number | [number, number];
    description: string;
    ethertype?: "IPv4" | "IPv6";
}

export interface MatriceDeFluxArgs {
    provider?: openstack.Provider;
    /** Rôles (un groupe de sécurité chacun) et leur description. */
    roles: Record<string, string>;
    /** Flux entrants autorisés ; tout autre flux entrant est refusé (Neutron n'admet que ce que les règles ouvrent). */
    flux: Flux[];
    imputation: Imputation;
}

/** Plages qui désignent tout Internet ; refusées pour tout autre port que HTTPS (443). */
const TOUT_INTERNET = ["0.0.0.0/0", "::/0"];

/**
 * Matrice de flux : un groupe de sécurité Neutron par rôle, et une règle d'entrée par flux déclaré.
 *
 * Besoins satisfaits : SEC-06 (seuls les flux de la matrice sont ouverts ; un flux depuis tout
 * Internet n'est admis que vers HTTPS, le composant refuse les autres à la construction), SEC-07
 * (la sécurité des ports reste active : les groupes ne s'appliquent qu'avec elle), PIL-01
 * (étiquettes d'imputation et de rôle).
 */
export class MatriceDeFlux extends pulumi.ComponentResource {
    readonly groupes: Record<string, openstack.networking.SecGroup> = {};

    constructor(name: string, args: MatriceDeFluxArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cloud-de-confiance:composants:MatriceDeFlux", name, {}, opts);
        const child: pulumi.CustomResourceOptions = { parent: this, ...(args.provider ? { provider: args.provider } : {}) };
        for (const [role, description] of Object.entries(args.roles)) {
            this.groupes[role] = new openstack.networking.SecGroup(`${name}-${role}`, {
                name: `${name}-${role}`,
                description,
                tags: etiquettes(args.imputation, { role }),
            }, child);
        }
        args.flux.forEach((f, i) => {
            const cible = this.groupes[f.vers];
            if (!cible) throw new Error(`${name} : flux ${i} vers un rôle inconnu « ${f.vers} »`);
            const [min, max] = typeof f.ports === "number" ? [f.ports, f.ports] : f.ports;
            const source: Record<string, pulumi.Input<string>> = {};
            if ("role" in f.depuis) {
                const g = this.groupes[f.depuis.role];
                if (!g) throw new Error(`${name} : flux ${i} depuis un rôle inconnu « ${f.depuis.role} »`);
                source.remoteGroupId = g.id;
            } else if ("groupeId" in f.depuis) {
                source.remoteGroupId = f.depuis.groupeId;
            } else {
                const cidr = f.depuis.cidr;
                if (typeof cidr === "string" && TOUT_INTERNET.includes(cidr.trim()) && !(min === 443 && max === 443)) {
                    throw new Error(`${name} : flux « ${f.description} » : seul HTTPS (443) s'ouvre à tout Internet (SEC-06)`);
                }
                source.remoteIpPrefix = cidr;
            }
            new openstack.networking.SecGroupRule(`${name}-${f.vers}-${i + 1}`, {
                securityGroupId: cible.id,
                direction: "ingress",
                ethertype: f.ethertype ?? "IPv4",
                protocol: f.protocole ?? "tcp",
                portRangeMin: min,
                portRangeMax: max,
                description: f.description,
                ...source,
            }, child);
        });
        this.registerOutputs({ groupes: Object.fromEntries(Object.entries(this.groupes).map(([k, g]) => [k, g.id])) });
    }
}
