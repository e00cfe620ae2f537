import type { RequestedType } from "../../lib/cinder";
import type * as Cinder from "../../lib/cinder";
import { txt } from "../../lib/i18n";
import { PROVIDER_PROFILES } from "../../lib/profiles";
import { arr, get, isUnknownValueError, rec, str } from "../../lib/props";
import { defineResourceRule, ResourceView, RuleContext } from "../../lib/rule";
import type * as StorageClasses from "../../lib/storage-classes";
import { K8S, OS, OS_VOLUMES } from "../../lib/types";
import { items, m, Message, msg, NOTHING } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const cinder = lazy(() => require("../../lib/cinder") as typeof Cinder);
const storageClasses = lazy(() => require("../../lib/storage-classes") as typeof StorageClasses);

interface Config {
    typesVolumeChiffres: string[];
    typeVolumeParDefaut: string;
    disquesLocauxChiffres: boolean;
    provisionneursChiffrants: string[];
}

export default defineResourceRule<Config>({
    name: "sec-03-chiffrement-au-repos",
    needs: ["SEC-03"],
    title: txt("Chiffrement au repos", "Encryption at rest"),
    description: txt(
        "Les volumes, les disques de démarrage et les StorageClasses chiffrent au repos (SecNumCloud 10.1). " +
            "Types de volume : un type est chiffré quand le profil du fournisseur ou la configuration le déclare (`typesVolumeChiffres`, noms ou identifiants de types Cinder munis d'une spécification de chiffrement) ; aucun nom n'est deviné (ni motif, ni sous-chaîne : `not-encrypted` ou `unencrypted` ne sont pas chiffrés pour autant, et le profil par défaut ne connaît aucun type chiffré). Les types se comparent comme Cinder les cherche (par nom ou identifiant, égalité SQL sans casse des bases MySQL/MariaDB), sans autre transformation. Un type non déclaré est en défaut ; la correction dit comment le déclarer (`typesVolumeChiffres`, ou le profil de l'offre). " +
            "Type absent (ou vide) : Cinder choisit. Pour un volume créé d'un volume, d'un instantané ou d'une sauvegarde, le type est celui de la source : invérifiable. Sinon c'est le type par défaut de l'offre (`typeVolumeParDefaut`, du profil ; la propriété `cinder_img_volume_type` d'une image, invisible ici, le remplacerait) : jugé comme un type explicite quand il est connu, invérifiable sinon. Dans un état exporté (`check --state`), Cinder a déjà rempli `volumeType` avec le type choisi : il est jugé tel quel. " +
            "Instances : sans `blockDevices`, l'instance démarre sur le disque local de son gabarit ; un `blockDevices[i]` de `destinationType` « local » (ou absent, hors source « volume ») est un disque local : en défaut, sauf si `disquesLocauxChiffres` déclare les disques locaux chiffrés par l'offre. Un bloc de destination « volume » créé d'une image, d'un instantané ou à vide est jugé par son `volumeType` comme un volume. Un bloc de source « volume » (volume existant) relève de la règle sec-03-volumes-de-demarrage. " +
            "StorageClasses : jugées sur les paramètres que leur provisionneur documente, lus comme il les lit : Cinder CSI (`cinder.csi.openstack.org`, `kubernetes.io/cinder`) crée un volume du type `type` (seule cette clé ; absente : type par défaut), jugé comme un type de volume ; AWS EBS (`ebs.csi.aws.com`) et Longhorn (`driver.longhorn.io`) chiffrent avec `encrypted: \"true\"` exactement ; Ceph RBD (`rbd.csi.ceph.com`) avec `encrypted` vrai au sens de Go (`true`, `1`, `t`…) ; Azure Disk/Files et GCE PD chiffrent toujours ; les volumes locaux (`kubernetes.io/no-provisioner`, `openebs.io/local`, `rancher.io/local-path`…) sont chiffrés si `disquesLocauxChiffres`, invérifiables sinon. Un autre provisionneur n'est pas inspecté : invérifiable, sauf s'il figure dans `provisionneursChiffrants` (provisionneurs déclarés chiffrant toujours)." + " Le provisionneur et les paramètres d'une StorageClass ne peuvent pas changer : un StorageClassPatch n'est pas examiné (voir « Correctifs Kubernetes » dans docs/regles.md).",
        "Volumes, boot disks and StorageClasses encrypt at rest (SecNumCloud 10.1). " +
            "Volume types: a type is encrypted when the provider profile or the configuration declares it (`typesVolumeChiffres`, names or IDs of Cinder types that have an encryption specification); no name is guessed (no pattern, no substring: `not-encrypted` or `unencrypted` are not encrypted for all that, and the default profile knows no encrypted type). Types are compared as Cinder looks them up (by name or ID, case-insensitive SQL equality of MySQL/MariaDB databases), with no other transformation. An undeclared type fails; the fix says how to declare it (`typesVolumeChiffres`, or the offer's profile). " +
            "Missing (or empty) type: Cinder chooses. For a volume created from a volume, a snapshot or a backup, the type is the source's: cannot be checked. Otherwise it is the offer's default type (`typeVolumeParDefaut`, from the profile; an image's `cinder_img_volume_type` property, invisible here, would replace it): judged as an explicit type when known, cannot be checked otherwise. In an exported state (`check --state`), Cinder has already filled `volumeType` with the type it chose: it is judged as is. " +
            "Instances: without `blockDevices`, the instance boots from its flavor's local disk; a `blockDevices[i]` whose `destinationType` is \"local\" (or missing, source \"volume\" aside) is a local disk: it fails unless `disquesLocauxChiffres` declares the offer's local disks encrypted. A block with destination \"volume\" created from an image, a snapshot or blank is judged by its `volumeType` like a volume. A block with source \"volume\" (an existing volume) is the business of rule sec-03-volumes-de-demarrage. " +
            "StorageClasses: judged on the parameters their provisioner documents, read as it reads them: Cinder CSI (`cinder.csi.openstack.org`, `kubernetes.io/cinder`) creates a volume of type `type` (that key only; missing: default type), judged as a volume type; AWS EBS (`ebs.csi.aws.com`) and Longhorn (`driver.longhorn.io`) encrypt with `encrypted: \"true\"` exactly; Ceph RBD (`rbd.csi.ceph.com`) with `encrypted` true as Go reads it (`true`, `1`, `t`…); Azure Disk/Files and GCE PD always encrypt; local volumes (`kubernetes.io/no-provisioner`, `openebs.io/local`, `rancher.io/local-path`…) are encrypted if `disquesLocauxChiffres`, cannot be checked otherwise. Any other provisioner is not inspected: cannot be checked, unless listed in `provisionneursChiffrants` (provisioners declared as always encrypting)." + " A StorageClass's provisioner and parameters cannot change: a StorageClassPatch is not examined (see \"Correctifs Kubernetes\" in docs/regles.md).",
    ),
    remediation: txt(
        "Choisir un type de volume chiffré de l'offre (par exemple `classic-luks`) pour les volumes, les `blockDevices` de démarrage et les StorageClasses ; déclarer les types chiffrés de l'offre dans `typesVolumeChiffres` quand le profil ne les connaît pas.",
        "Choose an encrypted volume type of the offer (for example `classic-luks`) for volumes, boot `blockDevices` and StorageClasses; declare the offer's encrypted types in `typesVolumeChiffres` when the profile does not know them.",
    ),
    severity: "critical",
    enforcementLevel: "mandatory",
    config: {
        typesVolumeChiffres: {
            type: "array",
            items: { type: "string" },
            default: [],
            profileKey: "encryptedVolumeTypes",
            description: txt(
                "Types de volume chiffrés de l'offre : noms (ou identifiants) de types Cinder, comparés sans casse, jamais des motifs.",
                "The offer's encrypted volume types: names (or IDs) of Cinder types, compared ignoring case, never patterns.",
            ),
        },
        typeVolumeParDefaut: {
            type: "string",
            default: "",
            profileKey: "defaultVolumeType",
            description: txt(
                "Type que Cinder donne à un volume sans type (`default_volume_type` de l'offre) ; vide : inconnu (un volume sans type est alors invérifiable).",
                "Type Cinder gives a volume without one (the offer's `default_volume_type`); empty: unknown (a volume without a type then cannot be checked).",
            ),
        },
        disquesLocauxChiffres: {
            type: "boolean",
            default: false,
            description: txt(
                "Le fournisseur chiffre les disques locaux des instances et des nœuds (démarrage sans volume et volumes locaux acceptés).",
                "The provider encrypts the local disks of instances and nodes (booting without a volume and local volumes are accepted).",
            ),
        },
        provisionneursChiffrants: {
            type: "array",
            items: { type: "string" },
            default: [],
            description: txt(
                "Provisionneurs de StorageClass que la table du pack ne connaît pas et dont tous les volumes sont chiffrés au repos (nom exact du pilote CSI).",
                "StorageClass provisioners the pack's table does not know and whose volumes are all encrypted at rest (exact CSI driver name).",
            ),
        },
    },
    types: [...OS_VOLUMES, OS.instance, K8S.storageClass],
    check(r, ctx) {
        if (r.type === OS.instance) return checkInstance(r, ctx);
        if (r.type === K8S.storageClass) return checkStorageClass(r, ctx);
        const requested = cinder().requestedType(r.props["volumeType"], () => ({
            sourceVolume: present(r.props, "sourceVolId"),
            snapshot: present(r.props, "snapshotId"),
            backup: present(r.props, "backupId"),
        }));
        const cannot = judge(requested, ctx, { property: "volumeType", value: r.props["volumeType"] });
        if (cannot) ctx.cannotCheck(cannot);
    },
});

