/**
 * Plain Kubernetes manifests for the checker, read as pulumi-kubernetes reads them:
 *
 * - `check --manifests FILE|DIR|-`: YAML (or JSON) documents — multi-document files, `List` kinds,
 *   the output of `helm template` or `kustomize build` — turned into the resources the engine would
 *   hand to the pack (`kubernetes:<group>/<version>:<Kind>`, named `<namespace>/<name>`), each with
 *   where it is declared (file, line);
 * - `kubernetes:yaml/v2:ConfigFile` and `ConfigGroup`: provider-side components (the provider
 *   parses their files and registers their objects), so a program under mocks or a preview shows
 *   them without children. The checker reads their `file`/`files` (paths relative to the project
 *   directory, globs for ConfigGroup), `yaml` and `objs` itself and adds their objects as the
 *   component's children, named as pulumi-kubernetes names them (provider/pkg/provider/yaml/v2:
 *   `<resourcePrefix>:<namespace>/<name>`, the prefix defaulting to the component's name; the
 *   provider's default namespace set on namespaced objects that have none; `data` and `stringData`
 *   of a Secret kept secret; Lists expanded).
 *
 * YAML is read as the Kubernetes decoder reads it (go-yaml, YAML 1.1: `yes`/`on` are booleans;
 * timestamps stay strings). A malformed document is an input error naming the file and line.
 */
import * as fs from "fs";
import * as path from "path";
import YAML, { isMap, isSeq, LineCounter, Node as YamlNode } from "yaml";
import { EngineResource, isSecret, ProviderResource, secret, UNKNOWN } from "../engine/types";
import { InputError, oneLine } from "./errors";
import { makeUrn, parseUrn } from "./inputs";
import { CheckResult, SourceLocation } from "./model";

type Props = Record<string, unknown>;

/** A Kubernetes object of a manifest, with where it is declared. */
export interface ManifestObject {
    object: Props;
    location: SourceLocation;
}

/** Project of the stack `check --manifests` evaluates (its stack: `--stack`, else this name too). */
export const MANIFESTS_PROJECT = "manifests";

export const CONFIG_FILE_V2 = "kubernetes:yaml/v2:ConfigFile";
export const CONFIG_GROUP_V2 = "kubernetes:yaml/v2:ConfigGroup";

/** Kinds that are not namespaced (the provider asks the cluster; these are the built-in ones). */
const CLUSTER_SCOPED_KINDS = new Set([
    "APIService", "CertificateSigningRequest", "ClusterIssuer", "ClusterRole", "ClusterRoleBinding", "ComponentStatus",
    "CSIDriver", "CSINode", "CustomResourceDefinition", "FlowSchema", "IngressClass", "MutatingWebhookConfiguration",
    "Namespace", "Node", "PersistentVolume", "PriorityClass", "PriorityLevelConfiguration", "RuntimeClass", "StorageClass",
    "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration", "VolumeAttachment",
    "VolumeSnapshotClass", "VolumeSnapshotContent",
]);

