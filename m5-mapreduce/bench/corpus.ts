/**
 * Texts for m5's benchmarks: the visible words of a generated web's
 * reachable pages (the local web's ground truth, autograder/web), and word
 * counts computed by a plain loop, to check a job's output against.
 */
import { crawlTruth, createWeb, visibleWords } from "../../autograder/web/index.ts";

/** The text of each reachable HTML page of a generated web, by path. */
export function generatedTexts(pages: number, seed: number): Map<string, string> {
  const web = createWeb({ pages, seed });
  const texts = new Map<string, string>();
  for (const path of crawlTruth(web).pages) texts.set(path, visibleWords(web, path).join(" "));
  return texts;
}

/** How often each word occurs in the texts, by a plain loop in this process. */
export function countWords(texts: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const word of text.split(/\s+/)) if (word !== "") counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}
