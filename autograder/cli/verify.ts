/**
 * npm run verify [mN] [-- --seeds 3 --skip-performance --jobs 2]: tests the grading itself.
 *
 * For each milestone with a reference (or the one named):
 * 1. the reference scores 100 % on every test, on seeds 1 to 3 (`npm test`
 *    runs seed 1 alone; a test file that never reads the seed runs once;
 *    rehearsals try ten fresh seeds each), and its performance against
 *    itself earns full marks (measured again once if not: timing is noisy);
 *    tests that cannot run on this machine (a corpus that is not here) are
 *    listed, not failed;
 * 2. the untouched stub scores 0;
 * 3. every mutant (a small deliberate bug) loses points on at least one
 *    hidden test that the reference passed on the same seed. Each mutant is
 *    printed with its catchers; hidden files run, its target first, until a
 *    sound catcher fails. A mutant caught only by tests that read the real
 *    clock, or that failed for the reference on some seed, is flagged and
 *    counts as not caught: such a catch would not hold on every grader.
 *    `--jobs` mutants run at once, each on its own copy of the reference.
 * Exits non-zero if any of this fails.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { grade, type GradeReport, gradingEnv } from "../grader/grade.ts";
import type { Mutant } from "../grader/mutant.ts";
import { applyMutant, loadMutants, removeMutant } from "../grader/mutate.ts";
import { scorePerformance, type WorkloadScore } from "../grader/performance.ts";
import { points } from "../grader/report-text.ts";
import { notStarted } from "../grader/score.ts";
import type { TestFile } from "../grader/test-files.ts";
import { readWeights } from "../grader/weights.ts";
import { eachLimited } from "../kit/each-limited.ts";
import { hasReference } from "../kit/implementations.ts";
import { type MilestoneId, milestoneFolder, parseMilestone, presentMilestones } from "../kit/milestones.ts";
import { readCommandLine } from "./command-line.ts";

const { values, positionals } = readCommandLine(import.meta.url, {
  allowPositionals: true,
  options: { seeds: { type: "string", default: "3" }, "skip-performance": { type: "boolean", default: false }, jobs: { type: "string", default: "2" } },
});
const milestones = positionals.length > 0 ? positionals.map(parseMilestone) : presentMilestones().filter(hasReference);
const jobs = Number(values.jobs);
const seedCount = Number(values.seeds);
if (!(Number.isInteger(seedCount) && seedCount >= 1)) {
  console.error(`Cannot verify on ${values.seeds} seeds: expected a positive integer`);
  process.exit(2);
}
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
const failures: string[] = [];

/** Whether a test file, or a helper of its milestone that it imports, matches `pattern`. */
function sourceMatches(path: string, milestone: string, pattern: RegExp, seen = new Set<string>()): boolean {
  if (seen.has(path) || !path.startsWith(milestone) || !existsSync(path)) return false;
  seen.add(path);
  const source = readFileSync(path, "utf8");
  if (pattern.test(source)) return true;
  const helpers = [...source.matchAll(/from\s+["'](\.\.?\/[^"']+)["']/g)].map((match) => join(dirname(path), match[1] as string));
  return helpers.some((helper) => sourceMatches(helper, milestone, pattern, seen));
}

const readsSeed = /\b(withSeed|runSeed)\b/;
const readsClock = /\b(performance\.now|Date\.now)\(\)/;

/** A test, as "file: name". */
const keyOf = (file: string, name: string) => `${file}: ${name}`;

function lost(report: GradeReport): string[] {
  return [...report.tests, ...report.performance].filter((item) => item.points < item.maxPoints).map((item) => item.name);
}

