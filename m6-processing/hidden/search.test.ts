/**
 * handouts/m6.md#search: the hits of many queries (single words, several
 * words, n-grams, repeated and unknown words, long ones) compared with
 * milestone 0's `query` over the same pages, score for score to 1e-9, with
 * BM25 and TF-IDF; the order by `finalScore` when PageRank counts; paging;
 * titles, ranks and snippets; queries without terms, too long, and bad
 * options; concurrent searches. The tests read one web crawled, indexed and
 * ranked by three members; searches come from a node outside the group.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import { Random } from "../../autograder/harness/random.ts";
import { runSeed, withSeed } from "../../autograder/harness/seed.ts";
import { startWeb } from "../../autograder/web/index.ts";
import type * as M0 from "../../m0-setup/api.ts";
import type { SearchOptions, SearchResult } from "../api.ts";
import { assertThrows, type Cluster, holdings, m6, regroup, startCluster, stepLimitMs, within } from "./_engine.ts";
import { html, links, startSite } from "./_site.ts";
import {
  type Asked, expectedSearch, hitProblems, indexOf, oneWordTerms, pageRecordOf, pageRecords, queryTerms, storesOf, titleOf, webExpected,
} from "./_truth.ts";

const shared = fileScope();
after(() => shared.end());

interface Searchable {
  cluster: Cluster;
  /** Milestone 0's index of the crawled pages. */
  index: M0.Index;
  /** The ranks store, by URL. */
  ranks: Map<string, number>;
  /** Each page's text and title, by URL. */
  texts: Map<string, { text: string; title: string }>;
  /** Queries made of the pages' words. */
  queries: string[];
}

let searchable: Promise<Searchable> | undefined;
/** A web of 80 pages crawled, indexed and ranked by three members, from a node outside the group. */
function fixture(): Promise<Searchable> {
  searchable ??= (async () => {
    const random = Random.from(runSeed, "m6 search fixture");
    const server = await startWeb({ pages: 80, seed: random.uint32() });
    shared.context.after(() => server.close());
    const cluster = await startCluster(shared.context, 3);
    await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "a crawl of 80 pages");
    await within(cluster.engine.index(), stepLimitMs, "index");
    await within(cluster.engine.rank(), stepLimitMs, "rank");
    const expected = webExpected(server.web!, server.url);
    const pages = pageRecords(expected);
    const ranks = new Map([...(await holdings(cluster, storesOf(cluster.gid).ranks))].map(([url, { value }]) => [url, value as number]));
    const texts = new Map([...pages].map(([url, page]) => [url, { text: page.text, title: titleOf(expected.html.get(url) as string, url) }]));
    return { cluster, index: indexOf(pages), ranks, texts, queries: queriesOf(random, [...texts.values()].map(({ text }) => text), server.web!.topics.map((topic) => topic.slug)) };
  })();
  return searchable;
}

/** Queries made of the pages' words, as a person might type them. */
function queriesOf(random: Random, texts: string[], slugs: string[]): string[] {
  const words = (text: string) => text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
  const window = (length: number) => {
    const all = words(random.pick(texts));
    const start = random.int(0, Math.max(0, all.length - length));
    return all.slice(start, start + length).join(" ");
  };
  const queries = [
    ...slugs.slice(0, 4),
    ...Array.from({ length: 8 }, () => window(1)),
    ...Array.from({ length: 6 }, () => window(2)),
    ...Array.from({ length: 6 }, () => window(3)),
    ...Array.from({ length: 3 }, () => window(6)),
  ];
  const [a = "", b = ""] = [window(1), window(1)];
  queries.push(`${a} ${a}`, `${a} ${b} ${a}`, `${a.toUpperCase()}, ${b}!`, `zzqxv ${a}`, `the ${b} of the`, `"${window(2)}"`);
  return queries;
}

/** The fields of a result that a test compares with milestone 0. */
function check(result: SearchResult, index: M0.Index, ranks: ReadonlyMap<string, number>, query: string, asked: Asked): string {
  const wanted = expectedSearch(index, ranks, query, asked);
  const problems = [hitProblems(result.hits, wanted.hits)];
  if (result.total !== wanted.total) problems.push(`total ${result.total}, expected ${wanted.total}`);
  const terms = [...new Set(result.terms)].sort();
  const expectedTerms = [...new Set(wanted.terms)].sort();
  if (JSON.stringify(terms) !== JSON.stringify(expectedTerms)) problems.push(`terms ${JSON.stringify(terms)}, expected ${JSON.stringify(expectedTerms)}`);
  const text = problems.filter((problem) => problem !== "").join("; ");
  return text === "" ? "" : `${JSON.stringify(query)} with ${JSON.stringify(asked)}: ${text}`;
}

