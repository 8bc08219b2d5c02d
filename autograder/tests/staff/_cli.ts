/** Runs the kit's commands from the staff tests, as a user would. */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { repoRoot } from "../../kit/milestones.ts";

/**
 * Runs a command to completion, as from a clean shell: the test runner's own
 * settings are not passed on. tap adds its process-tracking hooks to every
 * child through NODE_OPTIONS (it patches child_process), so the command runs
 * under `env -u NODE_OPTIONS`.
 */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  const { NODE_TEST_CONTEXT: _context, ...env } = { ...process.env, ...options.env };
  return spawnSync("env", ["-u", "NODE_OPTIONS", command, ...args], { cwd: options.cwd ?? repoRoot, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

/** Runs one of the kit's TypeScript command-line tools (autograder/cli/NAME.ts). */
export function kit(name: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): SpawnSyncReturns<string> {
  return run(process.execPath, ["--import", "tsx", `autograder/cli/${name}.ts`, ...args], options);
}