function isObject(v: unknown): v is Props {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** A path as reports show it: relative to the working directory when below it, forward slashes. */
export function displayFile(file: string): string {
    if (file === "-" || file.startsWith("<")) return file;
    const rel = path.relative(process.cwd(), path.resolve(file));
    const shown = rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : path.resolve(file);
    return shown.split(path.sep).join("/");
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/**
 * Every Kubernetes object of a YAML (or JSON) text: empty documents skipped, `List`s expanded (an
 * object whose `items` is a list, as `unstructured.IsList` tells them), each object with the line of
 * its document (or list item). A malformed document, or one that is not an object with `apiVersion`,
 * `kind` and `metadata.name`, is an input error `FILE:LINE: …`.
 */
export function parseManifests(text: string, file: string): ManifestObject[] {
    const shown = displayFile(file);
    const lineCounter = new LineCounter();
    const docs = YAML.parseAllDocuments(text, {
        version: "1.1",
        lineCounter,
        customTags: (tags) => tags.filter((t) => (t as { format?: string }).format !== "TIME"),
    });
    const out: ManifestObject[] = [];
    const lineOf = (node: YamlNode | null | undefined, fallback: number): number => {
        const offset = node?.range?.[0];
        return offset === undefined ? fallback : lineCounter.linePos(offset).line;
    };
    for (const doc of docs) {
        const docLine = lineCounter.linePos(doc.range[0]).line;
        if (doc.errors.length > 0) {
            const e = doc.errors[0];
            const where = e.linePos?.[0] ? `${e.linePos[0].line}:${e.linePos[0].col}` : `${docLine}`;
            const reason = oneLine(e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, ""));
            throw new InputError(`${shown}:${where}: invalid YAML: ${reason}`);
        }
        let value: unknown;
        try {
            value = doc.toJS({ maxAliasCount: 1000 });
        } catch (e) {
            throw new InputError(`${shown}:${docLine}: invalid YAML: ${oneLine((e as Error).message)}`);
        }
        if (value === null || value === undefined) continue;
        const expand = (v: unknown, node: YamlNode | null | undefined, fallback: number) => {
            const line = lineOf(node, fallback);
            if (!isObject(v)) {
                throw new InputError(`${shown}:${line}: not a Kubernetes object (a YAML mapping with apiVersion, kind and metadata)`);
            }
            if (Object.keys(v).length === 0) return;
            if (Array.isArray(v.items)) {
                const itemsNode = isMap(node) ? node.get("items", true) : undefined;
                v.items.forEach((item, i) => expand(item, isSeq(itemsNode) ? (itemsNode.items[i] as YamlNode) : undefined, line));
                return;
            }
            if (!str(v.apiVersion) || !str(v.kind)) {
                throw new InputError(`${shown}:${line}: Kubernetes objects require a kind and an apiVersion`);
            }
            if (!str(isObject(v.metadata) ? v.metadata.name : undefined)) {
                throw new InputError(`${shown}:${line}: ${v.kind} without metadata.name`);
            }
            out.push({ object: v, location: { file: shown, line } });
        };
        expand(value, doc.contents as YamlNode | null, docLine);
    }
    return out;
}

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);
const HELM_CHART = "Chart.yaml";
const KUSTOMIZATIONS = new Set(["kustomization.yaml", "kustomization.yml", "Kustomization"]);

/** The manifest files of a directory, recursively, sorted; refuses unrendered charts and kustomizations. */
function manifestFiles(dir: string): string[] {
    const out: string[] = [];
    const walk = (d: string) => {
        const entries = fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
        for (const e of entries) {
            const full = path.join(d, e.name);
            if (e.isDirectory()) {
                if (!e.name.startsWith(".") && e.name !== "node_modules") walk(full);
                continue;
            }
            if (e.name === HELM_CHART) {
                throw new InputError(`${displayFile(d)}: a Helm chart (Chart.yaml), not manifests: render it first (helm template NAME ${displayFile(d)} -f values.yaml | cloud-de-confiance check --manifests -)`);
            }
            if (KUSTOMIZATIONS.has(e.name)) {
                throw new InputError(`${displayFile(d)}: a kustomization (${e.name}), not manifests: render it first (kustomize build ${displayFile(d)} | cloud-de-confiance check --manifests -)`);
            }
            if (MANIFEST_EXTENSIONS.has(path.extname(e.name).toLowerCase())) out.push(full);
        }
    };
    walk(dir);
    return out;
}

/**
 * The objects of `check --manifests TARGET`: a file, a directory (its `.yaml`, `.yml` and `.json`
 * files, recursively) or `-` (standard input). No object at all is an input error: an empty input is
 * most often a rendering that failed upstream.
 */
export function readManifests(target: string, readStdin: () => string = () => fs.readFileSync(0, "utf8")): ManifestObject[] {
    const read = (file: string): string => {
        try {
            return fs.readFileSync(file, "utf8");
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            throw new InputError(`${displayFile(file)}: cannot read the manifests (${code === "ENOENT" ? "no such file" : code ?? (e as Error).message})`);
        }
    };
    let objects: ManifestObject[];
    if (target === "-") {
        objects = parseManifests(readStdin(), "<stdin>");
    } else {
        let stat: fs.Stats;
        try {
            stat = fs.statSync(target);
        } catch {
            throw new InputError(`${displayFile(target)}: cannot read the manifests (no such file or directory)`);
        }
        if (stat.isDirectory()) {
            const files = manifestFiles(target);
            if (files.length === 0) throw new InputError(`${displayFile(target)}: no .yaml, .yml or .json file`);
            objects = files.flatMap((f) => parseManifests(read(f), f));
        } else {
            objects = parseManifests(read(target), target);
        }
    }
    if (objects.length === 0) throw new InputError(`${target === "-" ? "<stdin>" : displayFile(target)}: no Kubernetes object`);
    return objects;
}

