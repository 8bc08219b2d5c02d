/**
 * Watching calls end: a call's outcome (its value or its error) and the time
 * it ended, by whichever clock the test gives (virtual in a simulation, real
 * otherwise: see _real-time.ts), so a test can check that every call ended,
 * how, and when. Nothing here reads a clock itself.
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

/** Whether a call has not ended yet (no type narrowing, so later checks still see its outcome). */
export function pending(call: Watched<unknown>): boolean {
  return call.outcome === undefined;
}
