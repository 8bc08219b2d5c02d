/**
 * Real time, for the tests on real nodes: the clock, short pauses, and
 * bounded waits. A test that imports this reads the clock, so verify does
 * not count it alone as catching a mutant (a slow grader could fail it).
 */
import type { Watched } from "./_calls.ts";

/** Real time in milliseconds, for tests on real nodes. */
export const realNow = (): number => performance.now();

/** Waits `ms` of real time (tests on real nodes only, and only briefly). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `outcome` is set or `limitMs` of real time pass; returns whether it was set. */
export async function ended(call: Watched<unknown>, limitMs: number): Promise<boolean> {
  const deadline = performance.now() + limitMs;
  while (call.outcome === undefined && performance.now() < deadline) await pause(5);
  return call.outcome !== undefined;
}

/** The promise's value, or `fallback` if `limitMs` of real time pass first; leaves no timer behind. */
export async function within<T, F>(promise: Promise<T>, limitMs: number, fallback: F): Promise<T | F> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<F>((resolve) => (timer = setTimeout(() => resolve(fallback), limitMs)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}
