/** Test support: the built pack, started once per test file as the CLI starts it. */
import * as path from "path";
import { PolicyPackProcess } from "../../src/engine/driver";

export const ROOT = path.resolve(__dirname, "../../..");
export const PACK_DIR = path.join(ROOT, "policies");

export function startPack(): Promise<PolicyPackProcess> {
    return PolicyPackProcess.start(PACK_DIR);
}