/** Whether an optional ID property is set: a non-empty value, or one unknown at preview (it will be set). */
function present(props: Record<string, unknown>, key: string): boolean {
    try {
        const v = props[key];
        return v !== undefined && v !== null && v !== "";
    } catch (e) {
        if (isUnknownValueError(e)) return true;
        throw e;
    }
}

interface At {
    property: string;
    value: unknown;
    /** What is judged, when not the resource itself (an instance's block device). */
    what?: Message;
}

/** A list, or « aucun » / "none" when it is empty. */
function listed(values: readonly string[], ctx: RuleContext<Config>): unknown {
    return values.length > 0 ? items(values) : ctx.lang === "fr" ? "aucun" : "none";
}

/** Profiles that declare `type` encrypted, for the fix. */
function profilesDeclaring(type: string): string[] {
    return PROVIDER_PROFILES.filter((p) => cinder().declaredType(type, p.values.encryptedVolumeTypes)).map((p) => p.id);
}

/**
 * Judges a requested volume type: reports a violation, or returns why it cannot be checked (the
 * caller reports its violations first, then stops with that reason).
 */
function judge(requested: RequestedType | undefined, ctx: RuleContext<Config>, at: At): Message | undefined {
    const declared = ctx.config.typesVolumeChiffres;
    const what = at.what ?? NOTHING;
    if (!requested) {
        ctx.report({
            property: at.property,
            value: at.value,
            problem: msg(m`${what.fr}type de volume illisible (ni texte ni absent).`, m`${what.en}unreadable volume type (neither text nor missing).`),
            fix: msg(m`donner le nom d'un type de volume chiffré de l'offre (${listed(declared, ctx)}).`, m`give the name of an encrypted volume type of the offer (${listed(declared, ctx)}).`),
        });
        return undefined;
    }
    let type: string;
    let fromDefault = false;
    if (requested.kind === "inherited") {
        if (requested.from !== "default") {
            const src = SOURCES[requested.from];
            return msg(
                m`${what.fr}sans \`volumeType\`, le volume prend le type de ${src.fr}, que le programme ne montre pas : préciser un type chiffré.`,
                m`${what.en}without \`volumeType\`, the volume takes the type of ${src.en}, which the program does not show: give an encrypted type.`,
            );
        }
        const dflt = ctx.config.typeVolumeParDefaut;
        if (!dflt) {
            return msg(
                m`${what.fr}sans \`volumeType\`, Cinder donne le type par défaut de l'offre, que le profil « ${ctx.settings.profil} » ne connaît pas : préciser un type chiffré, ou déclarer le type par défaut (\`typeVolumeParDefaut\`).`,
                m`${what.en}without \`volumeType\`, Cinder gives the offer's default type, which profile "${ctx.settings.profil}" does not know: give an encrypted type, or declare the default type (\`typeVolumeParDefaut\`).`,
            );
        }
        type = dflt;
        fromDefault = true;
    } else {
        type = requested.type;
    }
    if (cinder().declaredType(type, declared)) return undefined;
    const others = profilesDeclaring(type).filter((p) => p !== ctx.settings.profil);
    const problem = fromDefault
        ? msg(
              m`${what.fr}sans \`volumeType\`, Cinder donne le type par défaut de l'offre, « ${type} », qui n'est pas déclaré chiffré (types chiffrés : ${listed(declared, ctx)}).`,
              m`${what.en}without \`volumeType\`, Cinder gives the offer's default type, "${type}", which is not declared encrypted (encrypted types: ${listed(declared, ctx)}).`,
          )
        : msg(
              m`${what.fr}type de volume non déclaré chiffré par le profil « ${ctx.settings.profil} » ni par la configuration (types chiffrés : ${listed(declared, ctx)}).`,
              m`${what.en}volume type not declared encrypted by profile "${ctx.settings.profil}" nor by the configuration (encrypted types: ${listed(declared, ctx)}).`,
          );
    ctx.report({ property: at.property, value: fromDefault ? undefined : at.value, problem, fix: declareFix(type, declared, others, ctx) });
    return undefined;
}

