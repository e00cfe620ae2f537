/**
 * Fixtures: the resources a rule is tested on, beside each rule (`<rule>.fixtures.ts`). The test
 * suite sends them to the pack through the engine protocol and checks what each one states.
 */

/** Wire form of a value unknown at preview, as the engine sends it. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function unknown(): string {
    return UNKNOWN;
}

/** Wire form of a secret value, as the engine sends it to analyzers. */
export function secret<T>(value: T): Record<string, unknown> {
    return { [SIG_KEY]: SECRET_SIG, value };
}

export interface FixtureResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Name of the parent resource (a component, usually) in the same fixture. */
    parent?: string;
    /** Names of resources this one depends on. */
    dependsOn?: string[];
    /** Property → names of the resources its value comes from. */
    propertyDependencies?: Record<string, string[]>;
    protect?: boolean;
    provider?: { type: string; name: string; props: Record<string, unknown> };
}

export type FixtureKind = "compliant" | "non-compliant" | "unknown" | "secret" | "malformed";

export interface Fixture {
    title: string;
    kind: FixtureKind;
    resources: FixtureResource[];
    /** This rule's configuration (as in the policy-pack configuration file). */
    config?: Record<string, unknown>;
    /** Pack settings (the `cloud-de-confiance` entry). */
    settings?: Record<string, unknown>;
    stackTags?: Record<string, string>;
    expect: {
        /** Need ids that must be raised (as violations of this rule). */
        raises: string[];
        /** Need ids that must not be raised. */
        notRaises: string[];
        /** Exact number of violations, when it matters. */
        violations?: number;
        /** The rule cannot run at preview: the engine's "can't run policy during preview" diagnostic. */
        cannotCheck?: boolean;
        /** Strings that must never appear in any diagnostic (secret values). */
        hidden?: string[];
        /** Strings each violation message must contain. */
        mentions?: string[];
        /** Expected remediation: properties that must appear in the remediated resource. */
        remediated?: Record<string, unknown>;
    };
}

export function fixtures(...list: Fixture[]): Fixture[] {
    return list;
}
