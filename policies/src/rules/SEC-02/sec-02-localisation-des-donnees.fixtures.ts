import { fixtures, FixtureResource, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

/** The default provider resource the engine submits, with `openstack:region` of the stack configuration. */
const dflt = (region: unknown): FixtureResource => ({ type: OS.provider, name: "default_3_15_2", props: region === undefined ? { version: "3.15.2" } : { region, version: "3.15.2" } });
/** A resource using the provider `p` (its reference carries the provider's properties, as the engine passes them). */
const on = (p: FixtureResource, r: Omit<FixtureResource, "provider">): FixtureResource => ({ ...r, provider: { type: "openstack", name: p.name, props: p.props } });

const par = dflt("EU-WEST-PAR");
const de1 = dflt("DE1");
const asie = dflt("ap-southeast-1");

export default fixtures(
    {
        title: "profil OVHcloud : région EU-WEST-PAR, sur la ressource ou sur son fournisseur",
        kind: "compliant",
        settings: { profil: "ovhcloud" },
        resources: [
            par,
            { type: OS.network, name: "net", props: { name: "net", region: "EU-WEST-PAR" } },
            on(par, { type: OS.volume, name: "vol", props: { size: 10 } }),
            on(par, { type: OS.port, name: "port", props: { networkId: "n", region: "" } }),
        ],
        expect: { raises: [], notRaises: ["SEC-02"] },
    },
    {
        title: "profil par défaut : région de l'offre déclarée en France, région de l'UE avec le périmètre UE",
        kind: "compliant",
        config: { regionsAutorisees: ["FR-PAR-1"], regionsUE: ["DE1"], perimetre: "ue" },
        resources: [
            dflt("FR-PAR-1"),
            { type: OS.network, name: "a", props: { region: "FR-PAR-1" } },
            { type: OS.network, name: "b", props: { region: "DE1" } },
            on(dflt("FR-PAR-1"), { type: OS.network, name: "c", props: {} }),
        ],
        expect: { raises: [], notRaises: ["SEC-02"] },
    },
    {
        title: "profil par défaut : aucune région connue, même « française » de nom ; hors UE ; fournisseur jugé une fois, pas ses ressources",
        kind: "non-compliant",
        resources: [
            { type: OS.instance, name: "vm", props: { region: "US-EAST-VA-1" } },
            { type: OS.network, name: "net", props: { region: "fr-paris" } },
            par,
            on(par, { type: OS.volume, name: "vol", props: { size: 10 } }),
            on(par, { type: OS.volume, name: "vol2", props: { size: 10 } }),
        ],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 3, mentions: ["regionsAutorisees"] },
    },
    {
        title: "profil OVHcloud : région d'une autre offre, variante de casse, fournisseur dans l'UE sans le périmètre UE (région recopiée sur la ressource comme dans l'état)",
        kind: "non-compliant",
        settings: { profil: "ovhcloud" },
        config: { regionsUE: ["DE1"] },
        resources: [
            { type: OS.network, name: "net", props: { region: "GRA11" } },
            { type: OS.network, name: "casse", props: { region: "eu-west-par" } },
            de1,
            on(de1, { type: OS.container, name: "c", props: {} }),
            on(de1, { type: OS.container, name: "d", props: { region: "DE1" } }),
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
        title: "un fournisseur sans région, une ressource sans région ni fournisseur : OS_REGION_NAME ou premier point d'accès",
        kind: "unknown",
        settings: { profil: "ovhcloud" },
        resources: [
            dflt(undefined),
            on(dflt(undefined), { type: OS.network, name: "a", props: {} }),
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
        title: "région mal formée : nombre (lu comme texte), tableau, null (région du fournisseur, jugé lui-même)",
        kind: "malformed",
        settings: { profil: "ovhcloud" },
        resources: [
            { type: OS.network, name: "a", props: { region: 42 } },
            { type: OS.network, name: "b", props: { region: ["EU-WEST-PAR"] } },
            asie,
            on(asie, { type: OS.network, name: "c", props: { region: null } }),
        ],
        expect: { raises: ["SEC-02"], notRaises: [], violations: 3 },
    },
);
