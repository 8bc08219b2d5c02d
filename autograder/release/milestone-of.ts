/**
 * Which milestone a kit file belongs to, and what part of it: the folder of
 * a milestone ("m1-serialization/hidden/x.test.ts" → m1, "hidden") or its
 * handout ("handouts/m1.md" → m1, "handout").
 */
import { type MilestoneId, milestones } from "../kit/milestones.ts";

export interface MilestonePart {
  milestone: MilestoneId;
  /** "api.ts", "stub", "reference", "tests", "hidden", "mutants", "bench", "weights.json", "handout", … */
  part: string;
}

export function milestoneOf(file: string): MilestonePart | undefined {
  const handout = /^handouts\/(m\d)\.md$/.exec(file);
  if (handout && handout[1] as string in milestones) return { milestone: handout[1] as MilestoneId, part: "handout" };
  const [folder, part] = file.split("/");
  const entry = Object.entries(milestones).find(([, name]) => name === folder);
  return entry && part !== undefined ? { milestone: entry[0] as MilestoneId, part } : undefined;
}
