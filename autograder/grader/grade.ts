/**
 * Grading one milestone: run each test file in its own process, score the
 * outcomes with the weights, then, once every visible test passes, score
 * performance against the reference.
 *
 * @example
 * const report = await grade({ milestone: "m1", impl: "student", seed: 42 });
 * console.log(report.score, "/", report.maxScore);
 */
import { join } from "node:path";
import { type Choice, choiceFor, type Deps, envVariable, hasReference, implementationFolder, withDeps } from "../kit/implementations.ts";
import { type MilestoneId, milestoneFolder, repoRoot } from "../kit/milestones.ts";
import { seedVariable } from "../harness/seed.ts";
import type { FileRun, TestOutcome } from "./outcomes.ts";
import { scorePerformance, type WorkloadScore } from "./performance.ts";
import { blackBoxVariable, runAsVariable, type UserIds } from "../kit/privileges.ts";
import { killUser } from "./processes.ts";
import { rerunAlone } from "./rerun-alone.ts";
import { runTestFile, type RunTestFileOptions } from "./run-test-file.ts";
import type { RuntimeName } from "./runtimes.ts";
import { type ScoredTest, scoreRuns } from "./score.ts";
import { checkTestFiles, findTestFiles, type TestFile, type Visibility } from "./test-files.ts";
import { readWeights } from "./weights.ts";

export interface GradeOptions {
  milestone: MilestoneId;
  /** The implementation under test (default: the configured choice, normally `student`). */
  impl?: Choice;
  /** Earlier milestones: the reference (default) or the student's own. */
  deps?: Deps;
  seed: number;
  /** Run only one kind of test (then performance is not scored). */
  only?: Visibility;
  runtime?: RuntimeName;
  /** Limit per test file (default 120 s); a file that hits it runs its unreported tests again, alone. */
  fileTimeoutMs?: number;
  /** Limit per test (default 60 s, at most the file's). */
  testTimeoutMs?: number;
  /** Stop starting test files after this long; the rest count as not run. */
  budgetMs?: number;
  /** Test files run at once. */
  jobs?: number;
  /**
   * Stop at the first failed test this accepts (by file and test name):
   * running files are cut short, no new one starts (the rest count as not run).
   */
  stopAt?: (file: string, test: string) => boolean;
  /** The test files that run first (by file name, e.g. "stem.test.ts"), the rest in their usual order. */
  first?: string[];
  /** Run only the test files this accepts (a file left out does not count). */
  include?: (file: TestFile) => boolean;
  /**
   * The unprivileged user that code under test runs as (Gradescope): every
   * graded process drops to it before it loads code under test, and all its
   * processes are killed after each file.
   */
  runAs?: UserIds;
  /** Score performance (default: when every test runs and the reference is here). */
  performance?: boolean;
  /** Called once the plan is known, before any test runs. */
  onStart?: (plan: GradePlan) => void;
  onFileStart?: (file: TestFile) => void;
  /** Called as each test finishes, with its weight (on runtimes that stream results). */
  onTest?: (file: TestFile, outcome: TestOutcome, maxPoints: number | undefined) => void;
  /** Called when a test file is done, with the weights of its tests. */
  onFileDone?: (file: TestFile, run: FileRun, weights: Record<string, number>) => void;
  /** Called after each test file with the report so far (for results written as grading goes). */
  onProgress?: (partial: GradeReport) => void;
}

/** What is about to be graded. */
export interface GradePlan {
  milestone: MilestoneId;
  impl: Choice;
  implFolder: string;
  deps: Deps;
  seed: number;
  runtime: RuntimeName;
}

export interface GradeReport extends GradePlan {
  tests: ScoredTest[];
  performance: WorkloadScore[];
  /** Why performance was not scored, if it was not. */
  performanceSkipped?: string;
  score: number;
  maxScore: number;
  /** Grading configuration errors (staff's to fix). */
  problems: string[];
  ms: number;
}

/**
 * The environment that selects implementations and the seed for a graded
 * process, and, with `runAs`, the user it becomes before loading code under
 * test.
 */
export function gradingEnv(milestone: MilestoneId, impl: Choice, deps: Deps, seed: number, runAs?: UserIds): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, [envVariable]: withDeps(milestone, impl, deps), [seedVariable]: String(seed) };
  if (runAs !== undefined) env[runAsVariable] = `${runAs.uid}:${runAs.gid}`;
  return env;
}

/**
 * A black-box test file's environment: the process itself loads references
 * only; the nodes it starts use the implementation under test.
 */
function blackBoxEnv(env: NodeJS.ProcessEnv, milestone: MilestoneId): NodeJS.ProcessEnv {
  return { ...env, [envVariable]: withDeps(milestone, "reference", "reference"), [blackBoxVariable]: env[envVariable] };
}

