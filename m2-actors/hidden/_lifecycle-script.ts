/**
 * The lifecycle script (tests/_lifecycle.ts) in a process of its own: in its
 * own process group, which is killed when the test ends, so nothing it
 * spawned outlives the test. Nothing here reads a clock: a script that never
 * prints is bounded by the test's own timeout.
 */
import { spawn } from "node:child_process";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { currentRuntime, scriptCommand } from "../../autograder/kit/runtime.ts";

const lifecycleScript = fileURLToPath(new URL("../tests/_lifecycle.ts", import.meta.url));

/** A running lifecycle script: its process, its exit code (null if killed), its first line, its last errors. */
export interface LifecycleScript {
  kill: () => void;
  exited: Promise<number | null>;
  /** The first line it prints, or undefined if it ends (its output closed) without one. */
  firstLine: Promise<string | undefined>;
  errors: () => string;
}

/** Runs the script in `mode` ("parent" or "quiet"). */
export function runLifecycle(t: TestContext, mode: string): LifecycleScript {
  const { command, args } = scriptCommand(currentRuntime(), lifecycleScript, [mode]);
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], detached: true, env: process.env });
  let output = "";
  let errors = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const firstLine = new Promise<string | undefined>((resolve) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      if (output.includes("\n")) resolve(output.slice(0, output.indexOf("\n")));
    });
    child.on("close", () => resolve(undefined));
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (errors += chunk));
  t.after(() => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    } catch {
      // The group is gone already.
    }
    child.stdin.destroy();
    child.stdout.destroy();
    child.stderr.destroy();
  });
  return { kill: () => child.kill("SIGKILL"), exited, firstLine, errors: () => errors.slice(-2_000) };
}
