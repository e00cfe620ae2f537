/**
 * The parts of `@pulumi/policy` (pinned at 1.21.0) that the pack's own Analyzer handlers reuse, so
 * that what they answer is built by the same code as `@pulumi/policy`'s: the conversion of the
 * properties (read from its module at each call, as its server does, since upstream-guard.ts and
 * shared-properties.ts replace it there), the unknown-checking proxy and its error, the response
 * builders and the gRPC error form. Each module is the one `@pulumi/policy` itself loads.
 */

type Struct = { toJavaScript(): Record<string, unknown> };

export interface PolicyLike {
    name: string;
    description?: string;
    enforcementLevel?: string;
    severity?: string;
    validateResource?: unknown;
    remediateResource?: unknown;
    validateStack?: unknown;
}

/** A diagnostic as `@pulumi/policy`'s `makeAnalyzeResponse` reads it. */
export interface Diagnostic {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    message: string;
    description?: string;
    enforcementLevel: string;
    urn?: string;
    severity?: string;
}

export interface Upstream {
    deserializeProperties(struct: Struct, proxySecrets: boolean): Record<string, unknown>;
    UnknownValueError: new (...args: any[]) => Error;
    asGrpcError(e: unknown, message?: string): Error;
    makeAnalyzeResponse(ds: Diagnostic[], notApplicable: unknown[] | undefined): any;
    makeRemediateResponse(rs: unknown[], notApplicable: unknown[] | undefined): any;
    convertEnforcementLevel(level: number): string;
    isResourcePolicy(p: PolicyLike): boolean;
    isStackPolicy(p: PolicyLike): boolean;
    getPulumiType(o: unknown): string | undefined;
    /** `@pulumi/pulumi/proto/analyzer_pb` as `@pulumi/policy` loads it. */
    analyzerProto: any;
    grpcStatus: Record<string, number>;
}

let loaded: Upstream | undefined;

/** Loads a module as `@pulumi/policy` resolves it. */
export function fromPolicy(id: string): any {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(require.resolve(id, { paths: [require.resolve("@pulumi/policy")] }));
}

export function upstream(): Upstream {
    if (loaded) return loaded;
    const deserialize = fromPolicy("@pulumi/policy/deserialize");
    const proxy = fromPolicy("@pulumi/policy/proxy");
    const protoutil = fromPolicy("@pulumi/policy/protoutil");
    const policy = fromPolicy("@pulumi/policy/policy");
    loaded = {
        // Read at each call: the guards replace the module's function.
        deserializeProperties: (struct, proxySecrets) => deserialize.deserializeProperties(struct, proxySecrets),
        UnknownValueError: proxy.UnknownValueError,
        asGrpcError: protoutil.asGrpcError,
        makeAnalyzeResponse: protoutil.makeAnalyzeResponse,
        makeRemediateResponse: protoutil.makeRemediateResponse,
        convertEnforcementLevel: protoutil.convertEnforcementLevel,
        isResourcePolicy: policy.isResourcePolicy,
        isStackPolicy: policy.isStackPolicy,
        getPulumiType: policy.getPulumiType,
        analyzerProto: fromPolicy("@pulumi/pulumi/proto/analyzer_pb"),
        grpcStatus: fromPolicy("@grpc/grpc-js").status,
    };
    return loaded;
}
