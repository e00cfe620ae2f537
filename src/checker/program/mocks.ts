/**
 * What the mock runtime answers a program: outputs of created resources (COMPUTED_OUTPUTS) and data
 * sources (INVOKE_ANSWERS, `{}` otherwise; `kubernetes:yaml:decode` really parses the YAML so that
 * `k8s.yaml.ConfigFile` and `ConfigGroup` create their children). Documented in the README.
 */
import YAML from "yaml";
import { oneLine } from "../errors";

export type Props = Record<string, unknown>;

export interface ComputedOutputs {
    description: string;
    outputs: (inputs: Props, name: string) => Props;
}

/**
 * Outputs the mock provider adds to a created resource's inputs. The addresses are documentation
 * addresses (RFC 5737), never real ones, so that no policy mistakes them for a real exposure.
 */
export const COMPUTED_OUTPUTS: Record<string, ComputedOutputs> = {
    "openstack:compute/instance:Instance": {
        description: "accessIpV4 = 192.0.2.10 (RFC 5737 documentation address) when the program did not set it",
        outputs: (i) => (i.accessIpV4 === undefined ? { accessIpV4: "192.0.2.10" } : {}),
    },
    "openstack:networking/floatingIp:FloatingIp": {
        description: "address = 203.0.113.10 (RFC 5737 documentation address) when the program did not set it",
        outputs: (i) => (i.address === undefined ? { address: "203.0.113.10" } : {}),
    },
    "openstack:networking/port:Port": {
        description: "allFixedIps = [\"192.0.2.20\"] (RFC 5737 documentation address)",
        outputs: (i) => (i.allFixedIps === undefined ? { allFixedIps: ["192.0.2.20"] } : {}),
    },
};

export interface InvokeContext {
    /** Stack configuration, namespaced keys (secret values are "[secret]"). */
    config: Record<string, string>;
    /** Inputs of the explicit provider the invoke was sent to, if any. */
    providerInputs?: Props;
}

export interface InvokeAnswer {
    description: string;
    answer: (args: Props, ctx: InvokeContext) => Props;
}

function str(v: unknown): string | undefined {
    return typeof v === "string" && v !== "" ? v : undefined;
}

/** A lookup answered by echoing its arguments with an id `<name>-id` (or the id it was given). */
function lookup(fallbackName: string, idArg?: string): InvokeAnswer["answer"] {
    return (args) => {
        const name = str(args.name) ?? fallbackName;
        const id = (idArg ? str(args[idArg]) : undefined) ?? `${name}-id`;
        return { ...args, id, name };
    };
}

/** Kubernetes kinds that are not namespaced (the provider asks the cluster; the mock knows these). */
const CLUSTER_SCOPED_KINDS = new Set([
    "APIService",
    "CertificateSigningRequest",
    "ClusterIssuer",
    "ClusterRole",
    "ClusterRoleBinding",
    "ComponentStatus",
    "CSIDriver",
    "CSINode",
    "CustomResourceDefinition",
    "FlowSchema",
    "IngressClass",
    "MutatingWebhookConfiguration",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PriorityClass",
    "PriorityLevelConfiguration",
    "RuntimeClass",
    "StorageClass",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "ValidatingWebhookConfiguration",
    "VolumeAttachment",
]);

/**
 * `kubernetes:yaml:decode`, as pulumi-kubernetes answers it (provider/pkg/provider/invoke_decode_yaml.go):
 * every YAML document of `text` that has a kind and an apiVersion, with the provider's default
 * namespace set on namespaced objects that have none. YAML is read as go-yaml does (1.1 booleans).
 */
