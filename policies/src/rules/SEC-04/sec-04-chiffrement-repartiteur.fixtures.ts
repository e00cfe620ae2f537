import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const BARBICAN = "https://key-manager.eu-west-par.example.fr/v1/containers/5a7d3b2e-1c4f-4e8a-9b6d-2f0e8c1a7b3d";
const listener = (name: string, props: Record<string, unknown>) => ({
    type: OS.listener,
    name,
    props: { loadbalancerId: "lb-1", ...props },
});

export default fixtures(
    {
        title: "HTTPS terminé avec Barbican et TLS 1.2+, TLS de bout en bout, HTTP interne, TCP 443",
        kind: "compliant",
        resources: [
            listener("https", { protocol: "TERMINATED_HTTPS", protocolPort: 443, defaultTlsContainerRef: BARBICAN, sniContainerRefs: [BARBICAN], tlsVersions: ["TLSv1.2", "TLSv1.3"] }),
            listener("passthrough", { protocol: "HTTPS", protocolPort: 8443 }),
            listener("interne", { protocol: "HTTP", protocolPort: 8080, allowedCidrs: ["10.0.0.0/8", "192.168.0.0/16"] }),
            listener("tcp443", { protocol: "TCP", protocolPort: 443 }),
        ],
        expect: { raises: [], notRaises: ["SEC-04"] },
    },
    {
        title: "redirection HTTP déclarée par configuration",
        kind: "compliant",
        config: { portsRedirectionHttps: [80] },
        resources: [listener("redirection", { protocol: "HTTP", protocolPort: 80 })],
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
        // a: unreadable protocol (1); b: lower-case http, a string allowedCidrs counts as none → open (1);
        // c: a string tlsVersions is unreadable (1), a null SNI reference is not Barbican (1).
        expect: { raises: ["SEC-04"], notRaises: [], violations: 4 },
    },
);
