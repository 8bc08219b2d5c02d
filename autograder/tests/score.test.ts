import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { FileRun } from "../grader/outcomes.ts";
import { floorRatio, hopelessAfter, measureAgain, performancePoints, type Rounds, scoredRatio } from "../grader/performance.ts";
import { scoreRuns } from "../grader/score.ts";
import { checkTestFiles, findTestFiles, type TestFile } from "../grader/test-files.ts";
import { GradingConfigError, readWeights, type Weights } from "../grader/weights.ts";
import { temporaryFolder } from "./_temporary.ts";

const files: TestFile[] = [{ file: "tests/a.test.ts", visibility: "visible", blackBox: false }, { file: "hidden/b.test.ts", visibility: "hidden", blackBox: false }];
const weights: Weights = { tests: { "tests/a.test.ts": { one: 2, two: 3 }, "hidden/b.test.ts": { three: 5 } }, performance: {} };
const run = (file: string, tests: FileRun["tests"], status: FileRun["status"] = "completed", error?: string): FileRun =>
  ({ file, status, tests, output: "", ms: 1, ...(error ? { error } : {}) });

test("a passing test earns its weight, a failing one nothing, with the reason kept", () => {
  const { tests, problems } = scoreRuns(files, [
    run("tests/a.test.ts", [{ name: "one", passed: true, ms: 1 }, { name: "two", passed: false, ms: 1, message: "wrong" }]),
    run("hidden/b.test.ts", [{ name: "three", passed: true, ms: 1 }]),
  ], weights);
  assert.deepEqual(problems, []);
  assert.deepEqual(tests.map(({ name, points, number }) => [name, points, number]), [["one", 2, "1.1"], ["two", 0, "1.2"], ["three", 5, "2.1"]]);
  assert.equal(tests[1]?.message, "wrong");
});

test("a test without a weight, or a weight without a test, is a configuration error", () => {
  const { problems } = scoreRuns(files, [
    run("tests/a.test.ts", [{ name: "one", passed: true, ms: 1 }, { name: "extra", passed: true, ms: 1 }]),
    run("hidden/b.test.ts", [{ name: "three", passed: true, ms: 1 }]),
  ], weights);
  assert.equal(problems.length, 2);
  assert.match(problems.join("\n"), /"extra" has no weight/);
  assert.match(problems.join("\n"), /lists "two", which the file does not define/);
});

test("the tests of a file that timed out, or never ran, fail with the reason", () => {
  const { tests, problems } = scoreRuns(files, [run("tests/a.test.ts", [{ name: "one", passed: true, ms: 1 }], "timed-out", "timed out after 3 s")], weights);
  assert.deepEqual(problems, []);
  assert.match(tests[1]?.message ?? "", /timed out after 3 s/);
  assert.match(tests[2]?.message ?? "", /grading stopped before this test/);
  assert.equal(tests.reduce((sum, t) => sum + t.points, 0), 2);
});

test("test files and weights must name the same files", (t) => {
  const milestone = temporaryFolder("weights-", (fn) => t.after(fn));
  mkdirSync(join(milestone, "tests"));
  writeFileSync(join(milestone, "tests", "a.test.ts"), "");
  writeFileSync(join(milestone, "tests", "_helper.ts"), "");
  assert.deepEqual(findTestFiles(milestone), [{ file: "tests/a.test.ts", visibility: "visible", blackBox: false }]);
  mkdirSync(join(milestone, "hidden"));
  writeFileSync(join(milestone, "hidden", "black-box-store.test.ts"), "");
  assert.deepEqual(findTestFiles(milestone).map(({ file, blackBox }) => [file, blackBox]), [
    ["tests/a.test.ts", false],
    ["hidden/black-box-store.test.ts", true],
  ]);
  rmSync(join(milestone, "hidden"), { recursive: true });
  const found = findTestFiles(milestone);
  assert.throws(() => checkTestFiles(milestone, found, { tests: {}, performance: {} }), /tests\/a.test.ts has no entry/);
  assert.throws(() => checkTestFiles(milestone, found, { tests: { "tests/a.test.ts": {}, "tests/gone.test.ts": {} }, performance: {} }), /gone.test.ts, which does not exist/);
  checkTestFiles(milestone, found, { tests: { "tests/a.test.ts": {}, "hidden/absent.test.ts": {} }, performance: {} });
});