export function decodeKubernetesYaml(text: string, defaultNamespace?: string): Props[] {
    const docs = YAML.parseAllDocuments(text, {
        version: "1.1",
        customTags: (tags) => tags.filter((t) => (t as { format?: string }).format !== "TIME"),
    });
    const out: Props[] = [];
    for (const doc of docs) {
        if (doc.errors.length > 0) {
            throw new Error(`kubernetes:yaml:decode: invalid YAML: ${oneLine(doc.errors[0].message)}`);
        }
        const obj = doc.toJS() as unknown;
        if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
            continue;
        }
        const o = obj as Props;
        if (!str(o.kind) || !str(o.apiVersion)) {
            continue;
        }
        if (defaultNamespace && !CLUSTER_SCOPED_KINDS.has(o.kind as string)) {
            const metadata = (typeof o.metadata === "object" && o.metadata !== null ? o.metadata : {}) as Props;
            if (!str(metadata.namespace)) {
                o.metadata = { ...metadata, namespace: defaultNamespace };
            }
        }
        out.push(o);
    }
    return out;
}

/** Answers of the mock to data sources (invokes); any other token gets `{}`. */
export const INVOKE_ANSWERS: Record<string, InvokeAnswer> = {
    "kubernetes:yaml:decode": {
        description:
            "parses `text` for real (multi-document YAML) and returns `{ result: [objects] }`, so that " +
            "k8s.yaml.ConfigFile and k8s.yaml.ConfigGroup create their resources",
        answer: (args, ctx) => {
            const ns = str(ctx.providerInputs?.namespace) ?? str(ctx.config["kubernetes:namespace"]);
            return { result: decodeKubernetesYaml(typeof args.text === "string" ? args.text : "", ns) };
        },
    },
    "kubernetes:helm:template": {
        description: "returns `{ result: [] }`: Helm charts (v3 Chart) are not rendered, their resources are not checked",
        answer: () => ({ result: [] }),
    },
    "openstack:compute/getFlavor:getFlavor": {
        description: "echoes the arguments, id = flavorId or `<name>-id`",
        answer: lookup("flavor", "flavorId"),
    },
    "openstack:images/getImage:getImage": {
        description: "echoes the arguments, id = `<name>-id`",
        answer: lookup("image"),
    },
    "openstack:networking/getNetwork:getNetwork": {
        description: "echoes the arguments, id = networkId or `<name>-id`",
        answer: lookup("network", "networkId"),
    },
    "openstack:networking/getSubnet:getSubnet": {
        description: "echoes the arguments, id = subnetId or `<name>-id`",
        answer: lookup("subnet", "subnetId"),
    },
    "openstack:networking/getSecGroup:getSecGroup": {
        description: "echoes the arguments, id = secgroupId or `<name>-id`",
        answer: lookup("secgroup", "secgroupId"),
    },
    "openstack:networking/getRouter:getRouter": {
        description: "echoes the arguments, id = routerId or `<name>-id`",
        answer: lookup("router", "routerId"),
    },
    "openstack:networking/getPort:getPort": {
        description: "echoes the arguments, id = portId or `<name>-id`",
        answer: lookup("port", "portId"),
    },
    "openstack:compute/getKeypair:getKeypair": {
        description: "echoes the arguments, id = `<name>-id`",
        answer: lookup("keypair"),
    },
    "openstack:identity/getProject:getProject": {
        description: "echoes the arguments, id = projectId or `<name>-id`",
        answer: lookup("project", "projectId"),
    },
    "openstack:identity/getAuthScope:getAuthScope": {
        description: "echoes the arguments, id = `<name>-id`, projectId = `project-id`, region = openstack:region",
        answer: (args, ctx) => ({
            ...lookup("scope")(args, ctx),
            projectId: "project-id",
            ...(str(ctx.config["openstack:region"]) ? { region: ctx.config["openstack:region"] } : {}),
        }),
    },
    "openstack:compute/getAvailabilityZones:getAvailabilityZones": {
        description: "returns `{ id: \"availability-zones\", names: [\"nova\"] }`",
        answer: (args) => ({ ...args, id: "availability-zones", names: ["nova"] }),
    },
};

