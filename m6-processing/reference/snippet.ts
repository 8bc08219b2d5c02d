import { m0 } from "../deps.ts";

/** How many words a snippet shows at most. */
const snippetWords = 30;
/** A word, as milestone 0's `process` splits text. */
const word = /[\p{L}\p{M}\p{N}]+/gu;

/**
 * Up to 30 words of `text` from the first one whose stem is a query term
 * (or from the start), the matching words marked with [ and ].
 */
export function snippetOf(text: string, terms: readonly string[]): string {
  const wanted = new Set(terms);
  // A page may hold thousands of words, most of them many times over: each
  // distinct word is stemmed once, and the text is read only up to the snippet's end.
  const known = new Map<string, boolean>();
  const matches = (word: string) => {
    let match = known.get(word);
    if (match === undefined) known.set(word, (match = wanted.has(m0.stem(word.toLowerCase()))));
    return match;
  };
  const opening: string[] = [];
  let fromMatch: string[] | undefined;
  for (const [each] of text.matchAll(word)) {
    if (fromMatch === undefined && matches(each)) fromMatch = [];
    const shown = fromMatch ?? opening;
    if (shown.length < snippetWords) shown.push(each);
    else if (fromMatch !== undefined) break;
  }
  return (fromMatch ?? opening).map((each) => (matches(each) ? `[${each}]` : each)).join(" ");
}
