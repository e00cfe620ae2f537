/**
 * SEC-04, SEC-06 and SEC-10 through the real pack: generated spellings of one meaning give one
 * verdict; a stack state (outputs as terraform-provider-openstack writes them) gives the verdicts
 * of the inputs; a corpus of realistic compliant variants raises no mandatory finding; and the
 * cases the former string-matching rules got wrong stay right.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { parseStateJson } from "../src/checker/inputs";
import { PolicyPackProcess } from "../src/engine/driver";
import { EvaluatedDiagnostic, evaluate, isCannotCheck } from "../src/engine/engine";
import { EngineResource, UNKNOWN } from "../src/engine/types";
import { startPack } from "./support/pack";

const SEC04 = "sec-04-chiffrement-repartiteur";
const SEC06 = "sec-06-filtrage-reseau";
const SEC10 = "sec-10-stockage-objet-prive";
const OURS = [SEC04, SEC06, SEC10];

const T = {
    secGroup: "openstack:networking/secGroup:SecGroup",
    rule: "openstack:networking/secGroupRule:SecGroupRule",
    computeSecGroup: "openstack:compute/secGroup:SecGroup",
    addressGroup: "openstack:networking/addressGroupV2:AddressGroupV2",
    listener: "openstack:loadbalancer/listener:Listener",
    pool: "openstack:loadbalancer/pool:Pool",
    l7policy: "openstack:loadbalancer/l7PolicyV2:L7PolicyV2",
    l7rule: "openstack:loadbalancer/l7RuleV2:L7RuleV2",
    container: "openstack:objectstorage/container:Container",
};

const PREFIX = "urn:pulumi:prod::portail::";
const urnOf = (type: string, name: string) => `${PREFIX}${type}::${name}`;

/** A resource as the engine sends it; `deps` maps a property to the names of the resources it comes from. */
function res(type: string, name: string, properties: Record<string, unknown>, deps: Record<string, [string, string][]> = {}): EngineResource {
    const propertyDependencies = Object.fromEntries(Object.entries(deps).map(([k, v]) => [k, v.map(([t, n]) => urnOf(t, n))]));
    return { urn: urnOf(type, name), type, name, properties, options: { protect: false }, dependencies: [...new Set(Object.values(propertyDependencies).flat())], propertyDependencies };
}

let pack: PolicyPackProcess;
before(async () => {
    pack = await startPack();
});
after(async () => {
    await pack?.close();
});

async function run(resources: EngineResource[]): Promise<EvaluatedDiagnostic[]> {
    const ev = await evaluate(pack, resources, { stack: { project: "portail", stack: "prod" } });
    return ev.diagnostics.filter((d) => OURS.includes(d.policyName));
}

/** Violations (policy and resource), sorted, and whether some policy could not conclude. */
async function verdict(resources: EngineResource[]): Promise<{ violations: string[]; cannot: boolean }> {
    const d = await run(resources);
    return {
        violations: d.filter((x) => !isCannotCheck(x)).map((x) => `${x.policyName} ${x.urn.split("::").pop()}`).sort(),
        cannot: d.some(isCannotCheck),
    };
}

const sg = (name: string) => res(T.secGroup, name, { name });
const rule = (name: string, props: Record<string, unknown>, group = "web") =>
    res(T.rule, name, { direction: "ingress", ethertype: "IPv4", securityGroupId: UNKNOWN, ...props }, { securityGroupId: [[T.secGroup, group]] });

// ------------------------------------------------------------------------------------------------

