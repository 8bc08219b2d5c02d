/**
 * How to run a TypeScript file on the runtime that runs this one: the one
 * place where Node, Bun and Deno differ for the m0 tools.
 *
 * @example
 * const [command, ...args] = scriptCommand("m0-setup/bin/tool.ts");
 * spawn(command, [...args, "process"]); // on Node: node --import tsx m0-setup/bin/tool.ts process
 */
import { join } from "node:path";
import { repoRoot } from "../../autograder/kit/milestones.ts";

/** The name of the runtime running this process. */
export function runtimeName(): "node" | "bun" | "deno" {
  if (process.versions.bun !== undefined) return "bun";
  if (process.versions.deno !== undefined) return "deno";
  return "node";
}

/** The command that runs a TypeScript file on this runtime, without the file. */
export function runPrefix(): string[] {
  const prefixes = {
    node: [process.execPath, "--import", "tsx"],
    bun: [process.execPath],
    deno: [process.execPath, "run", "-A"],
  };
  return prefixes[runtimeName()];
}

/** The command line that runs a TypeScript file on this runtime. */
export function scriptCommand(script: string): string[] {
  return [...runPrefix(), script];
}

/** The shell adapter of the m0 tools (tool.ts), as an absolute path. */
export const toolScript: string = join(repoRoot, "m0-setup", "bin", "tool.ts");

/** The pipeline over a folder (search.sh), as an absolute path. */
export const searchScript: string = join(repoRoot, "m0-setup", "bin", "search.sh");
