import assert from "node:assert/strict";
import { test } from "node:test";
import { pageRank } from "../../autograder/web/index.ts";
import { indexByMilestone0, m0, site } from "./_engine.ts";

test("a crawl by three members fetches every URL of the web's ground truth once, and robots.txt once", async (t) => {
  const { server, truth, engine } = await site(t, 60, 4);
  const report = await engine.crawl(`${server.url}/`);
  const hits = server.hits();
  assert.equal(hits.get("/robots.txt"), 1);
  hits.delete("/robots.txt");
  assert.deepEqual([...hits.keys()].sort(), [...truth.fetched.keys()].sort());
  assert.ok([...hits.values()].every((count) => count === 1), "some URL was fetched more than once");
  assert.equal(report.pages, truth.pages.length);
  assert.equal([...report.fetched.values()].reduce((sum, count) => sum + count, 0), truth.fetched.size + 1);
});

test("with weight 0, a search ranks the crawled pages as milestone 0's query does, score for score", async (t) => {
  const crawled = await site(t, 60, 5);
  await crawled.engine.crawl(`${crawled.server.url}/`);
  await crawled.engine.index();
  const index = await indexByMilestone0(crawled);
  for (const query of ["page", crawled.server.web?.topics[0]?.slug ?? "", "generated web", "no such word"]) {
    const { hits } = await crawled.engine.search(query, { weight: 0, k: 10 });
    const expected = m0.query(index, m0.combine(m0.process(query).map(m0.stem)), { limit: 10 });
    assert.deepEqual(hits.map((hit) => hit.url), expected.map((hit) => hit.url), `the hits for ${JSON.stringify(query)}`);
    hits.forEach((hit, i) => assert.ok(Math.abs(hit.score - (expected[i]?.score ?? NaN)) < 1e-9, `the score of ${hit.url}`));
  }
});

test("rank gives every page its PageRank over the links, redirects followed, within 1e-6", async (t) => {
  const { server, truth, engine, outsider } = await site(t, 60, 6);
  await engine.crawl(`${server.url}/`);
  const report = await engine.rank();
  assert.equal(report.links, truth.edges.length);
  for (const [path, expected] of pageRank(truth.edges, { nodes: truth.pages })) {
    const lookup = await outsider.store("web-ranks").get(server.url + path);
    assert.ok(lookup.found && Math.abs((lookup.value as number) - expected) < 1e-6, `the rank of ${path}`);
  }
});
