/**
 * Hostile submissions, graded as Gradescope grades them: through the real
 * run_autograder on a simulated /autograder root, as root with a real
 * unprivileged user, under a 768 MB memory quota (where the machine allows).
 * Each attack (attacks/*.ts) sits on the untouched stub or on the reference;
 * it must score no more than the honest code beneath it would, leave no
 * process behind, and still get a valid results.json. The reference itself
 * scores 100 here.
 *
 * It needs root (the unprivileged user, its processes, the secrets closed to
 * it): npm run test:hostile, as root.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type Graded, SimulatedRoot, type Submission } from "../../gradescope/simulated-root.ts";
import { isRoot } from "../../gradescope/users.ts";
import { hopelessAfter } from "../../grader/performance.ts";
import type { GradescopeResults } from "../../grader/results-json.ts";
import { type MilestoneId, milestoneFolder } from "../../kit/milestones.ts";
import { assertValidResults, maxScore } from "../staff/_results.ts";

if (!isRoot()) throw new Error("The hostile suite needs root: it runs code under test as an unprivileged user, as Gradescope does (npm run test:hostile, as root)");

const quota = { cpus: 2, memoryMB: 768 };
const roots = new Map<MilestoneId, SimulatedRoot>();
before(async () => {
  roots.set("m1", await SimulatedRoot.create("m1", "hostile"));
  roots.set("m2", await SimulatedRoot.create("m2", "hostile"));
});
after(() => {
  for (const root of roots.values()) root.remove();
  rmSync("/tmp/hostile-leak-stash.txt", { force: true });
});

/**
 * A submission: the attack as index.ts (with the other attack files it
 * imports), on top of a copy of the stub or the reference, whose own
 * index.ts it imports as base-index.ts.
 */
function attack(milestone: MilestoneId, base: "stub" | "reference", file: string, ...imports: string[]): Omit<Submission, "id"> {
  const folder = join(milestoneFolder(milestone), base);
  const read = (name: string) => readFileSync(new URL(`./attacks/${name}`, import.meta.url), "utf8");
  return {
    folder,
    files: {
      ...Object.fromEntries(imports.map((name) => [name, read(name)])),
      "index.ts": read(file),
      "base-index.ts": readFileSync(join(folder, "index.ts"), "utf8"),
    },
  };
}

let nextId = 900_000;
async function grade(milestone: MilestoneId, submission: Omit<Submission, "id">): Promise<Graded> {
  const graded = await (roots.get(milestone) as SimulatedRoot).submit({ ...submission, id: nextId++, quota });
  assertValidResults(graded.results, milestone);
  assert.deepEqual(graded.leftovers, [], "no process of the submission may outlive grading");
  return graded;
}

const performance = (results: GradescopeResults) => results.tests.filter((entry) => entry.tags.includes("performance"));
const correctness = (results: GradescopeResults) => results.tests.filter((entry) => !entry.tags.includes("performance"));
const visibleOutputs = (results: GradescopeResults) => results.tests.filter((entry) => entry.visibility === "visible").map((entry) => entry.output);

test("the reference scores 100", async () => {
  const { results } = await grade("m1", { folder: join(milestoneFolder("m1"), "reference") });
  assert.equal(results.score, maxScore(results), results.tests.filter((entry) => entry.status !== "passed").map((entry) => `${entry.name}: ${entry.output}`).join("\n"));
});

for (const milestone of ["m1", "m2"] as const) {
  test(`${milestone}: exporting the reference scores 0: it is not readable by the submission`, async () => {
    const { results } = await grade(milestone, { files: { "index.ts": 'export * from "../reference/index.ts";\n' } });
    assert.equal(results.score, 0);
  });
}

for (const file of ["stdout-events.ts", "register-tests.ts", "channel-lines.ts", "in-process-doors.ts"]) {
  test(`forging results (${file}) scores 0`, async () => {
    const { results } = await grade("m1", attack("m1", "stub", file));
    assert.equal(results.score, 0);
  });
}

