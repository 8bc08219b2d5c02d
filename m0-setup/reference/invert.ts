/**
 * Counts the terms of one document, in the order of their first occurrence.
 * A Map, not a plain object: a term may be "constructor" or "__proto__".
 */
export function invert(terms: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}
