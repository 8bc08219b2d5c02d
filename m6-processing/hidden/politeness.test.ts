/**
 * handouts/m6.md#crawl, politeness: each member starts two fetches at least
 * `delayMs` apart. Time is only ever a lower bound here (n fetches a delay
 * apart cannot take less than n − 1 delays), which no slow machine can break.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { fileScope } from "../../autograder/harness/black-box.ts";
import { type Cluster, startCluster } from "./_engine.ts";
import { crawlSlowSite } from "./_slow-site.ts";

const shared = fileScope();
after(() => shared.end());

let cluster: Promise<Cluster> | undefined;
/** A group of one member, with an outsider. */
const fixture = () => (cluster ??= startCluster(shared.context, 1, { gid: "one" }));

test("a member with delayMs starts its fetches at least delayMs apart: n fetches take at least (n - 1) × delayMs", async (t) => {
  const one = await fixture();
  const delayMs = 60;
  const count = 15;
  const started = performance.now();
  const { site } = await crawlSlowSite(t, one, { delayMs, concurrency: 4 }, count, 0, () => performance.now());
  const fetches = site.arrivals().filter(({ path }) => path !== "/robots.txt");
  const last = Math.max(...fetches.map(({ at }) => at));
  assert.ok(last - started >= (fetches.length - 1) * delayMs, `${fetches.length} fetches a delay of ${delayMs} ms apart all started within ${Math.round(last - started)} ms`);
  const spans = fetches.slice(1).map(({ at }, i) => at - (fetches[i] as { at: number }).at);
  assert.ok(spans.filter((span) => span >= delayMs / 2).length >= spans.length / 2, `most fetches arrive about a delay apart, not in bursts: ${spans.map(Math.round).join(", ")} ms`);
});
