/**
 * Runs the policy pack on a bundled example, exactly as `pulumi preview --policy-pack policies`
 * would (same start-up, same protocol), and prints the CLI's "Policies" section.
 *
 *   node dist/src/cli/demo.js [resources.json] [policy-config.json]
 */
import * as fs from "fs";
import * as path from "path";
import { PolicyPackProcess } from "../engine/driver";
import { evaluate, formatPolicies, parsePolicyConfig } from "../engine/engine";
import { EngineResource } from "../engine/types";

const ROOT = path.resolve(__dirname, "../../..");

async function main(): Promise<number> {
    const file = process.argv[2] ?? path.join(ROOT, "examples/ressources/pile-non-conforme.json");
    const configFile = process.argv[3];
    const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { project: string; stack: string; tags?: Record<string, string>; resources: EngineResource[] };
    const config = configFile ? parsePolicyConfig(JSON.parse(fs.readFileSync(configFile, "utf8")), configFile) : {};
    const pack = await PolicyPackProcess.start(path.join(ROOT, "policies"));
    try {
        const ev = await evaluate(pack, doc.resources, { config, stack: { project: doc.project, stack: doc.stack, tags: doc.tags } });
        console.log(formatPolicies(ev, "policies"));
        return ev.diagnostics.some((d) => d.enforcementLevel === "mandatory") ? 1 : 0;
    } finally {
        await pack.close();
    }
}

main().then(
    (code) => process.exit(code),
    (e) => {
        console.error(`cloud-de-confiance: ${(e as Error).message.split("\n")[0]}`);
        process.exit(2);
    },
);
