import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S, OS } from "../../lib/types";

const tags = ["application=portail", "environnement=production", "centre-de-cout=CC-1", "proprietaire=equipe-web"];
const meta = { application: "portail", environnement: "production", "centre-de-cout": "CC-1", proprietaire: "equipe-web" };

/** Flavor and volume type given by configuration; grid at 50 gCO2e/kWh and PUE 1,5, so that the figures can be checked by hand. */
const settings = {
    profil: "defaut",
    estimation: {
        gabarits: { "g2-4": { vcpu: 2, memoireGo: 4, prixHoraire: 0.1 } },
        typesVolume: { rapide: { prixGoMois: 0.05, support: "ssd" } },
        carbone: { intensiteReseau: 50, pue: 1.5 },
    },
};

export default fixtures(
    {
        // Instance : (2 × (0,74 + 0,5 × 2,76) + 4 × 0,392) W × 730 h × 1,5 = 6,35976 kWh → 0,318 kg, plus
        // fabrication 2 × 730 × 850 / (64 × 35 040) = 0,553 kg ; volume : 100 Go répliqués × 1,2 Wh/To·h → 0,007 kg,
        // plus fabrication 100 × 0,056 / 48 = 0,117 kg. Total 0,99 kgCO2e.
        title: "instance et volume : un résumé, 0,99 kgCO2e par mois",
        kind: "compliant",
        settings,
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: "g2-4", tags } },
            { type: OS.volume, name: "donnees", props: { size: 50, volumeType: "rapide", metadata: meta } },
        ],
        expect: { raises: ["PIL-05"], notRaises: [], violations: 1, mentions: ["0,99", "PUE 1,50", "utilisation 50 %", "par centre-de-cout : CC-1 0,99"] },
    },
    {
        title: "profil ovhcloud : réseau de la France lu dans @tgwf/co2, PUE du profil",
        kind: "compliant",
        settings: { profil: "ovhcloud" },
        resources: [{ type: OS.instance, name: "web", props: { flavorName: "b3-8", tags } }],
        expect: { raises: ["PIL-05"], notRaises: [], violations: 1, mentions: ["(FRA)", "PUE 1,26"] },
    },
    {
        title: "requêtes d'un Pod : l'empreinte est connue même sans prix",
        kind: "compliant",
        settings: { profil: "defaut", estimation: { carbone: { intensiteReseau: 50 } } },
        resources: [{ type: K8S.pod, name: "p", props: { metadata: { labels: meta }, spec: { containers: [{ name: "a", resources: { requests: { cpu: "1", memory: "2Gi" } } }] } } }],
        expect: { raises: ["PIL-05"], notRaises: [], violations: 1 },
    },
    {
        title: "gabarit absent du barème : empreinte inconnue listée, jamais comptée à zéro",
        kind: "non-compliant",
        settings,
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: "z9-999", tags } },
            { type: OS.volume, name: "donnees", props: { size: 50, volumeType: "rapide", metadata: meta } },
        ],
        expect: { raises: ["PIL-05"], notRaises: [], violations: 1, mentions: ["au moins", "z9-999", "empreinte inconnue"] },
    },
    {
        title: "taille de volume inconnue avant le déploiement : listée comme inconnue",
        kind: "unknown",
        settings,
        resources: [{ type: OS.volume, name: "donnees", props: { size: unknown(), volumeType: "rapide", metadata: meta } }],
        expect: { raises: ["PIL-05"], notRaises: [], violations: 1, mentions: ["valeur inconnue avant le déploiement"] },
    },
    {
        title: "valeur d'imputation secrète : masquée dans le résumé",
        kind: "secret",
        settings,
        resources: [{ type: OS.volume, name: "donnees", props: { size: 10, volumeType: "rapide", metadata: { ...meta, "centre-de-cout": secret("CC-SECRET-4242") } } }],
        expect: { raises: ["PIL-05"], notRaises: [], violations: 1, hidden: ["CC-SECRET-4242"] },
    },
    {
        title: "valeurs mal formées : listées, jamais d'erreur",
        kind: "malformed",
        settings,
        resources: [
            { type: OS.instance, name: "i", props: { flavorName: ["g2-4"], blockDevices: "x" } },
            { type: OS.loadBalancer, name: "lb", props: { flavorId: 7 } },
            { type: K8S.statefulSet, name: "s", props: { spec: { replicas: "deux", volumeClaimTemplates: [{ spec: { resources: { requests: { storage: "1Ti" } } } }] } } },
        ],
        expect: { raises: ["PIL-05"], notRaises: [], violations: 1 },
    },
);
