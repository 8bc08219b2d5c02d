/**
 * Timing primitives for benchmarks: throughput over a time slice, and the
 * median of several slices. Ratios between implementations are only
 * meaningful when measured in one run, alternating, on the same machine.
 */

export interface Throughput {
  ops: number;
  ms: number;
}

/**
 * Runs `operation` repeatedly for at least `sliceMs` milliseconds (and at
 * least once), awaiting it when it returns a promise.
 */
export async function measure(operation: () => unknown, sliceMs: number): Promise<Throughput> {
  const start = performance.now();
  let ops = 0;
  let elapsed = 0;
  do {
    const result = operation();
    if (result instanceof Promise) await result;
    ops++;
    elapsed = performance.now() - start;
  } while (elapsed < sliceMs);
  return { ops, ms: elapsed };
}

/** Operations per second. */
export function perSecond({ ops, ms }: Throughput): number {
  return (ops * 1000) / ms;
}

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("Cannot take the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The value below which a `fraction` of a non-empty list of numbers falls,
 * by nearest rank: 0.99 gives the 99th percentile.
 *
 * @throws RangeError on an empty list or a fraction outside [0, 1]
 */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new RangeError("Cannot take a percentile of no values");
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`Cannot take the percentile at ${fraction}: expected a fraction in [0, 1]`);
  const sorted = [...values].sort((a, b) => a - b);
  // Less a hair, so that 0.07 × 100 (7.000000000000001 in floating point) is rank 7, not 8.
  const rank = Math.ceil(fraction * sorted.length - 1e-9);
  return sorted[Math.max(0, rank - 1)] as number;
}

/**
 * Calls `operation` on every item, `inFlight` calls at a time: each next
 * item starts as soon as a call ends. After a call fails no item starts,
 * and the promise rejects with that failure once the calls in flight end.
 *
 * @throws RangeError when `inFlight` is not a positive integer
 */
export async function eachInFlight<T>(items: readonly T[], inFlight: number, operation: (item: T) => Promise<void>): Promise<void> {
  if (!(Number.isInteger(inFlight) && inFlight > 0)) throw new RangeError(`Cannot make ${inFlight} calls at a time: expected a positive integer`);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      try {
        await operation(items[next++] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
}
