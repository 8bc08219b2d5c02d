/**
 * A milestone's weights file, `weights.json`: the points of every test, by
 * file and name, and of every performance workload.
 *
 * @example
 * {
 *   "tests": { "tests/basics.test.ts": { "null survives a round trip": 1 } },
 *   "performance": { "encode 100 k records": 2 }
 * }
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface Weights {
  tests: Record<string, Record<string, number>>;
  performance: Record<string, number>;
}

/** An error in a milestone's grading configuration (the staff's to fix, not the student's). */
export class GradingConfigError extends Error {
  override name = "GradingConfigError" as const;
}

function isPointsTable(value: unknown): value is Record<string, number> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    Object.values(value).every((points) => typeof points === "number" && Number.isFinite(points) && points >= 0);
}

/**
 * Reads and checks `weights.json` in a milestone folder.
 *
 * @throws GradingConfigError when it is missing or malformed.
 */
export function readWeights(milestoneFolder: string): Weights {
  const path = join(milestoneFolder, "weights.json");
  if (!existsSync(path)) throw new GradingConfigError(`Cannot grade: ${path} does not exist`);
  let weights: unknown;
  try {
    weights = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new GradingConfigError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  const { tests, performance = {} } = (weights ?? {}) as Partial<Weights>;
  const filesOk = typeof tests === "object" && tests !== null && Object.values(tests).every(isPointsTable);
  if (!filesOk || !isPointsTable(performance)) {
    throw new GradingConfigError(
      `Cannot read ${path}: expected {"tests": {file: {test name: points}}, "performance": {workload: points}}`,
    );
  }
  return { tests, performance };
}
