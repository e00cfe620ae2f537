/** URNs of the `sovereign-app` fixture program, as the engine builds them for a given stack. */
export function sovereignAppUrns(stack: string) {
    const P = `urn:pulumi:${stack}::sovereign-app::`;
    const inService = (type: string, name: string) => `${P}my:app:Service$${type}::${name}`;
    return {
        P,
        STACK: `${P}pulumi:pulumi:Stack::sovereign-app-${stack}`,
        WEB: `${P}my:app:Service::web`,
        NET: inService("openstack:networking/network:Network", "web-net"),
        SUBNET: inService("openstack:networking/subnet:Subnet", "web-subnet"),
        SG: inService("openstack:networking/secGroup:SecGroup", "web-sg"),
        RULE: inService("openstack:networking/secGroupRule:SecGroupRule", "web-ssh"),
        VM: inService("openstack:compute/instance:Instance", "web-vm"),
        VOLUME: `${P}openstack:blockstorage/volume:Volume::data`,
        OS_DEFAULT: `${P}pulumi:providers:openstack::default_3_15_2`,
    };
}
