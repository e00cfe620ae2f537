import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const DIGEST = "sha256:" + "a".repeat(64);

const deploy = (name: string, images: unknown[], init: unknown[] = [], env: unknown[] = []) => ({
    type: K8S.deployment,
    name,
    props: {
        metadata: { name, namespace: "app" },
        spec: {
            replicas: 2,
            template: {
                metadata: { labels: { app: name } },
                spec: {
                    initContainers: init.map((image, i) => ({ name: `init${i}`, image })),
                    containers: images.map((image, i) => ({ name: `c${i}`, image, env })),
                },
            },
        },
    },
});

export default fixtures(
    {
        title: "registre privé avec port, étiquette de version, empreinte malgré latest",
        kind: "compliant",
        resources: [
            deploy("web", ["harbor.interne:5000/equipe/web:1.4.2", `registre.exemple.gouv.fr/outils/proxy:latest@${DIGEST}`], ["registre.exemple.gouv.fr/outils/migrate:2024.05"]),
        ],
        expect: { raises: [], notRaises: ["PROD-02"] },
    },
    {
        title: "registres autorisés par hôte et chemin : casse de l'hôte, port 443, sous-domaine déclaré, empreintes sha384 et sha512",
        kind: "compliant",
        config: { registresAutorises: ["registre.exemple.gouv.fr/outils", "*.registre.interne"] },
        resources: [
            deploy("web", [
                "Registre.Exemple.Gouv.FR/outils/web:1.0",
                "registre.exemple.gouv.fr:443/outils/api:2.3.1",
                `paris.registre.interne/app/web@sha384:${"b".repeat(96)}`,
                `paris.registre.interne/app/api:stable@sha512:${"c".repeat(128)}`,
            ]),
        ],
        expect: { raises: [], notRaises: ["PROD-02"] },
    },
    {
        title: "Docker Hub implicite sans étiquette, latest, ghcr.io",
        kind: "non-compliant",
        resources: [deploy("web", ["nginx", "registre.exemple.gouv.fr/web:LATEST", "ghcr.io/org/outil:1.0"])],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 3, mentions: ["spec.template.spec.containers["] },
    },
    {
        title: "autres écritures de Docker Hub et registres publics ; étiquettes flottantes stable, main, edge",
        kind: "non-compliant",
        resources: [
            deploy("web", [
                "index.docker.io/library/redis:7.2",
                "registry-1.docker.io/bitnami/postgresql:16.1.0",
                "docker.io/nginx:1.25",
                "library/busybox:1.36",
                "registry.k8s.io/pause:3.9",
                "registre.exemple.gouv.fr/web:stable",
                "registre.exemple.gouv.fr/api:main",
                "registre.exemple.gouv.fr/proxy:edge",
            ]),
        ],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 2 }, // one finding per fault: five public registries, three floating tags
    },
    {
        title: "liste de registres autorisés, comparée par segments entiers, et empreinte exigée",
        kind: "non-compliant",
        config: { registresAutorises: ["registre.exemple.gouv.fr/outils"], exigerEmpreinte: true },
        resources: [
            deploy("web", [
                `registre.exemple.gouv.fr/outils/web:1.0@${DIGEST}`,
                "registre.exemple.gouv.fr.pirate.com/outils/web:1.0",
                `registre.exemple.gouv.fr/outils-pirate/web:1.0@${DIGEST}`,
                "library/redis:7",
            ], ["registre.exemple.gouv.fr/outils/init:1.0"]),
        ],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 3 },
    },
    {
        title: "références que le kubelet refuse : majuscules dans le chemin, algorithme md5, longueur d'empreinte, hexadécimal majuscule",
        kind: "non-compliant",
        resources: [
            deploy("web", [
                "registre.exemple.gouv.fr/Equipe/web:1.0",
                `registre.exemple.gouv.fr/web:1.0@md5:${"a".repeat(32)}`,
                `registre.exemple.gouv.fr/web:1.0@sha256:${"a".repeat(63)}`,
                `registre.exemple.gouv.fr/web@sha256:${"A".repeat(64)}`,
            ]),
        ],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 4, mentions: ["kubelet"] },
    },
    {
        title: "image inconnue à la prévisualisation",
        kind: "unknown",
        resources: [deploy("web", [unknown()])],
        expect: { raises: [], notRaises: ["PROD-02"], cannotCheck: true },
    },
    {
        title: "variable d'environnement secrète dans un conteneur à image latest",
        kind: "secret",
        resources: [deploy("web", ["registre.exemple.gouv.fr/web:latest"], [], [{ name: "API_TOKEN", value: secret("tok-Img-S3cret") }])],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 1, hidden: ["tok-Img-S3cret"], mentions: ["latest"] },
    },
    {
        title: "types inattendus : image numérique, image vide, image avec espaces, conteneurs texte",
        kind: "malformed",
        resources: [
            deploy("a", [42, "", "registre.exemple.gouv.fr/web 1.0", null]),
            { type: K8S.pod, name: "p", props: { spec: { containers: "nginx" } } },
        ],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 2, mentions: ["image"] },
    },
    {
        title: "correctif d'image épinglée ; correctif sans modèle de pod",
        kind: "compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "bump", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", image: "harbor.interne:5000/equipe/web:1.4.3" }] } } } } },
            { type: `${K8S.deployment}Patch`, name: "scale", props: { metadata: { name: "web" }, spec: { replicas: 4 } } },
        ],
        expect: { raises: [], notRaises: ["PROD-02"] },
    },
    {
        title: "correctif et ReplicationController : image flottante d'un registre public",
        kind: "non-compliant",
        resources: [
            { type: `${K8S.deployment}Patch`, name: "bump", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", image: "nginx:latest" }] } } } } },
            { type: K8S.replicationController, name: "rc", props: { spec: { template: { spec: { containers: [{ name: "rc", image: "docker.io/library/redis" }] } } } } },
        ],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 4 },
    },
    {
        title: "correctif qui fixe les ressources d'un conteneur sans son image : invérifiable",
        kind: "unknown",
        resources: [{ type: `${K8S.deployment}Patch`, name: "p", props: { metadata: { name: "web" }, spec: { template: { spec: { containers: [{ name: "web", resources: { limits: { memory: "1Gi" } } }] } } } } }],
        expect: { raises: [], notRaises: ["PROD-02"], cannotCheck: true },
    },
);