const SOURCES: Record<"source-volume" | "snapshot" | "backup", Message> = {
    "source-volume": msg(m`son volume source (\`sourceVolId\`)`, m`its source volume (\`sourceVolId\`)`),
    snapshot: msg(m`son instantané (\`snapshotId\`)`, m`its snapshot (\`snapshotId\`)`),
    backup: msg(m`sa sauvegarde (\`backupId\`)`, m`its backup (\`backupId\`)`),
};

/** How to fix an undeclared type: choose a declared one, or declare it if the offer encrypts it. */
function declareFix(type: string, declared: readonly string[], others: readonly string[], ctx: RuleContext<Config>): Message {
    const choose = declared.length > 0
        ? msg(m`choisir un type chiffré de l'offre (${listed(declared, ctx)}) ; `, m`choose an encrypted type of the offer (${listed(declared, ctx)}); `)
        : msg(m``, m``);
    const profiles = others.length > 0
        ? msg(m` ; le profil ${items(others)} le déclare chiffré (\`"cloud-de-confiance": { "profil": … }\`)`, m`; profile ${items(others)} declares it encrypted (\`"cloud-de-confiance": { "profil": … }\`)`)
        : msg(m``, m``);
    const list = quotedList([...declared, type]);
    return msg(
        m`${choose.fr}si « ${type} » est un type chiffré de l'offre (\`openstack volume type show\` en montre le chiffrement), l'ajouter aux types déclarés : \`"sec-03-chiffrement-au-repos": { "typesVolumeChiffres": [${list}] }\`, ou choisir le profil de l'offre${profiles.fr}.`,
        m`${choose.en}if "${type}" is an encrypted type of the offer (\`openstack volume type show\` shows its encryption), add it to the declared types: \`"sec-03-chiffrement-au-repos": { "typesVolumeChiffres": [${list}] }\`, or choose the offer's profile${profiles.en}.`,
    );
}

