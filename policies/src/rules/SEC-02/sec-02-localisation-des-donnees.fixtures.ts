import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const dflt = (region: unknown) => ({ type: "openstack", name: "default_3_15_2", props: { region } });

export default fixtures(
    {
        title: "profil OVHcloud : région EU-WEST-PAR, explicite ou héritée, ressource sans région",
        kind: "compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.network, name: "net", props: { name: "net", region: "eu-west-par" } },
            { type: OS.volume, name: "vol", props: { size: 10 }, provider: dflt("EU-WEST-PAR") },
            { type: OS.port, name: "port", props: { networkId: "n" } },
        ],
        expect: { raises: [], notRaises: ["SEC-02"] },
    },
    {
        title: "profil par défaut : toute région de l'UE acceptée",
        kind: "compliant",
        resources: [
            { type: OS.network, name: "a", props: { region: "GRA11" } },
            { type: OS.network, name: "b", props: { region: "DE1" } },
            { type: OS.network, name: "c", props: {}, provider: dflt("eu-west-par") },
        ],
        expect: { raises: [], notRaises: ["SEC-02"] },
    },
    {
        title: "profil par défaut : régions hors UE, explicites ou héritées",
        kind: "non-compliant",
        resources: [
            { type: OS.instance, name: "vm", props: { region: "US-EAST-VA-1" } },
            { type: OS.network, name: "net", props: { region: "BHS5" } },
            { type: OS.volume, name: "vol", props: { size: 10 }, provider: dflt("SGP1") },
        ],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 3, mentions: ["hors de l'Union européenne"] },
    },
    {
        title: "profil OVHcloud : région de l'UE mais hors de la liste autorisée",
        kind: "non-compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.network, name: "net", props: { region: "GRA11" } },
            { type: OS.container, name: "c", props: {}, provider: dflt("DE1") },
        ],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 2, mentions: ["EU-WEST-PAR"] },
    },
    {
        title: "région inconnue à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.network, name: "net", props: { region: unknown() } }],
        expect: { raises: [], notRaises: ["SEC-02"], cannotCheck: true },
    },
    {
        title: "ressource hors UE portant une valeur secrète",
        kind: "secret",
        resources: [{ type: OS.instance, name: "vm", props: { region: "us-west-2", adminPass: secret("Adm1nPa55!"), userData: secret("#cloud-config secret") } }],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 1, hidden: ["Adm1nPa55!", "#cloud-config secret"] },
    },
    {
        title: "région mal formée : nombre (ignorée, région du fournisseur lue), tableau",
        kind: "malformed",
        resources: [
            { type: OS.network, name: "a", props: { region: 42 }, provider: dflt("ap-southeast-1") },
            { type: OS.network, name: "b", props: { region: ["us-east-1"] } },
            { type: OS.network, name: "c", props: { region: null }, provider: dflt(null) },
        ],
        // "a": non-string region → the provider's region is read (non-EU: 1 violation); "b", "c": no readable region → accepted.
        expect: { raises: ["SEC-02"], notRaises: [], violations: 1, mentions: ["provider.region"] },
    },
);
