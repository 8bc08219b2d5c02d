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

/** The value below which a `fraction` of a non-empty list of numbers falls (nearest rank): 0.5 is about the median, 0.99 the 99th percentile. */
export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new RangeError("Cannot take a percentile of no values");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] as number;
}

/** Calls `operation` on every item, `inFlight` calls at a time (each next item starts as soon as a call ends). */
export async function eachInFlight<T>(items: readonly T[], inFlight: number, operation: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await operation(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker));
}
