import { CallError } from "./call-error.ts";

/**
 * Thrown by a remote call that got no answer in time. The call may or may
 * not have run on the other side.
 *
 * @example
 * throw new TimeoutError("Cannot call store.get on 127.0.0.1:7001: no answer within 5000 ms", { site });
 */
export class TimeoutError extends CallError {
  override name = "TimeoutError" as const;
}
