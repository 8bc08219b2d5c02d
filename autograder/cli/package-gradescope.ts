/**
 * npm run package:gradescope mN [-- --out FILE]
 *
 * Writes the Gradescope autograder zip for one milestone (default
 * gradescope-mN.zip): setup.sh and run_autograder at the root, then the kit
 * with milestones 0 … N complete (references and hidden tests included,
 * mutants left out) and later milestones left out.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { writeZip, type ZipEntry } from "../gradescope/zip.ts";
import { earlierMilestones, milestones, parseMilestone, repoRoot } from "../kit/milestones.ts";
import { milestoneOf } from "../release/milestone-of.ts";
import { repoFiles } from "../release/repo-files.ts";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: "string" } } });
const milestone = parseMilestone(positionals[0] ?? "");
const out = resolve(values.out ?? `gradescope-${milestone}.zip`);
const included = new Set([...earlierMilestones(milestone), milestone]);

const files = repoFiles().filter((file) => {
  const owner = milestoneOf(file);
  return owner === undefined ? true : included.has(owner.milestone) && owner.part !== "mutants";
});
const script = (name: string): ZipEntry => ({
  name,
  data: readFileSync(join(repoRoot, "autograder", "gradescope", name)),
  executable: true,
});
const entries: ZipEntry[] = [
  script("setup.sh"),
  script("run_autograder"),
  { name: "gradescope.env", data: Buffer.from(`MILESTONE=${milestone}\nFOLDER=${milestones[milestone]}\n`) },
  ...files.map((file) => ({ name: file, data: readFileSync(join(repoRoot, file)), executable: file.endsWith(".sh") })),
];
writeFileSync(out, writeZip(entries));
console.log(`Wrote ${out}: ${entries.length} files for ${milestone}. Upload it as the autograder of the ${milestone} assignment.`);
