import { txt } from "../../lib/i18n";
import { matchesAny } from "../../lib/profiles";
import { str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { OS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    versionsIke: string[];
    chiffrements: string[];
    integrites: string[];
    groupesPfs: string[];
    protocolesTransformation: string[];
}

/** OpenStack VPNaaS defaults, applied when a property is missing. */
const DEFAULTS: Record<string, string> = {
    ikeVersion: "v1",
    encryptionAlgorithm: "aes-128",
    authAlgorithm: "sha1",
    pfs: "group5",
    transformProtocol: "esp",
};

export default defineResourceRule<Config>({
    name: "sec-16-vpn-robuste",
    needs: ["SEC-16"],
    title: txt("VPN robuste", "Robust VPN"),
    description: txt(
        "Les politiques VPN (VPNaaS) n'utilisent que des algorithmes robustes (SecNumCloud 10.2, recommandations IPsec de l'ANSSI). `IkePolicy` : `ikeVersion` dans `versionsIke` (v2), `encryptionAlgorithm` dans `chiffrements` (AES-256 : aes-256, -ctr, -gcm-*, -ccm-*), `authAlgorithm` dans `integrites` (sha256, sha384, sha512), `pfs` dans `groupesPfs` (group14 et au-delà ; group2 et group5 refusés). `IpSecPolicy` : mêmes exigences pour `encryptionAlgorithm`, `authAlgorithm` et `pfs`, et `transformProtocol` dans `protocolesTransformation` (esp ; `ah` n'offre aucune confidentialité). Une propriété absente prend la valeur par défaut d'OpenStack (ike v1, aes-128, sha1, group5, esp), refusée sauf esp : le message le dit. Comparaisons sans casse, sur la valeur entière (expressions régulières).",
        "VPN policies (VPNaaS) use only robust algorithms (SecNumCloud 10.2, ANSSI IPsec recommendations). `IkePolicy`: `ikeVersion` in `versionsIke` (v2), `encryptionAlgorithm` in `chiffrements` (AES-256: aes-256, -ctr, -gcm-*, -ccm-*), `authAlgorithm` in `integrites` (sha256, sha384, sha512), `pfs` in `groupesPfs` (group14 and above; group2 and group5 refused). `IpSecPolicy`: the same for `encryptionAlgorithm`, `authAlgorithm` and `pfs`, and `transformProtocol` in `protocolesTransformation` (esp; `ah` offers no confidentiality). A missing property takes OpenStack's default (ike v1, aes-128, sha1, group5, esp), refused except esp: the message says so. Comparisons are case-insensitive, on the whole value (regular expressions).",
    ),
    remediation: txt(
        "Déclarer explicitement `ikeVersion: \"v2\"`, `encryptionAlgorithm: \"aes-256\"`, `authAlgorithm: \"sha256\"` (ou mieux) et `pfs: \"group14\"` (ou mieux).",
        "Declare explicitly `ikeVersion: \"v2\"`, `encryptionAlgorithm: \"aes-256\"`, `authAlgorithm: \"sha256\"` (or better) and `pfs: \"group14\"` (or better).",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        versionsIke: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["v2"],
            description: txt("Versions IKE autorisées.", "Allowed IKE versions."),
        },
        chiffrements: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["aes-256", "aes-256-ctr", "aes-256-gcm-(8|12|16)", "aes-256-ccm-(8|12|16)"],
            description: txt("Algorithmes de chiffrement autorisés (expressions régulières).", "Allowed encryption algorithms (regular expressions)."),
        },
        integrites: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["sha256", "sha384", "sha512"],
            description: txt("Algorithmes d'intégrité autorisés.", "Allowed integrity algorithms."),
        },
        groupesPfs: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["group1[4-9]", "group2[01]", "group31"],
            description: txt("Groupes Diffie-Hellman (PFS) autorisés (expressions régulières).", "Allowed Diffie-Hellman (PFS) groups (regular expressions)."),
        },
        protocolesTransformation: {
            regex: true,
            type: "array",
            items: { type: "string" },
            default: ["esp"],
            description: txt("Protocoles de transformation IPsec autorisés.", "Allowed IPsec transform protocols."),
        },
    },
    types: [OS.ikePolicy, OS.ipSecPolicy],
    check(r, ctx) {
        const c = ctx.config;
        const checks: [string, string[]][] = [
            ["encryptionAlgorithm", c.chiffrements],
            ["authAlgorithm", c.integrites],
            ["pfs", c.groupesPfs],
        ];
        if (r.type === OS.ikePolicy) checks.unshift(["ikeVersion", c.versionsIke]);
        else checks.push(["transformProtocol", c.protocolesTransformation]);
        for (const [key, allowed] of checks) {
            const raw = r.props[key];
            const given = str(raw)?.trim();
            const value = given || DEFAULTS[key];
            if (matchesAny(value, allowed)) continue;
            ctx.report({
                property: key,
                value: raw,
                problem: given
                    ? msg(m`valeur refusée (autorisées : ${items(allowed)}).`, m`value refused (allowed: ${items(allowed)}).`)
                    : msg(
                          m`absent : OpenStack applique sa valeur par défaut « ${value} », refusée (autorisées : ${items(allowed)}).`,
                          m`missing: OpenStack applies its default "${value}", which is refused (allowed: ${items(allowed)}).`,
                      ),
            });
        }
    },
});
