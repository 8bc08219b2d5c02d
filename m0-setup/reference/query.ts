import type { Hit, Index, QueryOptions } from "../api.ts";
import { bm25, tfidf } from "./scoring.ts";

const scorers = { bm25, tfidf };

/**
 * Ranks the documents that contain at least one of the terms: by score,
 * highest first, then by URL. A term given twice counts once.
 *
 * @throws RangeError for an unknown scoring or a limit that is not a number ≥ 0.
 */
export function query(index: Index, terms: readonly string[], options: QueryOptions = {}): Hit[] {
  const { scoring = "bm25", limit = 10 } = options;
  const score = scorers[scoring];
  if (score === undefined) throw new RangeError(`Cannot rank with "${scoring}": expected bm25 or tfidf`);
  if (!(limit >= 0)) throw new RangeError(`Cannot return ${limit} hits: expected a number ≥ 0`);
  let totalLength = 0;
  for (const length of index.documents.values()) totalLength += length;
  const averageLength = totalLength / index.documents.size;
  const scores = new Map<string, number>();
  for (const term of new Set(terms)) {
    const postings = index.terms.get(term);
    if (postings === undefined) continue;
    const collection = { documents: index.documents.size, averageLength, containing: postings.size };
    for (const [url, count] of postings) {
      const length = index.documents.get(url) as number;
      scores.set(url, (scores.get(url) ?? 0) + score(count, length, collection));
    }
  }
  const hits = [...scores].map(([url, score]) => ({ url, score }));
  hits.sort((x, y) => y.score - x.score || (x.url < y.url ? -1 : x.url > y.url ? 1 : 0));
  return hits.slice(0, limit);
}
