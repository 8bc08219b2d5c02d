/**
 * The grader's console output: a line per test as it finishes, then a
 * summary by kind of test and the total.
 */
import type { GradePlan, GradeReport } from "./grade.ts";
import type { TestOutcome } from "./outcomes.ts";
import type { WorkloadScore } from "./performance.ts";
import type { ScoredTest } from "./score.ts";
import type { Visibility } from "./test-files.ts";

/** Points as people read them: at most two decimals. */
export function points(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function indent(text: string): string {
  return text.split("\n").slice(0, 12).map((line) => `         ${line}`).join("\n");
}

/** The heading printed before grading starts. */
export function heading(plan: GradePlan): string {
  return `Grading ${plan.milestone}: implementation "${plan.impl}" (${plan.implFolder}), earlier milestones: ${plan.deps}, seed ${plan.seed}, runtime ${plan.runtime}`;
}

/**
 * One test's line, with its points and, when it failed, the reason; a reason
 * the test before it in the same file already gave (a stub's NotImplemented)
 * is not repeated.
 */
export function testLine(outcome: TestOutcome, maxPoints: number, previousReason?: string): string {
  if (outcome.unavailable !== undefined) return `  ---- ${"0/0".padStart(7)}  ${outcome.name}: not run here: ${outcome.unavailable}`;
  const result = outcome.passed ? "pass" : "FAIL";
  const score = `${points(outcome.passed ? maxPoints : 0)}/${points(maxPoints)}`.padStart(7);
  const line = `  ${result} ${score}  ${outcome.name} (${Math.round(outcome.ms)} ms)`;
  if (outcome.passed || outcome.message === undefined) return line;
  return outcome.message === previousReason ? `${line}  (the same reason)` : `${line}\n${indent(outcome.message)}`;
}

/** A performance workload's line. */
export function workloadLine(workload: WorkloadScore): string {
  const result = workload.points >= workload.maxPoints ? "pass" : workload.points > 0 ? "part" : "FAIL";
  return `  ${result} ${`${points(workload.points)}/${points(workload.maxPoints)}`.padStart(7)}  ${workload.name}: ${workload.message ?? ""}`;
}

function subtotal(items: Array<{ points: number; maxPoints: number }>): string {
  const sum = (key: "points" | "maxPoints") => items.reduce((total, item) => total + item[key], 0);
  return `${points(sum("points"))}/${points(sum("maxPoints"))}`;
}

/** The summary printed after grading. */
export function summary(report: GradeReport): string {
  const kinds: Visibility[] = ["visible", "hidden"];
  const parts = kinds
    .map((kind) => [kind, report.tests.filter((test: ScoredTest) => test.visibility === kind)] as const)
    .filter(([, tests]) => tests.length > 0)
    .map(([kind, tests]) => `${kind} ${subtotal(tests)}`);
  if (report.performance.length > 0) parts.push(`performance ${subtotal(report.performance)}`);
  const lines = [
    "",
    ...(report.performance.length > 0 ? ["Performance (your throughput ÷ the reference's, same run):", ...report.performance.map(workloadLine)] : []),
    ...(report.performanceSkipped && report.performance.length === 0 ? [`Performance: ${report.performanceSkipped}`] : []),
    parts.join(" · "),
    `Total: ${points(report.score)}/${points(report.maxScore)}   (${(report.ms / 1000).toFixed(1)} s)`,
  ];
  const notRun = report.tests.filter((test) => test.unavailable !== undefined);
  if (notRun.length > 0) {
    const reasons = [...new Set(notRun.map((test) => test.unavailable))];
    lines.push(`Not run here, and left out of the total: ${notRun.length} tests (${reasons.join("; ")})`);
  }
  if (report.tests.some((test) => !test.passed && test.unavailable === undefined)) {
    lines.push(`Replay with the same seed: npm run grade ${report.milestone} -- --seed ${report.seed}`);
  }
  if (report.problems.length > 0) {
    lines.push("", "Grading configuration errors (for the course staff):", ...report.problems.map((problem) => `  ${problem}`));
  }
  return lines.join("\n");
}
