import { CallError, type CallSite } from "./call-error.ts";

/**
 * What went wrong on the remote side: its method threw ("threw", status
 * 5xx), it has no such service or method ("not-found", 404), or it could not
 * read the request ("bad-request", any other 4xx).
 */
export type RemoteReason = "threw" | "not-found" | "bad-request";

/**
 * Thrown by a remote call when the remote side failed; `reason` says how.
 * When the method threw, the remote error (deserialized) is the `cause`.
 *
 * @example
 * throw new RemoteError("Cannot call greeter.greet on 127.0.0.1:7001: name is required", { cause, site, reason: "threw" });
 */
export class RemoteError extends CallError {
  override name = "RemoteError" as const;
  readonly reason: RemoteReason;

  constructor(message: string, options: ErrorOptions & { site?: CallSite; reason: RemoteReason }) {
    super(message, options);
    this.reason = options.reason;
  }
}
