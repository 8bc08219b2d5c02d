/**
 * "Takes time proportional to the input", checked without a bar on elapsed
 * time (graders differ in speed, and a half-CPU one is slow): the same work
 * at three sizes, each ten times the last, timed in one run, and each tenfold
 * step may take at most `maxGrowth` times as long. Linear work takes about
 * ten times as long, quadratic a hundred. Time is the process's CPU time,
 * which a busy machine or a CPU quota does not stretch (on a half-CPU quota
 * wall time jumps by whole throttling periods); the fastest of a few runs
 * counts, and times under a few milliseconds are taken as that floor (a
 * clock tick is not a measurement).
 * A quadratic implementation fails on the small step, before it spends
 * minutes on the big one. `assertConstantCost` checks the same way that work
 * which must not grow with its input (one append to a list) does not.
 *
 * @example
 * assertLinearGrowth("getText on 200 k '<'", (size) => () => getText("<".repeat(size)), 2_000);
 */
import assert from "node:assert/strict";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface GrowthOptions {
  /** The most a tenfold step may multiply the time by (default 40). */
  maxGrowth?: number;
  /** Times below this count as this, in ms (default 5). */
  floorMs?: number;
}

/** Times of each size: the smallest is timed most often. */
const runs = [5, 3, 2] as const;

/**
 * Runs the work `prepare(size)` returns at a hundredth, a tenth and all of
 * `largest` (the preparing itself is not timed), and checks each step's growth.
 *
 * @throws AssertionError naming the step that grew too much, with its times.
 */
export function assertLinearGrowth(what: string, prepare: (size: number) => () => unknown, largest: number, options: GrowthOptions = {}): void {
  const { maxGrowth = 40, floorMs = 5 } = options;
  let previous: { size: number; ms: number } | undefined;
  for (const [step, times] of runs.entries()) {
    const size = Math.round(largest / 10 ** (runs.length - 1 - step));
    const work = prepare(size);
    let fastest = Infinity;
    for (let run = 0; run < times; run++) {
      const start = process.cpuUsage();
      work();
      const { user, system } = process.cpuUsage(start);
      fastest = Math.min(fastest, (user + system) / 1000);
    }
    if (previous !== undefined) {
      const growth = Math.max(fastest, floorMs) / Math.max(previous.ms, floorMs);
      assert.ok(growth <= maxGrowth,
        `${what}: size ${size} took ${growth.toFixed(0)} times as long as size ${previous.size} (${Math.round(fastest)} ms of CPU against ${Math.round(previous.ms)} ms): not linear`);
    }
    previous = { size, ms: fastest };
  }
}

/** The CPU time, in ms, that `work` takes (the whole process's: every thread, user and system). */
async function cpuMs(work: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await work();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}

/**
 * A full garbage collection, so that a timing does not pay for the garbage
 * its preparation left: V8's `gc`, which a new context has once the flag is
 * set (Node); on a runtime without it, nothing (the fastest run then mostly
 * leaves that garbage out).
 */
function fullCollection(): () => void {
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    if (typeof gc === "function") return gc as () => void;
  } catch {
    // No collection on demand here.
  }
  return () => {};
}

/** How many times each size may be timed. */
const constantRuns = 5;

/**
 * Checks that work costs the same whatever the size it works on, such as one
 * append to a list. `prepare(size)` (not timed) makes the work afresh for
 * every timing, since work that changes its input cannot be timed twice on
 * the same input. The work runs once untimed at the smallest size (compiling
 * it), and each timing starts after a full garbage collection. The fastest
 * of `constantRuns` timings of the smallest size is the baseline; each larger
 * size, in increasing order, must take at most `maxGrowth` times the baseline
 * in one of up to `constantRuns` timings (the first within the bound ends
 * the size's timing). Work that grows with its input fails at the first size
 * where it shows, before it spends minutes on the largest.
 *
 * @returns each size's time (the fastest, or the first within the bound), ms of CPU
 * @throws AssertionError naming the size that took too long, with the times so far.
 * @example
 * await assertConstantCost("50 pushes", async (size) => {
 *   const list = Array.from({ length: size }, (_, i) => i);
 *   return async () => { for (let i = 0; i < 50; i++) list.push(i); };
 * }, [10, 100, 1_000, 10_000], { maxGrowth: 4 });
 */
export async function assertConstantCost(
  what: string,
  prepare: (size: number) => Promise<() => Promise<unknown>>,
  sizes: readonly number[],
  options: GrowthOptions = {},
): Promise<Array<{ size: number; ms: number }>> {
  const { maxGrowth = 4, floorMs = 5 } = options;
  const collect = fullCollection();
  const timed = async (size: number) => {
    const work = await prepare(size);
    collect();
    return cpuMs(work);
  };
  const [smallest, ...larger] = sizes as [number, ...number[]];
  await (await prepare(smallest))();
  let baseline = Infinity;
  for (let run = 0; run < constantRuns; run++) baseline = Math.min(baseline, await timed(smallest));
  const times = [{ size: smallest, ms: baseline }];
  const bound = maxGrowth * Math.max(baseline, floorMs);
  for (const size of larger) {
    let fastest = Infinity;
    for (let run = 0; run < constantRuns && fastest > bound; run++) fastest = Math.min(fastest, await timed(size));
    times.push({ size, ms: fastest });
    const shown = times.map((time) => `${time.size}: ${time.ms.toFixed(1)} ms`).join(", ");
    assert.ok(fastest <= bound,
      `${what}: size ${size} took ${(fastest / Math.max(baseline, floorMs)).toFixed(0)} times as long as size ${smallest} in the fastest of ${constantRuns} runs (CPU: ${shown}): its cost grows with the size`);
  }
  return times;
}
