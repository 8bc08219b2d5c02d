/**
 * The ground truth for text and search: the words of each page, and an
 * inverted index of a web's reachable pages.
 *
 * A page's words are its visible text: the <title>, then the body's text
 * and anchor text, without scripts, styles, comments, tags or attribute
 * values, with entities decoded; a word is a maximal run of the letters a–z
 * after lowercasing (document.ts, `wordsOf`). Generated words never contain
 * anything else, so any extractor that gets the visible text right gets
 * these words.
 *
 * @example
 * const index = termIndex(web);
 * index.get(web.topics[0].slug); // Map { "/kamu/0.html" => 7, … }: the pages that contain it, how often
 */
import { type CrawlTruth, crawlTruth } from "./crawl-truth.ts";
import { wordsOf } from "./document.ts";
import type { Web } from "./generated-web.ts";
import { route } from "./route.ts";

/**
 * The visible words of the HTML page at `path` (a path and query), in order.
 *
 * @throws RangeError when `path` holds no HTML page.
 */
export function visibleWords(web: Web, path: string): string[] {
  const resource = route(web, path);
  if (resource.kind !== "document") throw new RangeError(`Cannot read the words of ${path}: it is not an HTML page`);
  return wordsOf(resource.document);
}

/**
 * An inverted index of the pages a polite crawler reaches: for each word,
 * the pages that contain it (in crawl order) and how many times.
 */
export function termIndex(web: Web, truth: CrawlTruth = crawlTruth(web)): Map<string, Map<string, number>> {
  const index = new Map<string, Map<string, number>>();
  for (const page of truth.pages) {
    for (const word of visibleWords(web, page)) {
      let postings = index.get(word);
      if (postings === undefined) index.set(word, (postings = new Map()));
      postings.set(page, (postings.get(page) ?? 0) + 1);
    }
  }
  return index;
}
