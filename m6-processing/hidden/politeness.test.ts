/**
 * handouts/m6.md#crawl, politeness: each member has at most `concurrency`
 * fetches in flight and starts two fetches at least `delayMs` apart. The
 * site counts the requests in flight at once (it cannot tell members apart,
 * so the bounds are per group: members × concurrency). Time is only ever a
 * lower bound here (n fetches a delay apart cannot take less than n − 1
 * delays), which no slow machine can break.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import type { CrawlOptions } from "../api.ts";
import { type Cluster, regroup, startCluster, stepLimitMs, within } from "./_engine.ts";
import { html, links, type Site, startSite } from "./_site.ts";

const shared = fileScope();
after(() => shared.end());

let clusters: Promise<{ one: Cluster; three: Cluster }> | undefined;
/** A group of one member and a group of three, each with an outsider. */
function fixture(): Promise<{ one: Cluster; three: Cluster }> {
  clusters ??= (async () => ({ one: await startCluster(shared.context, 1, { gid: "one" }), three: await startCluster(shared.context, 3, { gid: "three" }) }))();
  return clusters;
}

/** A site of `count` pages that all answer after `delayMs`, linked from "/". */
async function slowSite(t: Parameters<typeof startSite>[0], count: number, delayMs: number): Promise<Site> {
  const paths = Array.from({ length: count }, (_, i) => `/p/${i}.html`);
  const routes = Object.fromEntries(paths.map((path, i) => [path, { body: html(`Page ${i}`, links("/", paths[(i + 1) % count] as string)), delayMs }]));
  return startSite(t, { "/robots.txt": { type: "text/plain", body: "User-agent: *\nDisallow: /nothing/\n" }, "/": { body: html("Home", links(...paths)) }, ...routes });
}

let groups = 0;
/** Crawls a fresh slow site with `options` on a fresh group over `cluster`'s nodes; the site and the report. */
async function crawlSlowSite(t: Parameters<typeof startSite>[0], cluster: Cluster, options: CrawlOptions, count = 24, delayMs = 40) {
  const site = await slowSite(t, count, delayMs);
  const group = await regroup(cluster, `polite-${++groups}`);
  const report = await within(group.engine.crawl(site.url("/"), options), stepLimitMs, `a crawl with ${JSON.stringify(options)}`);
  assert.equal(report.pages, count + 1, "every page is crawled");
  for (const [path, hits] of site.hits()) assert.equal(hits, 1, `${path} fetched ${hits} times`);
  return { site, report };
}

test("a member with concurrency 1 has one fetch in flight at a time", async (t) => {
  const { one } = await fixture();
  const { site } = await crawlSlowSite(t, one, { concurrency: 1 });
  assert.equal(site.maxInFlight(), 1, `${site.maxInFlight()} requests were in flight at once`);
});

test("a member with concurrency 2 has at most two fetches in flight, and by default at most four", async (t) => {
  const { one } = await fixture();
  const two = await crawlSlowSite(t, one, { concurrency: 2 });
  assert.ok(two.site.maxInFlight() <= 2, `concurrency 2: ${two.site.maxInFlight()} requests were in flight at once`);
  const byDefault = await crawlSlowSite(t, one, {});
  assert.ok(byDefault.site.maxInFlight() <= 4, `the default: ${byDefault.site.maxInFlight()} requests were in flight at once`);
});

test("three members with concurrency 1 have at most three fetches in flight at once, and each fetches the URLs it owns", async (t) => {
  const { three } = await fixture();
  const { site, report } = await crawlSlowSite(t, three, { concurrency: 1 }, 30);
  assert.ok(site.maxInFlight() <= 3, `${site.maxInFlight()} requests were in flight at once`);
  let total = 0;
  for (const count of report.fetched.values()) total += count;
  assert.equal(total, 32, "the members fetched 30 pages, the root and robots.txt between them");
});

test("a member with delayMs starts its fetches at least delayMs apart: n fetches take at least (n - 1) × delayMs", async (t) => {
  const { one } = await fixture();
  const delayMs = 60;
  const count = 15;
  const started = performance.now();
  const { site } = await crawlSlowSite(t, one, { delayMs, concurrency: 4 }, count, 0);
  const fetches = site.arrivals().filter(({ path }) => path !== "/robots.txt");
  const last = Math.max(...fetches.map(({ at }) => at));
  assert.ok(last - started >= (fetches.length - 1) * delayMs, `${fetches.length} fetches a delay of ${delayMs} ms apart all started within ${Math.round(last - started)} ms`);
  const spans = fetches.slice(1).map(({ at }, i) => at - (fetches[i] as { at: number }).at);
  assert.ok(spans.filter((span) => span >= delayMs / 2).length >= spans.length / 2, `most fetches arrive about a delay apart, not in bursts: ${spans.map(Math.round).join(", ")} ms`);
});
