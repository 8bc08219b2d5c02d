import { m0 } from "../deps.ts";

/** How many words a snippet shows at most. */
const snippetWords = 30;

/**
 * Up to 30 words of `text` from the first one whose stem is a query term
 * (or from the start), the matching words marked with [ and ].
 */
export function snippetOf(text: string, terms: readonly string[]): string {
  const wanted = new Set(terms);
  // Stems only the words up to the snippet's end: a page may hold thousands.
  const matches = (word: string) => wanted.has(m0.stem(word.toLowerCase()));
  const words = text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const first = Math.max(0, words.findIndex(matches));
  return words
    .slice(first, first + snippetWords)
    .map((word) => (matches(word) ? `[${word}]` : word))
    .join(" ");
}
