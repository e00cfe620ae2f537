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
        title: "Docker Hub implicite sans étiquette, latest, ghcr.io",
        kind: "non-compliant",
        resources: [deploy("web", ["nginx", "registre.exemple.gouv.fr/web:LATEST", "ghcr.io/org/outil:1.0"])],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 4, mentions: ["spec.template.spec.containers["] },
    },
    {
        title: "liste de registres autorisés et empreinte exigée",
        kind: "non-compliant",
        config: { registresAutorises: ["registre.exemple.gouv.fr"], exigerEmpreinte: true },
        resources: [
            deploy("web", [`registre.exemple.gouv.fr/web:1.0@${DIGEST}`, "registre.exemple.gouv.fr.pirate.com/web:1.0", "library/redis:7"], ["registre.exemple.gouv.fr/init:1.0"]),
        ],
        expect: { raises: ["PROD-02"], notRaises: [], violations: 5 },
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
        expect: { raises: ["PROD-02"], notRaises: [], violations: 4, mentions: ["image"] },
    },
);
