import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const dflt = (region: unknown) => ({ type: "openstack", name: "default_3_15_2", props: { region } });

export default fixtures(
    {
        title: "profil OVHcloud : région EU-WEST-PAR, explicite ou héritée du fournisseur",
        kind: "compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.network, name: "net", props: { name: "net", region: "EU-WEST-PAR" } },
            { type: OS.volume, name: "vol", props: { size: 10 }, provider: dflt("EU-WEST-PAR") },
            { type: OS.port, name: "port", props: { networkId: "n", region: "" }, provider: dflt("EU-WEST-PAR") },
        ],
        expect: { raises: [], notRaises: ["SEC-02"] },
    },
    {
        title: "profil par défaut : région de l'offre déclarée en France, région de l'UE avec le périmètre UE",
        kind: "compliant",
        config: { regionsAutorisees: ["FR-PAR-1"], regionsUE: ["DE1"], perimetre: "ue" },
        resources: [
            { type: OS.network, name: "a", props: { region: "FR-PAR-1" } },
            { type: OS.network, name: "b", props: { region: "DE1" } },
            { type: OS.network, name: "c", props: {}, provider: dflt("FR-PAR-1") },
        ],
        expect: { raises: [], notRaises: ["SEC-02"] },
    },
    {
        title: "profil par défaut : aucune région connue, même « française » de nom ; hors UE ; héritée",
        kind: "non-compliant",
        resources: [
            { type: OS.instance, name: "vm", props: { region: "US-EAST-VA-1" } },
            { type: OS.network, name: "net", props: { region: "fr-paris" } },
            { type: OS.volume, name: "vol", props: { size: 10 }, provider: dflt("EU-WEST-PAR") },
        ],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 3, mentions: ["regionsAutorisees"] },
    },
    {
        title: "profil OVHcloud : région d'une autre offre, variante de casse, région de l'UE sans le périmètre UE",
        kind: "non-compliant",
        settings: { profil: "ovhcloud" },
        config: { regionsUE: ["DE1"] },
        resources: [
            { type: OS.network, name: "net", props: { region: "GRA11" } },
            { type: OS.network, name: "casse", props: { region: "eu-west-par" } },
            { type: OS.container, name: "c", props: {}, provider: dflt("DE1") },
        ],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 3, mentions: ["EU-WEST-PAR"] },
    },
    {
        title: "région inconnue à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.network, name: "net", props: { region: unknown() } }],
        expect: { raises: [], notRaises: ["SEC-02"], cannotCheck: true },
    },
    {
        title: "ni la ressource ni son fournisseur ne nomment de région : OS_REGION_NAME ou premier point d'accès",
        kind: "unknown",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.network, name: "a", props: {}, provider: dflt(undefined) },
            { type: OS.port, name: "b", props: { networkId: "n" } },
        ],
        expect: { raises: [], notRaises: ["SEC-02"], cannotCheck: true },
    },
    {
        title: "ressource hors UE portant une valeur secrète",
        kind: "secret",
        resources: [{ type: OS.instance, name: "vm", props: { region: "us-west-2", adminPass: secret("Adm1nPa55!"), userData: secret("#cloud-config secret") } }],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 1, hidden: ["Adm1nPa55!", "#cloud-config secret"] },
    },
    {
        title: "région mal formée : nombre (lu comme texte), tableau, null (région du fournisseur lue)",
        kind: "malformed",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.network, name: "a", props: { region: 42 } },
            { type: OS.network, name: "b", props: { region: ["EU-WEST-PAR"] } },
            { type: OS.network, name: "c", props: { region: null }, provider: dflt("ap-southeast-1") },
        ],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 3 },
    },
);
