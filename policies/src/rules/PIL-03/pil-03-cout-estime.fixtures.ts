import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S, OS } from "../../lib/types";

const tags = ["application=portail", "environnement=production", "centre-de-cout=CC-1", "proprietaire=equipe-web"];
const meta = { application: "portail", environnement: "production", "centre-de-cout": "CC-1", proprietaire: "equipe-web" };

/** A price book given by configuration: 0,10 €/h for the flavor, 0,05 €/Go·mois for the volume type. */
const settings = {
    profil: "defaut",
    estimation: {
        gabarits: { "g2-4": { vcpu: 2, memoireGo: 4, prixHoraire: 0.1 } },
        typesVolume: { rapide: { prixGoMois: 0.05, support: "ssd" } },
        kubernetes: { prixVcpuHeure: 0.02, prixGoHeure: 0.005 },
    },
};

export default fixtures(
    {
        title: "instance et volume au barème de la configuration : un résumé, 73,00 € + 2,50 € = 75,50 €",
        kind: "compliant",
        settings,
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: "g2-4", tags } },
            { type: OS.volume, name: "donnees", props: { size: 50, volumeType: "rapide", metadata: meta } },
        ],
        expect: { raises: ["PIL-03"], notRaises: [], violations: 1, mentions: ["75,50", "par centre-de-cout : CC-1 75,50"] },
    },
    {
        title: "barème du profil ovhcloud : b3-8 et 50 Go classic",
        kind: "compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: "b3-8", tags } },
            { type: OS.volume, name: "donnees", props: { size: 50, volumeType: "classic", metadata: meta } },
        ],
        expect: { raises: ["PIL-03"], notRaises: [], violations: 1, mentions: ["profil ovhcloud", "2 ressource(s) chiffrée(s)"] },
    },
    {
        title: "Deployment piloté par un HPA : requêtes × minReplicas au prix du nœud, imputé par ses labels",
        kind: "compliant",
        settings,
        resources: [
            {
                type: K8S.deployment,
                name: "app",
                props: {
                    metadata: { name: "app", namespace: "portail", labels: meta },
                    spec: { replicas: 1, template: { spec: { containers: [{ name: "app", resources: { requests: { cpu: "500m", memory: "1Gi" } } }] } } },
                },
            },
            { type: K8S.hpaV2, name: "app-hpa", props: { metadata: { namespace: "portail" }, spec: { minReplicas: 3, scaleTargetRef: { kind: "Deployment", name: "app" } } } },
        ],
        // 3 × (0,5 × 0,02 + 1 × 0,005) × 730 = 32,85 €
        expect: { raises: ["PIL-03"], notRaises: [], violations: 1, mentions: ["32,85"] },
    },
    {
        title: "rien qui se paie (réseau, règles) : aucun résumé",
        kind: "compliant",
        settings,
        resources: [
            { type: OS.network, name: "reseau", props: { tags } },
            { type: OS.secGroupRule, name: "https", props: { direction: "ingress", portRangeMin: 443, portRangeMax: 443 } },
        ],
        expect: { raises: [], notRaises: ["PIL-03"], violations: 0 },
    },
    {
        title: "gabarit absent du barème : listé comme non chiffré, jamais compté à zéro",
        kind: "non-compliant",
        settings,
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: "z9-999", tags } },
            { type: OS.volume, name: "donnees", props: { size: 50, volumeType: "rapide", metadata: meta } },
        ],
        expect: { raises: ["PIL-03"], notRaises: [], violations: 1, mentions: ["au moins 2,50", "z9-999", "gabarit absent du barème"] },
    },
    {
        title: "type OpenStack sans tarif, DaemonSet et conteneur sans requête : listés",
        kind: "non-compliant",
        settings,
        resources: [
            { type: OS.databaseInstance, name: "base", props: { flavorId: "x" } },
            { type: K8S.daemonSet, name: "agent", props: { spec: { template: { spec: { containers: [{ name: "a" }] } } } } },
            { type: K8S.deployment, name: "sans-requetes", props: { spec: { template: { spec: { containers: [{ name: "a" }] } } } } },
        ],
        expect: { raises: ["PIL-03"], notRaises: [], violations: 1, mentions: ["type de ressource sans tarif", "nombre de nœuds inconnu", "sans requête"] },
    },
    {
        title: "gabarit inconnu avant le déploiement : listé comme inconnu, jamais « ne peut pas être vérifié »",
        kind: "unknown",
        settings,
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: unknown(), tags } },
            { type: OS.volume, name: "donnees", props: { size: unknown(), volumeType: "rapide", metadata: meta } },
        ],
        expect: { raises: ["PIL-03"], notRaises: [], violations: 1, mentions: ["valeur inconnue avant le déploiement"] },
    },
    {
        title: "gabarit secret absent du barème : listé, sa valeur masquée",
        kind: "secret",
        settings,
        resources: [{ type: OS.instance, name: "web", props: { flavorName: secret("modele-confidentiel-42"), tags } }],
        expect: { raises: ["PIL-03"], notRaises: [], violations: 1, hidden: ["modele-confidentiel-42"] },
    },
    {
        title: "valeurs mal formées (taille en texte, réplicas négatifs, blockDevices et requêtes illisibles) : listées, jamais d'erreur",
        kind: "malformed",
        settings,
        resources: [
            { type: OS.volume, name: "v", props: { size: "beaucoup", volumeType: 3 } },
            { type: OS.instance, name: "i", props: { flavorName: "g2-4", blockDevices: [null, 4, { destinationType: "volume", sourceType: "blank", volumeSize: -1 }] } },
            { type: K8S.deployment, name: "d", props: { spec: { replicas: -2, template: { spec: { containers: [{ resources: { requests: { cpu: "beaucoup" } } }] } } } } },
            { type: K8S.persistentVolumeClaim, name: "pvc", props: { spec: { resources: { requests: { storage: [] } } } } },
            { type: OS.container, name: "c", props: { metadata: { "volume-estime-go": "cent" } } },
        ],
        expect: { raises: ["PIL-03"], notRaises: [], violations: 1, mentions: ["valeur illisible"] },
    },
);
