import { fixtures, secret, unknown } from "../../lib/fixture";
import { K8S } from "../../lib/types";

const backend = { service: { name: "web", port: { number: 8080 } } };
const rule = (host?: unknown) => ({ ...(host !== undefined ? { host } : {}), http: { paths: [{ path: "/", pathType: "Prefix", backend }] } });
const ingress = (name: string, spec: Record<string, unknown>, annotations: Record<string, unknown> = {}) => ({
    type: K8S.ingress,
    name,
    props: { metadata: { name, namespace: "app", annotations }, spec: { ingressClassName: "nginx", ...spec } },
});

export default fixtures(
    {
        title: "hôtes couverts par nom exact et par joker ; attrape-tout couvert par une entrée TLS sans hôtes",
        kind: "compliant",
        resources: [
            ingress("web", {
                rules: [rule("www.exemple.gouv.fr"), rule("API.exemple.gouv.fr")],
                tls: [{ hosts: ["www.exemple.gouv.fr"], secretName: "www-tls" }, { hosts: ["*.exemple.gouv.fr"], secretName: "wild-tls" }],
            }),
            ingress("defaut", { rules: [rule()], defaultBackend: backend, tls: [{ secretName: "default-tls" }] }),
            ingress("vide", {}),
        ],
        expect: { raises: [], notRaises: ["SEC-05"] },
    },
    {
        title: "Ingress sans TLS",
        kind: "non-compliant",
        resources: [ingress("web", { rules: [rule("www.exemple.gouv.fr"), rule("api.exemple.gouv.fr")] })],
        expect: { raises: ["SEC-05"], notRaises: [], violations: 1, mentions: ["spec.tls", "www.exemple.gouv.fr, api.exemple.gouv.fr"] },
    },
    {
        title: "joker d'un seul niveau, hôte oublié, attrape-tout et defaultBackend sans TLS par défaut",
        kind: "non-compliant",
        resources: [
            ingress("web", {
                rules: [rule("a.b.exemple.gouv.fr"), rule("exemple.gouv.fr"), rule("x.exemple.gouv.fr"), rule("autre.fr"), rule()],
                defaultBackend: backend,
                tls: [{ hosts: ["*.exemple.gouv.fr"], secretName: "wild-tls" }],
            }),
        ],
        expect: { raises: ["SEC-05"], notRaises: [], violations: 3, mentions: ["« web »"] },
    },
    {
        title: "entrée TLS sans hôtes refusée par configuration",
        kind: "non-compliant",
        config: { accepterTlsSansHotes: false },
        resources: [ingress("defaut", { rules: [rule()], tls: [{ secretName: "default-tls" }] })],
        expect: { raises: ["SEC-05"], notRaises: [], violations: 1, mentions: ["spec.rules[0].host"] },
    },
    {
        title: "hôtes TLS inconnus à la prévisualisation",
        kind: "unknown",
        resources: [ingress("web", { rules: [rule("www.exemple.gouv.fr")], tls: [{ hosts: unknown(), secretName: "www-tls" }] })],
        expect: { raises: [], notRaises: ["SEC-05"], cannotCheck: true },
    },
    {
        title: "annotation secrète sur un Ingress sans TLS",
        kind: "secret",
        resources: [ingress("web", { rules: [rule("www.exemple.gouv.fr")] }, { "nginx.ingress.kubernetes.io/auth-secret": secret("basic-auth-S3cret") })],
        expect: { raises: ["SEC-05"], notRaises: [], violations: 1, hidden: ["basic-auth-S3cret"] },
    },
    {
        title: "types inattendus : tls objet (aucun TLS), hôtes en texte (ne couvrent rien) avec hôte numérique (attrape-tout), règles en texte (ignorées)",
        kind: "malformed",
        resources: [
            ingress("a", { rules: [rule("www.exemple.gouv.fr")], tls: { hosts: ["www.exemple.gouv.fr"] } }),
            ingress("b", { rules: [null, rule(42)], tls: [{ hosts: "www.exemple.gouv.fr" }] }),
            ingress("c", { rules: "www.exemple.gouv.fr", tls: null }),
        ],
        expect: { raises: ["SEC-05"], notRaises: [], violations: 2 },
    },
    {
        title: "correctifs : règles et TLS qui les couvre ; annotations seules (non examiné)",
        kind: "compliant",
        resources: [
            { ...ingress("web", { rules: [rule("web.example.fr")], tls: [{ hosts: ["web.example.fr"], secretName: "web-tls" }] }), type: `${K8S.ingress}Patch` },
            { type: `${K8S.ingress}Patch`, name: "annot", props: { metadata: { name: "web", namespace: "app", annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "8m" } } } },
        ],
        expect: { raises: [], notRaises: ["SEC-05"] },
    },
    {
        title: "correctif : TLS fixé qui ne couvre pas l'hôte fixé",
        kind: "non-compliant",
        resources: [{ ...ingress("web", { rules: [rule("api.example.fr")], tls: [{ hosts: ["web.example.fr"], secretName: "web-tls" }] }), type: `${K8S.ingress}Patch` }],
        expect: { raises: ["SEC-05"], notRaises: [], violations: 1, mentions: ["api.example.fr"] },
    },
    {
        title: "correctifs : règles sans TLS, TLS sans règles — la partie manquante est celle de l'objet existant, invérifiable",
        kind: "unknown",
        resources: [
            { ...ingress("a", { rules: [rule("a.example.fr")] }), type: `${K8S.ingress}Patch` },
            { ...ingress("b", { tls: [{ hosts: ["b.example.fr"] }] }), type: `${K8S.ingress}Patch` },
        ],
        expect: { raises: [], notRaises: ["SEC-05"], cannotCheck: true },
    },
);
