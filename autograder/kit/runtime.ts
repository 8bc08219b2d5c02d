/**
 * The JavaScript runtimes the kit runs on, and how each starts a TypeScript
 * file in a new process: the one place where Node, Bun and Deno differ for
 * running code.
 *
 * @example
 * const { command, args } = scriptCommand(currentRuntime(), "/path/to/child.ts", ["--port", "0"]);
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./milestones.ts";

export type RuntimeName = "node" | "bun" | "deno";

export const runtimeNames: readonly RuntimeName[] = ["node", "bun", "deno"];

/** The runtime running this code. */
export function currentRuntime(): RuntimeName {
  if (typeof (globalThis as { Deno?: unknown }).Deno !== "undefined") return "deno";
  if (typeof process.versions.bun === "string") return "bun";
  return "node";
}

/** A runtime's binary: the one npm installed for the kit, else the one on PATH. */
export function runtimeBinary(runtime: Exclude<RuntimeName, "node">): string {
  const local = join(repoRoot, "node_modules", ".bin", runtime);
  return existsSync(local) ? local : runtime;
}

/** The command that runs a TypeScript file (an absolute path) under a runtime. */
export function scriptCommand(runtime: RuntimeName, file: string, args: string[] = []): { command: string; args: string[] } {
  switch (runtime) {
    case "node":
      return { command: process.execPath, args: ["--import", "tsx", file, ...args] };
    case "bun":
      return { command: currentRuntime() === "bun" ? process.execPath : runtimeBinary("bun"), args: [file, ...args] };
    case "deno":
      return { command: currentRuntime() === "deno" ? process.execPath : runtimeBinary("deno"), args: ["run", "-A", "--no-check", file, ...args] };
  }
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
