/**
 * A milestone's test files: `tests/*.test.ts` (visible, shipped to students)
 * and `hidden/*.test.ts` (only in the Gradescope package). Files whose name
 * starts with `_` are helpers, not tests. Hidden files named
 * `black-box*.test.ts` are black-box tests: they load no code under test and
 * check the student's nodes from outside, as child processes, through the
 * network (kit/privileges.ts, harness/student-node.ts).
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type Weights, GradingConfigError } from "./weights.ts";

export type Visibility = "visible" | "hidden";

/** The folder of each kind of test. */
export const testFolders: Record<Visibility, string> = { visible: "tests", hidden: "hidden" };

export interface TestFile {
  /** Relative to the milestone folder: "hidden/hostile.test.ts". */
  file: string;
  visibility: Visibility;
  /** Whether it is a black-box test file. */
  blackBox: boolean;
}

/** Whether a test file (relative to its milestone folder) is a black-box one. */
export function isBlackBoxFile(file: string): boolean {
  return /^hidden\/black-box[^/]*\.test\.ts$/.test(file);
}

/** The test files of a milestone present in this checkout, visible first, each group sorted. */
export function findTestFiles(milestoneFolder: string): TestFile[] {
  return (Object.entries(testFolders) as Array<[Visibility, string]>).flatMap(([visibility, folder]) => {
    const path = join(milestoneFolder, folder);
    if (!existsSync(path)) return [];
    return readdirSync(path)
      .filter((name) => name.endsWith(".test.ts") && !name.startsWith("_"))
      .sort()
      .map((name) => ({ file: `${folder}/${name}`, visibility, blackBox: isBlackBoxFile(`${folder}/${name}`) }));
  });
}

/**
 * Checks that the test files present and the weights name the same files.
 * Weights for a folder absent from this checkout (hidden tests in a student
 * release) are ignored.
 *
 * @throws GradingConfigError listing every mismatch.
 */
export function checkTestFiles(milestoneFolder: string, files: TestFile[], weights: Weights): void {
  const present = new Set(files.map(({ file }) => file));
  const problems = [
    ...files.filter(({ file }) => !(file in weights.tests)).map(({ file }) => `${file} has no entry in weights.json`),
    ...Object.keys(weights.tests)
      .filter((file) => !present.has(file) && existsSync(join(milestoneFolder, file.split("/")[0] as string)))
      .map((file) => `weights.json lists ${file}, which does not exist`),
  ];
  if (problems.length > 0) throw new GradingConfigError(problems.join("\n"));
}
