/**
 * A benchmark figure: one measured number with its unit and, when the
 * milestone sets one, its goal. Milestones whose performance is not a
 * throughput ratio (m0's baseline: how long the sequential engine takes)
 * report figures; `npm run bench` prints them.
 */
export interface Figure {
  /** What was measured, e.g. "crawl + index of the PostgreSQL manual". */
  name: string;
  value: number;
  unit: string;
  /** The goal, if any: at most or at least this value. */
  goal?: { atMost: number } | { atLeast: number };
}

/** Whether a figure meets its goal (true when it has none). */
export function meetsGoal(figure: Figure): boolean {
  if (figure.goal === undefined) return true;
  return "atMost" in figure.goal ? figure.value <= figure.goal.atMost : figure.value >= figure.goal.atLeast;
}

/** A figure's line: name, value, unit, and its goal. */
export function formatFigure(figure: Figure): string {
  const value = figure.value >= 100 ? Math.round(figure.value).toLocaleString("en-US") : figure.value.toFixed(2);
  const goal = figure.goal === undefined ? "" : "atMost" in figure.goal ? ` (goal ≤ ${figure.goal.atMost.toLocaleString("en-US")})` : ` (goal ≥ ${figure.goal.atLeast.toLocaleString("en-US")})`;
  return `${figure.name}: ${value} ${figure.unit}${goal}${figure.goal === undefined ? "" : meetsGoal(figure) ? " ok" : " MISSED"}`;
}
