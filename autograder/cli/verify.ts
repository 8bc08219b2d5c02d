/**
 * npm run verify [mN] [-- --skip-performance]: tests the grading itself.
 *
 * For each milestone with a reference (or the one named):
 * 1. the reference scores 100 % on every test, on three seeds (a test file
 *    that never reads the seed runs once), and its
 *    performance against itself earns full marks (measured again once if not:
 *    timing is noisy);
 * 2. the untouched stub scores 0;
 * 3. every mutant (a small deliberate bug) loses points on at least one hidden
 *    test; each is printed with the tests that catch it (hidden files run,
 *    its target first, until one catches it).
 * Exits non-zero if any of this fails.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { grade, type GradeReport, gradingEnv } from "../grader/grade.ts";
import { scorePerformance, type WorkloadScore } from "../grader/performance.ts";
import { notStarted } from "../grader/score.ts";
import type { TestFile } from "../grader/test-files.ts";
import { readWeights } from "../grader/weights.ts";
import { applyMutant, loadMutants, removeMutant } from "../grader/mutate.ts";
import { hasReference } from "../kit/implementations.ts";
import { type MilestoneId, milestoneFolder, parseMilestone, presentMilestones } from "../kit/milestones.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { "skip-performance": { type: "boolean", default: false }, jobs: { type: "string", default: "2" } },
});
const milestones = positionals.length > 0 ? positionals.map(parseMilestone) : presentMilestones().filter(hasReference);
const jobs = Number(values.jobs);
const seeds = [1, 2, 3];
const failures: string[] = [];

/** Whether a test file, or a helper of its milestone that it imports, uses the run's seed. */
function readsSeed(path: string, milestone: string, seen = new Set<string>()): boolean {
  if (seen.has(path) || !path.startsWith(milestone) || !existsSync(path)) return false;
  seen.add(path);
  const source = readFileSync(path, "utf8");
  if (/\b(withSeed|runSeed)\b/.test(source)) return true;
  const helpers = [...source.matchAll(/from\s+["'](\.\.?\/[^"']+)["']/g)].map((match) => join(dirname(path), match[1] as string));
  return helpers.some((helper) => readsSeed(helper, milestone, seen));
}

function failed(report: GradeReport): string[] {
  return [...report.tests, ...report.performance].filter((item) => item.points < item.maxPoints).map((item) => item.name);
}

function check(ok: boolean, line: string, detail: string[] = []): void {
  console.log(`  ${ok ? "ok  " : "FAIL"} ${line}`);
  for (const item of detail.slice(0, 10)) console.log(`         ${item}`);
  if (!ok) failures.push(line);
}

async function verify(milestone: MilestoneId): Promise<void> {
  const started = performance.now();
  console.log(`\n${milestone}`);
  for (const seed of seeds) {
    // A file that never reads the seed runs the same on any seed: once is enough.
    const include = seed === seeds[0] ? undefined : (file: TestFile) => readsSeed(join(milestoneFolder(milestone), file.file), milestoneFolder(milestone));
    const report = await grade({ milestone, impl: "reference", seed, jobs, performance: false, include });
    const misses = failed(report);
    check(misses.length === 0 && report.problems.length === 0,
      `reference, seed ${seed}: ${report.score}/${report.maxScore} (${(report.ms / 1000).toFixed(1)} s)`,
      [...report.problems, ...misses.map((name) => `lost points: ${name}`)]);
  }
  const weights = readWeights(milestoneFolder(milestone)).performance;
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
  check(stub.score === 0, `stub: ${stub.score}/${stub.maxScore}`, scoring);
  for (const mutant of await loadMutants(milestone)) {
    let folder: string;
    try {
      folder = applyMutant(milestone, mutant);
    } catch (error) {
      check(false, `mutant ${mutant.name}: ${(error as Error).message}`);
      continue;
    }
    try {
      // Its target, else the hidden tests named like the mutated file, are the likeliest to catch it: they run first.
      const first = [mutant.target?.split("/").pop() ?? `${mutant.file.replace(/\.ts$/, "")}.test.ts`];
      const report = await grade({ milestone, impl: folder, seed: 1, only: "hidden", jobs, performance: false, fileTimeoutMs: 60_000, failFast: true, first });
      const catchers = report.tests.filter((test) => !test.passed && test.message !== notStarted).map((test) => test.name);
      check(catchers.length > 0, `mutant ${mutant.name} (${mutant.bug}): ${catchers.length > 0 ? `caught by ${catchers.length} hidden tests` : "NOT CAUGHT"}`, catchers.slice(0, 3));
    } finally {
      removeMutant(folder);
    }
  }
  console.log(`  ${milestone} verified in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

for (const milestone of milestones) await verify(milestone);
console.log(failures.length === 0 ? "\nverify: all checks passed" : `\nverify: ${failures.length} checks failed`);
process.exit(failures.length === 0 ? 0 : 1);
