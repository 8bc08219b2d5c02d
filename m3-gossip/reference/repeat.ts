/**
 * Runs `fn` every `intervalMs` on a node's clock (so a simulation can run it,
 * and stopping the node cancels it). Returns a function that cancels it. A
 * call that throws or rejects does not stop the next ones.
 */
import type { Clock } from "../../autograder/kit/context.ts";

export function repeat(clock: Clock, intervalMs: number, fn: () => unknown): () => void {
  let cancelled = false;
  let cancelTimer = () => {};
  const schedule = () => {
    cancelTimer = clock.after(intervalMs, () => {
      if (cancelled) return;
      try {
        Promise.resolve(fn()).catch(() => undefined);
      } catch {
        // The next run still comes.
      }
      schedule();
    });
  };
  schedule();
  return () => {
    cancelled = true;
    cancelTimer();
  };
}
