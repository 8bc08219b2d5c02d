/**
 * Forms every run of 1 to `n` consecutive terms, joined by one space: all
 * 1-grams in order, then all 2-grams, and so on.
 *
 * @throws RangeError when `n` is not a positive integer.
 */
export function combine(terms: readonly string[], n = 3): string[] {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Cannot form ${n}-grams: n must be a positive integer`);
  }
  const grams: string[] = [];
  for (let size = 1; size <= n; size++) {
    for (let start = 0; start + size <= terms.length; start++) {
      grams.push(size === 1 ? (terms[start] as string) : terms.slice(start, start + size).join(" "));
    }
  }
  return grams;
}
