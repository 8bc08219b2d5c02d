/**
 * Child processes that the grader can always take down whole. Each child
 * leads a process group of its own, so killing the group also kills whatever
 * the code under test started (workers, servers, shells). Groups still alive
 * when the grader exits, or is interrupted, are killed too.
 *
 * A process group is not enough against code that means to outlive its test
 * (setsid leaves the group). When code under test runs as a user of its own
 * (Gradescope), `killUser` ends every process of that user, and `signalUser`
 * stops or resumes them all, escapees included.
 */
import { type ChildProcess, spawn, type SpawnOptions, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import type { UserIds } from "../kit/privileges.ts";

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

/** The fields of /proc/PID/stat after the command name: state is [0], the process group [2]. */
function statFields(pid: string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Processes that still run (zombies, dead but not yet reaped, do not count) and match `test`. */
function running(test: (pid: string, fields: string[]) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = statFields(entry);
      if (fields[0] !== "Z" && test(entry, fields)) found.push(entry);
    } catch {
      // It ended while we looked.
    }
  }
  return found;
}

async function waitUntil(done: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline && !done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/**
 * Kills a process group and waits (up to `limitMs`) until none of its
 * processes is left running, so that what it held (ports, files) is free.
 */
export async function killGroupAndWait(pid: number, limitMs = 2000): Promise<void> {
  killGroup(pid);
  await waitUntil(() => {
    try {
      process.kill(-pid, 0);
    } catch {
      return true;
    }
    return running((_, fields) => fields[2] === String(pid)).length === 0;
  }, limitMs);
}

/** The real user id of a process, from /proc/PID/status. */
function userOf(pid: string): number {
  const line = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(line?.[1]);
}

/**
 * Sends a signal to every process of a user, at once: a process running as
 * that user calls kill(-1), which reaches all of them but itself, so that
 * none can fork its way out of the sweep.
 */
export function signalUser(ids: UserIds, signal: NodeJS.Signals): void {
  spawnSync(process.execPath, ["-e", `try { process.kill(-1, "${signal}") } catch {}`], { uid: ids.uid, gid: ids.gid, stdio: "ignore", timeout: 10_000 });
}

/** The processes of a user that still run. */
export function userProcesses(ids: UserIds): string[] {
  return running((pid) => userOf(pid) === ids.uid);
}

/**
 * Kills every process of a user and waits (up to `limitMs`) until none is
 * left.
 *
 * @returns how many processes were still running before the sweep.
 */
export async function killUser(ids: UserIds, limitMs = 5000): Promise<number> {
  const before = userProcesses(ids).length;
  const deadline = Date.now() + limitMs;
  while (userProcesses(ids).length > 0 && Date.now() < deadline) {
    signalUser(ids, "SIGKILL");
    await waitUntil(() => userProcesses(ids).length === 0, 200);
  }
  return before;
}

/**
 * How the grader starts a process that runs code under test: first in line
 * for the kernel's out-of-memory killer, so that a submission that eats
 * memory dies before the grader does.
 */
function untrusted(command: string, args: string[]): { command: string; args: string[] } {
  if (process.platform !== "linux") return { command, args };
  return { command: "/bin/sh", args: ["-c", 'echo 1000 > /proc/self/oom_score_adj 2>/dev/null; exec "$0" "$@"', command, ...args] };
}

/** Starts a command as the leader of a new process group; `untrusted` marks one that runs code under test. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions & { untrusted?: boolean }): ChildProcess {
  installCleanup();
  const { untrusted: isUntrusted, ...rest } = options;
  const line = isUntrusted ? untrusted(command, args) : { command, args };
  const child = spawn(line.command, line.args, { ...rest, detached: true });
  if (child.pid !== undefined) {
    live.add(child.pid);
    child.once("exit", () => killGroup(child.pid as number));
  }
  return child;
}