/** Searches every query with `asked` and returns the problems found, one per line. */
async function checkAll(searchable: Searchable, queries: readonly string[], asked: Asked & SearchOptions): Promise<string> {
  const { cluster, index, ranks } = searchable;
  const problems: string[] = [];
  for (const query of queries) {
    const result = await within(cluster.engine.search(query, asked), 60_000, `search ${JSON.stringify(query)}`);
    problems.push(check(result, index, ranks, query, asked));
  }
  return problems.filter((problem) => problem !== "").slice(0, 5).join("\n");
}

test("with weight 0 a search ranks as milestone 0's query does over the crawled pages, score for score, with BM25 by default: single words, several words, n-grams, repeated and unknown words", async () => {
  const searchable = await fixture();
  const found = searchable.queries.filter((query) => expectedSearch(searchable.index, searchable.ranks, query).total > 0).length;
  assert.ok(found >= searchable.queries.length - 3, `${found} of ${searchable.queries.length} queries find pages`);
  assert.equal(await checkAll(searchable, searchable.queries, { weight: 0 }), "");
});

test("with weight 0 and scoring tfidf a search ranks as milestone 0's query with TF-IDF does, and k bounds the hits", async () => {
  const searchable = await fixture();
  assert.equal(await checkAll(searchable, searchable.queries, { weight: 0, scoring: "tfidf", k: 20 }), "");
  assert.equal(await checkAll(searchable, searchable.queries.slice(0, 6), { weight: 0, scoring: "bm25", k: 3 }), "");
});

test("with weight above 0 hits are ordered by finalScore, text + weight × ln(1 + n × rank), then by URL; the default weight is 1", async () => {
  const searchable = await fixture();
  const queries = searchable.queries.slice(0, 12);
  assert.equal(await checkAll(searchable, queries, { k: 1000 }), "", "the default weight");
  assert.equal(await checkAll(searchable, queries, { weight: 2.5, k: 1000 }), "", "weight 2.5");
  assert.equal(await checkAll(searchable, queries, { weight: 0.3, k: 15, scoring: "tfidf" }), "", "weight 0.3 with TF-IDF");
});

test("each hit carries its page's title, its PageRank, and the snippet snippetOf gives of its text and the query's one-word terms", async () => {
  const { cluster, ranks, texts, queries } = await fixture();
  for (const query of queries.slice(0, 15)) {
    const { hits, terms } = await cluster.engine.search(query, { k: 5 });
    for (const hit of hits) {
      const page = texts.get(hit.url);
      assert.ok(page !== undefined, `${hit.url} is a page`);
      assert.equal(hit.title, page.title, `the title of ${hit.url}`);
      assert.ok(Math.abs(hit.rank - (ranks.get(hit.url) ?? Number.NaN)) < 1e-12, `the rank of ${hit.url} is its rank in the ranks store`);
      assert.equal(hit.snippet, m6.snippetOf(page.text, oneWordTerms(queryTerms(query))), `the snippet of ${hit.url} for ${JSON.stringify(query)} (terms ${JSON.stringify(terms)})`);
    }
  }
});

test("k and offset page through the hits: pages of k hits from offset 0, k, 2k … put together are the whole list, total counts every page that holds a term, and k 0 or an offset past the end gives no hits", async () => {
  const { cluster, index } = await fixture();
  const query = [...index.terms].filter(([term]) => !term.includes(" ")).sort(([, a], [, b]) => b.size - a.size)[0]?.[0] as string;
  const all = await cluster.engine.search(query, { k: 1000 });
  assert.ok(all.total >= 15, `"${query}" is in ${all.total} pages`);
  assert.equal(all.hits.length, all.total, "k 1000 gives every hit");
  const pages: SearchResult["hits"] = [];
  for (let offset = 0; offset < all.total; offset += 7) {
    const page = await cluster.engine.search(query, { k: 7, offset });
    assert.equal(page.total, all.total, `total from offset ${offset}`);
    pages.push(...page.hits);
  }
  assert.deepEqual(pages, all.hits, "the pages put together");
  assert.deepEqual((await cluster.engine.search(query, { k: 0 })).hits, [], "k 0");
  assert.equal((await cluster.engine.search(query, { k: 0 })).total, all.total, "k 0 still counts the total");
  assert.deepEqual((await cluster.engine.search(query, { offset: all.total })).hits, [], "an offset past the end");
  assert.deepEqual((await cluster.engine.search(query)).hits, all.hits.slice(0, 10), "k is 10 by default");
});

