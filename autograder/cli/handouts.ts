/**
 * npm run handouts: writes each milestone's grading table into its handout,
 * from its weights.json, so that the points students read are the points
 * the grader gives.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withGradingTable } from "../grader/grading-table.ts";
import { readWeights } from "../grader/weights.ts";
import { milestoneFolder, presentMilestones, repoRoot } from "../kit/milestones.ts";

for (const id of presentMilestones()) {
  const path = join(repoRoot, "handouts", `${id}.md`);
  if (!existsSync(path)) continue;
  const before = readFileSync(path, "utf8");
  const after = withGradingTable(before, readWeights(milestoneFolder(id)));
  if (after !== before) writeFileSync(path, after);
  console.log(`${path}: ${after === before ? "up to date" : "grading table written"}`);
}
