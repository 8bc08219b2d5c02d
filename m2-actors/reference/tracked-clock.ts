/**
 * A node's view of its clock: the same time, but every pending timer is
 * remembered, so that stopping the node cancels them all.
 */
import type { Clock } from "../api.ts";

export interface TrackedClock extends Clock {
  /** Cancels every timer that has not fired. */
  cancelAll(): void;
}

export function trackedClock(base: Clock): TrackedClock {
  const pending = new Set<() => void>();
  return {
    now: () => base.now(),
    after: (ms, callback) => {
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
      for (const cancel of pending) cancel();
      pending.clear();
    },
  };
}