// ---------------------------------------------------------------------------------------------
// Objects as resources
// ---------------------------------------------------------------------------------------------

/** The type token pulumi-kubernetes gives a kind: `apps/v1` `Deployment` → `kubernetes:apps/v1:Deployment`, `v1` → `core/v1`. */
export function typeToken(apiVersion: string, kind: string): string {
    const i = apiVersion.indexOf("/");
    const group = i < 0 ? "core" : apiVersion.slice(0, i) || "core";
    const version = i < 0 ? apiVersion : apiVersion.slice(i + 1);
    return `kubernetes:${group}/${version}:${kind}`;
}

/** The object's properties as pulumi-kubernetes registers them: a v1 Secret's `data` and `stringData` are secret. */
function registeredProperties(obj: Props, allSecret = false): Props {
    const out: Props = {};
    const isCoreSecret = obj.kind === "Secret" && (obj.apiVersion === "v1" || obj.apiVersion === "core/v1");
    for (const [k, v] of Object.entries(obj)) {
        const hide = allSecret ? k !== "apiVersion" && k !== "kind" : isCoreSecret && (k === "data" || k === "stringData");
        out[k] = hide ? secret(v) : v;
    }
    return out;
}

function objectName(obj: Props): { name: string; namespace?: string } {
    const meta = isObject(obj.metadata) ? obj.metadata : {};
    return { name: String(meta.name), namespace: str(meta.namespace) };
}

/**
 * `check --manifests`: the objects as the resources of a stack `stack` of project `project`, named
 * `<namespace>/<name>` (or `<name>`), with their locations by URN. An object declared twice (same
 * kind, namespace and name) keeps both declarations, the second named `… (2)`.
 */
export function manifestResources(objects: ManifestObject[], opts: { project: string; stack: string }): { resources: EngineResource[]; locations: Record<string, SourceLocation> } {
    const resources: EngineResource[] = [];
    const locations: Record<string, SourceLocation> = {};
    const seen = new Map<string, number>();
    for (const { object, location } of objects) {
        const type = typeToken(String(object.apiVersion), String(object.kind));
        const { name, namespace } = objectName(object);
        const base = namespace ? `${namespace}/${name}` : name;
        const n = (seen.get(`${type}::${base}`) ?? 0) + 1;
        seen.set(`${type}::${base}`, n);
        const resourceName = n === 1 ? base : `${base} (${n})`;
        const urn = makeUrn(opts.stack, opts.project, undefined, type, resourceName);
        resources.push({ urn, type, name: resourceName, properties: registeredProperties(object), options: { protect: false }, dependencies: [], propertyDependencies: {} });
        locations[urn] = location;
    }
    return { resources, locations };
}

/** Where each resource of a result is declared (manifests): on the resources and on their findings. */
export function attachLocations(result: CheckResult, locations: Record<string, SourceLocation>): void {
    for (const r of result.resources) if (locations[r.urn]) r.source = locations[r.urn];
    for (const f of result.findings) {
        const at = f.resource ? locations[f.resource.urn] : undefined;
        if (!at || !f.resource) continue;
        f.resource.source = at;
        f.location = at;
    }
    for (const r of result.remediations) if (locations[r.resource.urn]) r.resource.source = locations[r.resource.urn];
}

// ---------------------------------------------------------------------------------------------
// kubernetes:yaml/v2 components
// ---------------------------------------------------------------------------------------------

/** A wire value read as plain: unknown at preview, or secret, or a plain value. */
function plain(v: unknown): { unknown: boolean; secret: boolean; value: unknown } {
    if (v === UNKNOWN) return { unknown: true, secret: false, value: undefined };
    if (isSecret(v)) {
        const inner = plain(v.value);
        return { ...inner, secret: true };
    }
    if (Array.isArray(v)) {
        const items = v.map(plain);
        return { unknown: items.some((x) => x.unknown), secret: items.some((x) => x.secret), value: items.map((x) => x.value) };
    }
    if (isObject(v)) {
        const entries = Object.entries(v).map(([k, x]) => [k, plain(x)] as const);
        return {
            unknown: entries.some(([, x]) => x.unknown),
            secret: entries.some(([, x]) => x.secret),
            value: Object.fromEntries(entries.map(([k, x]) => [k, x.value])),
        };
    }
    return { unknown: false, secret: false, value: v };
}

