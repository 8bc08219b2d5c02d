import { DistributionError } from "./distribution-error.ts";

/**
 * Thrown by every entry of a stub until a student implements it. The message
 * names the milestone, the function and the handout section that explains it.
 *
 * @example
 * throw new NotImplemented("m1 serialize: see handouts/m1.md#serialize");
 */
export class NotImplemented extends DistributionError {
  override name = "NotImplemented" as const;
}
