import { CallError } from "./call-error.ts";

/**
 * Thrown by a remote call when the remote side failed: its method threw (the
 * remote error, deserialized, is the `cause`), or it has no such service or
 * method.
 *
 * @example
 * throw new RemoteError("Cannot call greeter.greet on 127.0.0.1:7001: name is required", { cause, site });
 */
export class RemoteError extends CallError {
  override name = "RemoteError" as const;
}
