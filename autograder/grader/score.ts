/**
 * Turns test outcomes into points, following the weights. Every test that ran
 * must have a weight, and every weight must match a test: a mismatch is a
 * grading configuration error, unless the file could not finish (then its
 * missing tests simply fail, with the reason).
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
}

export interface Scored {
  tests: ScoredTest[];
  /** Configuration errors: tests without weights, weights without tests. */
  problems: string[];
}

export function scoreRuns(files: TestFile[], runs: FileRun[], weights: Weights): Scored {
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
      tests.push(scored);
    });
  });
  return { tests, problems };
}

/** The reason of a test that grading stopped before (time budget, or fail-fast). */
export const notStarted = "did not run: grading stopped before this test";

function notRun(run: FileRun | undefined): string {
  if (run === undefined || run.status === "stopped") return notStarted;
  return `did not run: the test file ${run.status === "timed-out" ? "" : "stopped: "}${run.error ?? run.status}`;
}
