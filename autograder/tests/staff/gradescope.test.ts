/**
 * The whole Gradescope flow, on a simulated /autograder root: package the
 * autograder zip, unpack it as Gradescope would, and run run_autograder on
 * three submissions: the reference, the untouched stub, and code that loops
 * forever while printing fake passing output.
 */
import assert from "node:assert/strict";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { readZip } from "../../gradescope/zip.ts";
import { milestoneFolder, repoRoot } from "../../kit/milestones.ts";
import type { GradescopeResults } from "../../grader/results-json.ts";
import { kit, run } from "./_cli.ts";
import { ensureStudentUser } from "./_student.ts";

ensureStudentUser();
const root = mkdtempSync(join(tmpdir(), "autograder-"));
// Gradescope's /autograder is open to everyone; only what run_autograder closes is secret.
chmodSync(root, 0o755);
const zip = join(root, "autograder.zip");

function unpack(): void {
  for (const entry of readZip(readFileSync(zip))) {
    const path = join(root, "source", entry.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, entry.data);
    if (entry.executable) chmodSync(path, 0o755);
  }
  // Gradescope's setup.sh runs `npm ci` here; the tests borrow this checkout's.
  symlinkSync(join(repoRoot, "node_modules"), join(root, "source", "node_modules"));
}

function submit(files: Record<string, string>, id: number, env: NodeJS.ProcessEnv = {}): { results: GradescopeResults; seconds: number } {
  rmSync(join(root, "submission"), { recursive: true, force: true });
  mkdirSync(join(root, "submission"));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, "submission", name), content);
  writeFileSync(join(root, "submission_metadata.json"), JSON.stringify({ id, created_at: "2026-11-21T00:00:00Z" }));
  const started = Date.now();
  const done = run("bash", [join(root, "source", "run_autograder")], { cwd: root, env: { AUTOGRADER_ROOT: root, ...env } });
  assert.equal(done.status, 0, done.stderr);
  return { results: JSON.parse(readFileSync(join(root, "results", "results.json"), "utf8")), seconds: (Date.now() - started) / 1000 };
}

function folderFiles(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const copy = mkdtempSync(join(tmpdir(), "submission-"));
  cpSync(folder, copy, { recursive: true });
  for (const name of run("ls", [copy]).stdout.trim().split("\n")) files[name] = readFileSync(join(copy, name), "utf8");
  return files;
}

/** Checks the fields and types Gradescope's specification asks for. */
function assertValidResults(results: GradescopeResults): void {
  assert.equal(typeof results.score, "number");
  assert.equal(typeof results.execution_time, "number");
  assert.ok(["text", "html", "simple_format", "md", "ansi"].includes(results.output_format));
  assert.equal(results.stdout_visibility, "hidden");
  assert.ok(Array.isArray(results.tests) && results.tests.length > 0);
  for (const entry of results.tests) {
    assert.equal(typeof entry.name, "string");
    assert.ok(entry.score >= 0 && entry.score <= entry.max_score, entry.name);
    assert.ok(entry.status === "passed" || entry.status === "failed");
    assert.match(entry.number, /^(\d+|P)\.\d+$/);
    assert.ok(entry.visibility === "visible" || entry.visibility === "after_due_date");
    assert.ok(Array.isArray(entry.tags) && entry.tags.includes("m1"));
    assert.equal(typeof entry.extra_data.seed, "number");
    if (entry.tags.includes("hidden")) {
      assert.equal(entry.visibility, "after_due_date");
      assert.match(entry.output, /^Hidden test: (passed|failed. Its details are withheld)\.$/);
    }
  }
  const sum = results.tests.reduce((total, entry) => total + entry.score, 0);
  assert.ok(Math.abs(sum - results.score) < 0.05, `score ${results.score} is not the sum ${sum}`);
  assert.ok(Array.isArray(results.leaderboard) && results.leaderboard.every((row) => typeof row.name === "string"));
}

test("package:gradescope writes a zip with setup.sh and run_autograder at its root", () => {
  const packaged = kit("package-gradescope", ["m1", "--out", zip]);
  assert.equal(packaged.status, 0, packaged.stderr);
  const names = readZip(readFileSync(zip)).map(({ name, executable }) => `${name}${executable ? "*" : ""}`);
  for (const name of ["setup.sh*", "run_autograder*", "gradescope.env", "m1-serialization/hidden/round-trip.test.ts", "m1-serialization/reference/index.ts"]) {
    assert.ok(names.includes(name), `the zip lacks ${name}`);
  }
  assert.ok(!names.some((name) => name.includes("/mutants/")), "mutants are staff-only");
  unpack();
});

test("the reference submission earns full marks, performance included", () => {
  const { results } = submit(folderFiles(join(milestoneFolder("m1"), "reference")), 424242);
  assertValidResults(results);
  const correctness = results.tests.filter((entry) => !entry.tags.includes("performance"));
  assert.deepEqual(correctness.filter((entry) => entry.status !== "passed").map((entry) => entry.name), []);
  const performance = results.tests.filter((entry) => entry.tags.includes("performance"));
  assert.ok(performance.length > 0 && performance.every((entry) => (entry.extra_data.ratio as number) > 0.5));
  const max = results.tests.reduce((total, entry) => total + entry.max_score, 0);
  assert.ok(results.score >= max * 0.97, `${results.score} of ${max}`);
  assert.ok(results.leaderboard.some((row) => row.name.startsWith("speed vs reference")));
  assert.equal(results.extra_data.seed, 424242);
});

test("the untouched stub scores 0, each visible failure pointing to the handout", () => {
  const { results } = submit(folderFiles(join(milestoneFolder("m1"), "stub")), 7);
  assertValidResults(results);
  assert.equal(results.score, 0);
  const visible = results.tests.filter((entry) => entry.tags.includes("visible"));
  assert.ok(visible.length > 0 && visible.every((entry) => /see handouts\/m1\.md#/.test(entry.output)));
});

test("code that loops forever and prints fake passes scores 0, and grading still ends with valid results", () => {
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
  const { results, seconds } = submit({ "index.ts": loop }, 13, { GRADE_BUDGET: "12", GRADE_FILE_TIMEOUT: "3", GRADE_TEST_TIMEOUT: "1" });
  assertValidResults(results);
  assert.equal(results.score, 0);
  assert.ok(results.tests.every((entry) => entry.status === "failed"));
  assert.ok(seconds < 60, `grading took ${seconds} s`);
});

test("a submission without index.ts gets a valid results file that says so", () => {
  const { results } = submit({ "README.md": "nothing here" }, 8);
  assert.equal(results.score, 0);
  assert.match(results.output, /no index\.ts/);
});
