import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S, OS } from "../../lib/types";

const cost = ["application=portail", "environnement=production", "centre-de-cout=CC-1234", "proprietaire=equipe-web"];
const costMap = { application: "portail", environnement: "production", "centre-de-cout": "CC-1234", proprietaire: "equipe-web" };

export default fixtures(
    {
        title: "instance étiquetée, volume par métadonnées, namespace par labels, règle non étiquetable ignorée",
        kind: "compliant",
        resources: [
            { type: OS.instance, name: "web", props: { tags: cost } },
            { type: OS.volume, name: "data", props: { size: 10, metadata: costMap } },
            { type: K8S.namespace, name: "app", props: { metadata: { name: "app", labels: costMap } } },
            { type: OS.secGroupRule, name: "r", props: { direction: "ingress" } },
            { type: K8S.configMap, name: "cm", props: { data: { a: "b" } } },
        ],
        expect: { raises: [], notRaises: ["PIL-01"] },
    },
    {
        title: "clés manquantes ou vides",
        kind: "non-compliant",
        resources: [
            { type: OS.instance, name: "web", props: { tags: ["application=portail", "environnement="] } },
            { type: K8S.deployment, name: "api", props: { metadata: { labels: { application: "portail" } } } },
        ],
        expect: { raises: ["PIL-01"], notRaises: [], violations: 2, mentions: ["centre-de-cout", "proprietaire"] },
    },
    {
        title: "clés configurées par le profil de l'appelant",
        kind: "non-compliant",
        config: { clesImputation: ["ministere"] },
        resources: [{ type: OS.network, name: "net", props: { tags: cost } }],
        expect: { raises: ["PIL-01"], notRaises: [], violations: 1, mentions: ["ministere"] },
    },
    {
        title: "étiquettes inconnues à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.instance, name: "web", props: { tags: unknown() } }],
        expect: { raises: [], notRaises: ["PIL-01"], cannotCheck: true },
    },
    {
        title: "mot de passe secret et étiquette secrète sur une instance incomplète",
        kind: "secret",
        resources: [{ type: OS.instance, name: "web", props: { adminPass: secret("Pa55w0rd!!"), tags: [secret("application=projet-confidentiel")] } }],
        expect: { raises: ["PIL-01"], notRaises: [], violations: 1, hidden: ["Pa55w0rd!!", "projet-confidentiel"] },
    },
    {
        title: "étiquettes et métadonnées mal formées",
        kind: "malformed",
        resources: [
            { type: OS.instance, name: "a", props: { tags: "application=x" } },
            { type: OS.volume, name: "b", props: { metadata: ["application=x"] } },
            { type: K8S.namespace, name: "c", props: { metadata: { labels: null } } },
        ],
        expect: { raises: ["PIL-01"], notRaises: [], violations: 3 },
    },
    {
        title: "remédiation : clés ajoutées depuis les étiquettes de pile et le réglage imputation",
        kind: "non-compliant",
        config: { enforcementLevel: "remediate" },
        settings: { imputation: { proprietaire: "equipe-web" } },
        stackTags: { application: "portail", environnement: "production", "centre-de-cout": "CC-1234" },
        resources: [{ type: OS.instance, name: "web", props: { tags: ["application=autre"] } }],
        expect: {
            raises: [],
            notRaises: ["PIL-01"],
            remediated: { tags: ["application=autre", "environnement=production", "centre-de-cout=CC-1234", "proprietaire=equipe-web"] },
        },
    },
    {
        title: "correctifs : clés fixées par le correctif ; correctif sans étiquettes (non examiné) ; ReplicationController étiqueté",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "labels", props: { metadata: { name: "web", labels: costMap } } },
            { type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web" }, spec: { replicas: 3 } } },
            { type: K8S.replicationController, name: "rc", props: { metadata: { name: "rc", labels: costMap } } },
        ],
        expect: { raises: [], notRaises: ["PIL-01"] },
    },
    {
        title: "correctif qui vide une clé ; ReplicationController sans clés",
        kind: "non-compliant",
        resources: [
            { type: `${K8S.namespace}Patch`, name: "ns", props: { metadata: { name: "app", labels: { ...costMap, proprietaire: "" } } } },
            { type: K8S.replicationController, name: "rc", props: { metadata: { name: "rc" } } },
        ],
        expect: { raises: ["PIL-01"], notRaises: [], violations: 2 },
    },
    {
        title: "correctif qui ne fixe qu'une partie des clés : les autres sont celles de l'objet existant, invérifiable",
        kind: "unknown",
        resources: [{ type: `${K8S.deployment}Patch`, name: "labels", props: { metadata: { name: "web", labels: { application: "portail" } } } }],
        expect: { raises: [], notRaises: ["PIL-01"], cannotCheck: true },
    },
);
