/**
 * The whole Gradescope flow, on a simulated /autograder root: package the
 * autograder zip, unpack it as Gradescope would, and run run_autograder (as
 * root with the unprivileged user, when these tests run as root) on the
 * reference, the untouched stub, code that loops forever while printing fake
 * passing output, and an upload without code. (The hostile submissions are
 * in autograder/tests/hostile/: npm run test:hostile.)
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { SimulatedRoot } from "../../gradescope/simulated-root.ts";
import { readZip } from "../../gradescope/zip.ts";
import { milestoneFolder } from "../../kit/milestones.ts";
import { temporaryFolder } from "../_temporary.ts";
import { kit } from "./_cli.ts";
import { assertValidResults, maxScore } from "./_results.ts";

let root: SimulatedRoot;
before(async () => {
  root = await SimulatedRoot.create("m1");
});
after(() => root.remove());

test("package:gradescope writes a zip with setup.sh and run_autograder at its root, and no mutants", (t) => {
  const zip = join(temporaryFolder("package-", (fn) => t.after(fn)), "autograder.zip");
  const packaged = kit("package-gradescope", ["m1", "--out", zip]);
  assert.equal(packaged.status, 0, packaged.stderr);
  const names = readZip(readFileSync(zip)).map(({ name, executable }) => `${name}${executable ? "*" : ""}`);
  for (const name of ["setup.sh*", "run_autograder*", "gradescope.env", "m1-serialization/hidden/round-trip.test.ts", "m1-serialization/reference/index.ts"]) {
    assert.ok(names.includes(name), `the zip lacks ${name}`);
  }
  assert.ok(!names.some((name) => name.includes("/mutants/")), "mutants are staff-only");
});

test("the reference submission earns full marks, performance included, and leaves no process behind", async () => {
  const { results, leftovers } = await root.submit({ folder: join(milestoneFolder("m1"), "reference"), id: 424242 });
  assertValidResults(results, "m1");
  assert.deepEqual(results.tests.filter((entry) => entry.status !== "passed").map((entry) => `${entry.name}: ${entry.output}`), []);
  assert.equal(results.score, maxScore(results));
  assert.ok(results.leaderboard.some((row) => row.name.startsWith("speed vs reference")));
  assert.equal(results.extra_data.seed, 424242);
  assert.deepEqual(leftovers, []);
});

test("the untouched stub scores 0, each visible failure pointing to the handout", async () => {
  const { results } = await root.submit({ folder: join(milestoneFolder("m1"), "stub"), id: 7 });
  assertValidResults(results, "m1");
  assert.equal(results.score, 0);
  const visible = results.tests.filter((entry) => entry.tags.includes("visible"));
  assert.ok(visible.length > 0 && visible.every((entry) => /see handouts\/m1\.md#/.test(entry.output)));
});

test("code that loops forever and prints fake passes scores 0, and grading still ends with valid results", async () => {
  const loop = `export { DecodeError, EncodeError } from "../../autograder/kit/errors.ts";
console.log("ok 1 - every test passed\\n# pass 99\\n{\\"score\\": 100}");
export function serialize(value: unknown): string {
  console.log("ok 2 - serialize works", value);
  for (;;) {}
}
export function deserialize(text: string): unknown {
  console.log("ok 3 - deserialize works", text);
  for (;;) {}
}
`;
  const { results, seconds } = await root.submit({ files: { "index.ts": loop }, id: 13, env: { GRADE_BUDGET: "12", GRADE_FILE_TIMEOUT: "3", GRADE_TEST_TIMEOUT: "1" } });
  assertValidResults(results, "m1");
  assert.equal(results.score, 0);
  assert.ok(results.tests.every((entry) => entry.status === "failed"));
  assert.ok(seconds < 60, `grading took ${seconds} s`);
});

test("a submission without index.ts gets a valid results file that says so", async () => {
  const { results } = await root.submit({ files: { "README.md": "nothing here" }, id: 8 });
  assert.equal(results.score, 0);
  assert.match(results.output, /no index\.ts/);
});
