import { Text } from "./i18n";

/**
 * The catalogue of needs (../shared/NEEDS.md): the specification every rule names.
 * Ids are stable; titles are those of the catalogue.
 */
export const CATALOGUE_NAME = "cloud-de-confiance";
export const CATALOGUE_VERSION = "2024.04";

export type Priority = "P1" | "P2" | "P3";
export type Scope = "R" | "S" | "R/S";
export type DefaultLevel = "M" | "A";

export interface Need {
    id: string;
    priority: Priority;
    title: Text;
    scope: Scope;
    level: DefaultLevel;
}

function need(id: string, priority: Priority, fr: string, en: string, scope: Scope, level: DefaultLevel): Need {
    return { id, priority, title: { fr, en }, scope, level };
}

export const NEEDS: readonly Need[] = [
    need("RES-01", "P1", "Répartition multi-zones", "The instances of one service span at least 2 availability zones", "S", "M"),
    need("RES-02", "P1", "Zone explicite et autorisée", "Every zonal resource names an availability zone from the provider profile", "R", "M"),
    need("RES-03", "P1", "Volume dans la zone de son instance", "An attached volume lives in its instance's zone", "S", "M"),
    need("RES-04", "P1", "Anti-affinité", "Replicas of a service are in an anti-affinity server group", "S", "A"),
    need("RES-05", "P1", "Répartition de charge redondante", "A load-balanced pool has members in at least 2 zones and a health monitor", "S", "M"),
    need("RES-06", "P1", "Sauvegarde et protection des données", "Backup containers are versioned; stateful resources are protected", "R", "A"),
    need("RES-07", "P1", "Plan de contrôle haute disponibilité", "Managed Kubernetes has at least 3 masters behind a load balancer", "R", "M"),
    need("RES-08", "P1", "Réplicas", "A workload runs at least 2 replicas (or an HPA with minReplicas ≥ 2)", "S", "M"),
    need("RES-09", "P1", "Étalement par zone", "Multi-replica pods spread over topology.kubernetes.io/zone", "R", "A"),
    need("RES-10", "P1", "Budget de perturbation", "Every multi-replica workload is selected by a PodDisruptionBudget", "S", "M"),
    need("RES-11", "P1", "Stockage zonal", "StorageClasses bind volumes in the pod's zone", "R", "A"),
    need("SEC-01", "P1", "Offre qualifiée", "The provider endpoint and region belong to a declared SecNumCloud offer", "R", "M"),
    need("SEC-02", "P1", "Localisation des données", "Every resource's region is allowed (France by default, EU at most)", "R", "M"),
    need("SEC-03", "P1", "Chiffrement au repos", "Volumes and boot disks use an encrypted volume type; storage classes encrypt", "R", "M"),
    need("SEC-04", "P1", "Chiffrement en transit (répartiteur)", "No listener exposes clear text; TLS listeners use a Barbican certificate", "R", "M"),
    need("SEC-05", "P1", "Chiffrement en transit (Ingress)", "Every Ingress host is covered by TLS", "R", "M"),
    need("SEC-06", "P1", "Filtrage réseau", "No rule opens administration, database or all ports to 0.0.0.0/0 or ::/0", "R", "M"),
    need("SEC-07", "P1", "Sécurité des ports", "Port security is never disabled", "R", "M"),
    need("SEC-08", "P1", "Exposition maîtrisée", "Public (floating) IPs only on load balancers or a bastion", "S", "A"),
    need("SEC-09", "P1", "Pas de secret en clair", "No admin password, no credentials in user data or container env; SSH by key pair", "R", "M"),
    need("SEC-10", "P1", "Stockage objet privé", "No public read ACL on containers", "R", "M"),
    need("SEC-11", "P1", "Kubernetes géré durci", "Managed Kubernetes: TLS on, not public, no floating IPs on nodes", "R", "M"),
    need("SEC-12", "P1", "Identifiants restreints", "Application credentials are restricted and expire", "R", "M"),
    need("SEC-13", "P1", "Pods durcis", "Non-root, no privilege escalation, not privileged, no host network/PID, ports > 1024", "R", "M"),
    need("SEC-14", "P1", "Cloisonnement", "Each namespace has a default-deny NetworkPolicy", "S", "M"),
    need("SEC-15", "P1", "Droits minimaux", "No cluster-admin binding to workloads, no wildcard verbs or resources", "R", "M"),
    need("SEC-16", "P1", "VPN robuste", "IKEv2, AES-256, SHA-256 or better, PFS", "R", "M"),
    need("PROD-01", "P2", "Étiquettes standard", "Recommended app.kubernetes.io/* labels", "R", "A"),
    need("PROD-02", "P2", "Images maîtrisées", "Images from allowed registries, pinned (no latest, digest preferred)", "R", "M"),
    need("PROD-03", "P2", "Observabilité", "Readiness and liveness probes", "R", "A"),
    need("PROD-04", "P2", "Configuration externalisée", "Configuration from ConfigMap/Secret, not literals", "R", "A"),
    need("PROD-05", "P2", "Réversibilité", "Only standard OpenStack and Kubernetes APIs, or a documented exit path", "S", "A"),
    need("PIL-01", "P3", "Imputation des coûts", "Every taggable resource carries the cost-attribution keys", "R", "M"),
    need("PIL-02", "P3", "Étiquettes de pile", "The stack declares ministry, application, environment, cost centre", "S", "M"),
    need("PIL-03", "P3", "Coût estimé", "Monthly cost estimate, grouped by cost-attribution key", "S", "A"),
    need("PIL-04", "P3", "Plafond budgétaire", "The estimate stays under the configured budget", "S", "A"),
    need("PIL-05", "P3", "Empreinte environnementale", "Monthly kgCO2e estimate, grouped like PIL-03", "S", "A"),
    need("PIL-06", "P3", "Gabarits sobres", "Flavors from the allowed list for the environment; GPU only when justified", "R", "A"),
    need("PIL-07", "P3", "Ressources bornées", "Containers declare requests and limits; namespaces have quota and limit range", "R/S", "M"),
    need("PIL-08", "P3", "Ressources orphelines", "No unattached volume, no unassociated public IP", "S", "A"),
];

const BY_ID = new Map(NEEDS.map((n) => [n.id, n]));

export function needById(id: string): Need | undefined {
    return BY_ID.get(id);
}

export const NEED_ID_PATTERN = /^(RES|SEC|PROD|PIL)-\d{2}$/;
