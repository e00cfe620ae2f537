// One estimate per AnalyzeStack call, shared by PIL-03, PIL-04 and PIL-05.
import { stackEstimate } from "../../lib/cost/shared-estimate";
import type * as Summary from "../../lib/cost/summary";
import { txt } from "../../lib/i18n";
import { defineStackRule } from "../../lib/rule";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const summaries = lazy(() => require("../../lib/cost/summary") as typeof Summary);

export default defineStackRule<Record<string, never>>({
    name: "pil-03-cout-estime",
    needs: ["PIL-03"],
    title: txt("Coût estimé", "Estimated cost"),
    description: txt(
        "Rapporte, en un seul résumé consultatif sur la pile, le coût mensuel estimé (€ hors taxes, 730 h par mois) avant déploiement, total et par clé d'imputation (par défaut `application`, `environnement`, `centre-de-cout`, `proprietaire`, réglage `estimation.clesRegroupement`). Ne juge rien : le résumé est toujours consultatif, aucune dérogation ne s'y applique. Barème : celui du profil de fournisseur (`policies/donnees/tarifs/<profil>.json`, valeurs indicatives avec source et date), que le réglage `estimation` du pack remplace et complète. Postes : instance = prix horaire de son gabarit (`flavorName`, ou `flavorId` s'il nomme une entrée du barème ; noms comparés exactement, comme le fournisseur Terraform) plus ses volumes de démarrage créés (`blockDevices` de destination `volume`, source `image` ou `blank`) ; volume = taille × prix par Go·mois de son type (`volumeType`, comparé sans casse comme Cinder ; absent : type par défaut du profil) ; répartiteur Octavia = prix de son gabarit (`flavorId`, sinon celui par défaut du barème) ; IP flottante, routeur = forfait horaire du barème ; conteneur objet = volume estimé donné par le marqueur `volume-estime-go` (métadonnée) × prix par Go·mois ; cluster et groupe de nœuds Magnum = nœuds × gabarit (celui du modèle de cluster à défaut) ; charge Kubernetes (Deployment, StatefulSet, ReplicaSet, Pod) = réplicas (minimum de l'HPA qui la pilote, sinon `spec.replicas`, défaut 1) × requêtes CPU et mémoire (requête, sinon limite, sinon LimitRange de l'espace de noms, comme l'API Kubernetes) au prix du nœud par vCPU·h et Go·h ; PersistentVolumeClaim et gabarits de StatefulSet = taille × type Cinder de la StorageClass ; Service LoadBalancer = répartiteur et IP publique. Réseaux, règles, attachements, membres et autres objets Kubernetes n'ont pas de coût propre. Une ressource sans étiquette est imputée par son parent, puis ses dépendances, puis les étiquettes et la configuration de la pile. Jamais de zéro silencieux : un gabarit ou un type absent du barème, une valeur inconnue avant déploiement, un conteneur sans requête, un DaemonSet ou un Job, un type OpenStack sans tarif sont listés comme non chiffrés, et le total est alors un minimum (« au moins »). Méthode : docs/methode-cout-carbone.md.",
        "Reports, as one advisory summary on the stack, the estimated monthly cost (€ excluding taxes, 730 h a month) before deployment, in total and by cost-attribution key (by default `application`, `environnement`, `centre-de-cout`, `proprietaire`, setting `estimation.clesRegroupement`). It judges nothing: the summary is always advisory and no derogation applies to it. Price book: the provider profile's (`policies/donnees/tarifs/<profile>.json`, indicative values with source and date), which the pack's `estimation` setting overrides and extends. Items: instance = hourly price of its flavor (`flavorName`, or `flavorId` when it names an entry of the book; names compared exactly, as the Terraform provider does) plus the boot volumes it creates (`blockDevices` with destination `volume`, source `image` or `blank`); volume = size × price per GB-month of its type (`volumeType`, compared ignoring case as Cinder does; missing: the profile's default type); Octavia load balancer = price of its flavor (`flavorId`, else the book's default); floating IP, router = hourly flat price of the book; object container = estimated size given by the `volume-estime-go` marker (metadata) × price per GB-month; Magnum cluster and node group = nodes × flavor (the cluster template's when missing); Kubernetes workload (Deployment, StatefulSet, ReplicaSet, Pod) = replicas (minimum of the HPA driving it, else `spec.replicas`, default 1) × CPU and memory requests (request, else limit, else the namespace's LimitRange, as the Kubernetes API does) at the node price per vCPU-h and GB-h; PersistentVolumeClaim and StatefulSet templates = size × the StorageClass's Cinder type; LoadBalancer Service = load balancer and public IP. Networks, rules, attachments, members and other Kubernetes objects cost nothing themselves. A resource without tags is attributed through its parent, then its dependencies, then the stack's tags and configuration. Never a silent zero: a flavor or type missing from the book, a value unknown until the update, a container without requests, a DaemonSet or a Job, an OpenStack type without a price are listed as unpriced, and the total is then a minimum (\"at least\"). Method: docs/methode-cout-carbone.md.",
    ),
    remediation: txt(
        "Valeurs indicatives : déclarer les prix du contrat et les gabarits ou types manquants dans le réglage `estimation` du pack, et le volume estimé des conteneurs objet (métadonnée `volume-estime-go`).",
        "Indicative values: declare the contract's prices and the missing flavors or types in the pack's `estimation` setting, and the estimated size of object containers (metadata `volume-estime-go`).",
    ),
    severity: "low",
    enforcementLevel: "advisory",
    summary: true,
    config: {},
    types: [],
    check(stack, ctx) {
        const est = stackEstimate(stack, ctx);
        if (est.resources.length === 0) return;
        ctx.report({ problem: summaries().costSummary(est) });
    },
});
