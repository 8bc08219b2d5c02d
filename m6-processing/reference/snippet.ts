import { m0 } from "../deps.ts";

/** How many words a snippet shows at most. */
const snippetWords = 30;

/**
 * Up to 30 words of `text` from the first one whose stem is a query term
 * (or from the start), the matching words marked with [ and ].
 */
export function snippetOf(text: string, terms: readonly string[]): string {
  const wanted = new Set(terms);
  const words = text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const matches = words.map((word) => wanted.has(m0.stem(word.toLowerCase())));
  const first = Math.max(0, matches.indexOf(true));
  return words
    .slice(first, first + snippetWords)
    .map((word, i) => (matches[first + i] ? `[${word}]` : word))
    .join(" ");
}