function check(ok: boolean, line: string, detail: string[] = []): void {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${line}`);
  for (const item of detail.slice(0, 10)) console.log(`         ${item}`);
  if (!ok) failures.push(line);
}

async function verify(milestone: MilestoneId): Promise<void> {
  const started = performance.now();
  const folder = milestoneFolder(milestone);
  console.log(`\n${milestone}`);
  /** Tests the reference passed on seed 1, and tests it failed on any seed. */
  const passedOnFirstSeed = new Set<string>();
  const flaky = new Set<string>();
  const notRunHere = new Map<string, string>();
  for (const seed of seeds) {
    // A file that never reads the seed runs the same on any seed: once is enough.
    const include = seed === seeds[0] ? undefined : (file: TestFile) => sourceMatches(join(folder, file.file), folder, readsSeed);
    const report = await grade({ milestone, impl: "reference", seed, jobs, performance: false, include });
    for (const test of report.tests) {
      if (test.unavailable !== undefined) notRunHere.set(keyOf(test.file, test.name), test.unavailable);
      else if (!test.passed) flaky.add(keyOf(test.file, test.name));
      else if (seed === seeds[0]) passedOnFirstSeed.add(keyOf(test.file, test.name));
    }
    const misses = lost(report).filter((name) => !report.tests.some((test) => test.name === name && test.unavailable !== undefined));
    check(misses.length === 0 && report.problems.length === 0,
      `reference, seed ${seed}: ${points(report.score)}/${points(report.maxScore)} (${(report.ms / 1000).toFixed(1)} s)`,
      [...report.problems, ...misses.map((name) => `lost points: ${name}`)]);
  }
  if (notRunHere.size > 0) {
    console.log(`  note ${notRunHere.size} tests did not run here: ${[...new Set(notRunHere.values())].join("; ")}`);
  }
  const weights = readWeights(folder).performance;
  if (Object.keys(weights).length > 0 && !values["skip-performance"]) {
    // Fewer and shorter rounds than grading uses: this only checks that the scoring gives the reference full marks.
    const measure = () =>
      scorePerformance({
        milestone,
        weights,
        runtime: "node",
        testedEnv: gradingEnv(milestone, "reference", "reference", 1),
        referenceEnv: gradingEnv(milestone, "reference", "reference", 1),
        rounds: 3,
        sliceMs: 100,
      });
    const short = (scores: WorkloadScore[]) => scores.filter((score) => score.points < score.maxPoints);
    let scores = await measure();
    if (short(scores).length > 0) scores = await measure();
    check(short(scores).length === 0, `reference against itself: ${scores.map((score) => score.ratio?.toFixed(2) ?? "—").join(", ")}`,
      short(scores).map((score) => `${score.name}: ${score.message}`));
  }
  const stub = await grade({ milestone, impl: "student", seed: 1, jobs, performance: false });
  const scoring = [...stub.tests].filter((test) => test.points > 0).map((test) => `scores on the stub: ${test.name}`);
  check(stub.score === 0, `stub: ${points(stub.score)}/${points(stub.maxScore)}`, scoring);

  const clockTests = (file: string) => sourceMatches(join(folder, file), folder, readsClock);
  /** A catch that holds on every grader: the reference passed the test on this seed, never failed it, and it reads no clock. */
  const sound = (file: string, name: string) => passedOnFirstSeed.has(keyOf(file, name)) && !flaky.has(keyOf(file, name)) && !clockTests(file);
  /** What a mutant came to: caught (ok), not caught (FAIL), or only flagged or noted for the staff. */
  interface Verdict {
    status: "ok" | "fail" | "flag" | "note";
    line: string;
    detail: string[];
  }
  const tryMutant = async (mutant: Mutant): Promise<Verdict> => {
    let implementation: string;
    try {
      implementation = applyMutant(milestone, mutant);
    } catch (error) {
      return { status: "fail", line: `mutant ${mutant.name}: ${(error as Error).message}`, detail: [] };
    }
    try {
      // Its target, else the hidden tests named like the mutated file, are the likeliest to catch it: they run first.
      const first = [mutant.target?.split("/").pop() ?? `${mutant.file.replace(/\.ts$/, "")}.test.ts`];
      const report = await grade({ milestone, impl: implementation, seed: 1, only: "hidden", jobs: 1, performance: false, fileTimeoutMs: 60_000, stopAt: sound, first });
      const failed = report.tests.filter((test) => !test.passed && test.message !== notStarted && test.unavailable === undefined);
      const catchers = failed.filter((test) => sound(test.file, test.name));
      const unsound = failed.filter((test) => !sound(test.file, test.name)).map((test) => `only caught by ${clockTests(test.file) ? "a test that reads the clock" : "a test the reference also failed"}: ${test.name}`);
      // Caught only by tests that read the clock (and that the reference passed): flagged for the staff, not failed.
      const timed = failed.filter((test) => passedOnFirstSeed.has(keyOf(test.file, test.name)) && !flaky.has(keyOf(test.file, test.name)));
      if (catchers.length === 0 && timed.length > 0) {
        return { status: "flag", line: `mutant ${mutant.name} (${mutant.bug}): caught only by tests that read the clock`, detail: timed.slice(0, 3).map((test) => test.name) };
      }
      if (catchers.length === 0 && notRunHere.size > 0) {
        return { status: "note", line: `mutant ${mutant.name} (${mutant.bug}): not caught here, where ${notRunHere.size} tests could not run`, detail: [] };
      }
      return {
        status: catchers.length > 0 ? "ok" : "fail",
        line: `mutant ${mutant.name} (${mutant.bug}): ${catchers.length > 0 ? `caught by ${catchers.length} hidden tests` : unsound.length > 0 ? "FLAGGED" : "NOT CAUGHT"}`,
        detail: catchers.length > 0 ? catchers.slice(0, 3).map((test) => test.name) : unsound,
      };
    } finally {
      removeMutant(implementation);
    }
  };
  // Each mutant is a copy of its own, so `jobs` of them run at once, each one file at a time (a mutant's first file
  // usually catches it, and a second job would only start files it never needs); they print in order.
  const mutants = await loadMutants(milestone);
  const verdicts: Verdict[] = [];
  await eachLimited(mutants.map((mutant, i) => [mutant, i] as const), jobs, async ([mutant, i]) => {
    verdicts[i] = await tryMutant(mutant);
  });
  for (const { status, line, detail } of verdicts) {
    if (status === "ok" || status === "fail") check(status === "ok", line, detail);
    else {
      console.log(`  ${status} ${line}`);
      for (const item of detail) console.log(`         ${item}`);
    }
  }
  console.log(`  ${milestone} verified in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

for (const milestone of milestones) await verify(milestone);
console.log(failures.length === 0 ? "\nverify: all checks passed" : `\nverify: ${failures.length} checks failed`);
process.exit(failures.length === 0 ? 0 : 1);