/** `"a", "b"`: a JSON list's items, each value rendered by the pack. */
function quotedList(values: readonly string[]): unknown {
    return items(values.map((v) => m`"${v}"`), { max: 12 });
}

function localDiskFix(): Message {
    return msg(
        m`démarrer sur un volume chiffré (\`blockDevices\` avec \`destinationType: "volume"\` et un \`volumeType\` chiffré), ou déclarer \`disquesLocauxChiffres\` si l'offre chiffre ses disques locaux.`,
        m`boot from an encrypted volume (\`blockDevices\` with \`destinationType: "volume"\` and an encrypted \`volumeType\`), or set \`disquesLocauxChiffres\` if the offer encrypts its local disks.`,
    );
}

function checkInstance(r: ResourceView, ctx: RuleContext<Config>): void {
    const raw = r.props["blockDevices"];
    const devices = arr(raw);
    if (devices.length === 0) {
        if (!ctx.config.disquesLocauxChiffres) {
            ctx.report({
                property: "blockDevices",
                problem: msg(
                    m`l'instance démarre sur le disque local de son gabarit, qui n'est pas déclaré chiffré.`,
                    m`the instance boots from its flavor's local disk, which is not declared encrypted.`,
                ),
                fix: localDiskFix(),
            });
        }
        return;
    }
    const cannot: Message[] = [];
    devices.forEach((d, i) => {
        const dev = rec(d);
        const path = `blockDevices[${i}]`;
        if (!dev) {
            ctx.report({ property: path, value: d, problem: msg(m`bloc de démarrage illisible.`, m`unreadable block device.`) });
            return;
        }
        const source = str(dev["sourceType"]);
        // An existing volume: judged through the stack (sec-03-volumes-de-demarrage).
        if (source === "volume") return;
        const destination = str(dev["destinationType"]);
        if (destination === undefined || destination === "" || destination === "local") {
            if (!ctx.config.disquesLocauxChiffres) {
                ctx.report({
                    property: `${path}.destinationType`,
                    value: dev["destinationType"],
                    problem: msg(m`disque local (éphémère) non déclaré chiffré.`, m`local (ephemeral) disk not declared encrypted.`),
                    fix: localDiskFix(),
                });
            }
            return;
        }
        const requested = cinder().requestedType(dev["volumeType"], () => ({ snapshot: source === "snapshot" }));
        const what = msg(m`bloc ${path} : `, m`block ${path}: `);
        const why = judge(requested, ctx, { property: `${path}.volumeType`, value: dev["volumeType"], what });
        if (why) cannot.push(why);
    });
    if (cannot.length > 0) ctx.cannotCheck(cannot[0]);
}

