/**
 * NE PAS REPRODUIRE. Chaque bloc contient une erreur typique, signalée par le pack :
 *   cloud-de-confiance check examples/non-conforme --stack demo
 * La version conforme est la pile de référence stacks/application-web.
 */
import * as k8s from "@pulumi/kubernetes";
import * as openstack from "@pulumi/openstack";

// SEC-01 : fournisseur en http, sans région (voir Pulumi.demo.yaml).

// PIL-01 : aucune étiquette d'imputation.
const sg = new openstack.networking.SecGroup("web", { description: "serveur web" });

// SEC-06 : SSH ouvert à tout Internet.
new openstack.networking.SecGroupRule("ssh-monde", {
    securityGroupId: sg.id,
    direction: "ingress",
    ethertype: "IPv4",
    protocol: "tcp",
    portRangeMin: 22,
    portRangeMax: 22,
    remoteIpPrefix: "0.0.0.0/0",
});

// RES-01 : le service « web », déclaré par son étiquette, n'a qu'une instance ; RES-02 : sans zone
// explicite ; SEC-03 : disque local non chiffré ; mot de passe d'administration en clair.
const vm = new openstack.compute.Instance("web", {
    tags: ["service=web"],
    flavorName: "b3-8",
    imageName: "Debian 12",
    adminPass: "MotDePasse123!",
    securityGroups: [sg.name],
});

// SEC-03 : type de volume qu'aucun profil ni la configuration ne déclare chiffré (sans type, ce serait
// le type par défaut de l'offre, invérifiable avec le profil par défaut) ; RES-03 : dans une autre zone
// que l'instance (qui n'en a pas).
const donnees = new openstack.blockstorage.Volume("donnees", { size: 100, volumeType: "classic", availabilityZone: "eu-west-par-a" });
new openstack.compute.VolumeAttach("donnees-attache", { instanceId: vm.id, volumeId: donnees.id });

// RES-08 : un seul réplica ; SEC-13 : conteneur root, privilégié, port 80 ; PIL-01 : pas de labels de coût.
new k8s.apps.v1.Deployment("app", {
    metadata: { name: "app" },
    spec: {
        selector: { matchLabels: { app: "app" } },
        template: {
            metadata: { labels: { app: "app" } },
            spec: {
                containers: [{
                    name: "app",
                    image: "docker.io/library/nginx:latest",
                    ports: [{ containerPort: 80 }],
                    securityContext: { runAsUser: 0, privileged: true, allowPrivilegeEscalation: true },
                    env: [{ name: "DB_PASSWORD", value: "MotDePasse123!" }],
                }],
            },
        },
    },
});