test("a malformed weights file is rejected with the expected shape", (t) => {
  const milestone = temporaryFolder("weights-", (fn) => t.after(fn));
  assert.throws(() => readWeights(milestone), GradingConfigError);
  writeFileSync(join(milestone, "weights.json"), '{"tests": {"tests/a.test.ts": {"x": "two"}}}');
  assert.throws(() => readWeights(milestone), /expected \{"tests"/);
});

test("performance points: nothing below a quarter of the reference, full marks from 0.8, linear between", () => {
  assert.equal(performancePoints(0.2, 10), 0);
  assert.equal(performancePoints(0.4, 10), 5);
  assert.equal(performancePoints(0.8, 10), 10);
  assert.equal(performancePoints(3, 10), 10);
});

test("a performance ratio is the better of the fastest rounds' ratio and the median of the rounds' ratios", () => {
  const timings = (walls: number[]) => walls.map((wallMs) => ({ wallMs, cpuMs: wallMs }));
  // Equal code, one lucky round on the reference's side: the fastest rounds say 0.5, the rounds themselves about 1.
  const lucky = { tested: timings([100, 104, 98, 101, 103]), reference: timings([101, 50, 99, 102, 100]) };
  assert.ok(Math.abs(scoredRatio(lucky) - 1) < 0.02, `ratio ${scoredRatio(lucky)}`);
  // Code twice as slow is twice as slow by both estimates, however the rounds fall.
  const slower = { tested: timings([200, 210, 190, 205]), reference: timings([100, 104, 98, 101]) };
  assert.ok(Math.abs(scoredRatio(slower) - 98 / 190) < 1e-9, `ratio ${scoredRatio(slower)}`);
  // A disturbed round on the tested side does not lower the fastest rounds' ratio.
  const disturbed = { tested: timings([100, 400, 100]), reference: timings([100, 100, 100]) };
  assert.equal(scoredRatio(disturbed), 1);
});

test("a workload is measured for its rounds, for up to as many again while it is short of full marks, and no further once it cannot score", () => {
  /** How many rounds are measured when round i's ratio is `ratioOf(i)`. */
  const roundsMeasured = (ratioOf: (round: number) => number) => {
    const measured: Rounds = { tested: [], reference: [] };
    while (measureAgain(measured, 7)) {
      const wallMs = 100 / ratioOf(measured.tested.length);
      measured.tested.push({ wallMs, cpuMs: wallMs });
      measured.reference.push({ wallMs: 100, cpuMs: 100 });
    }
    return measured.tested.length;
  };
  assert.equal(roundsMeasured(() => 1), 7);
  assert.equal(roundsMeasured(() => 0.5), 14, "a ratio short of full marks gets as many rounds again");
  assert.equal(roundsMeasured(() => floorRatio), 14, "so does one at the floor");
  assert.equal(roundsMeasured((round) => (round < 8 ? 0.5 : 1)), 9, "the extra rounds stop once a round finds full marks");
  assert.equal(roundsMeasured(() => 0.2), 7, "a ratio under the floor but over half of it is measured in full");
  assert.equal(roundsMeasured(() => floorRatio / 2 - 0.001), hopelessAfter, "a ratio under half the floor stops the measurement");
  assert.equal(roundsMeasured(() => 0.05), hopelessAfter);
  assert.equal(roundsMeasured((round) => (round < 2 ? 0.05 : 1)), 7, "slow first rounds do not stop it when a later one is fast");
});
