/**
 * What the politeness tests share: a site of pages that answer slowly, all
 * linked from "/", that counts the requests in flight at once (it cannot tell
 * members apart, so the bounds are per group: members × concurrency), and a
 * crawl of it on a fresh group that must fetch every page once.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { CrawlOptions } from "../api.ts";
import { type Cluster, regroup, stepLimitMs, within } from "./_engine.ts";
import { html, links, type Site, startSite } from "./_site.ts";

/** A site of `count` pages that all answer after `delayMs`, linked from "/"; `now` times its arrivals. */
export function slowSite(t: Pick<TestContext, "after">, count: number, delayMs: number, now?: () => number): Promise<Site> {
  const paths = Array.from({ length: count }, (_, i) => `/p/${i}.html`);
  const routes = Object.fromEntries(paths.map((path, i) => [path, { body: html(`Page ${i}`, links("/", paths[(i + 1) % count] as string)), delayMs }]));
  return startSite(t, { "/robots.txt": { type: "text/plain", body: "User-agent: *\nDisallow: /nothing/\n" }, "/": { body: html("Home", links(...paths)) }, ...routes }, now);
}

let groups = 0;
/** Crawls a fresh slow site with `options` on a fresh group over `cluster`'s nodes; the site and the report. */
export async function crawlSlowSite(t: Pick<TestContext, "after">, cluster: Cluster, options: CrawlOptions, count = 24, delayMs = 40, now?: () => number) {
  const site = await slowSite(t, count, delayMs, now);
  const group = await regroup(cluster, `polite-${++groups}`);
  const report = await within(group.engine.crawl(site.url("/"), options), stepLimitMs, `a crawl with ${JSON.stringify(options)}`);
  assert.equal(report.pages, count + 1, "every page is crawled");
  for (const [path, hits] of site.hits()) assert.equal(hits, 1, `${path} fetched ${hits} times`);
  return { site, report };
}
