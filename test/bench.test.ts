/**
 * The bench machinery on a tiny stack, so that it cannot rot: generated stack, both packs through
 * the protocol, /proc figures, the report and its section of BENCHMARKS.md. No timing is asserted.
 */
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { test } from "node:test";
import { measureSize } from "../bench/run";
import { machine } from "../bench/proc";
import { renderResults, Results, writeBenchmarks } from "../bench/report";
import { describeStack, generateStack } from "../bench/stack";

test("the generated stack mixes the shapes of the fixtures, with unique URNs and parents first", () => {
    const stack = generateStack(400);
    assert.equal(stack.length, 400);
    assert.equal(new Set(stack.map((r) => r.urn)).size, 400);
    const d = describeStack(stack);
    for (const k of ["openstack", "kubernetes", "children", "withProvider", "withSecrets", "withUnknowns"] as const) assert.ok(d[k] > 0, `${k}: ${JSON.stringify(d)}`);
    const seen = new Set<string>();
    for (const r of stack) {
        if (r.parent) assert.ok(seen.has(r.parent) || !stack.some((x) => x.urn === r.parent), `${r.urn} before its parent`);
        seen.add(r.urn);
    }
});

test("a bench run on 50 resources measures both packs and writes its section", async () => {
    const m = await measureSize(50, 1);
    for (const run of [...m.empty, ...m.pack]) {
        assert.equal(run.resources, 50);
        assert.ok(run.cpuPerResourceUs > 0 && Number.isFinite(run.cpuPerResourceUs));
        assert.ok(run.peakRssMiB > 10, `peak ${run.peakRssMiB}`);
        assert.ok(run.analyzeStackMs > 0);
    }
    assert.equal(m.empty[0].diagnostics + m.empty[0].stackDiagnostics, 0, "the empty pack reports nothing");
    assert.ok(m.pack[0].diagnostics > 0, "the pack reports on the generated stack");

    const res: Results = { date: "2000-01-01", machine: machine(), runs: 1, sizes: [{ size: 50, ...m }] };
    const text = renderResults(res);
    assert.match(text, /### 50 resources/);
    assert.match(text, /\| CPU per resource \(Remediate \+ Analyze\) \| [\d,]+ µs \| [\d,]+ µs \| [\d.]+× \|/);

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cdc-bench-test-")), "BENCHMARKS.md");
    fs.writeFileSync(file, "# Benchmarks\n\nWritten by hand.\n");
    writeBenchmarks(file, res);
    writeBenchmarks(file, { ...res, date: "2000-01-02" });
    const md = fs.readFileSync(file, "utf8");
    assert.match(md, /Written by hand\./);
    assert.equal(md.match(/bench:protocol begin/g)?.length, 1, "the section is replaced, not appended twice");
    assert.match(md, /2000-01-02/);
    assert.doesNotMatch(md, /2000-01-01/);
});