test("tests registered under the real names make the file's results untrusted", async () => {
  const { results } = await grade("m1", attack("m1", "stub", "register-tests.ts"));
  assert.ok(visibleOutputs(results).some((output) => /^results could not be trusted: test ".+" (reported twice|is not one of this file's tests)/.test(output)));
});

test("code fifteen times slower that fakes the benchmark's clocks gets no performance points", async () => {
  const { results } = await grade("m1", attack("m1", "reference", "slow-bench.ts"));
  assert.deepEqual(correctness(results).filter((entry) => entry.status !== "passed").map((entry) => entry.name), []);
  for (const entry of performance(results)) {
    assert.equal(entry.score, 0, `${entry.name}: ${entry.output}`);
    assert.ok((entry.extra_data.ratio as number) < 0.25, `${entry.name}: ${entry.output}`);
    assert.equal(entry.extra_data.rounds, hopelessAfter, `${entry.name}: measured no longer than it takes to know it scores nothing`);
  }
  assert.ok(!results.leaderboard.some((row) => typeof row.value === "number" && row.value > 0.25));
});

test("slow code that answers the benchmark's protocol itself gets no performance points", async () => {
  const { results } = await grade("m1", attack("m1", "reference", "answer-protocol.ts", "slow-bench.ts"));
  for (const entry of performance(results)) {
    assert.equal(entry.score, 0, `${entry.name}: ${entry.output}`);
    assert.match(entry.output, /could not be trusted|out of protocol|nobody asked/);
  }
});

for (const file of ["detached-burner.ts", "ignore-sigterm.ts", "memory-hog.ts"]) {
  test(`${file.replace(/\.ts$/, "")}: the submission scores 0 and none of its processes survives`, async () => {
    const { results } = await grade("m1", attack("m1", "stub", file));
    assert.equal(results.score, 0);
  });
}

test("an infinite loop at import scores 0 within the time limits", async () => {
  const { results } = await grade("m1", { ...attack("m1", "stub", "import-loop.ts"), env: { GRADE_FILE_TIMEOUT: "2", GRADE_TEST_TIMEOUT: "1" } });
  assert.equal(results.score, 0);
  assert.ok(visibleOutputs(results).some((output) => /did not finish loading/.test(output)), "each file is loaded once more, not once per test");
});

test("a node under test that answers with code runs none of it in the black-box test's process", async () => {
  const marker = "/tmp/hostile-eval-marker.txt";
  rmSync(marker, { force: true });
  const { results } = await grade("m2", attack("m2", "reference", "answer-with-code.ts"));
  assert.ok(!existsSync(marker), "the answer's code ran in the black-box test's process");
  const status = results.tests.find((entry) => entry.name.includes("status answers a remote caller"));
  assert.notEqual(status?.status, "passed", "the answer's function cannot be re-created there, so the test fails");
});

test("hidden test source printed into visible feedback is removed, and hidden files cannot be read", async () => {
  rmSync("/tmp/hostile-leak-stash.txt", { force: true });
  const { results } = await grade("m1", attack("m1", "reference", "leak-hidden.ts"));
  const stash = readFileSync("/tmp/hostile-leak-stash.txt", "utf8");
  assert.match(stash, /could not read hidden\/: EACCES/);
  assert.match(stash, /could not read the compile cache: EACCES/, "root's compile cache, which holds compiled hidden tests, is closed to the student");
  assert.match(stash, /return/, "the attack collected the source of functions the hidden tests handed it");
  const hiddenLines = new Set(
    readFileSync(join(milestoneFolder("m1"), "hidden", "_functions.ts"), "utf8").split("\n").map((line) => line.trim()).filter((line) => line.length >= 30),
  );
  const shown = visibleOutputs(results).join("\n");
  assert.match(shown, /leaked/, "the attack's message reaches visible feedback");
  for (const line of hiddenLines) assert.ok(!shown.includes(line), `visible feedback repeats hidden source: ${line}`);
  assert.match(shown, /\[hidden test source removed\]/);
});
