/**
 * Child processes that the grader can always take down whole. Each child
 * leads a process group of its own, so killing the group also kills whatever
 * the code under test started (workers, servers, shells). Groups still alive
 * when the grader exits, or is interrupted, are killed too.
 */
import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";

/** Whom to run a child as (Gradescope runs student code unprivileged). */
export interface RunAs {
  uid: number;
  gid: number;
}

const live = new Set<number>();
let cleanupInstalled = false;

function killAll(): void {
  for (const pid of live) killGroup(pid);
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Kills a process group, ignoring one that is already gone. */
export function killGroup(pid: number, signal: NodeJS.Signals = "SIGKILL"): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
  if (signal === "SIGKILL") live.delete(pid);
}

/** Starts a command as the leader of a new process group. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions & { runAs?: RunAs }): ChildProcess {
  installCleanup();
  const { runAs, ...rest } = options;
  const child = spawn(command, args, { ...rest, detached: true, uid: runAs?.uid, gid: runAs?.gid });
  if (child.pid !== undefined) {
    live.add(child.pid);
    child.once("exit", () => killGroup(child.pid as number));
  }
  return child;
}
