/**
 * The simulated users of the local web (web/activity.ts): seeded, Zipf
 * popular queries, a burst, delays that put searches out of order, and
 * the truth per minute.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { userActivity } from "../web/activity.ts";

const queries = ["vacuum", "create index", "select", "join", "wal", "autovacuum", "explain", "copy"];

test("the same seed gives the same searches; another seed others", () => {
  const options = { seed: 7, queries, start: 0, durationMs: 120_000, rate: 20, outOfOrderMs: 2_000 };
  assert.deepEqual(userActivity(options), userActivity(options));
  assert.notDeepEqual(userActivity(options).searches, userActivity({ ...options, seed: 8 }).searches);
});

test("searches come at about the rate asked, more popular queries more often (Zipf), in the order they arrive, and perMinute counts them by event time", () => {
  const { searches, perMinute } = userActivity({ seed: 1, queries, start: 30_000, durationMs: 600_000, rate: 50, outOfOrderMs: 3_000 });
  assert.ok(Math.abs(searches.length - 30_000) < 1_500, `${searches.length} searches for 50 per second over 600 s`);
  const counts = queries.map((query) => searches.filter((search) => search.query === query).length);
  for (let i = 1; i < counts.length; i++) assert.ok((counts[i - 1] as number) > (counts[i] as number), `query ${i - 1} is asked more than query ${i}: ${counts}`);
  assert.ok(searches.every((search, i) => i === 0 || search.arrival >= (searches[i - 1] as { arrival: number }).arrival), "in the order they arrive");
  assert.ok(searches.some((search, i) => i > 0 && search.time < (searches[i - 1] as { time: number }).time), "some arrive out of order");
  assert.ok(searches.every((search) => search.time >= 30_000 && search.time < 630_000 && search.arrival - search.time <= 3_000));
  let total = 0;
  for (const [minute, byQuery] of perMinute) {
    for (const [query, count] of byQuery) {
      total += count;
      assert.equal(searches.filter((search) => search.query === query && Math.floor(search.time / 60_000) * 60_000 === minute).length, count);
    }
  }
  assert.equal(total, searches.length);
});

test("during a burst its query is asked factor times as often, and a share of searches arrives lateMs later", () => {
  const burst = { query: "copy", at: 60_000, ms: 60_000, factor: 50 };
  const { searches, perMinute } = userActivity({ seed: 3, queries, start: 0, durationMs: 180_000, rate: 40, burst, lateShare: 0.1, lateMs: 120_000 });
  const copies = (minute: number) => perMinute.get(minute)?.get("copy") ?? 0;
  assert.ok(copies(60_000) > 5 * Math.max(copies(0), copies(120_000)), `copy ${copies(0)}, ${copies(60_000)}, ${copies(120_000)} per minute`);
  const late = searches.filter((search) => search.arrival - search.time >= 120_000).length;
  assert.ok(late > searches.length * 0.05 && late < searches.length * 0.15, `${late} of ${searches.length} very late`);
});
