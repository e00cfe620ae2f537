/**
 * Runs a Pulumi Node.js program with the Pulumi SDK's mock runtime and records the resources it
 * declares (see program/run.ts). The modules of program/:
 *
 * - project.ts: Pulumi.yaml and the stack configuration;
 * - mocks.ts: what the mock runtime answers (computed outputs, data sources);
 * - sdk.ts: the program's own @pulumi/pulumi;
 * - typescript.ts: TypeScript programs;
 * - recorder.ts: registrations turned into the engine's resources;
 * - run.ts: the run itself.
 */
export { COMPUTED_OUTPUTS, INVOKE_ANSWERS, decodeKubernetesYaml } from "./program/mocks";
export type { ComputedOutputs, InvokeAnswer, InvokeContext } from "./program/mocks";
export { DEFAULT_STACK, readProject } from "./program/project";
export type { ProjectInfo, RunProgramOptions } from "./program/project";
export { durationSeconds } from "./program/recorder";
export { DEFAULT_ORGANIZATION, runProgram } from "./program/run";
export type { ProgramRun } from "./program/run";
