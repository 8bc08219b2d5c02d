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
 * minutes on the big one.
 *
 * @example
 * assertLinearGrowth("getText on 200 k '<'", (size) => () => getText("<".repeat(size)), 2_000);
 */
import assert from "node:assert/strict";

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
