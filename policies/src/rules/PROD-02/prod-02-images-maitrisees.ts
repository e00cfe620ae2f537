import { txt } from "../../lib/i18n";
import type { ImageReference, ReferenceError } from "../../lib/image-reference";
import type * as ImageReferences from "../../lib/image-reference";
import { containers, podSpec } from "../../lib/k8s";
import { isPatch, notSetByPatch, PatchGaps, withPatches } from "../../lib/k8s-patch";
import { PUBLIC_REGISTRIES } from "../../lib/profiles";
import { str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S_WORKLOADS } from "../../lib/types";
import { items, m, Message, msg } from "../../lib/message";
import { lazy } from "../../lib/lazy";

// Loaded at first use by the check, not at start-up (lib/lazy.ts).
const imageReferences = lazy(() => require("../../lib/image-reference") as typeof ImageReferences);

interface Config {
    registresAutorises: string[];
    registresInterdits: string[];
    etiquettesFlottantes: string[];
    exigerEmpreinte: boolean;
}

/** Default moving tags: names that registries conventionally move to new builds. */
const MOVING_TAGS = [
    "latest", "stable", "main", "master", "edge", "nightly", "develop", "dev", "canary", "next",
    "beta", "alpha", "testing", "unstable", "current", "rolling", "lts", "mainline",
];

