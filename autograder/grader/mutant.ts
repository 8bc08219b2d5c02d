/**
 * A mutant: a deliberately broken variant of a reference solution, made by one
 * small textual edit. `npm run verify` applies each to a temporary copy of the
 * reference and runs the hidden tests against it; at least one must fail, or
 * the tests do not check what the mutant breaks.
 *
 * @example
 * const mutant: Mutant = {
 *   name: "negative-zero-is-zero",
 *   file: "format.ts",
 *   target: "hidden/round-trip.test.ts",
 *   find: 'if (Object.is(value, -0)) return "-0";',
 *   replace: "",
 *   bug: "-0 arrives as 0",
 * };
 */
export interface Mutant {
  /** A short kebab-case name. */
  name: string;
  /** The file to edit, relative to the reference folder. */
  file: string;
  /**
   * The hidden test file expected to catch it ("hidden/stem.test.ts"):
   * verify runs it first, and the rest only if it does not.
   */
  target?: string;
  /** Text that occurs exactly once in the file. */
  find: string;
  /** What replaces it. */
  replace: string;
  /** The bug this models, in a student's words. */
  bug: string;
}
