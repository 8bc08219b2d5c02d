/**
 * npm run grade mN [-- flags]: grades a milestone and prints a score.
 *
 *   --impl student|reference|PATH   the implementation under test (default: implementations.json, normally student)
 *   --deps reference|student        earlier milestones (default: reference)
 *   --seed N                        seed for randomized tests (default: DIST_SEED, else random)
 *   --only visible|hidden           run one kind of test (performance is then not scored)
 *   --json FILE                     write Gradescope's results.json (also while grading)
 *   --runtime node|bun|deno         the runtime that runs the tests (default: node)
 *   --timeout S                     per test file, seconds (default: 120)
 *   --test-timeout S                per test, seconds (default: 60)
 *   --budget S                      stop starting test files after S seconds
 *   --jobs N                        test files at once (default: 1)
 *   --run-as USER                   run tested code as USER (needs root; Gradescope)
 *   --red-flags DIR                 list, for the staff, what the submission in DIR reaches for (red-flags.ts)
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseSeed, runSeed } from "../harness/seed.ts";
import { type Deps, placeImplementation } from "../kit/implementations.ts";
import { milestoneFolder, parseMilestone, presentMilestones } from "../kit/milestones.ts";
import { closeCompileCache } from "../grader/compile-cache.ts";
import { grade, type GradeReport } from "../grader/grade.ts";
import type { TestOutcome } from "../grader/outcomes.ts";
import { heading, summary, testLine } from "../grader/report-text.ts";
import { redFlags, type RedFlag } from "../grader/red-flags.ts";
import { gradescopeResults, type Scrub } from "../grader/results-json.ts";
import { scrubber } from "../grader/scrub.ts";
import { parseRuntime } from "../grader/runtimes.ts";
import type { Visibility } from "../grader/test-files.ts";
import { GradingConfigError } from "../grader/weights.ts";
import type { UserIds } from "../kit/privileges.ts";
import { readCommandLine } from "./command-line.ts";

const { values, positionals } = readCommandLine(import.meta.url, {
  allowPositionals: true,
  options: {
    impl: { type: "string" },
    deps: { type: "string", default: "reference" },
    seed: { type: "string" },
    only: { type: "string" },
    json: { type: "string" },
    runtime: { type: "string", default: "node" },
    timeout: { type: "string", default: "120" },
    "test-timeout": { type: "string", default: "60" },
    budget: { type: "string" },
    jobs: { type: "string", default: "1" },
    "run-as": { type: "string" },
    "red-flags": { type: "string" },
  },
});

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run grade m1 [-- --impl student|reference|PATH --seed N --only visible|hidden --json FILE --runtime node|bun|deno]`);
  process.exit(1);
}

/**
 * The ids of the user that code under test runs as. Grading as root without
 * one would run it as root: that is refused.
 */
function userIds(user: string): UserIds {
  if (process.getuid?.() !== 0) usage("Cannot run code under test as another user: --run-as needs the grader to run as root");
  const id = (flag: string) => Number(execFileSync("id", [flag, user], { encoding: "utf8" }).trim());
  const ids = { uid: id("-u"), gid: id("-g") };
  if (ids.uid === 0) usage(`Cannot run code under test as ${user}: it is root`);
  // Root's compile cache holds compiled hidden tests and references: root's alone.
  closeCompileCache();
  return ids;
}

/** Every hidden test source in this checkout: what visible feedback must not repeat. */
function hiddenSources(): string[] {
  return presentMilestones().flatMap((id) => {
    const folder = join(milestoneFolder(id), "hidden");
    if (!existsSync(folder)) return [];
    return readdirSync(folder).filter((name) => name.endsWith(".ts")).map((name) => readFileSync(join(folder, name), "utf8"));
  });
}

let scrub: Scrub | undefined;
let flags: RedFlag[] = [];

function writeJson(path: string, report: GradeReport, note?: string): void {
  scrub ??= scrubber(hiddenSources());
  writeFileSync(`${path}.tmp`, `${JSON.stringify(gradescopeResults(report, { note, scrub, redFlags: flags }), null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

if (positionals.length !== 1) usage("Name one milestone to grade.");
if (values.only !== undefined && values.only !== "visible" && values.only !== "hidden") usage(`Cannot run "${values.only}" tests: expected visible or hidden`);
if (values.deps !== "reference" && values.deps !== "student") usage(`Cannot use dependencies "${values.deps}": expected reference or student`);

try {
  const milestone = parseMilestone(positionals[0] as string);
  const placed = placeImplementation(milestone, values.impl);
  if (values["red-flags"] !== undefined) {
    flags = redFlags(values["red-flags"]);
    console.log(flags.length === 0 ? "Red flags for the course staff: none" : `Red flags for the course staff (${flags.length}):`);
    for (const flag of flags.slice(0, 50)) console.log(`  ${flag.file}:${flag.line}: ${flag.what}`);
  }
  const jobs = Number(values.jobs);
  const seed = values.seed === undefined ? runSeed : parseSeed(values.seed);
  const streamed = new Map<string, number>();
  /** The last failure reason printed per file, so that a repeated one is not printed again. */
  const lastReason = new Map<string, string | undefined>();
  const line = (file: string, outcome: TestOutcome, maxPoints: number) => {
    const text = testLine(outcome, maxPoints, lastReason.get(file));
    if (!outcome.passed) lastReason.set(file, outcome.message);
    return text;
  };
  const report = await grade({
    milestone,
    impl: placed.choice,
    deps: values.deps as Deps,
    seed,
    only: values.only as Visibility | undefined,
    runtime: parseRuntime(values.runtime as string),
    fileTimeoutMs: Number(values.timeout) * 1000,
    testTimeoutMs: Number(values["test-timeout"]) * 1000,
    budgetMs: values.budget === undefined ? undefined : Number(values.budget) * 1000,
    jobs,
    runAs: values["run-as"] === undefined ? undefined : userIds(values["run-as"]),
    onStart: (plan) => console.log(heading(plan)),
    onFileStart: (file) => {
      if (jobs === 1) console.log(`\n${file.file}`);
    },
    onTest: (file, outcome, maxPoints = 0) => {
      if (jobs !== 1) return;
      streamed.set(file.file, (streamed.get(file.file) ?? 0) + 1);
      console.log(line(file.file, outcome, maxPoints));
    },
    onFileDone: (file, run, weights) => {
      if (jobs !== 1) console.log(`\n${file.file}`);
      for (const outcome of run.tests.slice(streamed.get(file.file) ?? 0)) console.log(line(file.file, outcome, weights[outcome.name] ?? 0));
      if (run.error !== undefined) console.log(`  the file ${run.status === "timed-out" ? "" : "stopped: "}${run.error.split("\n").slice(0, 12).join("\n  ")}`);
    },
    onProgress: (partial) => {
      if (values.json !== undefined) writeJson(values.json, partial, "Grading in progress: this file is rewritten as each test file finishes.");
    },
  });
  console.log(summary(report));
  if (values.json !== undefined) writeJson(values.json, report);
  process.exit(report.problems.length > 0 ? 2 : 0);
} catch (error) {
  if (error instanceof GradingConfigError || error instanceof RangeError) usage(error.message);
  throw error;
}
