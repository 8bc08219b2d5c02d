/**
 * The milestones of the kit, their folders, and where the repository is.
 *
 * @example
 * milestoneFolder("m1"); // "/path/to/repo/m1-serialization"
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The folder name of each milestone, in order. */
export const milestones = {
  m0: "m0-setup",
  m1: "m1-serialization",
  m2: "m2-actors",
  m3: "m3-gossip",
  m4: "m4-storage",
  m5: "m5-mapreduce",
  m6: "m6-processing",
  m7: "m7-fault-tolerance",
  m8: "m8-cloud",
} as const;

/** A milestone's short name: "m0" … "m8". */
export type MilestoneId = keyof typeof milestones;

/** The repository's root folder (absolute). */
export const repoRoot: string = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Reads a milestone named by a user: "m1", "1" or "m1-serialization".
 *
 * @throws RangeError when the text names no milestone.
 */
export function parseMilestone(text: string): MilestoneId {
  const id = (/^\d$/.test(text) ? `m${text}` : text.split("-")[0]) as MilestoneId;
  if (!(id in milestones)) {
    throw new RangeError(`Cannot find milestone "${text}": expected m0 … m8`);
  }
  return id;
}

/** The absolute folder of a milestone. */
export function milestoneFolder(id: MilestoneId): string {
  return join(repoRoot, milestones[id]);
}

/** The milestones that exist in this checkout (a student release may hold only some). */
export function presentMilestones(): MilestoneId[] {
  return (Object.keys(milestones) as MilestoneId[]).filter((id) =>
    existsSync(join(milestoneFolder(id), "api.ts"))
  );
}

/** The milestones before `id`, which it builds on. */
export function earlierMilestones(id: MilestoneId): MilestoneId[] {
  const all = Object.keys(milestones) as MilestoneId[];
  return all.slice(0, all.indexOf(id));
}
