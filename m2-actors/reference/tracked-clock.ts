/**
 * A node's view of its clock: the same time, but every pending timer is
 * remembered, so that stopping the node cancels them all, and once stopped
 * it sets no new one (code still running after the stop, such as a failed
 * call's handler, cannot bring a timer back).
 */
import type { Clock } from "../api.ts";

export interface TrackedClock extends Clock {
  /** Cancels every timer that has not fired, and every later one. */
  cancelAll(): void;
}

export function trackedClock(base: Clock): TrackedClock {
  const pending = new Set<() => void>();
  let stopped = false;
  return {
    now: () => base.now(),
    after: (ms, callback) => {
      if (stopped) return () => {};
      const cancel = base.after(ms, () => {
        pending.delete(cancel);
        callback();
      });
      pending.add(cancel);
      return () => {
        pending.delete(cancel);
        cancel();
      };
    },
    cancelAll: () => {
      stopped = true;
      for (const cancel of pending) cancel();
      pending.clear();
    },
  };
}