describe("SEC-06 : une même signification, un même verdict", () => {
    const wholeV4 = fc.constantFrom("0.0.0.0/0", "0/0", "0.0/0", "10.1.2.3/0", "255.255.255.255/0", "0.0.0.0/0.0.0.0", "192.168.1.1/ 0", "010.0.0.1/0", "1.2.3.4/-0");
    const wholeV6 = fc.constantFrom("::/0", "0:0::/0", "::0/0", "0::0/0", "0:0:0:0:0:0:0:0/0", "::FFFF:1.2.3.4/0", "2001:DB8::1/0", "fe80::/0", "::/0:0:0:0:0:0:0:0");
    const tcp = fc.constantFrom("tcp", "TCP", "Tcp", "6", " 6");
    const ssh = fc.constantFrom<[unknown, unknown]>([22, 22], ["22", "22"], [20, 25], [1, 65535], [0, 0], [undefined, undefined], [null, null]);

    test("SSH ouvert à tout l'espace, quelle qu'en soit l'écriture : une violation", async () => {
        await fc.assert(
            fc.asyncProperty(fc.boolean(), wholeV4, wholeV6, tcp, ssh, async (v6, p4, p6, protocol, [min, max]) => {
                const r = rule("ssh", { ethertype: v6 ? "IPv6" : "IPv4", protocol, portRangeMin: min, portRangeMax: max, remoteIpPrefix: v6 ? p6 : p4 });
                assert.deepEqual(await verdict([sg("web"), r]), { violations: [`${SEC06} ssh`], cannot: false });
            }),
            { seed: 42, numRuns: 25 },
        );
    });

    test("une partie seulement de l'espace, en toute écriture : aucune violation", async () => {
        const part = fc.constantFrom("0.0.0.0/1", "10/8", "10.0.0.0/255.0.0.0", "128.0.0.0/1", "::/1", "::ffff:0:0/96", "2001:db8::/32", "0.0.0.0", "::");
        await fc.assert(
            fc.asyncProperty(part, tcp, ssh, async (prefix, protocol, [min, max]) => {
                const r = rule("ssh", { ethertype: prefix.includes(":") ? "IPv6" : "IPv4", protocol, portRangeMin: min, portRangeMax: max, remoteIpPrefix: prefix });
                assert.deepEqual(await verdict([sg("web"), r]), { violations: [], cannot: false });
            }),
            { seed: 43, numRuns: 15 },
        );
    });

    test("des règles d'un même groupe qui couvrent ensemble l'espace : chacune en défaut ; réparties sur deux groupes : aucune", async () => {
        const halves = fc.constantFrom<[string, string][]>(
            [["0.0.0.0/1", "IPv4"], ["128.0.0.0/1", "IPv4"]],
            [["0/2", "IPv4"], ["64.0.0.0/2", "IPv4"], ["128.0.0.0/1", "IPv4"]],
            [["::/1", "IPv6"], ["8000::/1", "IPv6"]],
            [["0:0::/1", "IPv6"], ["C000::/2", "IPv6"], ["8000::/2", "IPv6"]],
        );
        await fc.assert(
            fc.asyncProperty(halves, async (parts) => {
                const rules = (group: (i: number) => string) =>
                    parts.map(([p, e], i) => rule(`r${i}`, { ethertype: e, protocol: "tcp", portRangeMin: 22 - i, portRangeMax: 22 + i, remoteIpPrefix: p }, group(i)));
                const same = await verdict([sg("web"), ...rules(() => "web")]);
                assert.deepEqual(same, { violations: parts.map((_, i) => `${SEC06} r${i}`).sort(), cannot: false });
                const split = await verdict([sg("web"), sg("autre"), ...rules((i) => (i === 0 ? "autre" : "web"))]);
                assert.deepEqual(split, { violations: [], cannot: false });
            }),
            { seed: 44, numRuns: 8 },
        );
    });

    test("protocole absent, nul, any ou 0 : tout protocole, donc tous les ports", async () => {
        for (const protocol of [undefined, null, "", "any", "ANY", "0", 0]) {
            const v = await verdict([sg("web"), rule("tout", { protocol, remoteIpPrefix: "::/0", ethertype: "IPv6" })]);
            assert.deepEqual(v, { violations: [`${SEC06} tout`], cannot: false }, String(protocol));
        }
    });

    test("un groupe distant, même inconnu à la prévisualisation, n'est pas le monde ; la sortie n'est pas l'entrée", async () => {
        const v = await verdict([
            sg("web"), sg("app"),
            res(T.rule, "depuis-app", { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteGroupId: UNKNOWN, securityGroupId: UNKNOWN }, { securityGroupId: [[T.secGroup, "web"]], remoteGroupId: [[T.secGroup, "app"]] }),
            rule("sortie", { direction: "egress", remoteIpPrefix: "0.0.0.0/0" }),
        ]);
        assert.deepEqual(v, { violations: [], cannot: false });
    });

    test("une valeur inconnue qui, au plus ouvert, n'ouvrirait rien de sensible ne bloque pas ; sinon, impossible de conclure", async () => {
        const https = await verdict([sg("web"), rule("https", { protocol: "tcp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: UNKNOWN })]);
        assert.deepEqual(https, { violations: [], cannot: false });
        const ssh = await verdict([sg("web"), rule("ssh", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: UNKNOWN })]);
        assert.deepEqual(ssh, { violations: [], cannot: true });
        // A known violation stays reported beside what cannot be concluded.
        const both = await verdict([sg("web"), rule("ssh", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0/0" }), rule("pg", { protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: UNKNOWN })]);
        assert.deepEqual(both, { violations: [`${SEC06} ssh`], cannot: true });
    });
});

describe("SEC-10 : une même signification, un même verdict", () => {
    test("toutes les écritures de « tout référent » et de « tout utilisateur » : conteneur public", async () => {
        const acl = fc.constantFrom(".r:*", ".referrer:*", " .ref : * ", ".referer:*,.rlistings", "a1b2:*, .r:*", ".r:*,.r:-.voleur.example", ".r:.example.fr", ".r:*.example.fr", "*:*", "%2A:*", "%2a:%2a");
        await fc.assert(
            fc.asyncProperty(acl, async (containerRead) => {
                assert.deepEqual(await verdict([res(T.container, "site", { name: "site", containerRead })]), { violations: [`${SEC10} site`], cannot: false });
            }),
            { seed: 45, numRuns: 15 },
        );
    });

    test("des ACL qui ne laissent passer personne d'anonyme : conteneur privé", async () => {
        const acl = fc.constantFrom("", "a1b2:*", ".rlistings", ".r:-.example.fr", ".r:.example.fr,.r:-.example.fr", ".r:cdn.example.fr,.r:-cdn.example.fr", ".r:CDN.EXAMPLE.FR", "*", "lecteur", "a1b2:*,c3d4:ops", '{"read-only":["*:*"]}', "* : *");
        await fc.assert(
            fc.asyncProperty(acl, async (containerRead) => {
                assert.deepEqual(await verdict([res(T.container, "site", { name: "site", containerRead })]), { violations: [], cannot: false });
            }),
            { seed: 46, numRuns: 15 },
        );
    });
});

// ------------------------------------------------------------------------------------------------
// `pulumi stack export`: outputs as terraform-provider-openstack writes them.

/**
 * Each resource with the inputs the program gave and the outputs the provider read back:
 * - secgroup rule (`resourceNetworkingSecGroupRuleV2Read`): every attribute set, unset ports as 0,
 *   unset protocol and remotes as "", `remote_ip_prefix` as Neutron stores it (`str(IPNetwork)`:
 *   partial IPv4 expanded, IPv6 compressed, host bits kept) and lower-cased;
 * - compute secgroup: Nova reads an unset TCP range back as 1-65535, ICMP as -1/-1;
 * - listener: `allowed_cidrs` as Octavia returns them, `default_pool_id` "" without a pool;
 * - L7 policy: `listener_id` as the listener's id (no property dependency needed);
 * - container: `container_read` as Swift stores it (cleaned: `.r:*,.rlistings`).
 */
function stackExport(): string {
    const ids: Record<string, string> = {};
    const id = (name: string) => (ids[name] ??= `${name}-0000-4000-8000-${String(Object.keys(ids).length).padStart(12, "0")}`);
    type R = { type: string; name: string; inputs: Record<string, unknown>; outputs: Record<string, unknown>; deps?: Record<string, [string, string]> };
    const ruleOut = (o: Record<string, unknown>) => ({ description: "", region: "fr-par-1", tenantId: "f00d", remoteGroupId: "", remoteIpPrefix: "", protocol: "", portRangeMin: 0, portRangeMax: 0, ...o });
    const list: R[] = [
        { type: T.secGroup, name: "web", inputs: { name: "web" }, outputs: { id: id("web"), name: "web", description: "", deleteDefaultRules: false, region: "fr-par-1", tags: [], allTags: [] } },
        { type: T.secGroup, name: "app", inputs: { name: "app" }, outputs: { id: id("app"), name: "app", description: "", deleteDefaultRules: false, region: "fr-par-1", tags: [], allTags: [] } },
        // Violations.
        { type: T.rule, name: "ssh-0-0", deps: { securityGroupId: [T.secGroup, "web"] },
            inputs: { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0/0", securityGroupId: id("web") },
            outputs: ruleOut({ id: id("ssh-0-0"), direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/0", securityGroupId: id("web") }) },
        { type: T.rule, name: "tout-v6", deps: { securityGroupId: [T.secGroup, "web"] },
            inputs: { direction: "ingress", ethertype: "IPv6", remoteIpPrefix: "0:0::/0", securityGroupId: id("web") },
            outputs: ruleOut({ id: id("tout-v6"), direction: "ingress", ethertype: "IPv6", remoteIpPrefix: "::/0", securityGroupId: id("web") }) },
        { type: T.rule, name: "rdp-bits", deps: { securityGroupId: [T.secGroup, "web"] },
            inputs: { direction: "ingress", ethertype: "IPv4", protocol: "6", portRangeMin: 3389, portRangeMax: 3389, remoteIpPrefix: "10.1.2.3/0", securityGroupId: id("web") },
            outputs: ruleOut({ id: id("rdp-bits"), direction: "ingress", ethertype: "IPv4", protocol: "6", portRangeMin: 3389, portRangeMax: 3389, remoteIpPrefix: "10.1.2.3/0", securityGroupId: id("web") }) },
        { type: T.rule, name: "pg-bas", deps: { securityGroupId: [T.secGroup, "app"] },
            inputs: { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: "0.0.0.0/1", securityGroupId: id("app") },
            outputs: ruleOut({ id: id("pg-bas"), direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: "0.0.0.0/1", securityGroupId: id("app") }) },
        { type: T.rule, name: "pg-haut", deps: { securityGroupId: [T.secGroup, "app"] },
            inputs: { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 5000, portRangeMax: 6000, remoteIpPrefix: "128.0.0.0/1", securityGroupId: id("app") },
            outputs: ruleOut({ id: id("pg-haut"), direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 5000, portRangeMax: 6000, remoteIpPrefix: "128.0.0.0/1", securityGroupId: id("app") }) },
        { type: T.computeSecGroup, name: "legacy",
            inputs: { name: "legacy", description: "legacy", rules: [{ ipProtocol: "TCP", fromPort: 1, toPort: 65535, cidr: "0.0.0.0/0" }, { ipProtocol: "icmp", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" }] },
            outputs: { id: id("legacy"), name: "legacy", description: "legacy", region: "fr-par-1", rules: [
                { id: "r1", ipProtocol: "tcp", fromPort: 1, toPort: 65535, cidr: "0.0.0.0/0", fromGroupId: "", self: false },
                { id: "r2", ipProtocol: "icmp", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0", fromGroupId: "", self: false },
            ] } },
        { type: T.listener, name: "http-interne",
            inputs: { protocol: "HTTP", protocolPort: 8080, loadbalancerId: "lb", allowedCidrs: ["10.0.0.0/8"] },
            outputs: { id: id("http-interne"), protocol: "HTTP", protocolPort: 8080, loadbalancerId: "lb", allowedCidrs: ["10.0.0.0/8"], defaultPoolId: "", defaultTlsContainerRef: "", sniContainerRefs: [], adminStateUp: true, connectionLimit: -1, insertHeaders: {}, region: "fr-par-1", tenantId: "f00d", timeoutClientData: 50000, timeoutMemberConnect: 5000, timeoutMemberData: 50000, timeoutTcpInspect: 0, name: "" } },
        { type: T.container, name: "public",
            inputs: { name: "public", containerRead: ".referrer: *, .rlistings" },
            outputs: { id: "public", name: "public", containerRead: ".r:*,.rlistings", containerWrite: "", region: "fr-par-1", metadata: {}, forceDestroy: false, storagePolicy: "Policy-0", versioning: false } },
        // Compliant.
        { type: T.rule, name: "https", deps: { securityGroupId: [T.secGroup, "web"] },
            inputs: { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "0/0", securityGroupId: id("web") },
            outputs: ruleOut({ id: id("https"), direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "0.0.0.0/0", securityGroupId: id("web") }) },
        { type: T.rule, name: "depuis-web", deps: { securityGroupId: [T.secGroup, "app"], remoteGroupId: [T.secGroup, "web"] },
            inputs: { direction: "ingress", ethertype: "IPv4", securityGroupId: id("app"), remoteGroupId: id("web") },
            outputs: ruleOut({ id: id("depuis-web"), direction: "ingress", ethertype: "IPv4", securityGroupId: id("app"), remoteGroupId: id("web") }) },
        { type: T.rule, name: "sortie", deps: { securityGroupId: [T.secGroup, "app"] },
            inputs: { direction: "egress", ethertype: "IPv6", securityGroupId: id("app") },
            outputs: ruleOut({ id: id("sortie"), direction: "egress", ethertype: "IPv6", securityGroupId: id("app") }) },
        { type: T.listener, name: "http-redirection",
            inputs: { protocol: "HTTP", protocolPort: 80, loadbalancerId: "lb" },
            outputs: { id: id("http-redirection"), protocol: "HTTP", protocolPort: 80, loadbalancerId: "lb", allowedCidrs: [], defaultPoolId: "", defaultTlsContainerRef: "", sniContainerRefs: [], adminStateUp: true, name: "" } },
        { type: T.l7policy, name: "vers-https", deps: { listenerId: [T.listener, "http-redirection"] },
            inputs: { action: "REDIRECT_PREFIX", listenerId: id("http-redirection"), redirectPrefix: "https://portail.example.fr" },
            outputs: { id: id("vers-https"), action: "REDIRECT_PREFIX", listenerId: id("http-redirection"), redirectPrefix: "https://portail.example.fr", redirectUrl: "", redirectPoolId: "", redirectHttpCode: 302, position: 1, adminStateUp: true, name: "", description: "", region: "fr-par-1", tenantId: "f00d" } },
        { type: T.container, name: "prive",
            inputs: { name: "prive", containerRead: "a1b2c3:* , .r:-.example.fr" },
            outputs: { id: "prive", name: "prive", containerRead: "a1b2c3:*,.r:-.example.fr", containerWrite: "", region: "fr-par-1", metadata: {} } },
    ];
    const resources = list.map((r) => ({
        urn: urnOf(r.type, r.name),
        custom: true,
        id: String(r.outputs["id"] ?? r.name),
        type: r.type,
        inputs: { __defaults: [], ...r.inputs },
        outputs: r.outputs,
        dependencies: Object.values(r.deps ?? {}).map(([t, n]) => urnOf(t, n)),
        propertyDependencies: Object.fromEntries(Object.entries(r.deps ?? {}).map(([k, [t, n]]) => [k, [urnOf(t, n)]])),
    }));
    return JSON.stringify({ version: 3, deployment: { manifest: { time: "2025-03-04T10:13:02Z", magic: "", version: "v3.150.0" }, resources } });
}

describe("--state : les sorties du fournisseur donnent les verdicts des entrées", () => {
    test("mêmes violations, qu'on lise les sorties ou les entrées de l'état", async () => {
        const text = stackExport();
        const outputs = await verdict(parseStateJson(text, "etat.json").resources);
        const inputs = await verdict(parseStateJson(text, "etat.json", { use: "inputs" }).resources);
        const expected = [
            `${SEC04} http-interne`, `${SEC06} legacy`, `${SEC06} pg-bas`, `${SEC06} pg-haut`, `${SEC06} rdp-bits`, `${SEC06} ssh-0-0`, `${SEC06} tout-v6`, `${SEC10} public`,
        ];
        assert.deepEqual(outputs, { violations: expected, cannot: false });
        assert.deepEqual(inputs, outputs);
    });
});

// ------------------------------------------------------------------------------------------------

/** Realistic compliant variants of the fixtures of SEC-04, SEC-06 and SEC-10. */
const CORPUS: Record<string, EngineResource[]> = {
    "groupe web : HTTP(S) au monde en IPv4 et IPv6, ICMP, SSH depuis le bastion": [
        sg("web"), sg("bastion"),
        rule("https-v4", { protocol: "tcp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "0.0.0.0/0" }),
        rule("https-v6", { ethertype: "IPv6", protocol: "tcp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "::/0" }),
        rule("http-v4", { protocol: "tcp", portRangeMin: 80, portRangeMax: 80 }),
        rule("quic", { protocol: "udp", portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: "0/0" }),
        rule("ping", { protocol: "icmp", portRangeMin: 8, portRangeMax: 0, remoteIpPrefix: "0.0.0.0/0" }),
        rule("ping6", { ethertype: "IPv6", protocol: "ipv6-icmp", remoteIpPrefix: "::/0" }),
        res(T.rule, "ssh-bastion", { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteGroupId: UNKNOWN, securityGroupId: UNKNOWN }, { securityGroupId: [[T.secGroup, "web"]], remoteGroupId: [[T.secGroup, "bastion"]] }),
        rule("ssh-vpn", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "192.0.2.0/24" }, "bastion"),
        rule("ssh-vpn6", { ethertype: "IPv6", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "2001:DB8:100::/48" }, "bastion"),
    ],
    "passerelle VPN et haute disponibilité : ESP, GRE, VRRP, IKE au monde": [
        sg("vpn"),
        rule("esp", { protocol: "esp", remoteIpPrefix: "0.0.0.0/0" }, "vpn"),
        rule("gre", { protocol: "47", remoteIpPrefix: "0.0.0.0/0" }, "vpn"),
        rule("vrrp", { protocol: "112", remoteIpPrefix: "10.0.0.0/8" }, "vpn"),
        rule("ike", { protocol: "udp", portRangeMin: 500, portRangeMax: 500, remoteIpPrefix: "0.0.0.0/0" }, "vpn"),
        rule("nat-t", { protocol: "udp", portRangeMin: 4500, portRangeMax: 4500, remoteIpPrefix: "0.0.0.0/0" }, "vpn"),
    ],
    "base et Kubernetes : réseaux internes, groupe d'adresses, règles relues de l'état": [
        sg("base"), sg("k8s"),
        res(T.addressGroup, "admin", { name: "admin", addresses: ["10.20.0.0/16", "fd00:20::/48"] }),
        rule("pg-interne", { protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: "10.0.0.0/8" }, "base"),
        rule("pg-moities", { protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: "10.0.0.0/9" }, "base"),
        rule("pg-moities-2", { protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: "10.128.0.0/9" }, "base"),
        res(T.rule, "api", { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 6443, portRangeMax: 6443, remoteAddressGroupId: UNKNOWN, securityGroupId: UNKNOWN }, { securityGroupId: [[T.secGroup, "k8s"]], remoteAddressGroupId: [[T.addressGroup, "admin"]] }),
        res(T.rule, "etat-groupe", { direction: "ingress", ethertype: "IPv4", protocol: "", portRangeMin: 0, portRangeMax: 0, remoteIpPrefix: "", remoteGroupId: "5a7d3b2e-1c4f-4e8a-9b6d-2f0e8c1a7b3d", securityGroupId: "d1e2" }),
        res(T.computeSecGroup, "legacy", { name: "legacy", description: "legacy", rules: [
            { ipProtocol: "icmp", fromPort: -1, toPort: -1, cidr: "0.0.0.0/0" },
            { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidr: "0.0.0.0/0" },
            { ipProtocol: "tcp", fromPort: 1, toPort: 65535, self: true },
            { ipProtocol: "TCP", fromPort: 22, toPort: 22, cidr: "10.0.0.0/8" },
        ] }),
    ],
    "répartiteurs : HTTPS terminé, redirection HTTP vers HTTPS, TLS et QUIC transmis": [
        res(T.listener, "https", { protocol: "TERMINATED_HTTPS", protocolPort: 443, loadbalancerId: "lb", defaultTlsContainerRef: "https://key-manager.example.fr/v1/containers/5a7d3b2e-1c4f-4e8a-9b6d-2f0e8c1a7b3d" }),
        res(T.pool, "pool", { listenerId: UNKNOWN, protocol: "HTTP", lbMethod: "ROUND_ROBIN" }, { listenerId: [[T.listener, "https"]] }),
        res(T.listener, "http", { protocol: "HTTP", protocolPort: 80, loadbalancerId: "lb" }),
        res(T.l7policy, "vers-https", { action: "REDIRECT_TO_URL", listenerId: UNKNOWN, redirectUrl: "https://portail.example.fr/", position: 1 }, { listenerId: [[T.listener, "http"]] }),
        res(T.l7rule, "tout", { l7policyId: UNKNOWN, listenerId: UNKNOWN, type: "PATH", compareType: "STARTS_WITH", value: "/" }, { l7policyId: [[T.l7policy, "vers-https"]], listenerId: [[T.listener, "http"]] }),
        res(T.listener, "tls-transmis", { protocol: "HTTPS", protocolPort: 8443, loadbalancerId: "lb" }),
        res(T.listener, "tcp-443", { protocol: "TCP", protocolPort: 443, loadbalancerId: "lb2" }),
        res(T.listener, "quic", { protocol: "UDP", protocolPort: 443, loadbalancerId: "lb2" }),
    ],
    "stockage objet : partages nommés, refus de référent, liste seule, écriture par projet": [
        res(T.container, "sauvegardes", { name: "sauvegardes", versioning: true }),
        res(T.container, "partage", { name: "partage", containerRead: "a1b2c3d4e5:*,f6a7b8c9d0:ops", containerWrite: "a1b2c3d4e5:ci" }),
        res(T.container, "refus", { name: "refus", containerRead: ".r:-.voleur.example, .rlistings" }),
        res(T.container, "annule", { name: "annule", containerRead: ".r:.example.fr,.r:-.example.fr" }),
        res(T.container, "role", { name: "role", containerRead: "lecteur", containerWrite: "" }),
    ],
};

describe("corpus de variantes conformes : aucune constatation obligatoire", () => {
    for (const [title, resources] of Object.entries(CORPUS)) {
        test(title, async () => {
            const d = await run(resources);
            assert.deepEqual(d.filter((x) => x.enforcementLevel === "mandatory").map((x) => x.message), []);
            assert.deepEqual(d.filter(isCannotCheck).map((x) => x.message), []);
        });
    }
});

describe("régressions : ce que les règles lisaient mal quand elles comparaient des chaînes", () => {
    const cases: { title: string; resources: EngineResource[]; expected: string[] }[] = [
        { title: "SEC-06 : 0/0 ouvre SSH", resources: [sg("web"), rule("ssh", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0/0" })], expected: [`${SEC06} ssh`] },
        { title: "SEC-06 : ::0/0 ouvre PostgreSQL", resources: [sg("web"), rule("pg", { ethertype: "IPv6", protocol: "tcp", portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: "::0/0" })], expected: [`${SEC06} pg`] },
        { title: "SEC-06 : 10.1.2.3/0 ouvre RDP", resources: [sg("web"), rule("rdp", { protocol: "tcp", portRangeMin: 3389, portRangeMax: 3389, remoteIpPrefix: "10.1.2.3/0" })], expected: [`${SEC06} rdp`] },
        { title: "SEC-06 : tcp en 0/0, tel que relu par le fournisseur, ouvre tous les ports", resources: [sg("web"), rule("tcp", { protocol: "tcp", portRangeMin: 0, portRangeMax: 0, remoteIpPrefix: "0.0.0.0/0" })], expected: [`${SEC06} tcp`] },
        { title: "SEC-06 : deux moitiés de l'espace dans un même groupe", resources: [sg("web"), rule("a", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "0.0.0.0/1" }), rule("b", { protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: "128.0.0.0/1" })], expected: [`${SEC06} a`, `${SEC06} b`] },
        { title: "SEC-06 : GRE et ESP au monde n'ouvrent aucun port", resources: [sg("vpn"), rule("gre", { protocol: "gre", remoteIpPrefix: "0.0.0.0/0" }, "vpn"), rule("esp", { protocol: "esp", remoteIpPrefix: "0.0.0.0/0" }, "vpn")], expected: [] },
        { title: "SEC-06 : un groupe d'adresses internes n'est pas le monde", resources: [sg("web"), res(T.addressGroup, "admin", { addresses: ["10.20.0.0/16"] }), res(T.rule, "ssh", { direction: "ingress", ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 22, remoteAddressGroupId: UNKNOWN, securityGroupId: "sg" }, { remoteAddressGroupId: [[T.addressGroup, "admin"]] })], expected: [] },
        { title: "SEC-04 : HTTP restreint au réseau interne reste du texte en clair", resources: [res(T.listener, "interne", { protocol: "HTTP", protocolPort: 8080, allowedCidrs: ["10.0.0.0/8"] })], expected: [`${SEC04} interne`] },
        { title: "SEC-04 : HTTP qui ne fait que rediriger vers HTTPS", resources: [res(T.listener, "http", { protocol: "HTTP", protocolPort: 80 }), res(T.l7policy, "vers-https", { action: "REDIRECT_PREFIX", listenerId: UNKNOWN, redirectPrefix: "https://portail.example.fr" }, { listenerId: [[T.listener, "http"]] })], expected: [] },
        { title: "SEC-10 : .referrer:* est une lecture publique", resources: [res(T.container, "site", { containerRead: ".referrer:*" })], expected: [`${SEC10} site`] },
        { title: "SEC-10 : %2A:%2A est tout utilisateur de la plateforme", resources: [res(T.container, "site", { containerRead: "%2A:%2A" })], expected: [`${SEC10} site`] },
        { title: "SEC-10 : un référent accordé puis refusé ne laisse rien lire", resources: [res(T.container, "site", { containerRead: ".r:.example.fr,.r:-.example.fr" })], expected: [] },
        { title: "SEC-10 : écriture pour tout utilisateur de la plateforme", resources: [res(T.container, "depot", { containerWrite: "*:*" })], expected: [`${SEC10} depot`] },
    ];
    for (const c of cases) {
        test(c.title, async () => {
            assert.deepEqual(await verdict(c.resources), { violations: [...c.expected].sort(), cannot: false });
        });
    }
});
