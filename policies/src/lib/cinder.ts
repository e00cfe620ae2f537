/**
 * Cinder volume types, as Cinder reads them (SEC-03).
 *
 * - A volume type is named by its name or its ID: Cinder's `get_by_name_or_id` tries the ID when
 *   the value is UUID-like, then the name. Both are looked up by SQL equality in Cinder's database,
 *   whose tables are created with the MySQL `utf8` character set: with the default collation of
 *   MySQL and MariaDB (the reference deployment), the comparison ignores case, and the database's
 *   unique key on the name refuses two types that differ only by case. The pack therefore compares
 *   type names and IDs ignoring case, and nothing else: no trimming, no pattern, no substring.
 *   (On a PostgreSQL-backed Cinder, names are case-sensitive: a case variant of a declared name
 *   then names no type, and Cinder refuses the volume.)
 * - An empty `volume_type` is not sent by the provider (gophercloud's `omitempty`): like an absent
 *   one, Cinder then chooses the type. From a source volume, a snapshot or a backup, the new volume
 *   keeps the source's type; otherwise it gets the `cinder_img_volume_type` property of its image
 *   when set, else the deployment's `default_volume_type`.
 */

import { str } from "./props";

/** Whether two volume type names (or IDs) name the same type for Cinder. */
export function sameVolumeType(a: string, b: string): boolean {
    return a.toLowerCase() === b.toLowerCase();
}

/** The declared type that `type` names, if any. */
export function declaredType(type: string, declared: readonly string[]): string | undefined {
    return declared.find((d) => sameVolumeType(type, d));
}

/** Where a volume without an explicit type gets its type from. */
export type TypeSource = "default" | "source-volume" | "snapshot" | "backup";

/**
 * What the type of a volume to be created is: `type` when given (a non-empty string), else where
 * Cinder takes it from.
 */
export type RequestedType = { kind: "explicit"; type: string } | { kind: "inherited"; from: TypeSource };

/**
 * The type requested for a volume, from the value of its type property and what it is created from.
 * `raw` is the property's value: a non-empty string is a type; absent, null or "" leaves the choice
 * to Cinder.
 */
export function requestedType(
    raw: unknown,
    sourceOf: () => { snapshot?: boolean; sourceVolume?: boolean; backup?: boolean },
): RequestedType | undefined {
    if (typeof raw === "string" && raw !== "") return { kind: "explicit", type: raw };
    if (raw !== undefined && raw !== null && raw !== "") {
        str(raw); // an unknown inside surfaces as "cannot be checked"
        return undefined; // not a string: unreadable
    }
    const source = sourceOf();
    if (source.sourceVolume) return { kind: "inherited", from: "source-volume" };
    if (source.snapshot) return { kind: "inherited", from: "snapshot" };
    if (source.backup) return { kind: "inherited", from: "backup" };
    return { kind: "inherited", from: "default" };
}
