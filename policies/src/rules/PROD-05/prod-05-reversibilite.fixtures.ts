import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S, OS } from "../../lib/types";

const MARKER = "cloud-de-confiance.gouv.fr/reversibilite";

export default fixtures(
    {
        title: "OpenStack, Kubernetes, random, fournisseurs, composant du programme et déclaration de CRD",
        kind: "compliant",
        resources: [
            { type: "pulumi:pulumi:Stack", name: "fixtures-test", props: {} },
            { type: OS.provider, name: "ovh", props: { region: "EU-WEST-PAR" } },
            { type: "acme:web:Portail", name: "portail", props: {} },
            { type: OS.instance, name: "web", parent: "portail", props: { flavorName: "b3-8" } },
            { type: K8S.deployment, name: "api", parent: "portail", props: { metadata: { name: "api" } } },
            { type: "random:index/randomPassword:RandomPassword", name: "mdp", props: { length: 24 } },
            { type: "kubernetes:helm.sh/v3:Release", name: "ingress-nginx", props: { chart: "ingress-nginx" } },
            { type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute", name: "route", props: { metadata: { name: "route" } } },
            { type: "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", name: "crd", props: { spec: { group: "example.fr" } } },
        ],
        expect: { raises: [], notRaises: ["PROD-05"] },
    },
    {
        title: "API propriétaires avec chemin de sortie : étiquette-table, étiquette clé=valeur, annotation, type autorisé",
        kind: "compliant",
        config: { typesAutorises: ["ovh:CloudProject/.*"] },
        resources: [
            { type: "aws:s3/bucket:Bucket", name: "archives", props: { tags: { [MARKER]: "https://exemple.gouv.fr/reversibilite/archives" } } },
            { type: "outscale:index/vm:Vm", name: "vm", props: { tags: [`${MARKER}=export OVF documenté`] } },
            {
                type: "kubernetes:cert-manager.io/v1:Certificate",
                name: "cert",
                props: { metadata: { name: "cert", annotations: { [MARKER]: "remplaçable par un Secret TLS" } } },
            },
            { type: "ovh:CloudProject/kube:Kube", name: "kube", props: { region: "GRA" } },
        ],
        expect: { raises: [], notRaises: ["PROD-05"] },
    },
    {
        title: "seau S3, Kubernetes OVH, ServiceMonitor, composant vide et ressource parente d'un paquet fournisseur",
        kind: "non-compliant",
        resources: [
            { type: "aws:s3/bucket:Bucket", name: "archives", props: { tags: { application: "portail" } } },
            { type: "ovh:CloudProject/kube:Kube", name: "kube", props: { region: "GRA" } },
            { type: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", name: "sm", props: { metadata: { name: "sm" } } },
            { type: "acme:web:Vide", name: "vide", props: {} },
            { type: "pulumi:providers:aws", name: "aws", props: { region: "eu-west-3" } },
            { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } },
            { type: "aws:ec2/subnet:Subnet", name: "sn", parent: "vpc", props: { tags: { [MARKER]: "https://exemple.gouv.fr/sortie" } } },
        ],
        expect: { raises: ["PROD-05"], notRaises: [], violations: 5, mentions: ["chemin de sortie"] },
    },
    {
        title: "seau propriétaire désactivé pour les ressources personnalisées ; type autorisé mal écrit",
        kind: "non-compliant",
        config: { verifierRessourcesPersonnalisees: false, typesAutorises: ["aws:s3/bucket"] },
        resources: [
            { type: "aws:s3/bucket:Bucket", name: "archives", props: {} },
            { type: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", name: "sm", props: { metadata: { name: "sm" } } },
        ],
        expect: { raises: ["PROD-05"], notRaises: [], violations: 1, mentions: ["« archives »", "aws:s3/bucket:Bucket"] },
    },
    {
        title: "étiquettes d'une ressource propriétaire inconnues à la prévisualisation",
        kind: "unknown",
        resources: [{ type: "aws:s3/bucket:Bucket", name: "archives", props: { tags: unknown() } }],
        expect: { raises: [], notRaises: ["PROD-05"], cannotCheck: true },
    },
    {
        title: "base de données propriétaire avec mot de passe secret",
        kind: "secret",
        resources: [{ type: "aws:rds/instance:Instance", name: "db", props: { password: secret("Sup3rS3cret!"), tags: { proprietaire: secret("equipe-secrete") } } }],
        expect: { raises: ["PROD-05"], notRaises: [], violations: 1, hidden: ["Sup3rS3cret!", "equipe-secrete"] },
    },
    {
        title: "marqueurs mal formés : étiquettes en texte, annotations nulles, valeur vide",
        kind: "malformed",
        resources: [
            { type: "aws:s3/bucket:Bucket", name: "a", props: { tags: `${MARKER}=https://exemple.gouv.fr` } },
            { type: "kubernetes:monitoring.coreos.com/v1:PodMonitor", name: "b", props: { metadata: { annotations: null } } },
            { type: "aws:s3/bucket:Bucket", name: "c", props: { tags: { [MARKER]: "  " }, metadata: "x", labels: [1, 2] } },
            { type: OS.instance, name: "d", props: { tags: "n'importe quoi", metadata: 42 } },
        ],
        expect: { raises: ["PROD-05"], notRaises: [], violations: 3 },
    },
);
