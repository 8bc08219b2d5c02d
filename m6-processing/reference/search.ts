/**
 * `engine.search(query, options)`: scatter-gather in three rounds, each one
 * call per member that holds some of what it asks. The terms' postings and
 * the collection's figures come from the members that own them; the node
 * that asks scores the pages as milestone 0 does, over the whole
 * collection; then the candidates' ranks come from their owners; and last
 * the owners of the hits shown send their titles and snippets (never whole pages).
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
  // One round: the terms' postings, then the collection's two figures.
  const figures = [[stores.stats, "documents"], [stores.stats, "length"]] as const;
  const found = await group.read([...terms.map((term) => [stores.terms, term] as const), ...figures]);
  const postingLists = found.slice(0, terms.length).map((postings) => (postings ?? []) as Posting[]);
  const [documents, totalLength] = found.slice(terms.length).map((figure) => (figure ?? 0) as number) as [number, number];
  const averageLength = totalLength / documents;
  const texts = new Map<string, number>();
  for (const postings of postingLists) {
    const collection = { documents, averageLength, containing: postings.length };
    for (const [url, count, length] of postings) texts.set(url, (texts.get(url) ?? 0) + scorers[scoring](count, length, collection));
  }
  const ranks = await group.read<number>([...texts.keys()].map((url) => [stores.ranks, url] as const));
  const ranked = [...texts].map(([url, text], i) => {
    const rank = ranks[i] ?? 0;
    return { url, text, rank, score: finalScore(text, rank, documents, weight) };
  });
  ranked.sort((x, y) => y.score - x.score || (x.url < y.url ? -1 : x.url > y.url ? 1 : 0));
  const shown = ranked.slice(offset, offset + k);
  const words = terms.filter((term) => !term.includes(" "));
  const pages = await group.perOwner<string, Shown>("shown", shown.map((hit) => hit.url), (url) => url, [stores.pages, words]);
  const hits: Hit[] = shown.map((hit, i) => {
    const page = pages[i];
    return { ...hit, title: page?.title ?? hit.url, snippet: page?.snippet ?? "" };
  });
  return { hits, total: texts.size, terms };
}
