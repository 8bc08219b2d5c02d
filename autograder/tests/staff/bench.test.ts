import assert from "node:assert/strict";
import { test } from "node:test";
import { kit } from "./_cli.ts";

/** The rows of the first table `npm run bench` prints: workload → its cells by column. */
function throughputs(stdout: string): Map<string, Record<string, string>> {
  const lines = stdout.split("\n");
  const header = lines.findIndex((line) => line.startsWith("workload "));
  const columns = (lines[header] as string).trim().split(/\s{2,}/);
  const rows = new Map<string, Record<string, string>>();
  for (const line of lines.slice(header + 2)) {
    if (line.trim() === "") break;
    const cells = line.trim().split(/\s{2,}/);
    rows.set(cells[0] as string, Object.fromEntries(columns.map((column, i) => [column, cells[i] as string])));
  }
  return rows;
}

for (const milestone of ["m2", "m4"]) {
  test(`npm run bench ${milestone} measures the reference on its own, beside the untouched stub, and exits`, () => {
    const bench = kit("bench", [milestone, "--rounds", "1", "--slice", "20"], { env: { DIST_IMPL: "" } });
    assert.equal(bench.status, 0, bench.stderr);
    const rows = throughputs(bench.stdout);
    assert.ok(rows.size >= 2, bench.stdout);
    for (const [workload, cells] of rows) assert.match(cells.reference ?? "", /^[\d,]+$/, `${workload}: ${bench.stdout}`);
    assert.match(bench.stdout, /student: not measured where it failed \(first failure: .*NotImplemented: m\d \w+: see handouts\//);
    assert.doesNotMatch(bench.stdout, /reference: not measured/);
  });
}
