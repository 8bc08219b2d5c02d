/**
 * npm run package:gradescope mN [-- --out FILE]
 *
 * Writes the Gradescope autograder zip for one milestone (default
 * gradescope-mN.zip): setup.sh and run_autograder at the root, then the kit
 * with milestones 0 … N complete (references and hidden tests included,
 * mutants left out) and later milestones left out, and the unpacked
 * PostgreSQL manual that m0's tests read (Gradescope's image has no copy).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { getCorpus } from "../corpus/get.ts";
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
// m0's tests read the PostgreSQL manual; it travels unpacked, in the cache folder.
const postgres = await getCorpus("postgres").catch(() => undefined);
if (postgres === undefined) {
  console.warn("No PostgreSQL manual here, so m0's corpus tests would fail on Gradescope: run npm run corpus -- get postgres");
}
const corpusFiles = postgres === undefined ? [] : readdirSync(postgres, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => relative(repoRoot, join(entry.parentPath, entry.name)));
const script = (name: string): ZipEntry => ({
  name,
  data: readFileSync(join(repoRoot, "autograder", "gradescope", name)),
  executable: true,
});
const entries: ZipEntry[] = [
  script("setup.sh"),
  script("run_autograder"),
  { name: "gradescope.env", data: Buffer.from(`MILESTONE=${milestone}\nFOLDER=${milestones[milestone]}\n`) },
  ...[...files, ...corpusFiles].map((file) => ({ name: file, data: readFileSync(join(repoRoot, file)), executable: file.endsWith(".sh") })),
];
writeFileSync(out, writeZip(entries));
console.log(`Wrote ${out}: ${entries.length} files for ${milestone}. Upload it as the autograder of the ${milestone} assignment.`);
