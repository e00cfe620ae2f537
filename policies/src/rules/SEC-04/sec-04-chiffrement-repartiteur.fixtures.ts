import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const BARBICAN = "https://key-manager.eu-west-par.example.fr/v1/containers/5a7d3b2e-1c4f-4e8a-9b6d-2f0e8c1a7b3d";
const L7_POLICY = "openstack:loadbalancer/l7PolicyV2:L7PolicyV2";
const L7_RULE = "openstack:loadbalancer/l7RuleV2:L7RuleV2";
const policy = (name: string, listenerName: string, props: Record<string, unknown>) => ({
    type: L7_POLICY,
    name,
    props: { listenerId: unknown(), adminStateUp: true, ...props },
    propertyDependencies: { listenerId: [listenerName] },
});
const listener = (name: string, props: Record<string, unknown>) => ({
    type: OS.listener,
    name,
    props: { loadbalancerId: "lb-1", ...props },
});

export default fixtures(
    {
        title: "HTTPS terminé avec Barbican et TLS 1.2+, TLS de bout en bout, TCP 443, QUIC",
        kind: "compliant",
        resources: [
            listener("https", { protocol: "TERMINATED_HTTPS", protocolPort: 443, defaultTlsContainerRef: BARBICAN, sniContainerRefs: [BARBICAN], tlsVersions: ["TLSv1.2", "TLSv1.3"] }),
            listener("passthrough", { protocol: "HTTPS", protocolPort: 8443 }),
            listener("tcp443", { protocol: "TCP", protocolPort: 443 }),
            listener("quic", { protocol: "UDP", protocolPort: 443 }),
        ],
        expect: { raises: [], notRaises: ["SEC-04"] },
    },
    {
        title: "HTTP qui ne fait que rediriger vers HTTPS (politiques L7 REDIRECT_PREFIX et REDIRECT_TO_URL, sans pool)",
        kind: "compliant",
        resources: [
            listener("http", { protocol: "HTTP", protocolPort: 80 }),
            policy("vers-https", "http", { action: "REDIRECT_PREFIX", redirectPrefix: "https://portail.example.fr", position: 1 }),
            { type: L7_RULE, name: "tout-chemin", props: { l7policyId: unknown(), listenerId: unknown(), type: "PATH", compareType: "STARTS_WITH", value: "/" }, propertyDependencies: { l7policyId: ["vers-https"], listenerId: ["http"] } },
            listener("http-8080", { protocol: "HTTP", protocolPort: 8080, defaultPoolId: "" }),
            policy("refus", "http-8080", { action: "REJECT", position: 1 }),
            policy("vers-url", "http-8080", { action: "redirect_to_url", redirectUrl: "HTTPS://portail.example.fr/accueil", position: 2 }),
            policy("ancienne", "http-8080", { action: "REDIRECT_TO_POOL", redirectPoolId: "pool-1", adminStateUp: false }),
        ],
        expect: { raises: [], notRaises: ["SEC-04"] },
    },
    {
        title: "HTTP ouvert à tous, TCP ouvert à ::/0, TERMINATED_HTTPS sans certificat",
        kind: "non-compliant",
        resources: [
            listener("http", { protocol: "HTTP", protocolPort: 80 }),
            listener("tcp", { protocol: "TCP", protocolPort: 5432, allowedCidrs: ["10.0.0.0/8", "::/0"] }),
            listener("tls", { protocol: "TERMINATED_HTTPS", protocolPort: 443 }),
        ],
        expect: { raises: ["SEC-04"], notRaises: [], violations: 3, mentions: ["Listener"] },
    },
    {
        title: "texte en clair même restreint ou mal redirigé : HTTP interne, UDP, redirection en http://, pool par défaut, politique vers un pool",
        kind: "non-compliant",
        resources: [
            listener("interne", { protocol: "HTTP", protocolPort: 8080, allowedCidrs: ["10.0.0.0/8", "192.168.0.0/16"] }),
            listener("moities", { protocol: "TCP", protocolPort: 6379, allowedCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }),
            listener("dns", { protocol: "udp", protocolPort: 53 }),
            listener("http-a", { protocol: "HTTP", protocolPort: 80 }),
            policy("vers-http", "http-a", { action: "REDIRECT_TO_URL", redirectUrl: "http://portail.example.fr" }),
            listener("http-b", { protocol: "HTTP", protocolPort: 81 }),
            policy("prefixe-b", "http-b", { action: "REDIRECT_PREFIX", redirectPrefix: "https://portail.example.fr" }),
            { type: "openstack:loadbalancer/pool:Pool", name: "pool-b", props: { listenerId: unknown(), protocol: "HTTP", lbMethod: "ROUND_ROBIN" }, propertyDependencies: { listenerId: ["http-b"] } },
            listener("http-c", { protocol: "HTTP", protocolPort: 82 }),
            policy("prefixe-c", "http-c", { action: "REDIRECT_PREFIX", redirectPrefix: "https://portail.example.fr" }),
            policy("api-c", "http-c", { action: "REDIRECT_TO_POOL", redirectPoolId: "pool-api" }),
        ],
        expect: { raises: ["SEC-04"], notRaises: [], violations: 6, mentions: ["en clair"] },
    },
    {
        title: "certificat hors Barbican et versions TLS obsolètes",
        kind: "non-compliant",
        resources: [
            listener("tls", { protocol: "TERMINATED_HTTPS", protocolPort: 443, defaultTlsContainerRef: "file:///etc/ssl/site.pem", tlsVersions: ["TLSv1", "TLSv1.1", "TLSv1.2"] }),
        ],
        expect: { raises: ["SEC-04"], notRaises: [], violations: 2, mentions: ["« tls »"] },
    },
    {
        title: "référence de certificat tirée d'un conteneur Barbican, inconnue à la prévisualisation",
        kind: "unknown",
        resources: [
            { type: OS.containerV1, name: "cert", props: { name: "cert", type: "certificate" } },
            { ...listener("tls", { protocol: "TERMINATED_HTTPS", protocolPort: 443, defaultTlsContainerRef: unknown() }), propertyDependencies: { defaultTlsContainerRef: ["cert"] } },
        ],
        expect: { raises: [], notRaises: ["SEC-04"], cannotCheck: true },
    },
    {
        title: "écouteur HTTP public avec une description secrète",
        kind: "secret",
        resources: [listener("http", { protocol: "HTTP", protocolPort: 80, description: secret("frontal-projet-confidentiel") })],
        expect: { raises: ["SEC-04"], notRaises: [], violations: 1, hidden: ["frontal-projet-confidentiel"] },
    },
    {
        title: "valeurs mal formées : protocole nombre, allowedCidrs texte, tlsVersions texte, sniContainerRefs avec null",
        kind: "malformed",
        resources: [
            listener("a", { protocol: 80, protocolPort: 80 }),
            listener("b", { protocol: "http", protocolPort: "8080", allowedCidrs: "10.0.0.0/8" }),
            listener("c", { protocol: "TERMINATED_HTTPS", protocolPort: 443, defaultTlsContainerRef: BARBICAN, tlsVersions: "TLSv1.2", sniContainerRefs: [null] }),
        ],
        // a: unreadable protocol (1); b: lower-case http is clear text (1);
        // c: a string tlsVersions is unreadable (1), a null SNI reference is not Barbican (1).
        expect: { raises: ["SEC-04"], notRaises: [], violations: 4 },
    },
);
