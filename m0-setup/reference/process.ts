import { stopwords } from "../stopwords.ts";

/** A word: a maximal run of Unicode letters, marks and digits. */
const word = /[\p{L}\p{M}\p{N}]+/gu;

/** Lowercases a text, splits it into words and drops the stopwords. */
export function process(text: string): string[] {
  const terms: string[] = [];
  for (const [term] of text.toLowerCase().matchAll(word)) {
    if (!stopwords.has(term)) terms.push(term);
  }
  return terms;
}
