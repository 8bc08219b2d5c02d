/**
 * The files of the kit: what git tracks plus new files it does not ignore
 * (so a release or package made before a commit still holds them). Paths are
 * relative to the repository root, with forward slashes.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../kit/milestones.ts";

export function repoFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return listed.split("\0").filter((file) => file !== "" && existsSync(join(repoRoot, file))).sort();
}
