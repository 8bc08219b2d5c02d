/**
 * npm run package:gradescope mN [-- --out FILE]
 *
 * Writes the Gradescope autograder zip for one milestone (default
 * gradescope-mN.zip): see gradescope/package.ts for what it holds. It refuses
 * when the milestone's tests read a corpus that cannot be had here, or when a
 * milestone folder holds files git does not track (they would not be in it).
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { gradescopePackage } from "../gradescope/package.ts";
import { writeZip } from "../gradescope/zip.ts";
import { parseMilestone } from "../kit/milestones.ts";
import { untrackedInMilestones } from "../release/repo-files.ts";
import { readCommandLine } from "./command-line.ts";

const { values, positionals } = readCommandLine(import.meta.url, { allowPositionals: true, options: { out: { type: "string" } } });
const milestone = parseMilestone(positionals[0] ?? "");
const out = resolve(values.out ?? `gradescope-${milestone}.zip`);
const untracked = untrackedInMilestones();
if (untracked.length > 0) {
  console.error(`Cannot package ${milestone}: these files are not tracked by git, so the package would leave them out (commit or remove them):\n  ${untracked.slice(0, 20).join("\n  ")}`);
  process.exit(1);
}
try {
  const entries = await gradescopePackage(milestone);
  writeFileSync(out, writeZip(entries));
  console.log(`Wrote ${out}: ${entries.length} files for ${milestone}. Upload it as the autograder of the ${milestone} assignment.`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
