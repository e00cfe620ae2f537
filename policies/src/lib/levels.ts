import { RuleLevel } from "./rule";
import { configurationGeneration, settings } from "./settings";

/**
 * Enforcement levels beyond the engine's own: environment presets and the `niveaux` setting.
 *
 * Precedence, lowest first: the rule's default level < the environment preset < the level given
 * for the policy in the configuration (or `all`) < the `niveaux` setting (by need id or policy
 * name). The engine fills each policy's level with its default before Configure, so a configured
 * level equal to the rule's default is taken as "not given": the preset applies to it. To force a
 * level whatever the environment, use `niveaux`.
 */
export type Level = RuleLevel | "disabled";

/** Outside production, resilience needs are advisory: one zone and one replica are fine in a test stack. */
export const ENVIRONMENT_PRESETS: Record<string, Record<string, Level>> = {
    production: {},
    "hors-production": {
        "RES-01": "advisory",
        "RES-03": "advisory",
        "RES-05": "advisory",
        "RES-07": "advisory",
        "RES-08": "advisory",
        "RES-10": "advisory",
        "PIL-02": "advisory",
    },
};

const PROTO_LEVELS = ["advisory", "mandatory", "disabled", "remediate"];
let configured = new Map<string, string>();

/** Levels the engine sent with Configure (proto enum values), by policy name. */
export function captureLevels(levels: Map<string, number>): void {
    configured = new Map([...levels].map(([k, v]) => [k, PROTO_LEVELS[v] ?? "advisory"]));
    levelsGeneration++;
}
let levelsGeneration = 0;

/**
 * The level to report a violation at, when it differs from the engine's; undefined = let the
 * engine use the policy's configured level.
 */
export function levelOverride(rule: { name: string; needs: readonly string[]; enforcementLevel: RuleLevel }): Level | undefined {
    // Asked for every resource and every report: known once per configuration.
    const hit = overrides.get(rule);
    if (hit && hit.settings === configurationGeneration() && hit.levels === levelsGeneration) return hit.level;
    const level = computeOverride(rule);
    overrides.set(rule, { settings: configurationGeneration(), levels: levelsGeneration, level });
    return level;
}

const overrides = new WeakMap<object, { settings: number; levels: number; level: Level | undefined }>();

function computeOverride(rule: { name: string; needs: readonly string[]; enforcementLevel: RuleLevel }): Level | undefined {
    const s = settings();
    const explicit = niveauFor(rule, s.niveaux);
    if (explicit) return explicit;
    const cur = configured.get(rule.name);
    if (cur !== undefined && cur !== rule.enforcementLevel) return undefined; // given in the configuration
    const preset = ENVIRONMENT_PRESETS[s.environnement] ?? {};
    return preset[rule.name] ?? rule.needs.map((n) => preset[n]).find((l) => l !== undefined);
}

/**
 * The level the `niveaux` setting gives a rule: by its policy name, else by the first of its needs
 * that it names. Pure, so that the checker reads the configuration as the pack does.
 */
export function niveauFor(rule: { name: string; needs: readonly string[] }, niveaux: Readonly<Record<string, string>>): Level | undefined {
    const v = niveaux[rule.name] ?? rule.needs.map((n) => niveaux[n]).find((l) => l !== undefined);
    return v === "advisory" || v === "mandatory" || v === "disabled" ? v : undefined;
}
