/** Runs the kit's commands from the staff tests, as a user would. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { repoRoot } from "../../kit/milestones.ts";

/** Runs a command to completion; the NODE_TEST_CONTEXT of this test runner is not passed on. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const { NODE_TEST_CONTEXT: _, ...env } = { ...process.env, ...options.env };
  return spawnSync(command, args, { cwd: options.cwd ?? repoRoot, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Runs one of the kit's TypeScript command-line tools (autograder/cli/NAME.ts). */
export function kit(name: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return run(process.execPath, ["--import", "tsx", `autograder/cli/${name}.ts`, ...args], options);
}
