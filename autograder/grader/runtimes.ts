/**
 * How each JavaScript runtime runs a test file and a script: the one place
 * where Node, Bun and Deno differ for the grader.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../kit/milestones.ts";

export type RuntimeName = "node" | "bun" | "deno";

export const runtimeNames: readonly RuntimeName[] = ["node", "bun", "deno"];

/** A command line, and where its test results arrive. */
export interface TestCommand {
  command: string;
  args: string[];
  /** "stream": JSON lines on stdout (reporter.ts); otherwise a JUnit XML file. */
  results: "stream" | { junit: string };
}

interface Runtime {
  test(file: string, testTimeoutMs: number, junitFile: string, only?: string): TestCommand;
  script(file: string, args: string[]): { command: string; args: string[] };
}

/** The runtime's binary: the one npm installed for the kit, else the one on PATH. */
function binary(name: string): string {
  const local = join(repoRoot, "node_modules", ".bin", name);
  return existsSync(local) ? local : name;
}

const reporter = join(repoRoot, "autograder", "grader", "reporter.mjs");

const runtimes: Record<RuntimeName, Runtime> = {
  node: {
    // No --test-timeout: on Node 20 it also limits the whole file's run.
    test: (file, _testTimeoutMs, _junitFile, only) => ({
      command: process.execPath,
      args: ["--import", "tsx", "--test", `--test-reporter=${reporter}`,
        "--test-reporter-destination=stdout", ...(only === undefined ? [] : [`--test-name-pattern=${exactly(only)}`]), file],
      results: "stream",
    }),
    script: (file, args) => ({ command: process.execPath, args: ["--import", "tsx", file, ...args] }),
  },
  bun: {
    test: (file, testTimeoutMs, junitFile, only) => ({
      command: binary("bun"),
      args: ["test", `--timeout=${testTimeoutMs}`, "--reporter=junit", `--reporter-outfile=${junitFile}`,
        ...(only === undefined ? [] : ["--test-name-pattern", exactly(only)]), file],
      results: { junit: junitFile },
    }),
    script: (file, args) => ({ command: binary("bun"), args: [file, ...args] }),
  },
  deno: {
    test: (file, _testTimeoutMs, junitFile, only) => ({
      command: binary("deno"),
      args: ["test", "-A", "--no-check", `--junit-path=${junitFile}`,
        ...(only === undefined ? [] : [`--filter=/${exactly(only)}/`]), file],
      results: { junit: junitFile },
    }),
    script: (file, args) => ({ command: binary("deno"), args: ["run", "-A", "--no-check", file, ...args] }),
  },
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
  return runtimes[runtime].test(file, testTimeoutMs, junitFile, only);
}

/** The command that runs a TypeScript script (an absolute path). */
export function scriptCommand(runtime: RuntimeName, file: string, args: string[] = []): { command: string; args: string[] } {
  return runtimes[runtime].script(file, args);
}

/**
 * Reads a runtime name.
 *
 * @throws RangeError for anything but node, bun or deno.
 */
export function parseRuntime(text: string): RuntimeName {
  if (!runtimeNames.includes(text as RuntimeName)) {
    throw new RangeError(`Cannot use runtime "${text}": expected node, bun or deno`);
  }
  return text as RuntimeName;
}