export async function grade(options: GradeOptions): Promise<GradeReport> {
  const started = performance.now();
  const { milestone, seed, runtime = "node", deps = "reference", jobs = 1 } = options;
  const impl = options.impl ?? choiceFor(milestone);
  const folder = milestoneFolder(milestone);
  const weights = readWeights(folder);
  const allFiles = findTestFiles(folder);
  checkTestFiles(folder, allFiles, weights);
  const isFirst = (file: TestFile) => (options.first ?? []).some((name) => file.file.endsWith(`/${name}`));
  const files = allFiles
    .filter(({ visibility }) => options.only === undefined || visibility === options.only)
    .filter((file) => options.include?.(file) ?? true)
    .sort((a, b) => Number(isFirst(b)) - Number(isFirst(a)));
  if (options.runAs !== undefined && runtime !== "node") {
    throw new RangeError(`Cannot grade as another user on ${runtime}: only Node's results travel on a channel code under test cannot write to`);
  }
  const env = gradingEnv(milestone, impl, deps, seed, options.runAs);
  if (options.runAs) await killUser(options.runAs);

  const base: GradePlan = { milestone, impl, implFolder: implementationFolder(milestone, impl), deps, seed, runtime };
  options.onStart?.(base);
  const assemble = (done: TestFile[], runs: FileRun[], workloads: WorkloadScore[], skipped?: string): GradeReport => {
    const { tests, problems } = scoreRuns(done, runs, weights, options.runAs !== undefined);
    const all = [...tests, ...workloads];
    const report: GradeReport = {
      ...base,
      tests,
      performance: workloads,
      score: all.reduce((sum, item) => sum + item.points, 0),
      maxScore: all.reduce((sum, item) => sum + item.maxPoints, 0),
      problems,
      ms: performance.now() - started,
    };
    if (skipped !== undefined) report.performanceSkipped = skipped;
    return report;
  };

  const runs: FileRun[] = [];
  const queue = [...files];
  const firstFailure = new AbortController();
  const stopIfFailed = (file: string, test: string, passed: boolean) => {
    if (!passed && options.stopAt?.(file, test)) firstFailure.abort("grading stopped at the first failure");
  };
  const worker = async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
      if (options.budgetMs !== undefined && performance.now() - started > options.budgetMs) continue;
      if (firstFailure.signal.aborted) continue;
      options.onFileStart?.(file);
      const current = file;
      const fileOptions: RunTestFileOptions = {
        path: join(folder, current.file),
        file: current.file,
        runtime,
        env: current.blackBox ? blackBoxEnv(env, milestone) : env,
        blackBox: current.blackBox,
        expected: Object.keys(weights.tests[current.file] ?? {}),
        cwd: repoRoot,
        timeoutMs: options.fileTimeoutMs ?? 120_000,
        testTimeoutMs: Math.min(options.testTimeoutMs ?? 60_000, options.fileTimeoutMs ?? 120_000),
        runAs: options.runAs,
        signal: firstFailure.signal,
        onTest: (outcome) => {
          options.onTest?.(current, outcome, weights.tests[current.file]?.[outcome.name]);
          stopIfFailed(current.file, outcome.name, outcome.passed);
        },
      };
      let run = await runTestFile(fileOptions);
      if (run.status === "timed-out") {
        const withinBudget = () => options.budgetMs === undefined || performance.now() - started < options.budgetMs;
        run = await rerunAlone(run, Object.keys(weights.tests[current.file] ?? {}), fileOptions, withinBudget);
      }
      runs.push(run);
      // A test the file never reported (it crashed or hung) failed too.
      for (const test of scoreRuns([current], [run], weights).tests) stopIfFailed(test.file, test.name, test.passed);
      options.onFileDone?.(current, run, weights.tests[current.file] ?? {});
      options.onProgress?.(assemble(files.filter(({ file: name }) => runs.some((done) => done.file === name)), runs, []));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));

  const correct = assemble(files, runs, []);
  const workloads = Object.keys(weights.performance);
  const measured = options.performance ?? (options.only === undefined && workloads.length > 0);
  const skipped = !measured
    ? (workloads.length === 0 ? "this milestone has no performance workloads" : "not requested")
    : !hasReference(milestone)
    ? "not scored here: it is measured against the reference, which the autograder has and this checkout does not"
    : correct.tests.filter((test) => test.visibility === "visible").every((test) => test.passed)
    ? undefined
    : "performance counts once every visible test passes";
  if (!measured || !hasReference(milestone)) return assemble(files, runs, [], skipped);
  const scores = skipped === undefined
    ? await scorePerformance({
      milestone,
      weights: weights.performance,
      runtime,
      testedEnv: env,
      referenceEnv: gradingEnv(milestone, "reference", deps, seed),
      runAs: options.runAs,
    })
    : workloads.map((name) => ({
      name,
      points: 0,
      maxPoints: weights.performance[name] as number,
      message: `not scored: ${skipped}`,
    }));
  // The benchmark workers were killed, not waited for: nothing of the user's outlives the grading.
  if (options.runAs) await killUser(options.runAs);
  return assemble(files, runs, scores, skipped);
}
