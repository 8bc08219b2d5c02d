/**
 * What a student release holds. Students get the kit, the handouts, a README
 * written for them (README.student.md), and for each released milestone its
 * contract, stub, visible tests, weights (of the visible tests and the
 * workloads only) and benchmarks; never hidden tests or their names, mutants,
 * the staff's tools, or a reference unless the instructor asks for it (an
 * earlier milestone's, say, so that a later one can build on it).
 */
import { milestoneOf } from "./milestone-of.ts";
import type { MilestoneId } from "../kit/milestones.ts";

/** Files and folders (ending in /) only the course staff gets. */
export const staffOnly: readonly string[] = [
  ".ci/",
  "autograder/cli/package-gradescope.ts",
  "autograder/cli/release.ts",
  "autograder/cli/verify.ts",
  "autograder/gradescope/",
  "autograder/grader/mutant.ts",
  "autograder/grader/mutate.ts",
  "autograder/grader/rules.ts",
  "autograder/harness/black-box.ts",
  "autograder/release/",
  "autograder/tests/staff/",
  "autograder/tests/hostile/",
  "autograder/cli/rehearse.ts",
  // The demo runs milestone 6's reference, which a release does not hold.
  "autograder/cli/demo.ts",
  "autograder/demo/",
];

/** npm scripts that only make sense with the staff's files. */
const staffScripts = ["verify", "release", "package:gradescope", "test:milestones", "test:runtimes", "test:hostile", "rehearse", "demo"];

export interface ReleaseChoice {
  milestones: ReadonlySet<MilestoneId>;
  withReferences: ReadonlySet<MilestoneId>;
}

/** Whether a kit file goes into the release. */
export function inRelease(file: string, choice: ReleaseChoice): boolean {
  if (staffOnly.some((entry) => (entry.endsWith("/") ? file.startsWith(entry) : file === entry))) return false;
  const owner = milestoneOf(file);
  if (owner === undefined) return true;
  if (!choice.milestones.has(owner.milestone) && !choice.withReferences.has(owner.milestone)) return false;
  if (owner.part === "reference") return choice.withReferences.has(owner.milestone);
  if (!choice.milestones.has(owner.milestone)) return owner.part === "api.ts" || owner.part === "deps.ts";
  return owner.part !== "hidden" && owner.part !== "mutants" && owner.part !== "rules.md" && !owner.part.startsWith(".");
}

/**
 * The release's implementations.json: a milestone released only for its
 * reference (a dependency of the released ones) uses its reference, since it
 * has no stub.
 */
export function releaseImplementations(text: string, choice: ReleaseChoice): string {
  const choices = JSON.parse(text) as Record<string, string>;
  for (const id of choice.withReferences) if (!choice.milestones.has(id)) choices[id] = "reference";
  return `${JSON.stringify(choices, null, 2)}\n`;
}

/** The release's package.json: the staff's scripts removed, `npm test` checking what students have. */
export function releasePackage(text: string): string {
  const manifest = JSON.parse(text) as { scripts: Record<string, string> };
  for (const script of staffScripts) delete manifest.scripts[script];
  manifest.scripts.test = "npm run typecheck && npm run test:autograder";
  manifest.scripts["test:autograder"] = 'tap "autograder/tests/*.test.ts"';
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The release's weights.json: hidden tests keep their points but not their
 * names (the staff's), so the handout's grading table still adds up.
 */
export function releaseWeights(text: string): string {
  const weights = JSON.parse(text) as { tests: Record<string, Record<string, number>> };
  for (const [file, tests] of Object.entries(weights.tests)) {
    if (file.startsWith("tests/")) continue;
    weights.tests[file] = Object.fromEntries(Object.values(tests).map((points, i) => [`hidden test ${i + 1}`, points]));
  }
  return `${JSON.stringify(weights, null, 2)}\n`;
}
