import { txt } from "../../lib/i18n";
import { containers, podSpec } from "../../lib/k8s";
import { str } from "../../lib/props";
import { defineResourceRule } from "../../lib/rule";
import { K8S_WORKLOADS } from "../../lib/types";
import { items, m, msg } from "../../lib/message";

interface Config {
    registresAutorises: string[];
    registresInterdits: string[];
    etiquettesFlottantes: string[];
    exigerEmpreinte: boolean;
}

interface ImageRef {
    /** Registry host (with port), `docker.io` when none is given. */
    registry: string;
    /** Repository path, with `library/` for Docker Hub's official images. */
    repository: string;
    tag?: string;
    digest?: string;
}

/**
 * Parses an image reference like the container runtimes do: the first component is a registry
 * when it contains `.` or `:` or is `localhost`; otherwise the image is on Docker Hub (`docker.io`),
 * under `library/` when it has a single component.
 */
function parseImage(image: string): ImageRef | undefined {
    let rest = image.trim();
    if (!rest || /\s/.test(rest)) return undefined;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    let tag: string | undefined;
    const slash = rest.lastIndexOf("/");
    const colon = rest.lastIndexOf(":");
    if (colon > slash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    if (!rest) return undefined;
    const parts = rest.split("/");
    let registry = "docker.io";
    if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === "localhost")) registry = parts.shift() as string;
    registry = registry.toLowerCase();
    if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
    if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
    if (parts.some((p) => !p)) return undefined;
    return { registry, repository: parts.join("/"), tag: tag || undefined, digest: digest || undefined };
}

/** `registry/repository`, what registry prefixes are compared with. */
function fullName(ref: ImageRef): string {
    return `${ref.registry}/${ref.repository}`;
}

/** A prefix without `/` names a registry host: `registry.example.fr` means `registry.example.fr/`. */
function prefixMatches(name: string, prefix: string): boolean {
    const p = prefix.trim().toLowerCase();
    if (!p) return false;
    const norm = p.includes("/") ? p : `${p}/`;
    return name.toLowerCase().startsWith(norm);
}

