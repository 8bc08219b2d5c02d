/**
 * A test file that hangs is killed whole, and the tests it had not reported
 * yet would all fail with it. So each of them runs again, alone, with the per
 * test time limit: a hanging test then costs only itself. A file that hangs
 * before its first test (while it loads the code under test) would hang the
 * same way for each of them: when the file reported no test, it is first
 * loaded once, running none, and if that hangs too, every test fails at once.
 */
import type { FileRun, TestOutcome } from "./outcomes.ts";
import { runTestFile, type RunTestFileOptions } from "./run-test-file.ts";

/** Process start-up on top of the per-test limit when a test runs alone. */
const startupMs = 5000;

/** A name no test has: running only it loads the file and runs no test. */
const noTest = "(no test has this name: the file only loads)";

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
  const limitMs = options.testTimeoutMs + startupMs;
  if (tests.length === 0) {
    const loading = await runTestFile({ ...options, only: noTest, timeoutMs: limitMs });
    if (loading.status === "timed-out") {
      const message = `the file did not finish loading within ${Math.round(limitMs / 1000)} s, so none of its tests could run`;
      return { ...run, tests: expected.map((name) => ({ name, passed: false, ms: 0, message })), ms: ms + loading.ms };
    }
    ms += loading.ms;
  }
  for (const name of expected.filter((candidate) => !tests.some((test) => test.name === candidate))) {
    if (!mayContinue()) break;
    const alone = await runTestFile({ ...options, only: name, timeoutMs: limitMs });
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
