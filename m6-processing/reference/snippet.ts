import { m0 } from "../deps.ts";

/** How many words a snippet shows at most. */
const snippetWords = 30;
/** A word, as milestone 0's `process` splits text. */
const wordPattern = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Up to 30 words of `text` from the first one whose stem is a query term
 * (or from the start), the matching words marked with [ and ].
 */
export function snippetOf(text: string, terms: readonly string[]): string {
  const wanted = new Set(terms);
  // A page may hold thousands of words, most of them many times over: each
  // distinct word is stemmed once, and once a word matches, the text is read
  // only up to the snippet's end. A stem keeps its word's first letter (the
  // stemmer changes endings only), so a word that begins as no term does is
  // not stemmed at all.
  const firstLetters = new Set(terms.map((term) => term[0]));
  const known = new Map<string, boolean>();
  const matches = (word: string) => {
    let match = known.get(word);
    if (match === undefined) {
      const lower = word.toLowerCase();
      known.set(word, (match = firstLetters.has(lower[0]) && wanted.has(m0.stem(lower))));
    }
    return match;
  };
  // Until a word matches, keep the first 30 words in case none does; from the
  // first match on, keep 30 words and stop.
  const opening: string[] = [];
  let fromMatch: string[] | undefined;
  for (const [word] of text.matchAll(wordPattern)) {
    if (fromMatch === undefined && matches(word)) fromMatch = [];
    const kept = fromMatch ?? opening;
    if (kept.length < snippetWords) kept.push(word);
    else if (fromMatch !== undefined) break;
  }
  return (fromMatch ?? opening).map((word) => (matches(word) ? `[${word}]` : word)).join(" ");
}
