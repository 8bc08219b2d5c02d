/**
 * The grading report in Gradescope's results.json format (the "specs" page of
 * gradescope-autograders.readthedocs.io). `npm run grade -- --json FILE`
 * writes the same file Gradescope gets.
 *
 * Visible tests are `visible`; hidden tests are `after_due_date`, and their
 * failure details are withheld even then. The student's own output is hidden
 * (`stdout_visibility`), and whatever of it reaches a visible message goes
 * through `scrub` (scrub.ts), so printing cannot leak hidden tests either.
 * Before the due date nothing shown adds up to the hidden points: the summary
 * gives visible and performance points only (Gradescope hides the total while
 * tests are hidden), and the leaderboard ranks performance only.
 */
import type { GradeReport } from "./grade.ts";
import type { WorkloadScore } from "./performance.ts";
import type { RedFlag } from "./red-flags.ts";
import type { ScoredTest } from "./score.ts";

export interface GradescopeTest {
  score: number;
  max_score: number;
  status: "passed" | "failed";
  name: string;
  name_format: "text";
  number: string;
  output: string;
  output_format: "text";
  tags: string[];
  visibility: "visible" | "after_due_date";
  extra_data: Record<string, unknown>;
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: "md";
  test_output_format: "text";
  test_name_format: "text";
  visibility: "visible";
  stdout_visibility: "hidden";
  extra_data: Record<string, unknown>;
  tests: GradescopeTest[];
  leaderboard: Array<{ name: string; value: number | string; order?: "asc" | "desc" }>;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** Makes text from code under test safe to show: the identity where nothing is hidden. */
export type Scrub = (text: string) => string;

function testEntry(test: ScoredTest, report: GradeReport, scrub: Scrub): GradescopeTest {
  const hidden = test.visibility === "hidden";
  const detail = test.passed ? "passed" : scrub(test.message ?? "failed");
  return {
    score: round(test.points),
    max_score: round(test.maxPoints),
    status: test.passed ? "passed" : "failed",
    name: `${test.file.replace(/\.test\.ts$/, "")}: ${test.name}`,
    name_format: "text",
    number: test.number,
    output: hidden ? (test.passed ? "Hidden test: passed." : "Hidden test: failed. Its details are withheld.") : detail,
    output_format: "text",
    tags: [report.milestone, test.visibility],
    visibility: hidden ? "after_due_date" : "visible",
    extra_data: { seed: report.seed, duration_ms: Math.round(test.ms), runtime: report.runtime, file: test.file },
  };
}

function workloadEntry(workload: WorkloadScore, index: number, report: GradeReport, scrub: Scrub): GradescopeTest {
  return {
    score: round(workload.points),
    max_score: round(workload.maxPoints),
    status: workload.points >= workload.maxPoints ? "passed" : "failed",
    name: `performance: ${workload.name}`,
    name_format: "text",
    number: `P.${index + 1}`,
    output: scrub(workload.message ?? ""),
    output_format: "text",
    tags: [report.milestone, "performance"],
    visibility: "visible",
    extra_data: { seed: report.seed, runtime: report.runtime, ratio: workload.ratio ?? null, rounds: workload.spread?.wall.length ?? null },
  };
}

/** The leaderboard: the throughput ratios, when performance was measured (a score there would give the hidden points away). */
function leaderboard(report: GradeReport): GradescopeResults["leaderboard"] {
  const ratios = report.performance.filter((workload) => workload.ratio !== undefined);
  const board: GradescopeResults["leaderboard"] = [];
  if (ratios.length > 0) {
    const geometric = Math.exp(ratios.reduce((sum, workload) => sum + Math.log(workload.ratio as number), 0) / ratios.length);
    board.push({ name: "speed vs reference (geometric mean)", value: round(geometric), order: "desc" });
    for (const workload of ratios) board.push({ name: workload.name, value: round(workload.ratio as number), order: "desc" });
  }
  return board;
}

export interface ResultsOptions {
  /** Added to the summary. */
  note?: string;
  /** Applied to every message from code under test that students see. */
  scrub?: Scrub;
  /** For the course staff only (extra_data, which students do not see). */
  redFlags?: RedFlag[];
}

/** Converts a (possibly partial) report. */
export function gradescopeResults(report: GradeReport, options: ResultsOptions = {}): GradescopeResults {
  const { note, scrub = (text: string) => text, redFlags = [] } = options;
  const visible = report.tests.filter((test) => test.visibility === "visible");
  const sum = (tests: Array<{ points: number; maxPoints: number }>) =>
    `${round(tests.reduce((total, test) => total + test.points, 0))}/${round(tests.reduce((total, test) => total + test.maxPoints, 0))}`;
  const lines = [
    `**${report.milestone}** (seed ${report.seed}, ${report.runtime}): visible tests ${sum(visible)}, performance ${report.performance.length > 0 ? sum(report.performance) : "not scored"}.`,
    "",
    "Hidden tests are scored now and shown, with the total, after the due date.",
  ];
  if (report.performanceSkipped) lines.push("", `Performance: ${report.performanceSkipped}.`);
  lines.push("", `Replay the randomized tests locally: \`npm run grade ${report.milestone} -- --seed ${report.seed}\``);
  if (note) lines.push("", note);
  return {
    score: round(report.score),
    execution_time: Math.round(report.ms / 1000),
    output: lines.join("\n"),
    output_format: "md",
    test_output_format: "text",
    test_name_format: "text",
    visibility: "visible",
    stdout_visibility: "hidden",
    extra_data: { milestone: report.milestone, seed: report.seed, runtime: report.runtime, implementation: report.impl, red_flags: redFlags },
    tests: [
      ...report.tests.map((test) => testEntry(test, report, scrub)),
      ...report.performance.map((workload, index) => workloadEntry(workload, index, report, scrub)),
    ],
    leaderboard: leaderboard(report),
  };
}
