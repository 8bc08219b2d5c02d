/**
 * The files of the kit that git tracks (as they are in the working tree),
 * which is all that a release or a Gradescope package takes: a solution or a
 * scratch file left inside the kit never ships by accident. Paths are
 * relative to the repository root, with forward slashes.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { milestoneOf } from "./milestone-of.ts";
import { repoRoot } from "../kit/milestones.ts";

function gitFiles(args: string[]): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", ...args], { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return listed.split("\0").filter((file) => file !== "" && existsSync(join(repoRoot, file))).sort();
}

/** The tracked files. */
export function trackedFiles(): string[] {
  return gitFiles(["--cached"]);
}

/** Files under a milestone folder or handout that git neither tracks nor ignores: what would be left out. */
export function untrackedInMilestones(): string[] {
  return gitFiles(["--others", "--exclude-standard"]).filter((file) => milestoneOf(file) !== undefined);
}
