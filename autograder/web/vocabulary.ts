/**
 * The generated web's language: pseudo-words made of consonant–vowel
 * syllables ("ka", "mo" …), ranked by frequency. Rank 0 is the most frequent
 * word. Short words get the low ranks, as in real languages: 70 one-syllable
 * words, then 4,900 of two syllables, then three. Every word is lowercase
 * a–z, and no two ranks spell the same word (syllables split uniquely). The
 * seed shuffles the syllables, so another seed speaks another language.
 *
 * @example
 * const words = makeVocabulary(1, 20_000);
 * words[0]; // a two-letter word, e.g. "ti"
 */
import { Random } from "../harness/random.ts";

const consonants = "bdfgklmnprstvz";
const vowels = "aeiou";

/** Makes `size` distinct words, most frequent first, for a seed. */
export function makeVocabulary(seed: number, size: number): string[] {
  const syllables: string[] = [];
  for (const consonant of consonants) {
    for (const vowel of vowels) syllables.push(consonant + vowel);
  }
  Random.from(seed, "syllables").shuffle(syllables);
  return Array.from({ length: size }, (_, rank) => spell(syllables, rank));
}

/**
 * The word of rank `rank` in `words` (a vocabulary or a topic's words, most frequent first).
 *
 * @throws RangeError when `rank` is not an index of `words`.
 */
export function wordAt(words: readonly string[], rank: number): string {
  const word = words[rank];
  if (word === undefined) throw new RangeError(`Cannot find the word of rank ${rank}: expected a rank from 0 to ${words.length - 1}`);
  return word;
}

/** Writes `rank` in bijective base-70 numeration, one syllable per digit. */
function spell(syllables: readonly string[], rank: number): string {
  let word = "";
  for (let n = rank + 1; n > 0; n = Math.floor((n - 1) / syllables.length)) {
    word = syllables[(n - 1) % syllables.length] + word;
  }
  return word;
}
