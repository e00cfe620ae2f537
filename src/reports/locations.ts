/**
 * Where a report points for a finding. SARIF, Code Quality, JUnit and the GitLab SAST report all
 * need a file and a line: GitHub and GitLab annotate a merge request only at a line of a file of
 * the repository.
 *
 * In order: the finding's own location (where the resource is declared, or the stack
 * configuration file and key for a stack-level finding); the declaration of its resource; the
 * report's fallback (the stack configuration file when the checker knows it, see output.ts);
 * `Pulumi.yaml` line 1 as a last resort. Paths are relative to the repository root, with forward
 * slashes, as the model states them.
 */
import { Finding, SourceLocation } from "../checker/model";

/** The last resort: the project file, line 1. */
export const LAST_RESORT: SourceLocation = { file: "Pulumi.yaml", line: 1 };

/** A location as reports may write it: a relative path with forward slashes, lines and columns ≥ 1. */
export function cleanLocation(loc: SourceLocation): SourceLocation {
    let file = String(loc.file ?? "").replace(/\\/g, "/").replace(/^(\.\/)+/, "");
    if (file === "") file = LAST_RESORT.file;
    const line = Number.isInteger(loc.line) && loc.line >= 1 ? loc.line : 1;
    const out: SourceLocation = { file, line };
    if (loc.column !== undefined && Number.isInteger(loc.column) && loc.column >= 1) out.column = loc.column;
    return out;
}

/** Where a finding points: its location, its resource's declaration, the fallback, or Pulumi.yaml line 1. */
export function locationOf(f: Finding, fallback?: SourceLocation): SourceLocation {
    return cleanLocation(f.location ?? f.resource?.source ?? fallback ?? LAST_RESORT);
}

/** Whether the finding carries a location of its own (not a fallback). */
export function hasOwnLocation(f: Finding): boolean {
    return f.location !== undefined || f.resource?.source !== undefined;
}

/** `infra/index.ts:12:5`, as compilers and editors write it. */
export function formatLocation(loc: SourceLocation): string {
    return `${loc.file}:${loc.line}${loc.column !== undefined ? `:${loc.column}` : ""}`;
}

/** The fallback a report option may give as a path (line 1) or as a location. */
export function toFallback(given: SourceLocation | string | undefined): SourceLocation | undefined {
    if (given === undefined) return undefined;
    return cleanLocation(typeof given === "string" ? { file: given, line: 1 } : given);
}
