/**
 * A test that cannot run on this machine, for a reason that has nothing to do
 * with the code under test (a corpus that is not here), skips with
 * `unavailable(reason)`. The grader then neither scores it nor counts it as
 * failed: it lists it, with the reason, as not run here. Any other skip
 * earns nothing.
 *
 * @example
 * test("vacuum ranks sql-vacuum.html first", { skip: haveCorpus ? false : unavailable("needs the corpus") }, () => {});
 */

/** How the skip reason of an unavailable test starts. */
export const unavailablePrefix = "unavailable here: ";

/** The skip reason of a test that cannot run here. */
export function unavailable(reason: string): string {
  return `${unavailablePrefix}${reason}`;
}
