import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const allowed = { production: ["b3-(8|16|32)", "c3-.*", "l4-90"], "hors-production": ["d2-.*", "b3-8"] };

export default fixtures(
    {
        title: "gabarits sans GPU, GPU justifié par étiquette et par label, identifiant non jugé",
        kind: "compliant",
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: "b3-8" } },
            { type: OS.instance, name: "ia", props: { flavorName: "l4-90", tags: ["justification-gpu=inférence du modèle de tri du courrier"] } },
            { type: OS.instance, name: "par-id", props: { flavorId: "0f3c2a6e-5a8b-4a8f-9a9e-2b7f1c8d4e11" } },
            { type: OS.magnumNodeGroup, name: "gpu-pool", props: { flavorId: "h100-380", labels: { "justification-gpu": "entraînement" } } },
            { type: OS.magnumCluster, name: "k8s", props: { flavor: "b3-16", masterFlavor: "b3-8" } },
        ],
        expect: { raises: [], notRaises: ["PIL-06"] },
    },
    {
        title: "liste autorisée de production respectée",
        kind: "compliant",
        config: { gabaritsAutorises: allowed },
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: "B3-16" } },
            { type: OS.magnumClusterTemplate, name: "tpl", props: { flavor: "c3-32", masterFlavor: "b3-8" } },
        ],
        expect: { raises: [], notRaises: ["PIL-06"] },
    },
    {
        title: "GPU non justifiés : instance, cluster maître, groupe de nœuds",
        kind: "non-compliant",
        resources: [
            { type: OS.instance, name: "ia", props: { flavorName: "a100-180", tags: ["application=ia"] } },
            { type: OS.magnumCluster, name: "k8s", props: { flavor: "b3-16", masterFlavor: "gpu.large" } },
            { type: OS.magnumNodeGroup, name: "pool", props: { flavorId: "L40S-90", labels: { "justification-gpu": "" } } },
        ],
        expect: { raises: ["PIL-06"], notRaises: [], violations: 3, mentions: ["GPU", "justification-gpu"] },
    },
    {
        title: "hors production : gabarits hors liste, et GPU hors liste non justifié (deux violations)",
        kind: "non-compliant",
        config: { gabaritsAutorises: allowed },
        settings: { environnement: "hors-production" },
        resources: [
            { type: OS.instance, name: "web", props: { flavorName: "b3-32" } },
            { type: OS.magnumClusterTemplate, name: "tpl", props: { flavor: "d2-4", masterFlavor: "c3-8" } },
            { type: OS.instance, name: "ia", props: { flavorName: "l4-90" } },
        ],
        expect: { raises: ["PIL-06"], notRaises: [], violations: 4, mentions: ["gabarit"] },
    },
    {
        title: "nom de gabarit inconnu à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.instance, name: "web", props: { flavorName: unknown() } }],
        expect: { raises: [], notRaises: ["PIL-06"], cannotCheck: true },
    },
    {
        title: "instance GPU non justifiée avec un mot de passe et des données utilisateur secrets",
        kind: "secret",
        resources: [{ type: OS.instance, name: "ia", props: { flavorName: "t4-45", adminPass: secret("P@ssGpu123"), userData: secret("#!/bin/sh\nexport TOKEN=abcdef") } }],
        expect: { raises: ["PIL-06"], notRaises: [], violations: 1, hidden: ["P@ssGpu123", "TOKEN=abcdef"] },
    },
    {
        title: "types inattendus : gabarit numérique ou en liste (ignoré), étiquettes en texte et métadonnées en liste (justification ignorée)",
        kind: "malformed",
        resources: [
            { type: OS.instance, name: "a", props: { flavorName: 42, flavorId: null } },
            { type: OS.instance, name: "b", props: { flavorName: "h100-380", tags: "justification-gpu=oui", metadata: ["justification-gpu"] } },
            { type: OS.magnumCluster, name: "c", props: { flavor: ["b3-8"], masterFlavor: {} } },
        ],
        expect: { raises: ["PIL-06"], notRaises: [], violations: 1, mentions: ["« b »", "h100-380"] },
    },
);
