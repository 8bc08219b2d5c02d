/**
 * The Gradescope autograder package of one milestone: setup.sh and
 * run_autograder at the root, then the kit with milestones 0 … N complete
 * (references and hidden tests included, mutants left out), later milestones
 * left out, and the unpacked corpora that the included tests read
 * (Gradescope's image has none). Only files git tracks go in.
 *
 * @example
 * writeFileSync("gradescope-m1.zip", writeZip(await gradescopePackage("m1")));
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { type CorpusName, corpora } from "../corpus/catalogue.ts";
import { CorpusUnavailable, getCorpus } from "../corpus/get.ts";
import { earlierMilestones, type MilestoneId, milestones, repoRoot } from "../kit/milestones.ts";
import { milestoneOf } from "../release/milestone-of.ts";
import { trackedFiles } from "../release/repo-files.ts";
import type { ZipEntry } from "./zip.ts";

/** The corpora that some of these files' tests read (through corpusForTests). */
export function corporaNeeded(files: readonly string[]): CorpusName[] {
  const names = new Set<CorpusName>();
  for (const file of files.filter((name) => /\/(tests|hidden)\/[^/]+\.ts$/.test(name))) {
    for (const match of readFileSync(join(repoRoot, file), "utf8").matchAll(/corpusForTests\(\s*["'](\w+)["']/g)) {
      if (Object.hasOwn(corpora, match[1] as string)) names.add(match[1] as CorpusName);
    }
  }
  return [...names].sort();
}

/**
 * The entries of the package.
 *
 * @throws CorpusUnavailable when its tests need a corpus that cannot be had here (the message says how to get it).
 */
export async function gradescopePackage(milestone: MilestoneId): Promise<ZipEntry[]> {
  const included = new Set([...earlierMilestones(milestone), milestone]);
  const files = trackedFiles().filter((file) => {
    const owner = milestoneOf(file);
    return owner === undefined ? true : included.has(owner.milestone) && owner.part !== "mutants";
  });
  const corpusFiles: string[] = [];
  for (const name of corporaNeeded(files)) {
    const folder = await getCorpus(name, { download: true }).catch((error: unknown) => {
      const why = error instanceof Error ? error.message : String(error);
      throw new CorpusUnavailable(`Cannot package ${milestone}: its tests read the ${name} corpus, which is not here.\n${why}`);
    });
    for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) corpusFiles.push(relative(repoRoot, join(entry.parentPath, entry.name)));
    }
  }
  const script = (name: string): ZipEntry => ({ name, data: readFileSync(join(repoRoot, "autograder", "gradescope", name)), executable: true });
  return [
    script("setup.sh"),
    script("run_autograder"),
    { name: "gradescope.env", data: Buffer.from(`MILESTONE=${milestone}\nFOLDER=${milestones[milestone]}\n`) },
    ...[...files, ...corpusFiles].map((file) => ({ name: file, data: readFileSync(join(repoRoot, file)), executable: file.endsWith(".sh") })),
  ];
}
