/**
 * Watching calls end: a call's outcome (its value or its error) and the time
 * it ended, by whichever clock the test runs on (virtual in a simulation,
 * real otherwise), so a test can check that every call ended, how, and when.
 */
import { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";

/** How a call ended, and when. */
export type Outcome<T> = { ok: true; value: T; at: number } | { ok: false; error: unknown; at: number };

/** A call in flight: `outcome` is set once it ends. */
export class Watched<T> {
  readonly startedAt: number;
  outcome: Outcome<T> | undefined;

  constructor(promise: Promise<T>, now: () => number) {
    this.startedAt = now();
    promise.then(
      (value) => (this.outcome = { ok: true, value, at: now() }),
      (error) => (this.outcome = { ok: false, error, at: now() }),
    );
  }

  /** How long it took, once it ended. */
  get elapsed(): number {
    return this.outcome === undefined ? Number.NaN : this.outcome.at - this.startedAt;
  }
}

/** Starts watching a call. */
export function watch<T>(promise: Promise<T>, now: () => number): Watched<T> {
  return new Watched(promise, now);
}

/** A one-line description of a thrown value, for failure messages. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `a thrown ${typeof error}: ${String(error)}`;
}

/** Whether a value is one of the errors a call may end with. */
export function isCallError(error: unknown): boolean {
  return error instanceof TimeoutError || error instanceof UnreachableError || error instanceof RemoteError;
}

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

/** Whether a call has not ended yet (no type narrowing, so later checks still see its outcome). */
export function pending(call: Watched<unknown>): boolean {
  return call.outcome === undefined;
}
