/**
 * The Analyze response, made from the diagnostics as data.
 *
 * `@pulumi/policy`'s `makeAnalyzeResponse` turns each diagnostic into a google-protobuf message
 * (an AnalyzeDiagnostic, field by field), which gRPC then encodes by reading it back. The pack
 * encodes the diagnostics straight from the data (encoded-response.ts), as `makeAnalyzeResponse`
 * would have set them: the same fields, the same enum values, the URN and severity only when
 * given. The response is still an AnalyzeResponse; its getters (a test, the in-process pack, or
 * google-protobuf's own encoder) get the messages `makeAnalyzeResponse` makes, built when first
 * asked. Anything the direct encoding does not take as is (an unknown level, a text that is not a
 * string, a lone surrogate) goes through `makeAnalyzeResponse` as before, with its errors.
 */
import { DiagnosticValues, diagnosticFields, responseBytes, withPreparedEncoding } from "./encoded-response";
import { Diagnostic, upstream } from "./upstream";

/** `mapEnforcementLevel` and `mapSeverity` of protoutil.js, as tables (an unknown level: undefined). */
function enumTables() {
    const pb = upstream().analyzerProto;
    return {
        levels: new Map<unknown, number>([
            ["advisory", pb.EnforcementLevel.ADVISORY],
            ["mandatory", pb.EnforcementLevel.MANDATORY],
            ["remediate", pb.EnforcementLevel.REMEDIATE],
            ["disabled", pb.EnforcementLevel.DISABLED],
        ]),
        severities: new Map<unknown, number>([
            ["low", pb.PolicySeverity.POLICY_SEVERITY_LOW],
            ["medium", pb.PolicySeverity.POLICY_SEVERITY_MEDIUM],
            ["high", pb.PolicySeverity.POLICY_SEVERITY_HIGH],
            ["critical", pb.PolicySeverity.POLICY_SEVERITY_CRITICAL],
        ]),
        unspecified: pb.PolicySeverity.POLICY_SEVERITY_UNSPECIFIED as number,
    };
}
let tables: ReturnType<typeof enumTables> | undefined;

/** What a string field of the message holds after `setX(v)`: undefined when it is not a plain text. */
function text(v: unknown): string | undefined {
    return v === undefined || v === null ? "" : typeof v === "string" ? v : undefined;
}

/** The diagnostic's fields as `makeAnalyzeResponse` sets them; undefined when it must do it. */
function values(d: Diagnostic): DiagnosticValues | undefined {
    tables ??= enumTables();
    const level = tables.levels.get(d.enforcementLevel);
    const fields = [text(d.policyName), text(d.policyPackName), text(d.policyPackVersion), text(d.description), text(d.message)];
    const urn = d.urn ? text(d.urn) : "";
    const severity = d.severity ? (typeof d.severity === "string" ? (tables.severities.get(d.severity) ?? tables.unspecified) : undefined) : 0;
    if (level === undefined || urn === undefined || severity === undefined || fields.some((f) => f === undefined)) return undefined;
    const [policyName, policyPackName, policyPackVersion, description, message] = fields as string[];
    return { policyName, policyPackName, policyPackVersion, description, message, enforcementLevel: level, urn, severity };
}

/** The response to an Analyze call: diagnostics `ds`, « not applicable » entries `na` encoded as `entryBlocks`. */
export function analyzeResponse(ds: readonly Diagnostic[], na: object[], entryBlocks: readonly Uint8Array[]): any {
    const up = upstream();
    const data: DiagnosticValues[] = [];
    for (const d of ds) {
        const v = values(d);
        if (!v) return withPreparedEncoding(up.makeAnalyzeResponse([...ds], na), entryBlocks);
        data.push(v);
    }
    const encoded = diagnosticFields(data);
    if (!encoded) return withPreparedEncoding(up.makeAnalyzeResponse([...ds], na), entryBlocks);
    const resp = new up.analyzerProto.AnalyzeResponse();
    let made: any;
    const full = () => (made ??= up.makeAnalyzeResponse([...ds], na));
    resp.getDiagnosticsList = () => full().getDiagnosticsList();
    resp.getNotApplicableList = () => full().getNotApplicableList();
    resp.serializeBinary = () => responseBytes(encoded, entryBlocks);
    return resp;
}