function checkStorageClass(r: ResourceView, ctx: RuleContext<Config>): void {
    const provisioner = str(r.props["provisioner"]);
    const rawParams = r.props["parameters"];
    const params = rec(rawParams);
    if (rawParams !== undefined && rawParams !== null && !params) {
        ctx.report({
            property: "parameters",
            value: rawParams,
            problem: msg(m`paramètres illisibles (un objet clé → texte est attendu).`, m`unreadable parameters (an object of key → text is expected).`),
        });
        return;
    }
    if (!provisioner) {
        ctx.report({
            property: "provisioner",
            value: r.props["provisioner"],
            problem: msg(m`StorageClass sans provisionneur lisible : le chiffrement de ses volumes n'est pas établi.`, m`StorageClass without a readable provisioner: the encryption of its volumes is not established.`),
        });
        return;
    }
    if (ctx.config.provisionneursChiffrants.includes(provisioner)) return;
    const j = storageClasses().judgeStorageClass(provisioner, params ?? {});
    switch (j.kind) {
        case "always-encrypted":
        case "encrypted":
            return;
        case "volume-type": {
            const why = judge(cinder().requestedType(j.value, () => ({})), ctx, {
                property: `parameters.${j.param}`,
                value: get(r.props, ["parameters", j.param]),
                what: msg(m`StorageClass ${provisioner} : `, m`StorageClass ${provisioner}: `),
            });
            if (why) ctx.cannotCheck(why);
            return;
        }
        case "not-encrypted":
        case "invalid":
            ctx.report({
                property: `parameters.${j.param}`,
                value: j.value,
                problem: j.kind === "invalid"
                    ? msg(m`valeur que ${provisioner} ne sait pas lire : aucun volume ne sera créé, et aucun chiffré.`, m`value ${provisioner} cannot read: no volume will be created, let alone an encrypted one.`)
                    : msg(m`${provisioner} ne chiffre ses volumes qu'avec \`${j.param}: "${j.expected}"\`.`, m`${provisioner} encrypts its volumes only with \`${j.param}: "${j.expected}"\`.`),
                fix: msg(m`ajouter \`${j.param}: "${j.expected}"\` aux paramètres (avec la clé de chiffrement que le pilote demande).`, m`add \`${j.param}: "${j.expected}"\` to the parameters (with the encryption key the driver asks for).`),
            });
            return;
        case "local":
            if (ctx.config.disquesLocauxChiffres) return;
            ctx.cannotCheck(msg(
                m`la StorageClass « ${r.name} » (${provisioner}) place ses volumes sur les disques locaux des nœuds, dont le chiffrement n'est pas déclaré (\`disquesLocauxChiffres\`).`,
                m`StorageClass "${r.name}" (${provisioner}) puts its volumes on the nodes' local disks, whose encryption is not declared (\`disquesLocauxChiffres\`).`,
            ));
            return;
        case "unknown":
            ctx.cannotCheck(msg(
                m`provisionneur « ${provisioner} » non inspecté (connus : ${items(storageClasses().knownProvisioners(), { max: 4 })}) : s'il chiffre toujours ses volumes, le déclarer dans \`provisionneursChiffrants\`.`,
                m`provisioner "${provisioner}" not inspected (known: ${items(storageClasses().knownProvisioners(), { max: 4 })}): if it always encrypts its volumes, declare it in \`provisionneursChiffrants\`.`,
            ));
    }
}
