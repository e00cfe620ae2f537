// One estimate per AnalyzeStack call, shared by PIL-03, PIL-04 and PIL-05.
import { stackEstimate } from "../../lib/cost/shared-estimate";
import type * as Summary from "../../lib/cost/summary";
import { txt } from "../../lib/i18n";
import { defineStackRule } from "../../lib/rule";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const summaries = lazy(() => require("../../lib/cost/summary") as typeof Summary);

export default defineStackRule<Record<string, never>>({
    name: "pil-05-empreinte-environnementale",
    needs: ["PIL-05"],
    title: txt("Empreinte environnementale", "Environmental footprint"),
    description: txt(
        "Rapporte, en un seul résumé consultatif sur la pile, l'empreinte carbone mensuelle estimée (kgCO2e) avant déploiement, totale et par clé d'imputation comme PIL-03 (mêmes ressources, mêmes quantités, même imputation). Ne juge rien : toujours consultatif, sans dérogation. Méthode (celle de Cloud Carbon Footprint et de Boavizta, docs/methode-cout-carbone.md) : énergie (kWh) = [vCPU × (P_min + u × (P_max − P_min)) + Go de mémoire × P_mémoire + GPU × (G_min + u × (G_max − G_min)) + stockage (To répliqués × Wh par To·h)] × heures × PUE ; émissions = énergie × intensité carbone du réseau + fabrication (vCPU·h × émissions d'un serveur ÷ (vCPU par serveur × durée de vie) ; Go stockés répliqués × émissions par Go ÷ durée de vie). Coefficients (`policies/donnees/carbone.json`, indicatifs, avec source et date) : 0,74 et 3,5 W par vCPU, utilisation supposée u = 50 %, 0,392 W par Go de mémoire, SSD 1,2 et HDD 0,65 Wh par To·h, réplication ×2 (bloc) et ×3 (objet), serveur de 850 kgCO2e pour 64 vCPU sur 4 ans ; PUE et pays du réseau donnés par le profil ; intensité carbone du pays lue dans le paquet @tgwf/co2 (moyenne annuelle Ember). Les vCPU et la mémoire sont ceux du gabarit, des amphores d'un répartiteur, ou les requêtes des conteneurs. IP publiques et routeurs n'ont pas d'empreinte propre dans la méthode. Le réglage `estimation.carbone` du pack remplace tout coefficient, le PUE, le pays ou l'intensité. Jamais de zéro silencieux : ce qui n'a pas de vCPU, de mémoire ou de taille connus (gabarit absent du barème, valeur inconnue avant déploiement…) est listé comme empreinte inconnue, et le total est alors un minimum ; un type de volume inconnu est compté comme SSD (hypothèse haute).",
        "Reports, as one advisory summary on the stack, the estimated monthly carbon footprint (kgCO2e) before deployment, in total and by cost-attribution key like PIL-03 (same resources, same quantities, same attribution). It judges nothing: always advisory, no derogation. Method (that of Cloud Carbon Footprint and Boavizta, docs/methode-cout-carbone.md): energy (kWh) = [vCPU × (P_min + u × (P_max − P_min)) + GB of memory × P_memory + GPU × (G_min + u × (G_max − G_min)) + storage (replicated TB × Wh per TB-h)] × hours × PUE; emissions = energy × grid carbon intensity + embodied (vCPU-h × a server's emissions ÷ (vCPU per server × lifespan); replicated GB stored × emissions per GB ÷ lifespan). Coefficients (`policies/donnees/carbone.json`, indicative, with source and date): 0.74 and 3.5 W per vCPU, assumed utilisation u = 50 %, 0.392 W per GB of memory, SSD 1.2 and HDD 0.65 Wh per TB-h, replication ×2 (block) and ×3 (object), a 850 kgCO2e server of 64 vCPU over 4 years; PUE and grid country given by the profile; the country's carbon intensity read from the @tgwf/co2 package (Ember yearly average). vCPU and memory are the flavor's, a load balancer's amphorae', or the containers' requests. Public IPs and routers have no footprint of their own in the method. The pack's `estimation.carbone` setting overrides any coefficient, the PUE, the country or the intensity. Never a silent zero: what has no known vCPU, memory or size (flavor missing from the book, value unknown until the update…) is listed as unknown footprint, and the total is then a minimum; an unknown volume type counts as SSD (the higher assumption).",
    ),
    remediation: txt(
        "Valeurs indicatives : préciser les coefficients de l'offre (PUE, taux d'utilisation, intensité du réseau) et les gabarits manquants dans le réglage `estimation` du pack ; réduire l'empreinte en choisissant des gabarits sobres (PIL-06) et en supprimant les ressources orphelines (PIL-08).",
        "Indicative values: state the offer's coefficients (PUE, utilisation, grid intensity) and the missing flavors in the pack's `estimation` setting; reduce the footprint with sober flavors (PIL-06) and by removing orphan resources (PIL-08).",
    ),
    severity: "low",
    enforcementLevel: "advisory",
    summary: true,
    config: {},
    types: [],
    check(stack, ctx) {
        const est = stackEstimate(stack, ctx);
        if (est.resources.length === 0) return;
        ctx.report({ problem: summaries().carbonSummary(est) });
    },
});
