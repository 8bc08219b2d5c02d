/**
 * A test file that hangs is killed whole, and the tests it had not reported
 * yet would all fail with it. So each of them runs again, alone, with the per
 * test time limit: a hanging test then costs only itself.
 */
import type { FileRun, TestOutcome } from "./outcomes.ts";
import { runTestFile, type RunTestFileOptions } from "./run-test-file.ts";

/** Process start-up on top of the per-test limit when a test runs alone. */
const startupMs = 5000;

/**
 * Runs the unreported tests of a file that timed out one by one, while
 * `mayContinue()` allows, and returns the run with their outcomes added.
 */
export async function rerunAlone(
  run: FileRun,
  expected: string[],
  options: RunTestFileOptions,
  mayContinue: () => boolean,
): Promise<FileRun> {
  const tests = [...run.tests];
  let ms = run.ms;
  for (const name of expected.filter((candidate) => !tests.some((test) => test.name === candidate))) {
    if (!mayContinue()) break;
    const alone = await runTestFile({ ...options, only: name, timeoutMs: options.testTimeoutMs + startupMs });
    ms += alone.ms;
    const outcome: TestOutcome = alone.tests.find((test) => test.name === name) ?? {
      name,
      passed: false,
      ms: alone.ms,
      message: alone.status === "timed-out"
        ? `timed out: the test did not finish within ${Math.round(options.testTimeoutMs / 1000)} s when run alone`
        : `did not run alone: ${alone.error ?? "no result"}`,
    };
    tests.push(outcome);
  }
  return { ...run, tests, ms };
}
