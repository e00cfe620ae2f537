import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const deploy = (name: string, replicas: unknown, pod: Record<string, unknown> = {}, type: string = K8S.deployment) => ({
    type,
    name,
    props: {
        metadata: { name, namespace: "app" },
        spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: {
                metadata: { labels: { app: name } },
                spec: { containers: [{ name: "c", image: "registry.example.fr/app:1.0" }], ...pod },
            },
        },
    },
});

const zoneSpread = (app: string) => ({
    topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app } } },
    ],
});

export default fixtures(
    {
        title: "contrainte d'étalement par zone, anti-affinité préférée, réplica unique non concerné",
        kind: "compliant",
        resources: [
            deploy("web", 3, zoneSpread("web")),
            deploy("db", 3, {
                affinity: {
                    podAntiAffinity: {
                        preferredDuringSchedulingIgnoredDuringExecution: [
                            {
                                weight: 100,
                                podAffinityTerm: {
                                    topologyKey: "topology.kubernetes.io/zone",
                                    labelSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["db", "db-replica"] }] },
                                },
                            },
                        ],
                    },
                },
            }, K8S.statefulSet),
            deploy("solo", undefined),
        ],
        expect: { raises: [], notRaises: ["RES-09"] },
    },
    {
        title: "étalement par nœud seulement, et contrainte de zone qui sélectionne d'autres pods",
        kind: "non-compliant",
        resources: [
            deploy("web", 3, {
                topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule" }],
            }),
            deploy("api", 2, zoneSpread("autre")),
        ],
        expect: { raises: ["RES-09"], notRaises: [], violations: 2, mentions: ["spec.template.spec.topologySpreadConstraints", "topology.kubernetes.io/zone"] },
    },
    {
        title: "clé de topologie Cinder configurée, anti-affinité requise sur la clé standard",
        kind: "non-compliant",
        config: { clesTopologie: ["topology.cinder.csi.openstack.org/zone"] },
        resources: [
            deploy("web", 2, {
                affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "topology.kubernetes.io/zone" }] } },
            }),
        ],
        expect: { raises: ["RES-09"], notRaises: [], violations: 1, mentions: ["« web »", "topology.cinder.csi.openstack.org/zone"] },
    },
    {
        title: "contraintes d'étalement inconnues à la prévisualisation",
        kind: "unknown",
        resources: [deploy("web", 3, { topologySpreadConstraints: unknown() })],
        expect: { raises: [], notRaises: ["RES-09"], cannotCheck: true },
    },
    {
        title: "variable d'environnement secrète dans une charge non étalée",
        kind: "secret",
        resources: [
            deploy("web", 2, { containers: [{ name: "c", image: "i:1", env: [{ name: "DB_PASSWORD", value: secret("Zon3S3cret!") }] }] }),
        ],
        expect: { raises: ["RES-09"], notRaises: [], violations: 1, hidden: ["Zon3S3cret!"] },
    },
    {
        title: "types inattendus : contraintes en texte, affinité nulle, termes non-objets",
        kind: "malformed",
        resources: [
            deploy("a", "3", { topologySpreadConstraints: "topology.kubernetes.io/zone" }),
            deploy("b", 2, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [null, 3, { topologyKey: 7 }] } } }),
            deploy("c", 2, { affinity: null, topologySpreadConstraints: [{ topologyKey: "topology.kubernetes.io/zone", labelSelector: "app=c" }] }),
            deploy("d", "beaucoup"),
        ],
        expect: { raises: ["RES-09"], notRaises: [], violations: 3 },
    },
    {
        title: "correctif qui étale par zone ; correctif sans réplicas ni étalement (non examiné) ; ReplicationController étalé",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "web", namespace: "app" }, spec: { replicas: 3, template: { metadata: { labels: { app: "web" } }, spec: zoneSpread("web") } } } },
            { type: `${K8S.deployment}Patch`, name: "image", props: { metadata: { name: "api", namespace: "app" }, spec: { template: { spec: { containers: [{ name: "c", image: "r/i:2" }] } } } } },
            deploy("rc", 3, zoneSpread("rc"), K8S.replicationController),
        ],
        expect: { raises: [], notRaises: ["RES-09"] },
    },
    {
        title: "ReplicationController à trois réplicas sans étalement",
        kind: "non-compliant",
        resources: [deploy("rc", 3, {}, K8S.replicationController)],
        expect: { raises: ["RES-09"], notRaises: [], violations: 1 },
    },
    {
        title: "correctif à trois réplicas sans étalement : les contraintes de l'objet existant fusionnent, invérifiable",
        kind: "unknown",
        resources: [{ type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web", namespace: "app" }, spec: { replicas: 3 } } }],
        expect: { raises: [], notRaises: ["RES-09"], cannotCheck: true },
    },
);
