import { fixtures, secret, unknown } from "../../lib/fixture";
import { UNKNOWN_PARTS_TAG } from "../../lib/stack-knowledge";
import { OS } from "../../lib/types";

const root = { type: "pulumi:pulumi:Stack", name: "fixtures-test", props: {} };

const all = { ministere: "interieur", application: "portail", environnement: "production", "centre-de-cout": "CC-1234" };

export default fixtures(
    {
        title: "les quatre clés en étiquettes de pile",
        kind: "compliant",
        stackTags: all,
        resources: [{ type: OS.instance, name: "web", props: { flavorName: "b3-8" } }],
        expect: { raises: [], notRaises: ["PIL-02"] },
    },
    {
        title: "pile sans ressource mais étiquetée",
        kind: "compliant",
        stackTags: { ...all, proprietaire: "equipe-web" },
        resources: [],
        expect: { raises: [], notRaises: ["PIL-02"] },
    },
    {
        title: "configuration inconnue du vérificateur, mais les quatre clés en étiquettes",
        kind: "compliant",
        stackTags: { ...all, [UNKNOWN_PARTS_TAG]: "configuration" },
        resources: [root],
        expect: { raises: [], notRaises: ["PIL-02"] },
    },
    {
        title: "pile sans étiquette : une violation pour la pile entière, portée par sa ressource racine",
        kind: "non-compliant",
        resources: [root, { type: OS.instance, name: "web", props: {} }],
        expect: { raises: ["PIL-02"], notRaises: [], violations: 1, mentions: ["ministere", "application", "environnement", "centre-de-cout"] },
    },
    {
        title: "ministère et centre de coût manquants ; clé configurée en plus",
        kind: "non-compliant",
        config: { clesExigees: ["ministere", "application", "environnement", "centre-de-cout", "proprietaire"] },
        stackTags: { application: "portail", environnement: "production" },
        resources: [root],
        expect: { raises: ["PIL-02"], notRaises: [], violations: 1, mentions: ["ministere", "centre-de-cout", "proprietaire"] },
    },
    {
        title: "valeurs de ressources inconnues : sans effet, la règle ne lit que la pile",
        kind: "unknown",
        stackTags: all,
        resources: [{ type: OS.instance, name: "web", props: { flavorName: unknown(), tags: unknown() } }],
        expect: { raises: [], notRaises: ["PIL-02"] },
    },
    {
        title: "étiquettes inconnues du vérificateur (prévisualisation, programme) : clés absentes de la configuration, invérifiable",
        kind: "unknown",
        stackTags: { application: "portail", [UNKNOWN_PARTS_TAG]: "etiquettes" },
        resources: [root],
        expect: { raises: [], notRaises: ["PIL-02"], cannotCheck: true },
    },
    {
        title: "ni étiquettes ni configuration connues (état sans option) : invérifiable",
        kind: "unknown",
        stackTags: { [UNKNOWN_PARTS_TAG]: "etiquettes,configuration" },
        resources: [root, { type: OS.instance, name: "web", props: {} }],
        expect: { raises: [], notRaises: ["PIL-02"], cannotCheck: true },
    },
    {
        title: "configuration inconnue du vérificateur, une clé absente des étiquettes : invérifiable",
        kind: "unknown",
        stackTags: { ministere: "interieur", application: "portail", environnement: "production", [UNKNOWN_PARTS_TAG]: "configuration" },
        resources: [root],
        expect: { raises: [], notRaises: ["PIL-02"], cannotCheck: true },
    },
    {
        title: "pile incomplète avec une ressource secrète",
        kind: "secret",
        stackTags: { application: "portail" },
        resources: [root, { type: OS.instance, name: "web", props: { adminPass: secret("M0tDeP@sse!") } }],
        expect: { raises: ["PIL-02"], notRaises: [], violations: 1, hidden: ["M0tDeP@sse!"] },
    },
    {
        title: "étiquettes vides ou blanches, clé de casse différente",
        kind: "malformed",
        stackTags: { ministere: "", application: "   ", Environnement: "production", "centre-de-cout": "CC-1" },
        resources: [{ ...root, props: { outputs: "x" } }, { type: OS.instance, name: "web", props: { tags: "x" } }],
        expect: { raises: ["PIL-02"], notRaises: [], violations: 1, mentions: ["ministere", "application", "environnement"] },
    },
    {
        title: "étiquette réservée de valeur inattendue : tout est réputé inconnu, invérifiable",
        kind: "malformed",
        stackTags: { application: "portail", [UNKNOWN_PARTS_TAG]: "n'importe quoi" },
        resources: [root],
        expect: { raises: [], notRaises: ["PIL-02"], cannotCheck: true },
    },
);
