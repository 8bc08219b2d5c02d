/**
 * handouts/m6.md#the-node: `spawnNode` runs an engine node in a child
 * process. A group of one spawned member crawls, indexes, ranks and answers
 * a small site, driven from a node in this process that is not a member;
 * what the member keeps is read through that node's group stores.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { m6, stepLimitMs, within } from "./_engine.ts";
import { html, links, startSite } from "./_site.ts";
import { exactly, expectedSearch, hitProblems, indexOf, pageRecordOf, storesOf, termStore } from "./_truth.ts";

test("spawnNode starts an engine node in a child process: as the only member of a group it crawls, indexes, ranks and answers searches from a node outside the group", async (t) => {
  const bodies: Record<string, string> = {
    "/": html("Harbour", `<p>The harbour keeps boats and a lighthouse.</p>${links("/boats.html", "/light.html", "/old")}`),
    "/boats.html": html("Boats", `<p>Boats sail past the lighthouse at night.</p>${links("/")}`),
    "/light.html": html("Lighthouse", `<p>The lighthouse keeper counts boats.</p>${links("/boats.html")}`),
  };
  const site = await startSite(t, { ...Object.fromEntries(Object.entries(bodies).map(([path, body]) => [path, { body }])), "/old": { status: 301, headers: { location: "/light.html" } } });
  const child = await m6.spawnNode();
  t.after(() => child.stop());
  const here = await m6.startNode();
  t.after(() => here.stop());
  await here.groups.put("spawned", [child.address]);
  await here.group("spawned").groups.put("spawned", [child.address]);
  const engine = here.engine("spawned");

  const report = await within(engine.crawl(site.url("/")), stepLimitMs, "a crawl by a spawned member");
  assert.deepEqual([...report.fetched], [[child.id, 5]], "the child fetched the three pages, the redirect and robots.txt");
  assert.deepEqual({ pages: report.pages, redirects: report.redirects, skipped: report.skipped }, { pages: 3, redirects: 1, skipped: 0 });
  for (const [path, count] of site.hits()) assert.equal(count, 1, `${path} fetched once`);
  const stores = storesOf("spawned");
  assert.deepEqual((await here.store(stores.pages).keys()).sort(), Object.keys(bodies).map(site.url).sort(), "the child's pages store");
  assert.deepEqual(await here.local.keys(stores.pages), [], "nothing of it on the node outside");

  await within(engine.index(), stepLimitMs, "index on a spawned member");
  const records = new Map(Object.entries(bodies).map(([path, body]) => [site.url(path), pageRecordOf(body, site.url(path))]));
  const index = indexOf(records);
  for (const [term, postings] of termStore(index)) {
    const lookup = await here.store(stores.terms).get(term);
    assert.equal(exactly(lookup.found ? lookup.value : undefined, postings), undefined, `the postings of ${JSON.stringify(term)}`);
  }
  const rank = await within(engine.rank(), stepLimitMs, "rank on a spawned member");
  assert.equal(rank.links, 4, "links: / → boats, / → light (twice, once through a redirect: one link), boats → /, light → boats");
  const ranks = new Map<string, number>();
  for (const url of records.keys()) {
    const lookup = await here.store(stores.ranks).get(url);
    assert.ok(lookup.found, `${url} has a rank`);
    ranks.set(url, lookup.value as number);
  }
  const result = await engine.search("lighthouse boats", { weight: 0 });
  assert.equal(hitProblems(result.hits, expectedSearch(index, ranks, "lighthouse boats", { weight: 0 }).hits), "");
});
