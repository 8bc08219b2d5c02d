import { CallError } from "./call-error.ts";

/**
 * Thrown by a remote call whose node could not be reached: the connection
 * was refused or reset, or the node is gone. The call did not complete.
 *
 * @example
 * throw new UnreachableError("Cannot reach 127.0.0.1:7001: connection refused", { site });
 */
export class UnreachableError extends CallError {
  override name = "UnreachableError" as const;
}