export default defineResourceRule<Config>({
    name: "prod-02-images-maitrisees",
    needs: ["PROD-02"],
    title: txt("Images maîtrisées", "Controlled images"),
    description: txt(
        "L'image de chaque conteneur (y compris d'initialisation) des charges de travail (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) vient d'un registre maîtrisé et est épinglée. " +
            "La référence est lue comme le kubelet et les moteurs de conteneurs la lisent (grammaire et normalisation de distribution/reference, empreintes de go-digest) : le premier segment est un domaine s'il vaut `localhost`, contient « . » ou « : » (port) ou une majuscule, sinon l'image est sur Docker Hub (`docker.io`, avec `library/` pour un nom à un segment : `nginx` = `docker.io/library/nginx` ; `index.docker.io` et `registry-1.docker.io` sont Docker Hub) ; le chemin est en minuscules ; l'étiquette suit `[\\w][\\w.-]{0,127}` ; une empreinte n'est valide que pour sha256, sha384 ou sha512 avec la longueur de l'algorithme en hexadécimal minuscule. Une référence que le kubelet refuserait (majuscule dans le chemin, empreinte d'un autre algorithme ou mal formée, espaces…) ou une image absente est en défaut. " +
            "Registre : comparé par hôte (sans casse, le port 443 étant le port par défaut) puis par segments entiers de chemin, jamais par préfixe de texte ; une entrée `*.domaine` couvre les sous-domaines. Quand `registresAutorises` (profil : `registries`) n'est pas vide, elle décide seule : l'image vient de l'un de ses registres (une entrée peut autoriser un registre public) ; sinon tout registre qui n'est pas dans `registresInterdits` (profil : `publicRegistries`) est accepté. Décision : chaque profil refuse les registres publics docker.io (noms courts compris), ghcr.io, quay.io, registry.k8s.io, k8s.gcr.io, gcr.io et *.gcr.io, public.ecr.aws, mcr.microsoft.com, registry.gitlab.com, nvcr.io et docker.elastic.co (utiliser le registre de l'organisation ou son miroir ; un miroir configuré sur les nœuds n'est pas visible ici) ; aucun profil ne connaît de registre commun à tous les clients d'une offre : le registre de l'organisation se déclare dans `registresAutorises`. " +
            "Épinglage : une empreinte valide épingle l'image, quelle que soit son étiquette (le moteur tire l'empreinte) ; sinon, une image sans étiquette (le kubelet tire `latest`) ou d'étiquette flottante (`etiquettesFlottantes`, sans casse : latest, stable, main, master, edge, nightly, develop…) est en défaut ; avec `exigerEmpreinte` (faux par défaut), l'empreinte est obligatoire. Dans un état exporté, les images sont telles que l'API Kubernetes les a reçues (elle ne les réécrit pas) : mêmes verdicts." + " Correctifs (`…Patch`, voir « Correctifs Kubernetes » dans docs/regles.md) : un correctif sans modèle de pod n'est pas examiné ; l'image d'un conteneur qu'il ne fixe pas est invérifiable (celle de l'objet existant).",
        "The image of every container (init containers included) of workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob) comes from a controlled registry and is pinned. " +
            "The reference is read as the kubelet and the container runtimes read it (distribution/reference grammar and normalisation, go-digest digests): the first component is a domain when it is `localhost`, contains \".\" or \":\" (port) or an upper-case letter, otherwise the image is on Docker Hub (`docker.io`, with `library/` for a one-component name: `nginx` = `docker.io/library/nginx`; `index.docker.io` and `registry-1.docker.io` are Docker Hub); the path is lower case; the tag follows `[\\w][\\w.-]{0,127}`; a digest is valid only for sha256, sha384 or sha512 with the algorithm's length of lower-case hexadecimal. A reference the kubelet would refuse (upper case in the path, digest of another algorithm or malformed, spaces…) or a missing image fails. " +
            "Registry: compared by host (case-insensitive, port 443 being the default port) then by whole path components, never by text prefix; an entry `*.domain` covers subdomains. When `registresAutorises` (profile: `registries`) is not empty, it decides alone: the image comes from one of its registries (an entry may allow a public registry); otherwise any registry not in `registresInterdits` (profile: `publicRegistries`) is accepted. Decision: every profile refuses the public registries docker.io (short names included), ghcr.io, quay.io, registry.k8s.io, k8s.gcr.io, gcr.io and *.gcr.io, public.ecr.aws, mcr.microsoft.com, registry.gitlab.com, nvcr.io and docker.elastic.co (use the organisation's registry or its mirror; a mirror configured on the nodes is not visible here); no profile knows a registry common to all the customers of an offer: the organisation's registry is declared in `registresAutorises`. " +
            "Pinning: a valid digest pins the image whatever its tag (the runtime pulls the digest); otherwise an image without a tag (the kubelet pulls `latest`) or with a moving tag (`etiquettesFlottantes`, case-insensitive: latest, stable, main, master, edge, nightly, develop…) fails; with `exigerEmpreinte` (false by default), the digest is mandatory. In an exported state, images are as the Kubernetes API received them (it does not rewrite them): same verdicts." + " Patches (`…Patch`, see \"Correctifs Kubernetes\" in docs/regles.md): a patch without a pod template is not examined; the image of a container it does not set cannot be checked (the existing object's).",
    ),
    remediation: txt(
        "Publier l'image dans le registre maîtrisé de l'organisation et la référencer avec une version explicite, idéalement par empreinte : `registre.exemple.fr/equipe/app:1.4.2@sha256:…`.",
        "Publish the image to the organisation's controlled registry and reference it with an explicit version, ideally by digest: `registry.example.fr/team/app:1.4.2@sha256:…`.",
    ),
    severity: "high",
    enforcementLevel: "mandatory",
    config: {
        registresAutorises: {
            type: "array",
            items: { type: "string" },
            default: [],
            profileKey: "registries",
            description: txt(
                "Registres autorisés : `hôte[:port][/chemin]` (par exemple `registre.exemple.gouv.fr` ou `harbor.interne:5000/equipe`), `*.domaine` pour les sous-domaines ; vide : tout registre non refusé.",
                "Allowed registries: `host[:port][/path]` (for example `registry.example.gouv.fr` or `harbor.internal:5000/team`), `*.domain` for subdomains; empty: any registry not refused.",
            ),
        },
        registresInterdits: {
            type: "array",
            items: { type: "string" },
            default: PUBLIC_REGISTRIES,
            profileKey: "publicRegistries",
            description: txt(
                "Registres refusés (registres publics), même forme ; appliqués quand `registresAutorises` est vide.",
                "Refused registries (public registries), same form; applied when `registresAutorises` is empty.",
            ),
        },
        etiquettesFlottantes: {
            type: "array",
            items: { type: "string" },
            default: MOVING_TAGS,
            description: txt("Étiquettes qui n'épinglent pas une version (sans casse).", "Tags that pin no version (case-insensitive)."),
        },
        exigerEmpreinte: {
            type: "boolean",
            default: false,
            description: txt("Exiger une empreinte (`@sha256:…`) pour chaque image.", "Require a digest (`@sha256:…`) for every image."),
        },
    },
    types: withPatches(K8S_WORKLOADS),
    check(r, ctx) {
        const pod = podSpec(r.type, r.props);
        if (!pod) {
            if (isPatch(r.type)) ctx.notApplicable(notSetByPatch("pod template"));
            return;
        }
        const gaps = new PatchGaps(isPatch(r.type));
        const floating = ctx.config.etiquettesFlottantes.map((t) => t.toLowerCase());
        for (const c of containers(pod)) {
            const raw = c.container["image"];
            const image = str(raw);
            const property = `${c.path}.image`;
            const label = msg(m`conteneur « ${c.name} »`, m`container "${c.name}"`);
            if (image === undefined || image === "") {
                if ((raw === undefined || raw === null) && gaps.absent(property)) continue;
                ctx.report({ property, value: raw, problem: msg(m`${label.fr} : image absente ou illisible.`, m`${label.en}: missing or unreadable image.`) });
                continue;
            }
            const parsed = imageReferences().parseImageReference(image);
            if (!parsed.ok) {
                const why = REFERENCE_ERRORS[parsed.error];
                ctx.report({
                    property,
                    value: image,
                    problem: msg(m`${label.fr} : référence d'image que le kubelet refuse (${why.fr}).`, m`${label.en}: image reference the kubelet refuses (${why.en}).`),
                    fix: msg(m`écrire \`registre/chemin:version\` en minuscules, avec au besoin \`@sha256:<64 hex>\`.`, m`write \`registry/path:version\` in lower case, with \`@sha256:<64 hex>\` if needed.`),
                });
                continue;
            }
            const ref = parsed.ref;
            const name = `${ref.domain}/${ref.path}`;
            const allowed = ctx.config.registresAutorises;
            const refused = ctx.config.registresInterdits;
            if (allowed.length > 0) {
                // An explicit list decides alone: an entry may allow a registry the default refuses.
                if (!allowed.some((e) => imageReferences().registryEntryMatches(ref, e))) {
                    ctx.report({
                        property,
                        value: image,
                        problem: msg(
                            m`${label.fr} : ${name} ne vient pas d'un registre autorisé (${items(allowed)}).`,
                            m`${label.en}: ${name} does not come from an allowed registry (${items(allowed)}).`,
                        ),
                    });
                }
            } else if (refused.some((e) => imageReferences().registryEntryMatches(ref, e))) {
                ctx.report({
                    property,
                    value: image,
                    problem: msg(
                        m`${label.fr} : ${name} vient d'un registre public refusé (${items(refused)}).`,
                        m`${label.en}: ${name} comes from a refused public registry (${items(refused)}).`,
                    ),
                    fix: msg(
                        m`passer par le registre privé ou le miroir de l'organisation, déclaré dans \`registresAutorises\`.`,
                        m`go through the organisation's private registry or mirror, declared in \`registresAutorises\`.`,
                    ),
                });
            }
            const pinned = ref.digest !== undefined;
            if (ctx.config.exigerEmpreinte && !pinned) {
                ctx.report({
                    property,
                    value: image,
                    problem: msg(m`${label.fr} : image sans empreinte.`, m`${label.en}: image without a digest.`),
                    fix: msg(m`référencer l'image par son empreinte : \`${imageReferences().canonicalReference(ref)}@sha256:<empreinte>\`.`, m`reference the image by digest: \`${imageReferences().canonicalReference(ref)}@sha256:<digest>\`.`),
                });
            } else if (!pinned && (!ref.tag || floating.includes(ref.tag.toLowerCase()))) {
                ctx.report({
                    property,
                    value: image,
                    problem: unpinned(label, ref),
                    fix: msg(m`indiquer une version explicite (\`:1.4.2\`) ou une empreinte \`@sha256:\`.`, m`give an explicit version (\`:1.4.2\`) or an \`@sha256:\` digest.`),
                });
            }
        }
        gaps.end(ctx);
    },
});

