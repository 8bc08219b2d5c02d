/**
 * Applies a mutant to a temporary copy of a milestone's reference. The copy
 * sits beside the reference (`m1-serialization/.mutant-NAME/`), at the same
 * depth, so its relative imports still resolve; it is git-ignored and removed
 * after use.
 */
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type MilestoneId, milestoneFolder } from "../kit/milestones.ts";
import type { Mutant } from "./mutant.ts";
import { GradingConfigError } from "./weights.ts";

/** The mutants of a milestone (`mutants/index.ts`), or none. */
export async function loadMutants(id: MilestoneId): Promise<Mutant[]> {
  const path = join(milestoneFolder(id), "mutants", "index.ts");
  if (!existsSync(path)) return [];
  return ((await import(pathToFileURL(path).href)) as { mutants: Mutant[] }).mutants;
}

/**
 * Writes the mutated copy and returns its folder (absolute).
 *
 * @throws GradingConfigError when the text to find does not occur exactly once.
 */
export function applyMutant(id: MilestoneId, mutant: Mutant): string {
  const folder = join(milestoneFolder(id), `.mutant-${mutant.name}`);
  rmSync(folder, { recursive: true, force: true });
  cpSync(join(milestoneFolder(id), "reference"), folder, { recursive: true });
  const file = join(folder, mutant.file);
  const source = existsSync(file) ? readFileSync(file, "utf8") : "";
  const occurrences = source.split(mutant.find).length - 1;
  if (occurrences !== 1) {
    rmSync(folder, { recursive: true, force: true });
    throw new GradingConfigError(`Cannot apply mutant ${mutant.name}: its text occurs ${occurrences} times in reference/${mutant.file}`);
  }
  writeFileSync(file, source.replace(mutant.find, () => mutant.replace));
  return folder;
}

/** Removes a mutated copy. */
export function removeMutant(folder: string): void {
  rmSync(folder, { recursive: true, force: true });
}
