/**
 * Feedback that leaks nothing: text that came from code under test (a
 * failure message, a crash's output) and is shown to the student is cut
 * wherever it repeats a run of eight words of a hidden test's source, and
 * capped in length, so that a submission cannot print the hidden tests into
 * its own visible feedback.
 *
 * Words, not characters: what code under test can see of a test is its
 * compiled JavaScript (a function's source, say), whose punctuation, quotes
 * and layout differ from the TypeScript file and whose type annotations are
 * gone; runs of words mostly survive that.
 *
 * @example
 * const scrub = scrubber([hiddenSource]);
 * scrub(`AssertionError: ${hiddenSource.slice(0, 200)}`); // "AssertionError: [hidden test source removed]…"
 */
import { cap } from "./outcomes.ts";

/** How many words in a row mark hidden source. */
const run = 8;

const removed = "[hidden test source removed]";

/** The words of a text and where each starts and ends. */
function words(text: string): Array<{ word: string; start: number; end: number }> {
  return [...text.matchAll(/[A-Za-z0-9_$]+/g)].map((match) => ({ word: match[0], start: match.index, end: match.index + match[0].length }));
}

function key(list: ReadonlyArray<{ word: string }>, at: number): string {
  return list.slice(at, at + run).map(({ word }) => word).join(" ");
}

/** A function that scrubs and caps text, built from the hidden sources it must not repeat. */
export function scrubber(hiddenSources: readonly string[]): (text: string) => string {
  const seen = new Set<string>();
  for (const source of hiddenSources) {
    const list = words(source);
    for (let at = 0; at + run <= list.length; at++) seen.add(key(list, at));
  }
  return (text) => {
    const list = words(text);
    const spans: Array<[number, number]> = [];
    for (let at = 0; at + run <= list.length; at++) {
      if (!seen.has(key(list, at))) continue;
      const start = (list[at] as { start: number }).start;
      const end = (list[at + run - 1] as { end: number }).end;
      const last = spans.at(-1);
      if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
      else spans.push([start, end]);
    }
    let out = "";
    let from = 0;
    for (const [start, end] of spans) {
      out += `${text.slice(from, start)}${removed}`;
      from = end;
    }
    return cap(out + text.slice(from));
  };
}
