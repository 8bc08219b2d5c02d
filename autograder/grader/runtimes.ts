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
  test(file: string, testTimeoutMs: number, junitFile: string): TestCommand;
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
    test: (file, testTimeoutMs) => ({
      command: process.execPath,
      args: ["--import", "tsx", "--test", `--test-timeout=${testTimeoutMs}`, `--test-reporter=${reporter}`,
        "--test-reporter-destination=stdout", file],
      results: "stream",
    }),
    script: (file, args) => ({ command: process.execPath, args: ["--import", "tsx", file, ...args] }),
  },
  bun: {
    test: (file, testTimeoutMs, junitFile) => ({
      command: binary("bun"),
      args: ["test", `--timeout=${testTimeoutMs}`, "--reporter=junit", `--reporter-outfile=${junitFile}`, file],
      results: { junit: junitFile },
    }),
    script: (file, args) => ({ command: binary("bun"), args: [file, ...args] }),
  },
  deno: {
    test: (file, _testTimeoutMs, junitFile) => ({
      command: binary("deno"),
      args: ["test", "-A", "--no-check", `--junit-path=${junitFile}`, file],
      results: { junit: junitFile },
    }),
    script: (file, args) => ({ command: binary("deno"), args: ["run", "-A", "--no-check", file, ...args] }),
  },
};

/**
 * The command that runs one test file (an absolute path).
 *
 * Deno has no per-test time limit; the grader's per-file limit still applies.
 */
export function testCommand(runtime: RuntimeName, file: string, testTimeoutMs: number, junitFile: string): TestCommand {
  return runtimes[runtime].test(file, testTimeoutMs, junitFile);
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
