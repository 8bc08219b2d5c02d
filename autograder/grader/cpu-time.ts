/**
 * The CPU time a process and everything it started have used, read by the
 * grader from /proc (Linux), so that the process being measured has no say
 * in it. Running threads count to the nanosecond (schedstat); children that
 * have ended and been reaped count through their parent's totals, in clock
 * ticks.
 *
 * A CPU quota (Gradescope gives half a core) stretches wall time in steps of
 * its period; CPU time does not stretch, which is why the grader measures
 * both.
 *
 * @example
 * const before = treeCpuMs(child.pid);
 * // … the child works …
 * const used = treeCpuMs(child.pid) - before;
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The fields of /proc/PID/stat after the command name (field 3 of proc(5) is [0]). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** A process and its descendants, by parent links. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(statFields(Number(entry))[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // It ended while we looked.
    }
  }
  const found: number[] = [];
  for (let queue = [root]; queue.length > 0;) {
    const pid = queue.shift() as number;
    found.push(pid);
    queue = [...queue, ...(children.get(pid) ?? [])];
  }
  return found;
}

/** One process's own CPU time in ms (its threads, to the ns where schedstat exists) plus its reaped children's. */
function processCpuMs(pid: number): number {
  const fields = statFields(pid);
  const ticks = (index: number) => Number(fields[index]) * 1000 / clockTicks();
  // utime, stime are fields 14 and 15 of proc(5); cutime, cstime 16 and 17.
  const reaped = ticks(13) + ticks(14);
  try {
    const threads = readdirSync(`/proc/${pid}/task`);
    const ns = threads.reduce((sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ")[0]), 0);
    return ns / 1e6 + reaped;
  } catch {
    return ticks(11) + ticks(12) + reaped;
  }
}

/** CPU milliseconds used so far by a process and its descendants (0 where /proc is not there). */
export function treeCpuMs(root: number): number {
  let total = 0;
  try {
    for (const pid of tree(root)) {
      try {
        total += processCpuMs(pid);
      } catch {
        // It ended while we looked; its time moves to its parent once reaped.
      }
    }
  } catch {
    return 0;
  }
  return total;
}
