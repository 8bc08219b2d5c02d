/**
 * How each runtime runs a test file for the grader, and where its results
 * arrive. (How a runtime starts a plain script is in kit/runtime.ts.)
 *
 * On Node the test file runs in the process that node:test reports from, and
 * results arrive signed on descriptor 3 (host/preload.ts, host/reporter.ts):
 * that is the only result channel the code under test cannot write to, so
 * it is the only one graded runs (Gradescope) use. Bun and Deno write a JUnit
 * file, which serves to check the kit on those runtimes.
 */
import { join } from "node:path";
import { repoRoot } from "../kit/milestones.ts";
import { runtimeBinary, type RuntimeName } from "../kit/runtime.ts";

export { parseRuntime, type RuntimeName, runtimeNames } from "../kit/runtime.ts";

/** A command line, and where its test results arrive. */
export interface TestCommand {
  command: string;
  args: string[];
  /** "channel": signed lines on descriptor 3; otherwise a JUnit XML file. */
  results: "channel" | { junit: string };
}

export interface TestCommandOptions {
  /** Limit per test, where the runtime takes one. */
  testTimeoutMs: number;
  /** Where a JUnit-writing runtime puts its results. */
  junitFile: string;
  /** Run only the test of this name. */
  only?: string;
  /** The port Node's inspector would use (inspector-port.ts). */
  inspectPort: number;
  /**
   * A black-box file. Its process deserializes what the nodes under test
   * answer, and milestone 1 re-creates a function by evaluating its source:
   * a node could answer with "source" that runs its own code in the test's
   * process. So this process may not compile code from strings (eval,
   * new Function) at all; it never needs to. Node and Deno (V8) have the
   * switch; Bun does not, and its black-box files run without it.
   */
  blackBox?: boolean;
}

const noCodeFromStrings = "--disallow-code-generation-from-strings";

const host = join(repoRoot, "autograder", "grader", "host");

/**
 * The heap a graded Node process may grow to, in MB. Gradescope gives the
 * whole run 768 MB; without a limit V8 lets a heap grow far past that before
 * it collects, and the kernel kills the process instead. A process takes
 * about 120 MB beyond its heap limit (young generation, code, tsx and its
 * esbuild), and the grader about 140 MB. A test file runs alone; two
 * benchmark workers run side by side, so that both at their limit still fit:
 * 140 + 2 × (192 + 120) = 764. (The reference's largest workload, a million
 * integers, peaks at about 230 MB of process memory, under 100 MB of heap.)
 */
export const heapLimitMb = { test: 448, worker: 192 } as const;

/**
 * What every graded process gets in its environment. tsx compiles TypeScript
 * that is loaded through `require` with esbuild's synchronous API, which runs
 * esbuild in a worker thread unless told not to; host/guard.ts refuses worker
 * threads, so esbuild is told to run its compiler as a child process instead.
 * (Without this, CommonJS TypeScript crashes the file when tsx's cache is cold.)
 */
export const gradedEnv = { ESBUILD_WORKER_THREADS: "0" } as const;

type TestCommandOf = (file: string, options: TestCommandOptions) => TestCommand;

const commands: Record<RuntimeName, TestCommandOf> = {
  // No --test: the file runs in this process, reported by the grader's reporter.
  node: (file, { only, inspectPort, blackBox }) => ({
    command: process.execPath,
    args: [`--max-old-space-size=${heapLimitMb.test}`, ...(blackBox ? [noCodeFromStrings] : []), "--import", "tsx", "--import", join(host, "preload.ts"), `--test-reporter=${join(host, "reporter.ts")}`,
      "--test-reporter-destination=stdout", `--inspect-port=127.0.0.1:${inspectPort}`,
      ...(only === undefined ? [] : [`--test-name-pattern=${exactly(only)}`]), file],
    results: "channel",
  }),
  bun: (file, { testTimeoutMs, junitFile, only }) => ({
    command: runtimeBinary("bun"),
    args: ["test", `--timeout=${testTimeoutMs}`, "--reporter=junit", `--reporter-outfile=${junitFile}`,
      ...(only === undefined ? [] : ["--test-name-pattern", exactly(only)]), file],
    results: { junit: junitFile },
  }),
  deno: (file, { junitFile, only, blackBox }) => ({
    command: runtimeBinary("deno"),
    args: ["test", "-A", "--no-check", ...(blackBox ? [`--v8-flags=${noCodeFromStrings}`] : []), `--junit-path=${junitFile}`, ...(only === undefined ? [] : [`--filter=/${exactly(only)}/`]), file],
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
export function testCommand(runtime: RuntimeName, file: string, options: TestCommandOptions): TestCommand {
  return commands[runtime](file, options);
}
