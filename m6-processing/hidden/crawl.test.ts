/**
 * handouts/m6.md#crawl on generated webs (autograder/web): what the crawl
 * store holds is compared, URL by URL, with what a polite crawler meets
 * (`crawlTruth`), what the server saw with what must be fetched (each URL
 * once, robots.txt once), where each record is with milestone 4's default
 * placement, each page's record with milestone 0's reference, and the
 * report with the store and the placement. Most tests read one crawl of a
 * web by three members, coordinated from outside the group.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import { Random } from "../../autograder/harness/random.ts";
import { runSeed, withSeed } from "../../autograder/harness/seed.ts";
import { startWeb, type WebServer } from "../../autograder/web/index.ts";
import type { CrawlReport } from "../api.ts";
import { type Cluster, heldKeys, holdings, startCluster, stepLimitMs, within } from "./_engine.ts";
import {
  type Expected, expectedCounts, expectedFetched, fetchedProblems, fetchProblems, fetchedPaths, keyProblems, pageRecords, pagesOf, robotsOf, sameRecord, samePage,
  storeProblems, storesOf, webExpected, withoutRobots,
} from "./_truth.ts";

const shared = fileScope();
after(() => shared.end());

interface Crawled {
  server: WebServer;
  cluster: Cluster;
  expected: Expected;
  report: CrawlReport;
  hits: Map<string, number>;
}

let crawled: Promise<Crawled> | undefined;
/** A web of 150 pages crawled by three members, from a node outside the group. */
function fixture(): Promise<Crawled> {
  crawled ??= (async () => {
    const random = Random.from(runSeed, "m6 crawl fixture");
    const server = await startWeb({ pages: 150, seed: random.uint32() });
    shared.context.after(() => server.close());
    const cluster = await startCluster(shared.context, 3);
    const report = await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "a crawl of 150 pages");
    return { server, cluster, expected: webExpected(server.web!, server.url), report, hits: server.hits() };
  })();
  return crawled;
}

test("the crawl store holds every URL met: HTML pages as page with their same-origin links in getURLs order, redirects with their status and absolute location, 404s as skipped for status, attachments as skipped not html, URLs robots.txt disallows as disallowed", async () => {
  const { cluster, expected, server } = await fixture();
  const found = withoutRobots(await holdings(cluster, storesOf(cluster.gid).crawl), server.url);
  assert.equal(storeProblems(found, expected.records, undefined, sameRecord), "");
});

test("every URL is fetched once across the whole group, robots.txt once, and a URL robots.txt disallows never", async () => {
  const { expected, hits } = await fixture();
  assert.equal(fetchProblems(hits, fetchedPaths(expected)), "");
});

test("each URL's record, and each page's record, is on the member that owns the URL, once; the node that started the crawl holds none", async () => {
  const { cluster, expected, server } = await fixture();
  const stores = storesOf(cluster.gid);
  const crawlKeys = await heldKeys(cluster, stores.crawl);
  for (const [id, keys] of crawlKeys) crawlKeys.set(id, keys.filter((key) => key !== robotsOf(server.url)));
  assert.equal(keyProblems(crawlKeys, expected.records.keys(), cluster.owner), "", "the crawl store");
  assert.equal(keyProblems(await heldKeys(cluster, stores.pages), pagesOf(expected), cluster.owner), "", "the pages store");
  for (const namespace of [stores.crawl, stores.pages]) {
    assert.deepEqual(await cluster.outsider.local.keys(namespace), [], `the outsider's own store holds nothing of ${namespace}`);
  }
});

test("the report counts the pages, redirects and skipped URLs the store holds, and what each member fetched, by node id: the URLs it owns, and robots.txt for its owner", async () => {
  const { cluster, expected, report } = await fixture();
  assert.deepEqual({ pages: report.pages, redirects: report.redirects, skipped: report.skipped }, expectedCounts(expected));
  assert.equal(fetchedProblems(report.fetched, expectedFetched(fetchedPaths(expected).map((path) => expected.origin + path), expected.origin, cluster.ids)), "");
});

test("each HTML page's record holds its title, its text (getText), its term counts and its length, as milestone 0 computes them; no other URL has one", async () => {
  const { cluster, expected } = await fixture();
  const found = await holdings(cluster, storesOf(cluster.gid).pages);
  assert.equal(storeProblems(found, pageRecords(expected), cluster.owner, samePage), "");
});

test("a web of 250 pages crawled by four members, started from a member, and a web of 60 pages crawled by a group of one, each end as a polite crawler does: the same records, each URL fetched once, by its owner", withSeed(async (random, t) => {
  for (const { pages, members } of [{ pages: 250, members: 4 }, { pages: 60, members: 1 }]) {
    const server = await startWeb({ pages, seed: random.uint32() });
    t.after(() => server.close());
    const cluster = await startCluster(t, members, { gid: `web-${members}` });
    const engine = (cluster.members[members - 1] ?? cluster.outsider).engine(cluster.gid);
    const report = await within(engine.crawl(`${server.url}/`), stepLimitMs, `a crawl of ${pages} pages by ${members} members`);
    const expected = webExpected(server.web!, server.url);
    const what = `${pages} pages, ${members} members`;
    const found = withoutRobots(await holdings(cluster, storesOf(cluster.gid).crawl), server.url);
    assert.equal(storeProblems(found, expected.records, cluster.owner, sameRecord), "", `${what}: the crawl store`);
    assert.equal(fetchProblems(server.hits(), fetchedPaths(expected)), "", `${what}: the fetches`);
    const urls = fetchedPaths(expected).map((path) => server.url + path);
    assert.equal(fetchedProblems(report.fetched, expectedFetched(urls, server.url, cluster.ids)), "", `${what}: the report's fetched counts`);
    assert.deepEqual({ pages: report.pages, redirects: report.redirects, skipped: report.skipped }, expectedCounts(expected), `${what}: the report's counts`);
    const pages2 = await holdings(cluster, storesOf(cluster.gid).pages);
    assert.deepEqual([...pages2.keys()].sort(), pagesOf(expected).sort(), `${what}: the pages store holds the HTML pages`);
  }
}));

test("a crawl run again on a finished store fetches no URL again (robots.txt aside), and its report still counts what the store holds", async () => {
  const { cluster, server, expected } = await fixture();
  server.resetHits();
  const again = await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "a second crawl");
  const hits = server.hits();
  hits.delete("/robots.txt");
  assert.deepEqual([...hits], [], "no URL but robots.txt is fetched again");
  assert.deepEqual({ pages: again.pages, redirects: again.redirects, skipped: again.skipped }, expectedCounts(expected), "the report still counts what the store holds");
  let total = 0;
  for (const count of again.fetched.values()) total += count;
  assert.ok(total <= 1, `the members fetched ${total} URLs in the second crawl, expected at most robots.txt`);
  const found = withoutRobots(await holdings(cluster, storesOf(cluster.gid).crawl), server.url);
  assert.equal(storeProblems(found, expected.records, cluster.owner, sameRecord), "", "the store is unchanged");
});
