/**
 * The rule convention makes the safe path the only one: a rule cannot hand the pack a finished
 * string built from resource properties as its problem or fix. Values reach a message only as the
 * values of an `m` template, which message.ts renders (hiding secrets and what derives from them).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { ROOT } from "./support/pack";

const LIB = path.join(ROOT, "policies/src/lib");

/** Type-checks one rule module written in the pack's rules folder shape; returns the errors. */
function compileRule(body: string): string[] {
    const file = path.join(ROOT, "policies/src/rules/TEST-00/test-00-contrat.ts");
    const source = `
import { txt } from "${path.join(LIB, "i18n")}";
import { m, msg } from "${path.join(LIB, "message")}";
import { defineResourceRule } from "${path.join(LIB, "rule")}";
export default defineResourceRule<Record<string, never>>({
    name: "test-00-contrat", needs: ["SEC-09"], title: txt("t", "t"), description: txt("d", "d"), remediation: txt("r", "r"),
    severity: "low", enforcementLevel: "advisory", config: {}, types: ["openstack:compute/instance:Instance"],
    check(r, ctx) { ${body} },
});
`;
    const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, skipLibCheck: true, types: [], typeRoots: [path.join(ROOT, "node_modules/@types")] };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    host.readFile = (f) => (path.resolve(f) === file ? source : read(f));
    const exists = host.fileExists.bind(host);
    host.fileExists = (f) => path.resolve(f) === file || exists(f);
    const program = ts.createProgram([file], options, host);
    return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => `${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
}

test("un message fait d'une chaîne construite avec les propriétés ne compile pas", () => {
    const raw = compileRule("ctx.report({ problem: txt(`mot de passe ${String(r.props.adminPass)}`, `password ${String(r.props.adminPass)}`) });");
    assert.ok(raw.some((e) => e.startsWith("2322:") || e.startsWith("2345:")), raw.join("\n"));
    const concat = compileRule("ctx.report({ problem: { fr: `x ${String(r.props.adminPass)}`, en: 'x' } as any as string });");
    assert.ok(concat.length > 0, "a string is not a Message");
});

test("un message fait avec `m` compile : les valeurs passent par message.ts", () => {
    const ok = compileRule("ctx.report({ property: 'adminPass', value: r.props.adminPass, problem: msg(m`mot de passe ${r.props.adminPass}`, m`password ${r.props.adminPass}`) });");
    assert.deepEqual(ok, []);
});

test("aucune règle ne contourne message.ts (ni rendu, ni nettoyage, ni fabrication de templates à la main)", () => {
    const rulesDir = path.join(ROOT, "policies/src/rules");
    for (const need of fs.readdirSync(rulesDir)) {
        for (const f of fs.readdirSync(path.join(rulesDir, need))) {
            if (f.endsWith(".fixtures.ts")) continue;
            const text = fs.readFileSync(path.join(rulesDir, need, f), "utf8");
            assert.ok(!/\b(render|renderValue|renderQuoted|scrubbed|composeMessage)\s*\(/.test(text), `${need}/${f} rend lui-même un message`);
            assert.ok(!/\bcurrentSecrets\b|\bSecretIndex\b/.test(text), `${need}/${f} manipule l'index des secrets`);
        }
    }
});
