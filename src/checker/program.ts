/**
 * Runs a Pulumi Node.js program with the Pulumi SDK's mock runtime and records the resources it
 * declares (see program/run.ts). The modules of program/:
 *
 * - project.ts: Pulumi.yaml (runtime options, main) and the stack configuration;
 * - run.ts: the run, in a node process of its own (child.ts), as the language host starts one;
 * - child.ts: that process: the program's own SDK, its entry point, its run;
 * - sdk.ts: the parts of the program's @pulumi/pulumi the checker drives;
 * - mocks.ts: what the mock runtime answers (computed outputs, data sources);
 * - typescript.ts, esm-hooks.ts: TypeScript, compiled and type-checked as the language host does;
 * - recorder.ts: registrations turned into the engine's resources (providers included) and the
 *   places they are declared.
 */
export { COMPUTED_OUTPUTS, INVOKE_ANSWERS, decodeKubernetesYaml } from "./program/mocks";
export type { ComputedOutputs, InvokeAnswer, InvokeContext } from "./program/mocks";
export { DEFAULT_STACK, readProject } from "./program/project";
export type { ProjectInfo, RunProgramOptions } from "./program/project";
export { durationSeconds } from "./program/recorder";
export { DEFAULT_ORGANIZATION, runProgram } from "./program/run";
export type { ProgramRun } from "./program/run";
