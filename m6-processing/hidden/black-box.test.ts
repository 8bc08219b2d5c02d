/**
 * Black-box tests of milestone 6: every node under test runs in a child
 * process of its own (as the student's user on the autograder), and this
 * process, which loads references only, sees it through the network alone:
 * the engine's steps start through the harness service of a node outside
 * the group, and what the engine keeps is what each member's own store
 * lists, compared with the truth computed here (autograder/web's crawl and
 * PageRank, milestone 0's reference for text and scores, milestone 4's
 * placement recomputed).
 *
 * Most tests share one generated web crawled, indexed and ranked by three
 * members; the resume test starts (and kills) members of its own.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import { Random } from "../../autograder/harness/random.ts";
import { runSeed, withSeed } from "../../autograder/harness/seed.ts";
import { studentFolder } from "../../autograder/harness/student-node.ts";
import { eventually } from "../../autograder/harness/wait.ts";
import { startWeb, type WebServer } from "../../autograder/web/index.ts";
import { names, settle, stopClient } from "../../m4-storage/hidden/_black-box.ts";
import type { CrawlReport, RankReport } from "../api.ts";
import { formGroup, heldKeys, holdings, type RemoteCluster, startEngineNode } from "./_black-box.ts";
import {
  exactly, type Expected, expectedCounts, expectedFetched, expectedSearch, fetchedPaths, fetchedProblems, fetchProblems, hitProblems, indexOf, keyProblems, near, pageRecords,
  pagesOf, ranksOf, robotsOf, sameRecord, samePage, statsStore, storeProblems, storesOf, termStore, webExpected, withoutRobots,
} from "./_truth.ts";

const shared = fileScope();
after(async () => {
  await shared.end();
  await stopClient();
});

interface Ready {
  server: WebServer;
  cluster: RemoteCluster;
  expected: Expected;
  crawl: CrawlReport;
  hits: Map<string, number>;
  terms: number;
  rank: RankReport;
}

let ready: Promise<Ready> | undefined;
/** A web of 100 pages crawled, indexed and ranked by three members in processes of their own, driven from a fourth. */
function fixture(): Promise<Ready> {
  ready ??= (async () => {
    const random = Random.from(runSeed, "m6 black-box fixture");
    const server = await startWeb({ pages: 100, seed: random.uint32() });
    shared.context.after(() => server.close());
    const [outsider, ...members] = await Promise.all(Array.from({ length: 4 }, () => startEngineNode(shared.context)));
    const cluster = await formGroup(members, outsider!, "bb");
    const engine = cluster.outsider.engine(cluster.gid);
    const crawl = await engine.crawl(`${server.url}/`);
    const hits = server.hits();
    const { terms } = await engine.index();
    const rank = await engine.rank();
    return { server, cluster, expected: webExpected(server.web!, server.url), crawl, hits, terms, rank };
  })();
  return ready;
}

/** Whether a thrown value, or one of its causes, is named `name` (errors cross the network as plain Errors with their names). */
async function assertFails(promise: Promise<unknown>, name: string, what: string): Promise<void> {
  const ended = await settle(promise);
  assert.ok(!ended.ok && names(ended.error).includes(name), `${what}: expected a ${name}, got ${ended.ok ? "a result" : names(ended.error).join(" <- ")}`);
}

test("members in processes of their own crawl a generated web: each URL's record, on the member that owns it, is what a polite crawler meets; each URL is fetched once across the group, robots.txt once", async () => {
  const { cluster, expected, hits, server } = await fixture();
  const found = withoutRobots(await holdings(cluster, storesOf(cluster.gid).crawl), server.url);
  assert.equal(storeProblems(found, expected.records, cluster.owner, sameRecord), "", "the crawl store");
  assert.equal(fetchProblems(hits, fetchedPaths(expected)), "", "the fetches");
  assert.deepEqual((await cluster.outsider.local.keys(storesOf(cluster.gid).crawl)).filter((key) => key !== robotsOf(server.url)), [], "the node that started the crawl holds none of it");
});

