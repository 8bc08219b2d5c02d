/**
 * handouts/m6.md#crawl, politeness: each member has at most `concurrency`
 * fetches in flight. Counts only: no clock is read here.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import { type Cluster, startCluster } from "./_engine.ts";
import { crawlSlowSite } from "./_slow-site.ts";

const shared = fileScope();
after(() => shared.end());

let clusters: Promise<{ one: Cluster; three: Cluster }> | undefined;
/** A group of one member and a group of three, each with an outsider. */
function fixture(): Promise<{ one: Cluster; three: Cluster }> {
  clusters ??= (async () => ({ one: await startCluster(shared.context, 1, { gid: "one" }), three: await startCluster(shared.context, 3, { gid: "three" }) }))();
  return clusters;
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
