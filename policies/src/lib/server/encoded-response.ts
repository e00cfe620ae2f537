/**
 * The Analyze response, with its « not applicable » entries encoded once.
 *
 * A resource concerns a few of the pack's policies; the response lists every other one as « not
 * applicable », with the reason its rule gives (type-filter.ts). These entries are the same for
 * every resource of a type, yet google-protobuf encoded them again for each response, string by
 * string: the largest part of the response's cost (see BENCHMARKS.md).
 *
 * A protobuf message's encoding is its fields' encodings one after the other, and a repeated
 * message field is its elements' encodings, each a tag, a length and the element's bytes. So the
 * response's bytes are those of the response without its « not applicable » list, followed by
 * each entry's own bytes (field 3 of AnalyzeResponse). Each prepared entry carries its encoded
 * bytes, computed once; an entry made during the call is encoded as usual. The result is the same
 * bytes as google-protobuf's encoding of the whole response (test/analyze-handlers.test.ts).
 */
import { upstream } from "./upstream";

/** `not_applicable` is field 3 of AnalyzeResponse (pulumi/pulumi proto/pulumi/analyzer.proto). */
const NOT_APPLICABLE_FIELD = 3;
const encodedEntries = new WeakMap<object, Uint8Array>();

/** Encodes a prepared entry once: its bytes are reused by every response that lists it. */
export function prepareEntry<T extends object>(entry: T): T {
    encodedEntries.set(entry, fieldBytes(entry));
    return entry;
}

/** Tag, length and bytes of one entry, as google-protobuf writes an element of field 3. */
function fieldBytes(entry: object): Uint8Array {
    const body: Uint8Array = (entry as { serializeBinary(): Uint8Array }).serializeBinary();
    const head: number[] = [(NOT_APPLICABLE_FIELD << 3) | 2];
    for (let n = body.length; ; n >>>= 7) {
        if (n < 0x80) {
            head.push(n);
            break;
        }
        head.push((n & 0x7f) | 0x80);
    }
    const out = new Uint8Array(head.length + body.length);
    out.set(head, 0);
    out.set(body, head.length);
    return out;
}

/**
 * Gives a response (built by `@pulumi/policy`'s `makeAnalyzeResponse`) an encoding that reuses the
 * prepared entries' bytes. Its fields, and what its getters return, are unchanged.
 */
export function withPreparedEncoding<R extends { getNotApplicableList(): object[]; getDiagnosticsList(): unknown[]; serializeBinary(): Uint8Array }>(resp: R): R {
    const list = resp.getNotApplicableList();
    if (list.length === 0) return resp;
    resp.serializeBinary = function (this: R): Uint8Array {
        const Response = upstream().analyzerProto.AnalyzeResponse;
        const head = new Response();
        head.setDiagnosticsList(this.getDiagnosticsList());
        const parts: Uint8Array[] = [head.serializeBinary()];
        let size = parts[0].length;
        for (const entry of this.getNotApplicableList()) {
            const bytes = encodedEntries.get(entry) ?? fieldBytes(entry);
            parts.push(bytes);
            size += bytes.length;
        }
        const out = new Uint8Array(size);
        let at = 0;
        for (const p of parts) {
            out.set(p, at);
            at += p.length;
        }
        return out;
    };
    return resp;
}