export default defineResourceRule<Config>({
    name: "prod-02-images-maitrisees",
    needs: ["PROD-02"],
    title: txt("Images maîtrisées", "Controlled images"),
    description: txt(
        "L'image de chaque conteneur (y compris d'initialisation) des charges de travail (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) vient d'un registre maîtrisé et est épinglée. La référence est lue comme le font les moteurs de conteneurs : le premier segment est un registre s'il contient « . » ou « : » (port) ou vaut `localhost`, sinon l'image est sur Docker Hub (`docker.io`, avec `library/` pour les images officielles : `nginx` = `docker.io/library/nginx`). Registre : quand `registresAutorises` n'est pas vide, `registre/dépôt` commence par l'un de ses préfixes (un préfixe sans « / » désigne un hôte entier) ; décision : la liste est vide par défaut (faute de registre commun à toutes les offres) et `registresInterdits` refuse par défaut les registres publics `docker.io`, `ghcr.io` et `quay.io` (utiliser un registre privé ou un miroir). Épinglage : une image sans étiquette ni empreinte, ou d'étiquette flottante (`latest` par défaut, sans casse), est en défaut ; une empreinte `@sha256:<64 hex>` épingle l'image quelle que soit son étiquette ; avec `exigerEmpreinte` (faux par défaut), l'empreinte est obligatoire. Une image absente ou illisible est en défaut.",
        "The image of every container (init containers included) of workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) comes from a controlled registry and is pinned. The reference is read as container runtimes do: the first component is a registry when it contains \".\" or \":\" (port) or is `localhost`, otherwise the image is on Docker Hub (`docker.io`, with `library/` for official images: `nginx` = `docker.io/library/nginx`). Registry: when `registresAutorises` is not empty, `registry/repository` starts with one of its prefixes (a prefix without \"/\" names a whole host); decision: the list is empty by default (there is no registry common to every offer) and `registresInterdits` refuses by default the public registries `docker.io`, `ghcr.io` and `quay.io` (use a private registry or a mirror). Pinning: an image with neither tag nor digest, or with a floating tag (`latest` by default, case-insensitive), fails; a `@sha256:<64 hex>` digest pins the image whatever its tag; with `exigerEmpreinte` (false by default), the digest is mandatory. A missing or unreadable image fails.",
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
            description: txt(
                "Préfixes `registre/chemin` autorisés (par exemple `registre.exemple.gouv.fr/` ou `harbor.interne:5000/equipe/`) ; vide : tout registre non interdit.",
                "Allowed `registry/path` prefixes (for example `registry.example.gouv.fr/` or `harbor.internal:5000/team/`); empty: any registry not refused.",
            ),
        },
        registresInterdits: {
            type: "array",
            items: { type: "string" },
            default: ["docker.io/", "ghcr.io/", "quay.io/"],
            description: txt(
                "Préfixes `registre/chemin` refusés (registres publics), appliqués aussi quand `registresAutorises` est vide.",
                "Refused `registry/path` prefixes (public registries), applied even when `registresAutorises` is empty.",
            ),
        },
        etiquettesFlottantes: {
            type: "array",
            items: { type: "string" },
            default: ["latest"],
            description: txt("Étiquettes qui n'épinglent pas une version (sans casse).", "Tags that pin no version (case-insensitive)."),
        },
        exigerEmpreinte: {
            type: "boolean",
            default: false,
            description: txt("Exiger une empreinte `@sha256:` pour chaque image.", "Require an `@sha256:` digest for every image."),
        },
    },
    types: K8S_WORKLOADS,
    check(r, ctx) {
        const pod = podSpec(r.type, r.props);
        if (!pod) return;
        const floating = ctx.config.etiquettesFlottantes.map((t) => t.toLowerCase());
        for (const c of containers(pod)) {
            const raw = c.container["image"];
            const image = str(raw);
            const property = `${c.path}.image`;
            const label = msg(m`conteneur « ${c.name} »`, m`container "${c.name}"`);
            const ref = image ? parseImage(image) : undefined;
            if (!ref) {
                ctx.report({ property, value: raw, problem: msg(m`${label.fr} : image absente ou illisible.`, m`${label.en}: missing or unreadable image.`) });
                continue;
            }
            const name = fullName(ref);
            const allowed = ctx.config.registresAutorises;
            if (allowed.length > 0 && !allowed.some((p) => prefixMatches(name, p))) {
                ctx.report({
                    property,
                    value: image,
                    problem: msg(
                        m`${label.fr} : ${name} ne vient pas d'un registre autorisé (${items(allowed)}).`,
                        m`${label.en}: ${name} does not come from an allowed registry (${items(allowed)}).`,
                    ),
                });
            } else if (ctx.config.registresInterdits.some((p) => prefixMatches(name, p))) {
                ctx.report({
                    property,
                    value: image,
                    problem: msg(
                        m`${label.fr} : ${name} vient d'un registre public refusé (${items(ctx.config.registresInterdits)}).`,
                        m`${label.en}: ${name} comes from a refused public registry (${items(ctx.config.registresInterdits)}).`,
                    ),
                    fix: msg(m`passer par le registre privé ou le miroir de l'organisation.`, m`go through the organisation's private registry or mirror.`),
                });
            }
            const pinned = ref.digest !== undefined && /^sha256:[0-9a-f]{64}$/.test(ref.digest);
            if (ctx.config.exigerEmpreinte && !pinned) {
                ctx.report({
                    property,
                    value: image,
                    problem: msg(m`${label.fr} : image sans empreinte \`@sha256:\`.`, m`${label.en}: image without an \`@sha256:\` digest.`),
                    fix: msg(m`référencer l'image par son empreinte : \`…:1.4.2@sha256:<empreinte>\`.`, m`reference the image by digest: \`…:1.4.2@sha256:<digest>\`.`),
                });
            } else if (!pinned && (!ref.tag || floating.includes(ref.tag.toLowerCase()))) {
                ctx.report({
                    property,
                    value: image,
                    problem: msg(
                        m`${label.fr} : image non épinglée (${ref.tag ? `étiquette flottante « ${ref.tag} »` : "sans étiquette, donc `latest`"}).`,
                        m`${label.en}: unpinned image (${ref.tag ? `floating tag "${ref.tag}"` : "no tag, hence `latest`"}).`,
                    ),
                    fix: msg(m`indiquer une version explicite (\`:1.4.2\`) ou une empreinte \`@sha256:\`.`, m`give an explicit version (\`:1.4.2\`) or an \`@sha256:\` digest.`),
                });
            }
        }
    },
});
