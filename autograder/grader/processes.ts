/**
 * Child processes that the grader can always take down whole. Each child
 * leads a process group of its own, so killing the group also kills whatever
 * the code under test started (workers, servers, shells). Groups still alive
 * when the grader exits, or is interrupted, are killed too.
 */
import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

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

/**
 * Kills a process group and waits (up to `limitMs`) until none of its
 * processes is left running, so that what it held (ports, files) is free.
 */
export async function killGroupAndWait(pid: number, limitMs = 2000): Promise<void> {
  killGroup(pid);
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline && groupIsRunning(pid)) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Whether any process of the group still runs (zombies, dead but not yet reaped, do not count). */
function groupIsRunning(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  try {
    return readdirSync("/proc").some((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return fields[2] === String(pgid) && fields[0] !== "Z";
    });
  } catch {
    return true;
  }
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
