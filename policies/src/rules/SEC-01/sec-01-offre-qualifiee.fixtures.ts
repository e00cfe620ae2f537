import { fixtures, FixtureResource, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const OFFRE = [{ nom: "OVHcloud SecNumCloud", authUrl: "https://auth.snc.example.fr/v3", regions: ["EU-WEST-PAR"] }];

/** A provider resource, as the engine submits it (the default one carries the stack configuration). */
const provider = (name: string, props: Record<string, unknown>): FixtureResource => ({ type: OS.provider, name, props });
/** A network using that provider: it is never reported itself. */
const net = (name: string, p: FixtureResource): FixtureResource => ({
    type: OS.network,
    name,
    props: { name, adminStateUp: true },
    provider: { type: "openstack", name: p.name, props: p.props },
});

const snc = provider("snc", { authUrl: "https://Auth.SNC.example.fr:443/v3/", region: "EU-WEST-PAR", insecure: "false", password: secret("jamais-lu") });
const dflt = provider("default_3_15_2", { authUrl: "https://auth.snc.example.fr.", region: "EU-WEST-PAR", insecure: "", version: "3.15.2" });
const http = provider("default_3_15_2", { authUrl: "http://keystone.example.fr:5000/v3", insecure: "true", version: "3.15.2" });

export default fixtures(
    {
        title: "fournisseur explicite et fournisseur par défaut sur l'offre déclarée : casse de l'hôte, port 443 écrit, version absente, point final",
        kind: "compliant",
        config: { offresQualifiees: OFFRE },
        resources: [snc, dflt, net("a", snc), net("b", dflt)],
        expect: { raises: [], notRaises: ["SEC-01"] },
    },
    {
        title: "sans offre déclarée : https et région explicite suffisent, authUrl absent accepté, insecure faux (booléen ou texte)",
        kind: "compliant",
        resources: [
            provider("p", { authUrl: "https://keystone.example.fr:5000/v3", region: "GRA", insecure: false }),
            provider("default", { region: "EU-WEST-PAR", insecure: " false ", endpointOverrides: '{"network":"https://neutron.example.fr:9696/","image":""}' }),
        ],
        expect: { raises: [], notRaises: ["SEC-01"] },
    },
    {
        title: "fournisseur explicite en http, vérification TLS désactivée, sans région",
        kind: "non-compliant",
        resources: [provider("p", { authUrl: "http://keystone.example.fr:5000/v3", insecure: true })],
        expect: { raises: ["SEC-01"], notRaises: [], violations: 3, mentions: ["« p »"] },
    },
    {
        title: "fournisseur par défaut (configuration de la pile, textes) : http, insecure \"true\", surcharge de point d'accès en http ; ses ressources ne sont pas re-signalées",
        kind: "non-compliant",
        resources: [
            { ...http, props: { ...http.props, region: "EU-WEST-PAR", endpointOverrides: '{"network":"http://neutron.example.fr:9696/"}' } },
            ...Array.from({ length: 5 }, (_, i) => net(`n${i}`, http)),
        ],
        expect: { raises: ["SEC-01"], notRaises: [], violations: 3, mentions: ["default_3_15_2", "openstack:"] },
    },
    {
        title: "offre déclarée : hôte hors offre (défaut), région hors offre ou de casse différente (explicites), authUrl absent, chemin de base différent",
        kind: "non-compliant",
        config: { offresQualifiees: OFFRE },
        resources: [
            provider("default_3_15_2", { authUrl: "https://auth.cloud.example.com/v3", region: "EU-WEST-PAR" }),
            provider("gra", { authUrl: "https://auth.snc.example.fr/v3", region: "GRA11" }),
            provider("casse", { authUrl: "https://auth.snc.example.fr/v2.0", region: "eu-west-par" }),
            provider("sans-url", { region: "EU-WEST-PAR" }),
            provider("chemin", { authUrl: "https://auth.snc.example.fr/identity/v3", region: "EU-WEST-PAR" }),
        ],
        expect: { raises: ["SEC-01"], notRaises: [], violations: 5, mentions: ["OVHcloud SecNumCloud"] },
    },
    {
        title: "point d'accès inconnu à la prévisualisation",
        kind: "unknown",
        resources: [provider("p", { authUrl: unknown(), region: "EU-WEST-PAR" })],
        expect: { raises: [], notRaises: ["SEC-01"], cannotCheck: true },
    },
    {
        title: "mot de passe secret et identifiants dans l'URL : jamais affichés",
        kind: "secret",
        resources: [
            provider("p", {
                authUrl: "http://admin:M0tDeP4sse@keystone.example.fr/v3?token=gAAAAAjeton",
                region: "EU-WEST-PAR",
                password: secret("Sup3rS3cret!"),
                token: secret("gAAAAAjeton"),
            }),
        ],
        expect: { raises: ["SEC-01"], notRaises: [], violations: 1, hidden: ["Sup3rS3cret!", "gAAAAAjeton", "M0tDeP4sse"], mentions: ["***@keystone.example.fr"] },
    },
    {
        title: "valeurs mal formées : authUrl nombre ou sans schéma, région tableau, insecure illisible ou numérique, surcharges illisibles",
        kind: "malformed",
        resources: [
            // authUrl not a string: counts as absent; region not a string: no region (1); "yes" is no JSON (1).
            provider("p", { authUrl: 5000, region: ["EU-WEST-PAR"], insecure: "yes", endpointOverrides: "{pas du json" }),
            // No scheme: Go's HTTP client cannot reach it (1); a number for a boolean is true unless 0 (1).
            provider("q", { authUrl: "keystone.example.fr/v3", region: "EU-WEST-PAR", insecure: 1, endpointOverrides: 42 }),
        ],
        expect: { raises: ["SEC-01"], notRaises: [], violations: 4 },
    },
);
