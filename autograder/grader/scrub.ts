/**
 * Feedback that leaks nothing: text that came from code under test (a
 * failure message, a crash's output) and is shown to the student is cut down
 * wherever it repeats 40 or more characters of a hidden test's source, and
 * capped in length, so that a submission cannot print the hidden tests into
 * its own visible feedback.
 *
 * @example
 * const scrub = scrubber([hiddenSource]);
 * scrub(`AssertionError: ${hiddenSource.slice(0, 200)}`); // "AssertionError: [hidden test source removed]"
 */
import { createHash } from "node:crypto";
import { cap } from "./outcomes.ts";

/** The shortest run of hidden source that is removed, in characters (whitespace collapsed). */
const window = 40;

const removed = "[hidden test source removed]";

function normalize(text: string): string {
  return text.replace(/\s+/g, " ");
}

function hashOf(text: string): string {
  return createHash("sha1").update(text).digest("base64").slice(0, 12);
}

/** A function that scrubs and caps text, built from the hidden sources it must not repeat. */
export function scrubber(hiddenSources: readonly string[]): (text: string) => string {
  const seen = new Set<string>();
  for (const source of hiddenSources) {
    const flat = normalize(source);
    for (let at = 0; at + window <= flat.length; at++) seen.add(hashOf(flat.slice(at, at + window)));
  }
  return (text) => {
    const flat = normalize(text);
    const hidden = new Array<boolean>(flat.length).fill(false);
    for (let at = 0; at + window <= flat.length; at++) {
      if (seen.has(hashOf(flat.slice(at, at + window)))) hidden.fill(true, at, at + window);
    }
    if (!hidden.includes(true)) return cap(text);
    let out = "";
    for (let at = 0; at < flat.length; at++) {
      if (!hidden[at]) out += flat[at];
      else if (at === 0 || !hidden[at - 1]) out += removed;
    }
    return cap(out);
  };
}
