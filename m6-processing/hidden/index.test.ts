/**
 * handouts/m6.md#index: the inverted index and the collection's figures
 * that `index` writes, compared term by term with milestone 0's pipeline
 * over the same pages (the reference's getText, process, stem, combine and
 * invert), each key on its owner by milestone 4's default placement. The
 * tests read one crawl of a generated web by three members.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import { Random } from "../../autograder/harness/random.ts";
import { runSeed } from "../../autograder/harness/seed.ts";
import { startWeb } from "../../autograder/web/index.ts";
import { type Cluster, heldKeys, holdings, ownerNode, regroup, startCluster, stepLimitMs, within } from "./_engine.ts";
import { html, links, startSite } from "./_site.ts";
import { byString, exactly, type Expected, indexOf, keyProblems, pageRecords, statsStore, storeProblems, storesOf, termStore, webExpected } from "./_truth.ts";

const shared = fileScope();
after(() => shared.end());

interface Indexed {
  cluster: Cluster;
  expected: Expected;
  terms: number;
}

let indexed: Promise<Indexed> | undefined;
/** A web of 70 pages crawled and indexed by three members, from a node outside the group. */
function fixture(): Promise<Indexed> {
  indexed ??= (async () => {
    const random = Random.from(runSeed, "m6 index fixture");
    const server = await startWeb({ pages: 70, seed: random.uint32() });
    shared.context.after(() => server.close());
    const cluster = await startCluster(shared.context, 3);
    await within(cluster.engine.crawl(`${server.url}/`), stepLimitMs, "a crawl of 70 pages");
    const { terms } = await within(cluster.engine.index(), stepLimitMs, "index");
    return { cluster, expected: webExpected(server.web!, server.url), terms };
  })();
  return indexed;
}

test("index writes each term's postings [url, count, length], sorted by URL, as milestone 0's pipeline counts the crawled pages, each term once on its owner", async () => {
  const { cluster, expected } = await fixture();
  const wanted = termStore(indexOf(pageRecords(expected)));
  assert.equal(storeProblems(await holdings(cluster, storesOf(cluster.gid).terms), wanted, cluster.owner, exactly), "");
});

test("postings are sorted by URL as strings compare, also where one URL begins another: /p.html?x=1 comes before /p.html?x=1&y=2", async () => {
  const { cluster } = await fixture();
  // Each page holds the word "shared"; "&" sorts below ",", so postings compared as text ("url,count,length") come out in another order.
  const paths = ["/p.html?x=1&y=2", "/p.html?x=1", "/p.html", "/p.html?x=1!", "/p.html?x=10"];
  const page = { body: html("Shared", "<p>Shared words.</p>") };
  const site = await startSite(shared.context, { "/": { body: html("Start", links(...paths)) }, ...Object.fromEntries(paths.map((path) => [path, page])) });
  const group = await regroup(cluster, "sorted");
  await within(group.engine.crawl(site.url("/")), stepLimitMs, "a crawl of six pages");
  await within(group.engine.index(), stepLimitMs, "index");
  const urlsOf = (postings: unknown) => (postings as Array<[string, number, number]>).map(([url]) => url);
  const terms = [...(await holdings(group, storesOf(group.gid).terms))].map(([term, { value }]) => [term, urlsOf(value)] as const);
  const pages = paths.map((path) => site.url(path));
  assert.ok(terms.some(([, urls]) => pages.every((url) => urls.includes(url))), "a term of every page has a posting for each");
  for (const [term, urls] of terms) assert.deepEqual(urls, [...urls].sort(byString), `the postings of "${term}" are sorted by URL`);
});

test("index resolves with the number of distinct terms", async () => {
  const { expected, terms } = await fixture();
  assert.equal(terms, indexOf(pageRecords(expected)).terms.size);
});

test("the stats store holds documents, the number of pages, and length, the sum of their lengths, each on its owner", async () => {
  const { cluster, expected } = await fixture();
  assert.equal(storeProblems(await holdings(cluster, storesOf(cluster.gid).stats), statsStore(indexOf(pageRecords(expected))), cluster.owner, exactly), "");
});

test("the index is spread over the members, each holding exactly the terms it owns, and the node that started it holds none of it", async () => {
  const { cluster, expected } = await fixture();
  const stores = storesOf(cluster.gid);
  const held = await heldKeys(cluster, stores.terms);
  assert.equal(keyProblems(held, indexOf(pageRecords(expected)).terms.keys(), cluster.owner), "");
  for (const [id, keys] of held) assert.ok(keys.length > 0, `member ${id.slice(0, 6)} holds some terms`);
  for (const namespace of [stores.terms, stores.stats]) assert.deepEqual(await cluster.outsider.local.keys(namespace), [], `the outsider's own store holds nothing of ${namespace}`);
});

test("index replaces both stores entirely, so indexing again gives the index of the pages held then: a stale term is gone, and so are the postings of a page removed since", async () => {
  const { cluster, expected } = await fixture();
  const stores = storesOf(cluster.gid);
  const pages = pageRecords(expected);
  const stale = "zzzstale term";
  await ownerNode(cluster, stale).local.put(stores.terms, stale, [["http://127.0.0.1:9/gone.html", 1, 1]]);
  const removed = [...pages.keys()].find((url) => url !== expected.start) as string;
  await ownerNode(cluster, removed).local.del(stores.pages, removed);
  pages.delete(removed);
  const again = await within(cluster.engine.index(), stepLimitMs, "index again, after a page was removed");
  const index = indexOf(pages);
  assert.equal(again.terms, index.terms.size, "the terms of the remaining pages");
  assert.equal(storeProblems(await holdings(cluster, stores.terms), termStore(index), cluster.owner, exactly), "", "the terms store: no posting twice, none of the removed page, no stale term");
  assert.equal(storeProblems(await holdings(cluster, stores.stats), statsStore(index), cluster.owner, exactly), "", "the stats");
});
