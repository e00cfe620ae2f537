import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

const vol = (name: string, extra: Record<string, unknown> = {}) => ({ type: OS.volume, name, props: { size: 20, volumeType: "classic-luks", ...extra } });
const vm = (name: string, uuid: unknown, extra: Record<string, unknown> = {}) => ({
    type: OS.instance,
    name,
    props: { flavorName: "b3-8", blockDevices: [{ sourceType: "volume", uuid, destinationType: "volume", bootIndex: 0 }], ...extra },
});

export default fixtures(
    {
        title: "démarrage sur un volume de la pile : identifiant inconnu à la prévisualisation, relié par dépendance",
        kind: "compliant",
        resources: [vol("boot"), { ...vm("db", unknown()), propertyDependencies: { blockDevices: ["boot"] } }],
        expect: { raises: [], notRaises: ["SEC-03"] },
    },
    {
        title: "état exporté : l'uuid du bloc égale l'id d'un volume de la pile",
        kind: "compliant",
        resources: [vol("boot", { id: "6f2b9c1e-4a7d-4c3e-9b8a-1d2e3f4a5b6c", region: "EU-WEST-PAR" }), vm("db", "6f2b9c1e-4a7d-4c3e-9b8a-1d2e3f4a5b6c")],
        expect: { raises: [], notRaises: ["SEC-03"] },
    },
    {
        title: "démarrage sur un volume existant hors du programme : chiffrement non prouvé, jamais accepté",
        kind: "non-compliant",
        resources: [vol("autre", { id: "aaaaaaaa-0000-4000-8000-000000000000" }), vm("db", "0f3c5e8a-1111-4222-8333-944455556666")],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
    {
        title: "uuid inconnu sans volume de la pile dont il dépende",
        kind: "unknown",
        resources: [vm("db", unknown())],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
    {
        title: "identifiant de volume secret : jamais affiché",
        kind: "secret",
        resources: [vm("db", secret("0f3c5e8a-1111-4222-8333-944455556666"), { adminPass: secret("Adm1n-P4ss") })],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true, hidden: ["0f3c5e8a-1111-4222-8333-944455556666", "Adm1n-P4ss"] },
    },
    {
        title: "blocs mal formés : source volume sans uuid, blocs qui ne sont pas des objets",
        kind: "malformed",
        resources: [
            { type: OS.instance, name: "a", props: { blockDevices: [{ sourceType: "volume", destinationType: "volume" }, "volume", null, 42] } },
            { type: OS.instance, name: "b", props: { blockDevices: { sourceType: "volume" } } },
        ],
        expect: { raises: [], notRaises: ["SEC-03"], cannotCheck: true },
    },
);
