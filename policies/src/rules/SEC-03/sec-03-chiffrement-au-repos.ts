import { list } from "../../lib/format";
import { txt } from "../../lib/i18n";
import { matchesAny } from "../../lib/profiles";
import { arr, bool, get, rec, str } from "../../lib/props";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import { K8S, OS, OS_VOLUMES } from "../../lib/types";
import { m, msg } from "../../lib/message";

interface Config {
    typesVolumeChiffres: string[];
    disquesLocauxChiffres: boolean;
    parametresTypeStorageClass: string[];
}

export default defineResourceRule<Config>({
    name: "sec-03-chiffrement-au-repos",
    needs: ["SEC-03"],
    title: txt("Chiffrement au repos", "Encryption at rest"),
    description: txt(
        "Les volumes et les disques de démarrage utilisent un type de volume chiffré du profil du fournisseur (SecNumCloud 10.1). Un volume sans `volumeType` prend le type par défaut du fournisseur, qui n'est pas réputé chiffré : il est en défaut. Une instance sans `blockDevices` démarre sur le disque local de son gabarit : en défaut, sauf si la configuration déclare les disques locaux chiffrés par le fournisseur. Une StorageClass chiffre quand son paramètre de type de volume (`type`, `volumeType`…) est un type chiffré, ou quand `encrypted` vaut « true ».",
        "Volumes and boot disks use an encrypted volume type of the provider profile (SecNumCloud 10.1). A volume without `volumeType` gets the provider's default type, which is not taken as encrypted: it fails. An instance without `blockDevices` boots from its flavor's local disk: it fails unless the configuration declares the provider's local disks encrypted. A StorageClass encrypts when its volume-type parameter (`type`, `volumeType`…) is an encrypted type, or when `encrypted` is \"true\".",
    ),
    remediation: txt(
        "Choisir un type de volume chiffré (par exemple `classic-luks`) pour les volumes, les `blockDevices` de démarrage et les StorageClasses.",
        "Choose an encrypted volume type (for example `classic-luks`) for volumes, boot `blockDevices` and StorageClasses.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    config: {
        typesVolumeChiffres: {
            type: "array",
            items: { type: "string" },
            default: [".*-luks", ".*encrypt.*", ".*chiffr.*"],
            profileKey: "encryptedVolumeTypes",
            description: txt(
                "Types de volume chiffrés (expressions régulières sur le nom entier, sans casse).",
                "Encrypted volume types (regular expressions on the whole name, case-insensitive).",
            ),
        },
        disquesLocauxChiffres: {
            type: "boolean",
            default: false,
            description: txt(
                "Le fournisseur chiffre les disques locaux des instances (démarrage sans volume accepté).",
                "The provider encrypts instances' local disks (booting without a volume is accepted).",
            ),
        },
        parametresTypeStorageClass: {
            type: "array",
            items: { type: "string" },
            default: ["type", "volumeType", "volume-type", "volume_type"],
            description: txt(
                "Paramètres de StorageClass qui portent le type de volume.",
                "StorageClass parameters that carry the volume type.",
            ),
        },
    },
    types: [...OS_VOLUMES, OS.instance, K8S.storageClass],
    check(r, ctx) {
        if (r.type === OS.instance) return checkInstance(r, ctx);
        if (r.type === K8S.storageClass) return checkStorageClass(r, ctx);
        const type = str(r.props["volumeType"]);
        if (!type || !matchesAny(type, ctx.config.typesVolumeChiffres)) {
            ctx.report({ property: "volumeType", value: r.props["volumeType"], problem: notEncrypted(ctx) });
        }
    },
});

function notEncrypted(ctx: RuleContext<Config>) {
    const types = list(ctx.config.typesVolumeChiffres);
    return msg(m`type de volume non chiffré (types chiffrés : ${types}).`, m`volume type not encrypted (encrypted types: ${types}).`);
}

function checkInstance(r: ResourceView, ctx: RuleContext<Config>): void {
    const devices = arr(r.props["blockDevices"]);
    if (devices.length === 0) {
        if (!ctx.config.disquesLocauxChiffres) {
            ctx.report({
                property: "blockDevices",
                problem: msg(
                    m`l'instance démarre sur le disque local de son gabarit, qui n'est pas déclaré chiffré.`,
                    m`the instance boots from its flavor's local disk, which is not declared encrypted.`,
                ),
                fix: msg(
                    m`démarrer sur un volume chiffré (\`blockDevices\` avec \`destinationType: "volume"\` et un \`volumeType\` chiffré), ou déclarer \`disquesLocauxChiffres\` si l'offre chiffre ses disques locaux.`,
                    m`boot from an encrypted volume (\`blockDevices\` with \`destinationType: "volume"\` and an encrypted \`volumeType\`), or set \`disquesLocauxChiffres\` if the offer encrypts its local disks.`,
                ),
            });
        }
        return;
    }
    devices.forEach((d, i) => {
        const dev = rec(d);
        if (!dev) return;
        const dest = str(dev["destinationType"]) ?? "local";
        const path = `blockDevices[${i}]`;
        if (dest === "local") {
            if (!ctx.config.disquesLocauxChiffres) {
                ctx.report({
                    property: `${path}.destinationType`,
                    value: dev["destinationType"],
                    problem: msg(m`disque local non déclaré chiffré.`, m`local disk not declared encrypted.`),
                });
            }
            return;
        }
        if (str(dev["sourceType"]) === "volume") return; // an existing volume: checked as a Volume
        const type = str(dev["volumeType"]);
        if (!type || !matchesAny(type, ctx.config.typesVolumeChiffres)) {
            ctx.report({ property: `${path}.volumeType`, value: dev["volumeType"], problem: notEncrypted(ctx) });
        }
    });
}

function checkStorageClass(r: ResourceView, ctx: RuleContext<Config>): void {
    const params = rec(r.props["parameters"]) ?? {};
    if (bool(params["encrypted"]) === true) return;
    for (const key of ctx.config.parametresTypeStorageClass) {
        const t = str(params[key]);
        if (t && matchesAny(t, ctx.config.typesVolumeChiffres)) return;
    }
    const key = ctx.config.parametresTypeStorageClass.find((k) => params[k] !== undefined);
    ctx.report({
        property: key ? `parameters.${key}` : "parameters",
        value: key ? params[key] : get(r.props, "parameters"),
        problem: msg(
            m`la StorageClass ne demande ni type de volume chiffré ni chiffrement (\`encrypted: "true"\`).`,
            m`the StorageClass asks for neither an encrypted volume type nor encryption (\`encrypted: "true"\`).`,
        ),
    });
}
