/**
 * npm run test:runtimes [-- m1 … --runtimes node,bun,deno]: runs the visible
 * and hidden tests of each milestone with a reference (or those named)
 * against the reference under Node (through tap), Bun (`bun test`) and Deno
 * (`deno test`), one file per process; `--runtimes` picks some of them (CI
 * skips Node, which verify has just run the same files on). Exits non-zero
 * unless every test passes everywhere, and when there was nothing to run (a
 * checkout without references).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { grade } from "../grader/grade.ts";
import { findTestFiles } from "../grader/test-files.ts";
import { envVariable, hasReference } from "../kit/implementations.ts";
import { parseMilestone, presentMilestones, milestoneFolder, repoRoot } from "../kit/milestones.ts";
import { readCommandLine } from "./command-line.ts";

const allRuntimes = ["node", "bun", "deno"] as const;
const { values, positionals } = readCommandLine(import.meta.url, { allowPositionals: true, options: { runtimes: { type: "string", default: allRuntimes.join(",") } } });
const runtimes = [...new Set(values.runtimes.split(",").map((name) => name.trim()).filter(Boolean))];
const unknown = runtimes.filter((runtime) => !(allRuntimes as readonly string[]).includes(runtime));
if (unknown.length > 0 || runtimes.length === 0) {
  console.error(`Cannot test on "${values.runtimes}": expected some of ${allRuntimes.join(", ")}`);
  process.exit(2);
}
const milestones = positionals.length > 0 ? positionals.map(parseMilestone) : presentMilestones().filter(hasReference);
const failures: string[] = [];
let ran = 0;

for (const milestone of milestones) {
  const files = findTestFiles(milestoneFolder(milestone)).map(({ file }) => join(milestoneFolder(milestone), file));
  if (files.length === 0) continue;
  ran += files.length;
  if (runtimes.includes("node")) {
    console.log(`\n${milestone} on node (tap): ${files.length} files`);
    const tap = spawnSync(join(repoRoot, "node_modules", ".bin", "tap"), files, {
      cwd: repoRoot,
      stdio: "inherit",
      env: { ...process.env, [envVariable]: "*=reference" },
    });
    if (tap.status !== 0) failures.push(`${milestone} on node`);
  }
  for (const runtime of allRuntimes.filter((name) => name !== "node" && runtimes.includes(name))) {
    const report = await grade({ milestone, impl: "reference", seed: 1, runtime, performance: false, jobs: 2 });
    const failed = report.tests.filter((test) => !test.passed);
    console.log(`${milestone} on ${runtime}: ${report.tests.length - failed.length}/${report.tests.length} tests pass (${(report.ms / 1000).toFixed(1)} s)`);
    for (const test of failed) console.log(`  FAIL ${test.file}: ${test.name}\n       ${(test.message ?? "").split("\n")[0]}`);
    if (failed.length > 0 || report.problems.length > 0) failures.push(`${milestone} on ${runtime}`);
  }
}
if (ran === 0) {
  console.log("\nNo test ran: no milestone here has a reference to run its tests against (test:runtimes is a staff check).");
  process.exit(1);
}
console.log(failures.length === 0 ? `\nEvery test passes on ${runtimes.join(", ")}.` : `\nFailed: ${failures.join(", ")}`);
process.exit(failures.length === 0 ? 0 : 1);
