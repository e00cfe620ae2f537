import { fixtures, secret, unknown } from "../../lib/fixture";
import { OS } from "../../lib/types";

export default fixtures(
    {
        title: "IKEv2, AES-256, SHA-256 et plus, groupes 14 et 20",
        kind: "compliant",
        resources: [
            { type: OS.ikePolicy, name: "ike", props: { name: "ike", ikeVersion: "v2", encryptionAlgorithm: "aes-256", authAlgorithm: "sha384", pfs: "group20" } },
            { type: OS.ipSecPolicy, name: "ipsec", props: { name: "ipsec", encryptionAlgorithm: "AES-256-GCM-16", authAlgorithm: "sha256", pfs: "Group14", transformProtocol: "esp" } },
        ],
        expect: { raises: [], notRaises: ["SEC-16"] },
    },
    {
        title: "politiques laissées aux valeurs par défaut d'OpenStack",
        kind: "non-compliant",
        resources: [
            { type: OS.ikePolicy, name: "ike", props: { name: "ike" } },
            { type: OS.ipSecPolicy, name: "ipsec", props: { name: "ipsec" } },
        ],
        // IKE: version, encryption, integrity, PFS (4); IPsec: encryption, integrity, PFS (3); esp default accepted.
        expect: { raises: ["SEC-16"], notRaises: [], violations: 7, mentions: ["OpenStack"] },
    },
    {
        title: "3DES, SHA-1, group2 et AH explicites",
        kind: "non-compliant",
        resources: [
            { type: OS.ipSecPolicy, name: "ipsec", props: { encryptionAlgorithm: "3des", authAlgorithm: "sha1", pfs: "group2", transformProtocol: "ah" } },
        ],
        expect: { raises: ["SEC-16"], notRaises: [], violations: 4, mentions: ["valeur refusée"] },
    },
    {
        title: "algorithme de chiffrement inconnu à la prévisualisation",
        kind: "unknown",
        resources: [{ type: OS.ikePolicy, name: "ike", props: { ikeVersion: "v2", encryptionAlgorithm: unknown(), authAlgorithm: "sha256", pfs: "group14" } }],
        expect: { raises: [], notRaises: ["SEC-16"], cannotCheck: true },
    },
    {
        title: "politique IKE en v1 avec une description secrète",
        kind: "secret",
        resources: [
            { type: OS.ikePolicy, name: "ike", props: { ikeVersion: "v1", encryptionAlgorithm: "aes-256", authAlgorithm: "sha256", pfs: "group14", description: secret("lien-vers-site-classifie") } },
        ],
        expect: { raises: ["SEC-16"], notRaises: [], violations: 1, hidden: ["lien-vers-site-classifie"] },
    },
    {
        title: "valeurs mal formées : nombres et tableaux",
        kind: "malformed",
        resources: [{ type: OS.ikePolicy, name: "ike", props: { ikeVersion: 2, encryptionAlgorithm: ["aes-256"], authAlgorithm: "sha256", pfs: "group14" } }],
        // Non-string values count as missing: OpenStack's defaults v1 and aes-128 apply (2).
        expect: { raises: ["SEC-16"], notRaises: [], violations: 2, mentions: ["OpenStack"] },
    },
);
