import { DistributionError } from "./distribution-error.ts";

/**
 * Thrown when a text cannot be deserialized: truncated, corrupted, of the
 * wrong shape, or describing a value that is not allowed.
 *
 * @example
 * throw new DecodeError("Cannot deserialize text: unexpected end of input at offset 12");
 */
export class DecodeError extends DistributionError {
  override name = "DecodeError" as const;
}
