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
 * bytes, computed once; an entry made during the call is encoded once too.
 *
 * The diagnostics are long texts (the findings' messages): google-protobuf encodes strings to
 * UTF-8 one character at a time, in JavaScript; Node's encoder does it natively. The result is
 * the same bytes as google-protobuf's encoding of the whole response (test/analyze-handlers.test.ts
 * compares them on every response it sees).
 */

/** `not_applicable` is field 3 of AnalyzeResponse (pulumi/pulumi proto/pulumi/analyzer.proto). */
const NOT_APPLICABLE_FIELD = 3;
const encodedEntries = new WeakMap<object, Uint8Array>();

/** Encodes a prepared entry once: its bytes are reused by every response that lists it. */
export function prepareEntry<T extends object>(entry: T): T {
    encodedEntries.set(entry, fieldBytes(entry));
    return entry;
}

/** The encoding of an entry as an element of the response's list: prepared, or made now. */
export function encodedEntry(entry: object): Uint8Array {
    return encodedEntries.get(entry) ?? fieldBytes(entry);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
    let size = 0;
    for (const p of parts) size += p.length;
    const out = new Uint8Array(size);
    let at = 0;
    for (const p of parts) {
        out.set(p, at);
        at += p.length;
    }
    return out;
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
 * prepared entries' bytes (`entryBlocks`: the encoding of its « not applicable » list, in blocks),
 * and writes the diagnostics' texts with Node's own UTF-8 encoder instead of google-protobuf's
 * character by character one. Its fields, and what its getters return, are unchanged; a text that
 * is not well-formed UTF-16 (a lone surrogate) leaves the whole response to google-protobuf, whose
 * handling of it is its own.
 */
export function withPreparedEncoding<R extends { getNotApplicableList(): object[]; getDiagnosticsList(): DiagnosticMessage[]; serializeBinary(): Uint8Array }>(
    resp: R,
    entryBlocks?: readonly Uint8Array[],
): R {
    const original = resp.serializeBinary;
    resp.serializeBinary = function (this: R): Uint8Array {
        const diagnostics = diagnosticFields(this.getDiagnosticsList().map(messageFields));
        // The blocks given are the encoding of the list the response was made with.
        return diagnostics ? responseBytes(diagnostics, entryBlocks ?? this.getNotApplicableList().map(encodedEntry)) : original.call(this);
    };
    return resp;
}

/** `diagnostics` is field 2 of AnalyzeResponse. */
const DIAGNOSTICS_FIELD = 2;

/** The fields of an AnalyzeDiagnostic, as its message holds them (strings "" and enums 0 when unset). */
export interface DiagnosticValues {
    policyName: string;
    policyPackName: string;
    policyPackVersion: string;
    description: string;
    message: string;
    enforcementLevel: number;
    urn: string;
    severity: number;
}

interface DiagnosticMessage {
    getPolicyname(): string;
    getPolicypackname(): string;
    getPolicypackversion(): string;
    getDescription(): string;
    getMessage(): string;
    getEnforcementlevel(): number;
    getUrn(): string;
    getSeverity(): number;
}

function messageFields(d: DiagnosticMessage): DiagnosticValues {
    return {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: d.getEnforcementlevel(),
        urn: d.getUrn(),
        severity: d.getSeverity(),
    };
}

type Field = { kind: "text"; field: number; value: string; bytes: number } | { kind: "enum"; field: number; value: number };
export type EncodedDiagnostic = { fields: Field[]; size: number };

/** String.prototype.isWellFormed (Node.js 20), not in the TypeScript library the project targets. */
const wellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed();

/**
 * The fields of each diagnostic as AnalyzeDiagnostic.serializeBinaryToWriter writes them (in field
 * order, empty strings and zero enums left out), with their sizes; undefined when google-protobuf
 * must encode them.
 */
export function diagnosticFields(list: readonly DiagnosticValues[]): EncodedDiagnostic[] | undefined {
    const out: EncodedDiagnostic[] = [];
    for (const d of list) {
        const fields: Field[] = [];
        let size = 0;
        const text = (field: number, value: string) => {
            if (value.length === 0) return true;
            if (!wellFormed(value)) return false;
            const bytes = Buffer.byteLength(value, "utf8");
            fields.push({ kind: "text", field, value, bytes });
            size += 1 + varintSize(bytes) + bytes;
            return true;
        };
        const enumeration = (field: number, value: number) => {
            if (value === 0) return true;
            if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) return false;
            fields.push({ kind: "enum", field, value });
            size += 1 + varintSize(value);
            return true;
        };
        const ok =
            text(1, d.policyName) &&
            text(2, d.policyPackName) &&
            text(3, d.policyPackVersion) &&
            text(4, d.description) &&
            text(5, d.message) &&
            enumeration(7, d.enforcementLevel) &&
            text(8, d.urn) &&
            enumeration(9, d.severity);
        if (!ok) return undefined;
        out.push({ fields, size });
    }
    return out;
}

/** The bytes of an AnalyzeResponse: its diagnostics (field 2), then its « not applicable » entries (field 3). */
export function responseBytes(diagnostics: readonly EncodedDiagnostic[], entryBlocks: readonly Uint8Array[]): Uint8Array {
    let size = 0;
    for (const d of diagnostics) size += 1 + varintSize(d.size) + d.size;
    for (const e of entryBlocks) size += e.length;
    const out = Buffer.allocUnsafe(size);
    let at = 0;
    for (const d of diagnostics) {
        out[at++] = (DIAGNOSTICS_FIELD << 3) | 2;
        at = writeVarint(out, at, d.size);
        for (const f of d.fields) {
            if (f.kind === "text") {
                out[at++] = (f.field << 3) | 2;
                at = writeVarint(out, at, f.bytes);
                at += out.write(f.value, at, "utf8");
            } else {
                out[at++] = f.field << 3;
                at = writeVarint(out, at, f.value);
            }
        }
    }
    for (const e of entryBlocks) {
        out.set(e, at);
        at += e.length;
    }
    return out;
}

function varintSize(n: number): number {
    let size = 1;
    while (n >= 0x80) {
        n = Math.floor(n / 128);
        size++;
    }
    return size;
}

function writeVarint(out: Uint8Array, at: number, n: number): number {
    while (n >= 0x80) {
        out[at++] = (n & 0x7f) | 0x80;
        n = Math.floor(n / 128);
    }
    out[at++] = n;
    return at;
}