test("a query without terms (empty, stopwords only, punctuation) finds nothing; unknown words and other scripts find nothing and throw nothing; a query of 10,000 characters is answered as milestone 0 answers it", withSeed(async (random) => {
  const { cluster, index, ranks, texts } = await fixture();
  for (const query of ["", "   ", "the of and", "!!! ??? ...", "zzqxv qqqqzz", "日本語の検索", "Ελληνικά κείμενα", "😀 🔎", "a".repeat(10_000)]) {
    const result = await cluster.engine.search(query);
    assert.deepEqual({ hits: result.hits, total: result.total }, { hits: [], total: 0 }, `${JSON.stringify(query.slice(0, 20))} finds nothing`);
    assert.deepEqual(result.terms, queryTerms(query), `the terms of ${JSON.stringify(query.slice(0, 20))}`);
  }
  const words = [...texts.values()].flatMap(({ text }) => text.split(/\s+/)).filter((word) => word !== "");
  let long = "";
  while (long.length < 10_000) long += `${random.pick(words)} `;
  long = long.slice(0, 10_000);
  const result = await within(cluster.engine.search(long, { weight: 0, k: 20 }), 60_000, "a search of 10,000 characters");
  assert.equal(check(result, index, ranks, long, { weight: 0, k: 20 }), "");
}));

test("a query longer than 10,000 characters, or an option outside its range, is a RangeError", async () => {
  const { cluster } = await fixture();
  await assertThrows(cluster.engine.search("a".repeat(10_001)), RangeError, "a query of 10,001 characters");
  const bad: SearchOptions[] = [
    { k: -1 }, { k: 1001 }, { k: 2.5 }, { k: Number.NaN },
    { offset: -1 }, { offset: 1.5 }, { offset: Number.NaN },
    { scoring: "bm26" as "bm25" },
    { weight: -0.5 }, { weight: Number.NaN },
  ];
  for (const options of bad) await assertThrows(cluster.engine.search("word", options), RangeError, `search with ${JSON.stringify(options, (_k, v: unknown) => (Number.isNaN(v) ? "NaN" : v))}`);
  assert.equal((await cluster.engine.search("word", { k: 1000 })).total >= 0, true, "k 1000 is allowed");
});

test("50 searches at once, from the outsider and from the members, give the answers they give one at a time", async () => {
  const { cluster, queries } = await fixture();
  const chosen = Array.from({ length: 50 }, (_, i) => queries[i % queries.length] as string);
  const alone: SearchResult[] = [];
  for (const query of chosen) alone.push(await cluster.engine.search(query, { k: 5 }));
  const nodes = [cluster.outsider, ...cluster.members];
  const together = await within(Promise.all(chosen.map((query, i) => (nodes[i % nodes.length] as (typeof nodes)[number]).engine(cluster.gid).search(query, { k: 5 }))), 120_000, "50 searches at once");
  for (const [i, result] of together.entries()) assert.deepEqual(result, alone[i], `${JSON.stringify(chosen[i])}, searched from node ${i % nodes.length}`);
});

test("before rank has run, a hit's rank is 0 and its score is its text score", async (t) => {
  const { cluster } = await fixture();
  const body = (title: string, words: string, ...hrefs: string[]) => html(title, `<p>${words}</p>${links(...hrefs)}`);
  const bodies: Record<string, string> = {
    "/": body("Home of the harbour", "harbour boats and lighthouse keepers", "/a.html", "/b.html"),
    "/a.html": body("Lighthouse", "the lighthouse keeper watches boats in the harbour", "/"),
    "/b.html": body("Boats", "boats boats boats sail past the lighthouse"),
  };
  const site = await startSite(t, Object.fromEntries(Object.entries(bodies).map(([path, page]) => [path, { body: page }])));
  const group = await regroup(cluster, "unranked");
  await within(group.engine.crawl(site.url("/")), stepLimitMs, "a crawl of three pages");
  await within(group.engine.index(), stepLimitMs, "index");
  const records = new Map(Object.entries(bodies).map(([path, page]) => [site.url(path), pageRecordOf(page, site.url(path))]));
  const index = indexOf(records);
  for (const query of ["boats", "lighthouse harbour", "keeper"]) {
    const result = await group.engine.search(query, { weight: 1 });
    assert.equal(check(result, index, new Map(), query, { weight: 1 }), "");
    for (const hit of result.hits) assert.equal(hit.rank, 0, `${hit.url} has rank 0`);
  }
});
