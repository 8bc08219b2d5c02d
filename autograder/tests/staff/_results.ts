/** Checks of a results.json, shared by the staff tests that grade through run_autograder. */
import assert from "node:assert/strict";
import type { GradescopeResults } from "../../grader/results-json.ts";

/** Checks the fields and types Gradescope's specification asks for, and that nothing shown adds up to the hidden points. */
export function assertValidResults(results: GradescopeResults, milestone: string): void {
  assert.equal(typeof results.score, "number");
  assert.equal(typeof results.execution_time, "number");
  assert.ok(["text", "html", "simple_format", "md", "ansi"].includes(results.output_format));
  assert.equal(results.stdout_visibility, "hidden");
  if (results.tests.length === 0) return;
  for (const entry of results.tests) {
    assert.equal(typeof entry.name, "string");
    assert.ok(entry.score >= 0 && entry.score <= entry.max_score, entry.name);
    assert.ok(entry.status === "passed" || entry.status === "failed");
    assert.match(entry.number, /^(\d+|P)\.\d+$/);
    assert.ok(entry.visibility === "visible" || entry.visibility === "after_due_date");
    assert.ok(Array.isArray(entry.tags) && entry.tags.includes(milestone));
    assert.equal(typeof entry.extra_data.seed, "number");
    if (entry.tags.includes("hidden")) {
      assert.equal(entry.visibility, "after_due_date");
      assert.match(entry.output, /^Hidden test: (passed|failed. Its details are withheld)\.$/);
    }
  }
  const sum = results.tests.reduce((total, entry) => total + entry.score, 0);
  assert.ok(Math.abs(sum - results.score) < 0.05, `score ${results.score} is not the sum ${sum}`);
  assert.ok(!/\d+(\.\d+)? ?\/ ?\d+ points/.test(results.output), `the summary must not show a total: ${results.output}`);
  assert.ok(results.leaderboard.every((row) => typeof row.name === "string" && row.name !== "score"), "the leaderboard ranks performance only");
}

/** The most points a results file could give. */
export function maxScore(results: GradescopeResults): number {
  // Points are given in hundredths; the sum is rounded as results.json rounds scores.
  return Math.round(results.tests.reduce((total, entry) => total + entry.max_score, 0) * 100) / 100;
}
