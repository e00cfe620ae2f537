/**
 * What a StorageClass's provisioner does with its `parameters` as to encryption at rest (SEC-03).
 * Each entry states the parameters its provisioner documents, read as the provisioner reads them
 * (parameter keys are exact: the CSI drivers look them up in a map). A provisioner that is not
 * listed is not inspected: its StorageClass cannot be checked.
 */

/** What a provisioner does with a StorageClass's parameters. */
export type ScJudgement =
    /** The volume is a Cinder volume of the type in parameter `param` (absent or "": Cinder's choice). */
    | { kind: "volume-type"; param: string; value: unknown }
    /** The volumes are always encrypted at rest by the platform, whatever the parameters. */
    | { kind: "always-encrypted" }
    /** Encrypted when parameter `param` holds a value the provisioner reads as true. */
    | { kind: "encrypted"; param: string; value: string }
    /** Not encrypted: parameter `param` is absent or holds a value the provisioner reads as false. */
    | { kind: "not-encrypted"; param: string; value: unknown; expected: string }
    /** The provisioner refuses the parameter's value: no volume is created. */
    | { kind: "invalid"; param: string; value: unknown; expected: string }
    /** Volumes on the nodes' local disks: encrypted only if those disks are. */
    | { kind: "local" }
    /** Not a provisioner this table knows. */
    | { kind: "unknown" };

interface ProvisionerFacts {
    provisioners: readonly string[];
    /** Where the facts come from. */
    source: string;
    judge(params: Record<string, unknown>): ScJudgement;
}

/** Go's `strconv.ParseBool`. */
function parseGoBool(v: string): boolean | undefined {
    if (["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
    if (["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
    return undefined;
}

/** `param` must be exactly "true" (the driver compares the string). */
function exactTrue(param: string): (params: Record<string, unknown>) => ScJudgement {
    return (params) => {
        const v = params[param];
        return v === "true" ? { kind: "encrypted", param, value: v } : { kind: "not-encrypted", param, value: v, expected: "true" };
    };
}

export const STORAGE_PROVISIONERS: readonly ProvisionerFacts[] = [
    {
        // cloud-provider-openstack, pkg/csi/cinder/controllerserver.go: `volParams["type"]` is the
        // Cinder volume type of the new volume (empty: Cinder's choice); other keys are not types.
        provisioners: ["cinder.csi.openstack.org", "kubernetes.io/cinder"],
        source: "cloud-provider-openstack (Cinder CSI)",
        judge: (params) => ({ kind: "volume-type", param: "type", value: params["type"] }),
    },
    {
        // aws-ebs-csi-driver: `encrypted` must be the string "true" (older drivers compare it
        // exactly); the default is an unencrypted volume (account-wide default encryption is not
        // visible to the pack).
        provisioners: ["ebs.csi.aws.com", "kubernetes.io/aws-ebs"],
        source: "aws-ebs-csi-driver",
        judge: exactTrue("encrypted"),
    },
    {
        // Azure managed disks and Azure Files are always encrypted at rest (server-side encryption
        // cannot be disabled); `diskEncryptionSetID` only chooses customer-managed keys.
        provisioners: ["disk.csi.azure.com", "kubernetes.io/azure-disk", "file.csi.azure.com", "kubernetes.io/azure-file"],
        source: "Azure Disk Storage server-side encryption",
        judge: () => ({ kind: "always-encrypted" }),
    },
    {
        // Compute Engine encrypts every persistent disk at rest; `disk-encryption-kms-key` only
        // chooses a customer-managed key.
        provisioners: ["pd.csi.storage.gke.io", "kubernetes.io/gce-pd"],
        source: "Compute Engine persistent disks",
        judge: () => ({ kind: "always-encrypted" }),
    },
    {
        // ceph-csi, internal/rbd: `encrypted` is read with strconv.ParseBool; a value it cannot
        // read fails the creation; absent or false: no encryption.
        provisioners: ["rbd.csi.ceph.com"],
        source: "ceph-csi (RBD)",
        judge: (params) => {
            const v = params["encrypted"];
            if (v === undefined || v === null) return { kind: "not-encrypted", param: "encrypted", value: v, expected: "true" };
            const b = typeof v === "string" ? parseGoBool(v) : undefined;
            if (b === true) return { kind: "encrypted", param: "encrypted", value: v as string };
            if (b === false) return { kind: "not-encrypted", param: "encrypted", value: v, expected: "true" };
            return { kind: "invalid", param: "encrypted", value: v, expected: "true" };
        },
    },
    {
        // Longhorn volume encryption: `encrypted: "true"` with the key's secret parameters.
        provisioners: ["driver.longhorn.io"],
        source: "Longhorn volume encryption",
        judge: exactTrue("encrypted"),
    },
    {
        // Node-local volumes: what is on the node's disk.
        provisioners: ["kubernetes.io/no-provisioner", "openebs.io/local", "rancher.io/local-path", "local.csi.openebs.io"],
        source: "local volumes",
        judge: () => ({ kind: "local" }),
    },
];

/** What the provisioner makes of the parameters. */
export function judgeStorageClass(provisioner: string, params: Record<string, unknown>): ScJudgement {
    const facts = STORAGE_PROVISIONERS.find((f) => f.provisioners.includes(provisioner));
    return facts ? facts.judge(params) : { kind: "unknown" };
}

/** Every provisioner the table knows. */
export function knownProvisioners(): string[] {
    return STORAGE_PROVISIONERS.flatMap((f) => f.provisioners);
}