/** Go's `filepath.Match` pattern characters, as pulumi-kubernetes detects a glob. */
function isGlobPattern(p: string): boolean {
    return /(?:^|[^\\])[*?[]/.test(p);
}

/** One path segment of a Go glob as a regular expression (`*`, `?`, `[…]`, `\` escapes). */
function segmentRegExp(seg: string): RegExp {
    let re = "";
    for (let i = 0; i < seg.length; i++) {
        const c = seg[i];
        if (c === "*") re += "[^/]*";
        else if (c === "?") re += "[^/]";
        else if (c === "[") {
            const end = seg.indexOf("]", i + 2);
            if (end < 0) {
                re += "\\[";
                continue;
            }
            let cls = seg.slice(i + 1, end).replace(/\\/g, "\\\\");
            if (cls.startsWith("^")) cls = "\\^" + cls.slice(1);
            re += `[${cls.startsWith("!") ? "^" + cls.slice(1) : cls}]`;
            i = end;
        } else if (c === "\\" && i + 1 < seg.length) {
            re += seg[++i].replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
        } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
    return new RegExp(`^${re}$`);
}

/** `filepath.Glob`: the paths matching the pattern, sorted; segments without pattern characters are taken as they are. */
export function glob(pattern: string, baseDir: string): string[] {
    const absolute = path.isAbsolute(pattern);
    // On Unix, `\\` escapes a pattern character (Go's filepath.Match); on Windows it separates.
    const segments = pattern.split(path.sep === "\\" ? /[\\/]+/ : /\/+/).filter((s, i) => s !== "" || i === 0);
    let current: string[] = [absolute ? path.parse(path.resolve(pattern)).root : baseDir];
    const start = absolute ? 1 : 0;
    for (let i = start; i < segments.length; i++) {
        const seg = segments[i];
        const next: string[] = [];
        for (const dir of current) {
            if (!/[*?[\\]/.test(seg)) {
                const p = path.join(dir, seg);
                if (fs.existsSync(p)) next.push(p);
                continue;
            }
            let entries: string[];
            try {
                entries = fs.readdirSync(dir);
            } catch {
                continue;
            }
            const re = segmentRegExp(seg);
            for (const e of entries.sort()) if (re.test(e)) next.push(path.join(dir, e));
        }
        current = next;
    }
    return current.sort();
}

export interface YamlComponentOptions {
    /** Where relative paths are read from: the project directory, as the provider runs there. */
    baseDir: string;
    /**
     * A file that cannot be read: `error` (a program: the deployment would fail) or `skip` (a preview
     * or a state, whose project directory is a guess: the component stays not inspected).
     */
    missingFiles: "error" | "skip";
}

/**
 * The objects of the `kubernetes:yaml/v2` components of `resources` that have no children, as the
 * components' children (see the module's comment). A component whose inputs are unknown, or whose
 * files cannot be read with `missingFiles: "skip"`, or that reads a URL (no network here), is left
 * as it is: the pack reports it « not inspected ».
 */
export function yamlComponentChildren(resources: readonly EngineResource[], opts: YamlComponentOptions): { children: EngineResource[]; locations: Record<string, SourceLocation> } {
    const parents = new Set(resources.map((r) => r.parent).filter((p): p is string => !!p));
    const out: EngineResource[] = [];
    const locations: Record<string, SourceLocation> = {};
    const fallbackProvider = resources.find((r) => r.provider?.type === "pulumi:providers:kubernetes" && r.provider.name.startsWith("default"))?.provider;
    for (const c of resources) {
        if ((c.type !== CONFIG_FILE_V2 && c.type !== CONFIG_GROUP_V2) || parents.has(c.urn)) continue;
        const objects = componentObjects(c, opts);
        if (!objects) continue;
        const provider = c.provider ?? fallbackProvider;
        const children = childResources(c, objects.list.map((o) => o.object), objects.secret, provider);
        children.forEach((ch, i) => {
            const at = objects.list[i].location;
            if (!at.file.endsWith(")")) locations[ch.urn] = at;
        });
        out.push(...children);
    }
    return { children: out, locations };
}

/**
 * The resource list with each yaml/v2 component's children right after it, and where each child is
 * declared (its file and line; none for inline `yaml` and `objs`).
 */
export function withYamlComponentChildren(resources: EngineResource[], opts: YamlComponentOptions): { resources: EngineResource[]; locations: Record<string, SourceLocation> } {
    const { children, locations } = yamlComponentChildren(resources, opts);
    if (children.length === 0) return { resources, locations };
    const byParent = new Map<string, EngineResource[]>();
    for (const ch of children) byParent.set(ch.parent!, [...(byParent.get(ch.parent!) ?? []), ch]);
    return { resources: resources.flatMap((r) => [r, ...(byParent.get(r.urn) ?? [])]), locations };
}

function componentObjects(c: EngineResource, opts: YamlComponentOptions): { list: ManifestObject[]; secret: boolean } | undefined {
    const p = c.properties;
    const inputs = [p.file, p.files, p.yaml, p.objs, p.resourcePrefix].map(plain);
    if (inputs.some((x) => x.unknown)) return undefined;
    const secretInputs = inputs.slice(0, 4).some((x) => x.secret);
    const paths: string[] = [];
    if (c.type === CONFIG_FILE_V2) {
        const file = inputs[0].value;
        if (typeof file !== "string" || file === "") return undefined;
        paths.push(file);
    } else {
        for (const f of Array.isArray(inputs[1].value) ? inputs[1].value : []) if (typeof f === "string" && f !== "") paths.push(f);
    }
    const texts: { text: string; file: string }[] = [];
    for (const f of paths) {
        if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(f)) return undefined; // a URL: not fetched
        const files = c.type === CONFIG_GROUP_V2 && isGlobPattern(f) ? glob(f, opts.baseDir) : [path.resolve(opts.baseDir, f)];
        for (const file of files) {
            try {
                texts.push({ text: fs.readFileSync(file, "utf8"), file });
            } catch (e) {
                if (opts.missingFiles === "skip") return undefined;
                const code = (e as NodeJS.ErrnoException).code;
                throw new InputError(`${c.type} "${c.name}": cannot read ${displayFile(file)} (${code === "ENOENT" ? "no such file" : code ?? (e as Error).message})`);
            }
        }
    }
    const list: ManifestObject[] = [];
    for (const t of texts) list.push(...parseManifests(t.text, t.file));
    if (c.type === CONFIG_GROUP_V2 && typeof inputs[2].value === "string") {
        list.push(...parseManifests(inputs[2].value, `${c.name} (yaml)`));
    }
    if (c.type === CONFIG_GROUP_V2 && Array.isArray(inputs[3].value)) {
        for (const o of inputs[3].value) {
            if (!isObject(o)) continue;
            // `objs` may be lists too; their items are validated as the YAML ones.
            list.push(...parseManifests(JSON.stringify(o), `${c.name} (objs)`));
        }
    }
    return { list, secret: secretInputs };
}

function childResources(c: EngineResource, objects: Props[], allSecret: boolean, provider: ProviderResource | undefined): EngineResource[] {
    const parsed = parseUrn(c.urn);
    if (!parsed) return [];
    const prefixInput = plain(c.properties.resourcePrefix).value;
    const prefix = typeof prefixInput === "string" ? prefixInput : c.name;
    const namespaceInput = provider ? plain(provider.properties.namespace).value : undefined;
    const defaultNamespace = typeof namespaceInput === "string" && namespaceInput !== "" ? namespaceInput : "default";
    const skipAwait = plain(c.properties.skipAwait).value === true;
    const clusterScoped = new Set(CLUSTER_SCOPED_KINDS);
    for (const o of objects) {
        if (o.kind === "CustomResourceDefinition" && isObject(o.spec) && o.spec.scope === "Cluster" && isObject(o.spec.names) && typeof o.spec.names.kind === "string") {
            clusterScoped.add(o.spec.names.kind);
        }
    }
    return objects.map((o) => {
        const obj: Props = { ...o, metadata: { ...(isObject(o.metadata) ? o.metadata : {}) } };
        const meta = obj.metadata as Props;
        if (!clusterScoped.has(String(obj.kind)) && !str(meta.namespace)) meta.namespace = defaultNamespace;
        if (skipAwait) meta.annotations = { ...(isObject(meta.annotations) ? meta.annotations : {}), "pulumi.com/skipAwait": "true" };
        const type = typeToken(String(obj.apiVersion), String(obj.kind));
        const { name, namespace } = objectName(obj);
        const base = namespace ? `${namespace}/${name}` : name;
        const resourceName = prefix ? `${prefix}:${base}` : base;
        const child: EngineResource = {
            urn: makeUrn(parsed.stack, parsed.project, c.urn, type, resourceName),
            type,
            name: resourceName,
            properties: registeredProperties(obj, allSecret),
            options: { protect: false, parent: c.urn },
            parent: c.urn,
            dependencies: [],
            propertyDependencies: {},
        };
        if (provider) child.provider = provider;
        return child;
    });
}
