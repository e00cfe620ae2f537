/**
 * Entry point of the policy pack, run by the Pulumi engine through
 * `@pulumi/pulumi/cmd/run-policy-pack` with this folder as working directory.
 */
import { lightSdkIndex } from "./lib/sdk-index";
// Before anything loads @pulumi/policy, which reads the SDK's index (sdk-index.ts).
lightSdkIndex();
import { interceptConfiguration } from "./lib/intercept";
import { PACK_NAME, policyPackArgs } from "./pack";

interceptConfiguration();
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { PolicyPack } = require("@pulumi/policy") as typeof import("@pulumi/policy");
new PolicyPack(PACK_NAME, policyPackArgs());
