/**
 * Turns test outcomes into points, following the weights. Every test that ran
 * must have a weight, and every weight must match a test: a mismatch is a
 * grading configuration error, unless the file could not finish (then its
 * missing tests simply fail, with the reason).
 *
 * A test that could not run on this machine (harness/unavailable.ts) is
 * neither scored nor failed: it earns 0 of 0 and says why, unless
 * `unavailableFails` (the autograder, whose package must hold everything its
 * tests need) makes it an ordinary failure.
 */
import type { FileRun } from "./outcomes.ts";
import type { TestFile, Visibility } from "./test-files.ts";
import type { Weights } from "./weights.ts";

export interface ScoredTest {
  file: string;
  name: string;
  visibility: Visibility;
  /** "2.3": the file's position, then the test's position in the weights file. */
  number: string;
  points: number;
  maxPoints: number;
  passed: boolean;
  ms: number;
  message?: string;
  /** Why it did not run here, when it could not (its weight is then left out of the total). */
  unavailable?: string;
}

export interface Scored {
  tests: ScoredTest[];
  /** Configuration errors: tests without weights, weights without tests. */
  problems: string[];
}

export function scoreRuns(files: TestFile[], runs: FileRun[], weights: Weights, unavailableFails = false): Scored {
  const tests: ScoredTest[] = [];
  const problems: string[] = [];
  files.forEach(({ file, visibility }, fileIndex) => {
    const run = runs.find((candidate) => candidate.file === file);
    const table = weights.tests[file] ?? {};
    for (const outcome of run?.tests ?? []) {
      if (!(outcome.name in table)) problems.push(`${file}: test "${outcome.name}" has no weight in weights.json`);
    }
    Object.entries(table).forEach(([name, maxPoints], testIndex) => {
      const outcome = run?.tests.find((candidate) => candidate.name === name);
      if (outcome === undefined && run?.status === "completed") {
        problems.push(`${file}: weights.json lists "${name}", which the file does not define`);
      }
      const scored: ScoredTest = {
        file,
        name,
        visibility,
        number: `${fileIndex + 1}.${testIndex + 1}`,
        points: outcome?.passed ? maxPoints : 0,
        maxPoints,
        passed: outcome?.passed ?? false,
        ms: outcome?.ms ?? 0,
      };
      const message = outcome?.message ?? (outcome === undefined ? notRun(run) : undefined);
      if (message !== undefined) scored.message = message;
      if (outcome?.unavailable !== undefined) {
        if (unavailableFails) scored.message = `could not run on the grader (please tell the course staff): ${outcome.unavailable}`;
        else Object.assign(scored, { maxPoints: 0, unavailable: outcome.unavailable, message: `not run here: ${outcome.unavailable}` });
      }
      tests.push(scored);
    });
  });
  return { tests, problems };
}

/** The reason of a test that grading stopped before (time budget, or fail-fast). */
export const notStarted = "did not run: grading stopped before this test";

function notRun(run: FileRun | undefined): string {
  if (run === undefined || run.status === "stopped") return notStarted;
  if (run.status === "untrusted") return run.error as string;
  return `did not run: the test file ${run.status === "timed-out" ? "" : "stopped: "}${run.error ?? run.status}`;
}
