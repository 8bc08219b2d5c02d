import { DistributionError } from "./distribution-error.ts";

/**
 * Thrown when a value cannot be serialized, for example a WeakMap or a
 * function whose source is not available.
 *
 * @example
 * throw new EncodeError("Cannot serialize WeakMap: it is not a supported type");
 */
export class EncodeError extends DistributionError {
  override name = "EncodeError" as const;
}
