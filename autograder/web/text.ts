/**
 * Running text for generated pages: titles, headings and sentences of
 * pseudo-words, with punctuation and the special characters that become HTML
 * entities (&, <, ", no-break space, em dash, ellipsis). One word in five of a
 * page's text is a word of its topic, so searching a topic's words finds its
 * pages; the rest follow the whole vocabulary's Zipf law.
 *
 * @example
 * titleOf(web, 12); // e.g. "Kamu lofe rati": the same wherever page 12 is linked
 */
import { Random } from "../harness/random.ts";
import { topicOf, type Web } from "./generated-web.ts";
import { wordAt } from "./vocabulary.ts";

const functionWords = 70;

/** What follows a word inside a sentence, with cumulative probabilities. */
const separators: ReadonlyArray<readonly [string, number]> = [[", ", 0.06], [" & ", 0.07], [" — ", 0.08], [" < ", 0.085], ["\u00a0", 0.1], [" ", 1]];

/** The title of page `id`: two to four words, led by a word of its topic. */
export function titleOf(web: Web, id: number): string {
  const random = Random.from(web.seed, "title", id);
  return capitalize(phrase(web, random, id % web.topics.length, random.int(2, 4)));
}

/** `count` content words (no short function words), half of them topic words, as a phrase. */
export function phrase(web: Web, random: Random, topic: number, count: number): string {
  const words = [topicWord(web, random, topic)];
  while (words.length < count) words.push(random.bool(0.5) ? topicWord(web, random, topic) : contentWord(web, random));
  return words.join(" ");
}

/**
 * About `count` words of running text as sentences, each capitalized and
 * punctuated. A word is a topic word with probability 0.2, else any word.
 */
export function sentences(web: Web, random: Random, topic: number, count: number): string[] {
  const result: string[] = [];
  for (let left = count; left > 0; ) {
    const length = Math.min(left, random.int(4, 14));
    left -= length;
    let sentence = "";
    for (let i = 0; i < length; i++) {
      const word = random.bool(0.2) ? topicWord(web, random, topic) : wordAt(web.vocabulary, web.drawWord(random));
      sentence += i === 0 ? capitalize(word) : random.bool(0.02) ? `"${word}"` : word;
      const roll = random.next();
      if (i < length - 1) sentence += separatorFor(roll);
    }
    const end = random.next();
    result.push(sentence + (end < 0.05 ? "…" : end < 0.1 ? "?" : "."));
  }
  return result;
}

/** The text with its first letter in upper case. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function separatorFor(roll: number): string {
  for (const [separator, below] of separators) if (roll < below) return separator;
  throw new RangeError(`Cannot pick a separator for ${roll}: expected a number in [0, 1)`);
}

function topicWord(web: Web, random: Random, topic: number): string {
  return wordAt(topicOf(web, topic).words, web.drawTopicWord(random));
}

function contentWord(web: Web, random: Random): string {
  return wordAt(web.vocabulary, Math.min(web.vocabulary.length - 1, functionWords + web.drawWord(random)));
}
