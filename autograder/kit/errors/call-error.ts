import { DistributionError } from "./distribution-error.ts";

/** Where a remote call went. */
export interface CallSite {
  node: { ip: string; port: number };
  service: string;
  method: string;
}

/**
 * The base of the errors a remote call can end with: RemoteError,
 * TimeoutError, UnreachableError. Each carries the call's `site`.
 */
export class CallError extends DistributionError {
  override name: string = "CallError";
  /** The call that failed. */
  readonly site: CallSite | undefined;

  constructor(message: string, options: ErrorOptions & { site?: CallSite } = {}) {
    super(message, options);
    this.site = options.site;
  }
}
