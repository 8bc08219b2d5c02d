/**
 * The implementation switch: which folder implements each milestone.
 *
 * A choice is `student` (the milestone's `stub/` folder, which students fill
 * in), `reference` (the staff solution), or a path, relative to the repository
 * root, to any folder whose `index.ts` implements the milestone's `api.ts`.
 *
 * Choices come from, in order: the `DIST_IMPL` environment variable (set by the
 * grader from its flags, e.g. `m1=student,m0=reference` or `*=reference`), the
 * file `implementations.json` at the repository root (instructors edit it), and
 * finally `student`. This module is the only place that reads them; tests reach
 * the code under test only through `load`.
 *
 * @example
 * import type * as Api from "../api.ts";
 * const { serialize } = await load<typeof Api>("m1");
 */
import { cpSync, existsSync, readFileSync, rmSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { earlierMilestones, type MilestoneId, milestoneFolder, milestones, repoRoot } from "./milestones.ts";
import { dropPrivileges, isBlackBox } from "./privileges.ts";

/** `student`, `reference`, or a folder path. */
export type Choice = string;

/** The file instructors edit to change the default choices. */
export const configFile: string = join(repoRoot, "implementations.json");

/** The environment variable that overrides the configuration. */
export const envVariable = "DIST_IMPL";

/**
 * Reads `DIST_IMPL`-style text: comma-separated `id=choice` pairs, `*` for all.
 *
 * @throws RangeError on a pair without `=` or an unknown milestone.
 */
export function parseChoices(text: string): Partial<Record<MilestoneId | "*", Choice>> {
  const choices: Partial<Record<MilestoneId | "*", Choice>> = {};
  for (const pair of text.split(",").map((part) => part.trim()).filter(Boolean)) {
    const [id = "", choice] = pair.split("=", 2).map((part) => part.trim());
    if (!choice || (id !== "*" && !(id in milestones))) {
      throw new RangeError(`Cannot read ${envVariable} entry "${pair}": expected mN=choice or *=choice`);
    }
    choices[id as MilestoneId | "*"] = choice;
  }
  return choices;
}

function configured(): Partial<Record<MilestoneId, Choice>> {
  if (!existsSync(configFile)) return {};
  try {
    return JSON.parse(readFileSync(configFile, "utf8"));
  } catch (error) {
    throw new SyntaxError(`Cannot read ${configFile}: it is not valid JSON`, { cause: error });
  }
}

/** Where the earlier milestones that a milestone builds on come from. */
export type Deps = "reference" | "student";

/**
 * `DIST_IMPL` text that puts `choice` on a milestone and, on each earlier
 * milestone, its reference (or the student's own, with `deps` "student" or
 * where this checkout has no reference).
 *
 * @example
 * withDeps("m2", "student", "reference"); // "m2=student,m0=reference,m1=reference"
 */
export function withDeps(id: MilestoneId, choice: Choice, deps: Deps): string {
  const earlier = earlierMilestones(id).map((dep) => `${dep}=${deps === "reference" && hasReference(dep) ? "reference" : "student"}`);
  return [`${id}=${choice}`, ...earlier].join(",");
}

/** The choice in force for a milestone. */
export function choiceFor(id: MilestoneId): Choice {
  const fromEnv = parseChoices(process.env[envVariable] ?? "");
  return fromEnv[id] ?? fromEnv["*"] ?? configured()[id] ?? "student";
}

/** The absolute folder a choice stands for. */
export function implementationFolder(id: MilestoneId, choice: Choice = choiceFor(id)): string {
  if (choice === "student") return join(milestoneFolder(id), "stub");
  if (choice === "reference") return join(milestoneFolder(id), "reference");
  return isAbsolute(choice) ? choice : join(repoRoot, choice);
}

/** Whether a milestone's reference solution is in this checkout. */
export function hasReference(id: MilestoneId): boolean {
  return existsSync(join(implementationFolder(id, "reference"), "index.ts"));
}

/**
 * Imports the implementation of a milestone that is in force (or the one named).
 * In a graded process it first becomes the unprivileged user (privileges.ts),
 * so that no code under test ever runs as root; a black-box test process
 * loads references only.
 *
 * @throws Error when the chosen folder has no `index.ts`, or when a black-box test asks for anything but a reference.
 */
export async function load<Api>(id: MilestoneId, choice: Choice = choiceFor(id)): Promise<Api> {
  if (isBlackBox() && choice !== "reference") {
    throw new Error(`Cannot load ${id} implementation "${choice}" in a black-box test: it runs code under test only in child processes`);
  }
  const entry = join(implementationFolder(id, choice), "index.ts");
  if (!existsSync(entry)) {
    throw new Error(`Cannot load ${id} implementation "${choice}": ${entry} does not exist`);
  }
  if (!isBlackBox()) dropPrivileges();
  return (await import(pathToFileURL(entry).href)) as Api;
}

/**
 * Makes an implementation named on the command line gradable from anywhere.
 * A path is read from the folder the user typed it in (npm's INIT_CWD) and
 * must hold an index.ts. A folder outside the milestone is copied beside the
 * milestone's stub (`.impl-NAME/`, git-ignored), where its imports of the
 * kit (`../../autograder/…`, as a stub's are) resolve on every runtime,
 * wherever the folder came from.
 *
 * @returns the choice to grade and a function that removes the copy
 * @throws RangeError when the folder does not exist or has no index.ts
 */
export function placeImplementation(id: MilestoneId, choice: Choice | undefined): { choice: Choice | undefined; remove(): void } {
  const none = { choice, remove: () => {} };
  if (choice === undefined || choice === "student" || choice === "reference") return none;
  const folder = resolve(process.env.INIT_CWD ?? process.cwd(), choice);
  if (!existsSync(join(folder, "index.ts"))) {
    throw new RangeError(`Cannot grade ${id} implementation "${choice}": ${existsSync(folder) ? `${folder} has no index.ts` : `${folder} does not exist`}`);
  }
  if (dirname(folder) === milestoneFolder(id)) return { choice: folder, remove: () => {} };
  const copy = join(milestoneFolder(id), `.impl-${basename(folder)}-${process.pid}`);
  cpSync(folder, copy, { recursive: true, filter: (path) => basename(path) !== "node_modules" });
  const remove = () => rmSync(copy, { recursive: true, force: true });
  process.once("exit", remove);
  return { choice: copy, remove };
}