test("each page's record, on its owner, holds its title, text, term counts and length as milestone 0 computes them, and the report counts the store and what each member fetched: the URLs it owns", async () => {
  const { cluster, expected, crawl } = await fixture();
  assert.equal(storeProblems(await holdings(cluster, storesOf(cluster.gid).pages), pageRecords(expected), cluster.owner, samePage), "", "the pages store");
  assert.deepEqual({ pages: crawl.pages, redirects: crawl.redirects, skipped: crawl.skipped }, expectedCounts(expected), "the report's counts");
  const urls = fetchedPaths(expected).map((path) => expected.origin + path);
  assert.equal(fetchedProblems(crawl.fetched, expectedFetched(urls, expected.origin, cluster.members.map((node) => node.nid))), "", "the report's fetched counts");
});

test("the index on the members: each holds exactly the terms it owns, with the postings and stats of milestone 0's index of the crawled pages", withSeed(async (random) => {
  const { cluster, expected, terms } = await fixture();
  const stores = storesOf(cluster.gid);
  const index = indexOf(pageRecords(expected));
  assert.equal(terms, index.terms.size, "index resolves with the number of distinct terms");
  assert.equal(keyProblems(await heldKeys(cluster, stores.terms), index.terms.keys(), cluster.owner), "", "the terms each member holds");
  const all = termStore(index);
  const sample = new Map(random.shuffle([...all.keys()]).slice(0, 150).map((term) => [term, all.get(term)]));
  const found = new Map<string, { value: unknown; holders: string[] }>();
  for (const term of sample.keys()) {
    const owner = cluster.members.find((node) => node.nid === cluster.owner(term));
    const lookup = await owner!.local.get(stores.terms, term);
    if (lookup.found) found.set(term, { value: lookup.value, holders: [owner!.nid] });
  }
  assert.equal(storeProblems(found, sample, cluster.owner, exactly), "", "the postings of 150 terms");
  assert.equal(storeProblems(await holdings(cluster, stores.stats), statsStore(index), cluster.owner, exactly), "", "the stats");
}));

test("the ranks on the members are PageRank within 1e-6, each on its owner, and the report counts the graph's links", async () => {
  const { cluster, expected, rank } = await fixture();
  assert.equal(storeProblems(await holdings(cluster, storesOf(cluster.gid).ranks), ranksOf(expected), cluster.owner, near(1e-6)), "");
  assert.equal(rank.links, expected.edges.length, "links");
});

test("searches from a node outside the group rank as milestone 0's query does, score for score, with weight 0 (BM25 and TF-IDF), and by finalScore with the default weight", withSeed(async (random) => {
  const { cluster, expected } = await fixture();
  const pages = pageRecords(expected);
  const index = indexOf(pages);
  const ranks = new Map([...(await holdings(cluster, storesOf(cluster.gid).ranks))].map(([url, { value }]) => [url, value as number]));
  const texts = [...pages.values()].map((page) => page.text.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []);
  const queries = Array.from({ length: 12 }, (_, i) => {
    const words = random.pick(texts);
    const start = random.int(0, Math.max(0, words.length - 3));
    return words.slice(start, start + 1 + (i % 3)).join(" ");
  });
  const engine = cluster.outsider.engine(cluster.gid);
  for (const query of queries) {
    for (const asked of [{ weight: 0 }, { weight: 0, scoring: "tfidf" as const, k: 20 }, { k: 15 }]) {
      const result = await engine.search(query, asked);
      const wanted = expectedSearch(index, ranks, query, asked);
      assert.equal(hitProblems(result.hits, wanted.hits), "", `${JSON.stringify(query)} with ${JSON.stringify(asked)}`);
      assert.equal(result.total, wanted.total, `the total of ${JSON.stringify(query)}`);
    }
  }
}));

