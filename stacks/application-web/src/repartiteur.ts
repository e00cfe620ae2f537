import * as openstack from "@pulumi/openstack";
import * as pulumi from "@pulumi/pulumi";
import { calcul, etiquettes, prefixe, repartiteur, zones } from "./config";
import { Reseau } from "./reseau";

/** Répartiteur Octavia : HTTPS terminé avec un certificat Barbican, membres dans les trois zones. */
export function creerRepartiteur(
    provider: openstack.Provider,
    net: Reseau,
    instances: openstack.compute.Instance[],
): { ipPublique: pulumi.Output<string> } {
    const opts: pulumi.CustomResourceOptions = { provider };

    // SEC-06 : port VIP créé par le programme, dans le groupe de sécurité du répartiteur (HTTPS seul) :
    // l'adresse publique ne peut être associée qu'à ce port.
    const portVip = new openstack.networking.Port(`${prefixe}-vip`, {
        name: `${prefixe}-vip`,
        networkId: net.reseau.id,
        fixedIps: [{ subnetId: net.sousReseau.id }],
        securityGroupIds: [net.sgRepartiteur.id],
        adminStateUp: true,
        tags: etiquettes(),
    }, opts);

    // RES-02 : zone explicite ; PIL-01 : étiquettes d'imputation.
    const lb = new openstack.loadbalancer.LoadBalancer(`${prefixe}-repartiteur`, {
        name: `${prefixe}-repartiteur`,
        vipPortId: portVip.id,
        availabilityZone: zones[0],
        tags: etiquettes(),
    }, opts);

    // SEC-04 : écouteur TERMINATED_HTTPS, certificat conservé dans Barbican (référence de conteneur).
    const ecouteur = new openstack.loadbalancer.Listener(`${prefixe}-https`, {
        name: `${prefixe}-https`,
        loadbalancerId: lb.id,
        protocol: "TERMINATED_HTTPS",
        protocolPort: 443,
        defaultTlsContainerRef: repartiteur.certificatTls,
        insertHeaders: { "X-Forwarded-For": "true", "X-Forwarded-Proto": "true" },
        tags: etiquettes(),
    }, opts);

    const pool = new openstack.loadbalancer.Pool(`${prefixe}-pool`, {
        name: `${prefixe}-pool`,
        listenerId: ecouteur.id,
        protocol: "HTTP",
        lbMethod: "ROUND_ROBIN",
    }, opts);

    // RES-05 : un moniteur de santé sur le pool.
    new openstack.loadbalancer.Monitor(`${prefixe}-sante`, {
        name: `${prefixe}-sante`,
        poolId: pool.id,
        type: "HTTP",
        urlPath: repartiteur.cheminSante,
        expectedCodes: "200",
        delay: 10,
        timeout: 5,
        maxRetries: 3,
    }, opts);

    // RES-05 : un membre par instance, donc dans les trois zones.
    instances.forEach((instance, i) => {
        new openstack.loadbalancer.Member(`${prefixe}-membre-${i + 1}`, {
            name: `${prefixe}-membre-${i + 1}`,
            poolId: pool.id,
            address: instance.accessIpV4,
            protocolPort: calcul.portApplication,
            subnetId: net.sousReseau.id,
        }, opts);
    });

    // SEC-06 : la seule adresse publique est celle du port VIP du répartiteur.
    const ip = new openstack.networking.FloatingIp(`${prefixe}-ip-publique`, {
        pool: repartiteur.poolIpFlottantes,
        portId: portVip.id,
        description: "Adresse publique du répartiteur",
        tags: etiquettes(),
    }, { ...opts, dependsOn: [lb] });
    return { ipPublique: ip.address };
}