function unpinned(label: Message, ref: ImageReference): Message {
    return ref.tag
        ? msg(m`${label.fr} : image non épinglée (étiquette flottante « ${ref.tag} »).`, m`${label.en}: unpinned image (moving tag "${ref.tag}").`)
        : msg(m`${label.fr} : image non épinglée (sans étiquette, le kubelet tire \`latest\`).`, m`${label.en}: unpinned image (no tag, the kubelet pulls \`latest\`).`);
}

const REFERENCE_ERRORS: Record<ReferenceError, Message> = {
    empty: msg(m`vide`, m`empty`),
    identifier: msg(m`64 caractères hexadécimaux seuls : un identifiant, pas un nom`, m`64 hexadecimal characters alone: an identifier, not a name`),
    uppercase: msg(m`le chemin du dépôt doit être en minuscules`, m`the repository path must be lower case`),
    format: msg(m`format invalide`, m`invalid format`),
    "too-long": msg(m`chemin de plus de 255 caractères`, m`path longer than 255 characters`),
    "digest-format": msg(m`empreinte mal formée`, m`malformed digest`),
    "digest-algorithm": msg(m`algorithme d'empreinte non pris en charge (sha256, sha384, sha512)`, m`unsupported digest algorithm (sha256, sha384, sha512)`),
    "digest-length": msg(m`empreinte de longueur incorrecte pour son algorithme`, m`digest of the wrong length for its algorithm`),
};