test("a query without terms finds nothing; a query over 10,000 characters or a bad search option is a RangeError, as are a bad crawl or rank option, and a start URL that is not an absolute http URL is a TypeError", async () => {
  const { cluster, server } = await fixture();
  const engine = cluster.outsider.engine(cluster.gid);
  for (const query of ["", "the and of", "!!!", "日本語"]) {
    const result = await engine.search(query);
    assert.deepEqual({ hits: result.hits, total: result.total }, { hits: [], total: 0 }, `${JSON.stringify(query)} finds nothing`);
  }
  await assertFails(engine.search("a".repeat(10_001)), "RangeError", "a query of 10,001 characters");
  await assertFails(engine.search("word", { k: 1001 }), "RangeError", "k 1001");
  await assertFails(engine.search("word", { offset: -1 }), "RangeError", "offset -1");
  await assertFails(engine.rank({ damping: 1.5 }), "RangeError", "damping 1.5");
  await assertFails(engine.crawl(`${server.url}/`, { concurrency: 0 }), "RangeError", "concurrency 0");
  await assertFails(engine.crawl("not a url"), "TypeError", "a start that is not a URL");
});

test("members killed in the middle of a crawl and restarted on their folders, at the same addresses, resume it: a crawl run again fetches each URL still queued, once (unless robots.txt disallows it), and no URL with another record, and the crawl store ends whole", withSeed(async (random, t) => {
  const server = await startWeb({ pages: 120, seed: random.uint32() });
  t.after(() => server.close());
  const expected = webExpected(server.web!, server.url);
  const folders = await Promise.all([0, 1, 2].map(() => studentFolder(t)));
  const first = await Promise.all(folders.map((folder) => startEngineNode(t, { folder })));
  const { outsider } = (await fixture()).cluster;
  const gid = "resume";
  await formGroup(first, first[0]!, gid);
  const fetches = () => [...server.hits().values()].reduce((sum, count) => sum + count, 0);
  const all = fetchedPaths(expected).length + 1;
  const interrupted = settle(first[0]!.engine(gid).crawl(`${server.url}/`, { concurrency: 1, delayMs: 40 }));
  assert.ok(await eventually(() => fetches() >= all / 4, 60_000), `the crawl fetched ${fetches()} of ${all} URLs in 60 s`);
  await Promise.all(first.map((node) => node.process.kill()));
  await interrupted;
  assert.ok(fetches() < all, `the members were killed before the crawl ended (${fetches()} of ${all} URLs fetched)`);

  const members = await Promise.all(first.map((node, i) => startEngineNode(t, { folder: folders[i], port: node.address.port })));
  const cluster = await formGroup(members, outsider, gid);
  const stores = storesOf(gid);
  const before = withoutRobots(await holdings(cluster, stores.crawl), server.url);
  const queued = [...before].filter(([, { value }]) => (value as { state?: unknown }).state === "queued").map(([url]) => url);
  const finished = [...before.keys()].filter((url) => !queued.includes(url));
  assert.ok(finished.length > 0, "the killed members had finished some URLs");
  const misplaced = [...before].filter(([url, { holders }]) => holders.length !== 1 || holders[0] !== cluster.owner(url)).map(([url]) => url);
  assert.deepEqual(misplaced.slice(0, 5), [], "each record is on its owner, once");

  server.resetHits();
  const report = await outsider.engine(gid).crawl(`${server.url}/`);
  const hits = server.hits();
  const problems: string[] = [];
  const disallowed = (url: string) => sameRecord({ state: "skipped", reason: "disallowed" }, expected.records.get(url) ?? { state: "queued" }) === undefined;
  for (const url of queued) {
    const count = hits.get(url.slice(server.url.length)) ?? 0;
    if (count !== (disallowed(url) ? 0 : 1)) problems.push(`${url} was queued and fetched ${count} times${disallowed(url) ? " (robots.txt disallows it)" : ""}`);
  }
  for (const url of finished) if (hits.has(url.slice(server.url.length))) problems.push(`${url} was finished and fetched again`);
  for (const [path, count] of hits) if (count > 1) problems.push(`${path} fetched ${count} times`);
  assert.deepEqual(problems.slice(0, 5), [], `${queued.length} URLs were queued, ${finished.length} finished`);
  assert.equal(storeProblems(withoutRobots(await holdings(cluster, stores.crawl), server.url), expected.records, cluster.owner, sameRecord), "", "the crawl store ends whole");
  assert.equal(keyProblems(await heldKeys(cluster, stores.pages), pagesOf(expected), cluster.owner), "", "the pages store ends whole");
  assert.equal(report.pages, pagesOf(expected).length, "the report counts every page");
}));
