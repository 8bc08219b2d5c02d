/**
 * `engine.search(query, options)`: scatter-gather. The terms' postings come
 * from the members that own them, and the collection's figures, the hits'
 * ranks likewise, each read one call per member; the node that asks scores
 * the pages as milestone 0 does, over the whole collection, and the owners
 * of the hits shown send their titles and snippets (never whole pages).
 */
import type { Hit, Posting, SearchOptions, SearchResult } from "../api.ts";
import { bm25, tfidf } from "../../m0-setup/reference/scoring.ts";
import { m0 } from "../deps.ts";
import { finalScore } from "./final-score.ts";
import type { Group } from "./group.ts";
import type { Shown } from "./member.ts";

/** The longest query answered, in characters. */
const maxQuery = 10_000;
const scorers = { bm25, tfidf };

export function checkSearch(query: string, options: SearchOptions): Required<SearchOptions> {
  const { k = 10, offset = 0, scoring = "bm25", weight = 1 } = options;
  if (typeof query !== "string" || query.length > maxQuery) throw new RangeError(`Cannot search for a query of ${query.length} characters: expected at most ${maxQuery}`);
  if (!(Number.isInteger(k) && k >= 0 && k <= 1000)) throw new RangeError(`Cannot return ${k} hits: expected an integer in [0, 1000]`);
  if (!(Number.isInteger(offset) && offset >= 0)) throw new RangeError(`Cannot skip ${offset} hits: expected an integer ≥ 0`);
  if (!Object.hasOwn(scorers, scoring)) throw new RangeError(`Cannot rank with "${scoring}": expected bm25 or tfidf`);
  if (!(weight >= 0 && Number.isFinite(weight))) throw new RangeError(`Cannot weigh PageRank by ${weight}: expected a number ≥ 0`);
  return { k, offset, scoring, weight };
}

export async function search(group: Group, query: string, { k, offset, scoring, weight }: Required<SearchOptions>): Promise<SearchResult> {
  const { stores } = group;
  const terms = [...new Set(m0.combine(m0.process(query).map(m0.stem)))];
  if (terms.length === 0) return { hits: [], total: 0, terms };
  const [postings, stats] = await Promise.all([
    group.read<Posting[]>(stores.terms, terms),
    group.read<number>(stores.stats, ["documents", "length"]),
  ]);
  const documents = stats.get("documents") ?? 0;
  const averageLength = (stats.get("length") ?? 0) / documents;
  const texts = new Map<string, number>();
  for (const term of terms) {
    const found = postings.get(term) ?? [];
    const collection = { documents, averageLength, containing: found.length };
    for (const [url, count, length] of found) texts.set(url, (texts.get(url) ?? 0) + scorers[scoring](count, length, collection));
  }
  const ranks = await group.read<number>(stores.ranks, [...texts.keys()]);
  const ranked = [...texts].map(([url, text]) => {
    const rank = ranks.get(url) ?? 0;
    return { url, text, rank, score: finalScore(text, rank, documents, weight) };
  });
  ranked.sort((x, y) => y.score - x.score || (x.url < y.url ? -1 : x.url > y.url ? 1 : 0));
  const shown = ranked.slice(offset, offset + k);
  const words = terms.filter((term) => !term.includes(" "));
  const pages = await group.perOwner<Shown>("shown", stores.pages, shown.map((hit) => hit.url), [words]);
  const hits: Hit[] = shown.map((hit) => {
    const page = pages.get(hit.url);
    return { ...hit, title: page?.title ?? hit.url, snippet: page?.snippet ?? "" };
  });
  return { hits, total: texts.size, terms };
}
