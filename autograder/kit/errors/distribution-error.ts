/**
 * The base of every error the kit throws on purpose. Catch this to tell the
 * kit's errors (a bad message, a missing implementation, a timed-out call)
 * from bugs.
 *
 * Messages follow one pattern: "Cannot <action> <object>: <state>", sentence
 * case, no trailing period. The underlying error, if any, is the `cause`.
 *
 * @example
 * try {
 *   deserialize("~[");
 * } catch (error) {
 *   if (error instanceof DistributionError) console.log(error.name, error.message);
 * }
 */
export class DistributionError extends Error {
  override name: string = "DistributionError";
}
