/**
 * How each runtime runs a test file for the grader, and where its results
 * arrive. (How a runtime starts a plain script is in kit/runtime.ts.)
 */
import { join } from "node:path";
import { repoRoot } from "../kit/milestones.ts";
import { runtimeBinary, type RuntimeName } from "../kit/runtime.ts";

export { parseRuntime, type RuntimeName, runtimeNames } from "../kit/runtime.ts";

/** A command line, and where its test results arrive. */
export interface TestCommand {
  command: string;
  args: string[];
  /** "stream": JSON lines on stdout (reporter.ts); otherwise a JUnit XML file. */
  results: "stream" | { junit: string };
}

type TestCommandOf = (file: string, testTimeoutMs: number, junitFile: string, only?: string) => TestCommand;

const reporter = join(repoRoot, "autograder", "grader", "reporter.mjs");

const commands: Record<RuntimeName, TestCommandOf> = {
  // No --test-timeout: on Node 20 it also limits the whole file's run.
  node: (file, _testTimeoutMs, _junitFile, only) => ({
    command: process.execPath,
    args: ["--import", "tsx", "--test", `--test-reporter=${reporter}`, "--test-reporter-destination=stdout",
      ...(only === undefined ? [] : [`--test-name-pattern=${exactly(only)}`]), file],
    results: "stream",
  }),
  bun: (file, testTimeoutMs, junitFile, only) => ({
    command: runtimeBinary("bun"),
    args: ["test", `--timeout=${testTimeoutMs}`, "--reporter=junit", `--reporter-outfile=${junitFile}`,
      ...(only === undefined ? [] : ["--test-name-pattern", exactly(only)]), file],
    results: { junit: junitFile },
  }),
  deno: (file, _testTimeoutMs, junitFile, only) => ({
    command: runtimeBinary("deno"),
    args: ["test", "-A", "--no-check", `--junit-path=${junitFile}`, ...(only === undefined ? [] : [`--filter=/${exactly(only)}/`]), file],
    results: { junit: junitFile },
  }),
};

/** A regular expression that matches exactly one test name. */
function exactly(name: string): string {
  return `^${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`;
}

/**
 * The command that runs one test file (an absolute path), or only the test
 * named `only` in it.
 *
 * Only Bun gets a per-test time limit (its default, 5 s, is too short for
 * some tests); on Node and Deno the grader's per-file limit applies, and a
 * file that hits it runs its unreported tests again, alone (rerun-alone.ts).
 */
export function testCommand(runtime: RuntimeName, file: string, testTimeoutMs: number, junitFile: string, only?: string): TestCommand {
  return commands[runtime](file, testTimeoutMs, junitFile, only);
}
