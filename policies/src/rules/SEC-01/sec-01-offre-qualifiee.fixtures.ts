import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const OFFRE = [{ nom: "OVHcloud SecNumCloud", authUrl: "https://auth\\.snc\\.example\\.fr/v3/?", regions: ["EU-WEST-PAR"] }];
const net = (name: string, provider?: { type: string; name: string; props: Record<string, unknown> }) => ({
    type: OS.network,
    name,
    props: { name, adminStateUp: true },
    ...(provider ? { provider } : {}),
});

export default fixtures(
    {
        title: "fournisseur explicite et fournisseur par défaut sur l'offre déclarée",
        kind: "compliant",
        config: { offresQualifiees: OFFRE },
        resources: [
            { type: OS.provider, name: "snc", props: { authUrl: "https://auth.snc.example.fr/v3", region: "eu-west-par", password: "jamais-lu" } },
            net("a", { type: "openstack", name: "default_3_15_2", props: { authUrl: "https://auth.snc.example.fr/v3/", region: "EU-WEST-PAR" } }),
            // A resource on an explicit provider is not re-reported: the provider resource is checked itself.
            net("b", { type: "openstack", name: "autre", props: { authUrl: "http://ailleurs.example.com" } }),
        ],
        expect: { raises: [], notRaises: ["SEC-01"] },
    },
    {
        title: "sans offre déclarée : https et région explicite suffisent, authUrl absent accepté",
        kind: "compliant",
        resources: [
            { type: OS.provider, name: "p", props: { authUrl: "https://keystone.example.fr:5000/v3", region: "GRA" } },
            net("a", { type: "openstack", name: "default", props: { region: "EU-WEST-PAR" } }),
        ],
        expect: { raises: [], notRaises: ["SEC-01"] },
    },
    {
        title: "fournisseur explicite en http, vérification TLS désactivée, sans région",
        kind: "non-compliant",
        resources: [{ type: OS.provider, name: "p", props: { authUrl: "http://keystone.example.fr:5000/v3", insecure: true } }],
        expect: { raises: ["SEC-01"], notRaises: [], violations: 3, mentions: ["« p »"] },
    },
    {
        title: "offre déclarée : point d'accès hors offre (défaut), région hors offre (explicite), authUrl absent (défaut)",
        kind: "non-compliant",
        config: { offresQualifiees: OFFRE },
        resources: [
            net("a", { type: "openstack", name: "default_3_15_2", props: { authUrl: "https://auth.cloud.example.com/v3", region: "EU-WEST-PAR" } }),
            { type: OS.provider, name: "p", props: { authUrl: "https://auth.snc.example.fr/v3", region: "GRA11" } },
            net("c", { type: "openstack", name: "default", props: { region: "EU-WEST-PAR" } }),
        ],
        expect: { raises: ["SEC-01"], notRaises: [], violations: 3, mentions: ["OVHcloud SecNumCloud"] },
    },
    {
        title: "point d'accès inconnu à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.provider, name: "p", props: { authUrl: unknown(), region: "EU-WEST-PAR" } }],
        expect: { raises: [], notRaises: ["SEC-01"], cannotCheck: true },
    },
    {
        title: "mot de passe secret et identifiants dans l'URL : jamais affichés",
        kind: "secret",
        resources: [
            {
                type: OS.provider,
                name: "p",
                props: { authUrl: "http://admin:M0tDeP4sse@keystone.example.fr/v3", region: "EU-WEST-PAR", password: secret("Sup3rS3cret!"), token: secret("gAAAAAjeton") },
            },
        ],
        expect: { raises: ["SEC-01"], notRaises: [], violations: 1, hidden: ["Sup3rS3cret!", "gAAAAAjeton", "M0tDeP4sse"], mentions: ["***@keystone.example.fr"] },
    },
    {
        title: "valeurs mal formées : authUrl nombre, région tableau, offre sans nom ni régions",
        kind: "malformed",
        config: { offresQualifiees: [{ authUrl: "https://auth\\.snc\\.example\\.fr/v3/?" }] },
        resources: [
            { type: OS.provider, name: "p", props: { authUrl: 5000, region: ["EU-WEST-PAR"], insecure: "false" } },
            net("a", { type: "openstack", name: "default", props: { region: 7, authUrl: null } }),
        ],
        // A non-string authUrl or region counts as absent: with an offer declared, each provider gets
        // "endpoint missing" and "no region" (2 × 2 violations); the offer is named by its URL pattern.
        expect: { raises: ["SEC-01"], notRaises: [], violations: 4 },
    },
);
