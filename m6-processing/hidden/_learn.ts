/**
 * Shared by learn.test.ts (handouts/m6.md#learning-from-users): a small
 * site of the test's own, crawled and indexed by three members on a clock
 * the test moves by hand (_log.ts), so that the test knows the event time
 * of every search it makes (the serving node's clock, which does not move
 * while a request is in flight); what api.ts says the engine logs, as
 * expected events; the four topics of `learn`; and waits that move the
 * clock in small steps until `insights` gives what the test expects, so
 * that early results (5,000 ms after the searches) and the checkpoints that
 * release them (every 1,000 ms) fire. Nothing here reads the machine's
 * clock: waits are bounded in looks, not in time.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import { isDeepStrictEqual } from "node:util";
import type * as Api from "../api.ts";
import { logLimitMs, outcome, partitionTruth, preview, startLogCluster, within, type LogCluster, type ManualClock } from "./_log.ts";
import { eventsOf } from "./_streams.ts";
import { ask, type Answer } from "./_serve.ts";
import { html, startSite, type Route, type Site } from "./_site.ts";
import { byString } from "./_truth.ts";

/** The topics `learn` creates, each with 4 partitions. */
export const topics = ["queries", "views", "trending-queries", "page-views"] as const;
/** Their partitions. */
export const partitions = 4;
/** The retention of "trending-queries" and "page-views": 2 hours, by retainMs. */
export const sinkRetainMs = 2 * 60 * 60 * 1000;
/** The jobs `learn` starts. */
export const jobs = ["trending-queries", "page-views"] as const;
/** The windows of the two jobs, ms. */
export const minuteMs = 60_000;
export const hourMs = 3_600_000;
/** The delay of the jobs' early results, ms of processing time. */
export const earlyMs = 5_000;

/** The site: a home page and pages about a harbour, whose words the tests search for. */
function routes(): Record<string, Route> {
  const page = (title: string, body: string): Route => ({ body: html(title, body) });
  const pages: Record<string, Route> = {
    "/boats.html": page("Boats", "<p>Boats sail past the harbour lighthouse; boats moor at the quay.</p>"),
    "/lighthouse.html": page("The lighthouse", "<p>The lighthouse keeper lights the lamp over the harbour at dawn.</p>"),
    "/quay.html": page("The quay", "<p>Nets dry on the quay, gulls over the harbour, tides in and out.</p>"),
    "/cafe.html": page("Café crème", "<p>A café crème by the harbour, boats in view.</p>"),
    "/fish.html": page("Fish and chips", "<p>Fish and chips by the quay, gulls waiting.</p>"),
  };
  return {
    "/": page("Harbour guide", `<p>Guide to the harbour and its boats.</p>${Object.keys(pages).map((href, i) => `<a href="${href}">page ${i + 1}</a>`).join("\n")}`),
    ...pages,
  };
}

/** A cluster on a hand-moved clock whose group's engine has crawled and indexed the site. */
export interface Learning {
  cluster: LogCluster;
  site: Site;
  /** The outsider's engine of the group. */
  engine: Api.Engine;
  clock: ManualClock;
}

/** Runs `promise` while moving the clock by `stepMs` between turns, until it settles (a crawl and an index time their ends on the nodes' clock). */
export async function whileAdvancing<T>(clock: ManualClock, promise: Promise<T>, what: string, stepMs = 10, looks = 20_000): Promise<T> {
  const ended = outcome(promise);
  let done = false;
  void ended.then(() => (done = true));
  for (let i = 0; i < looks && !done; i++) await clock.advance(stepMs);
  const result = await within(ended, logLimitMs, what);
  if (!result.ok) throw result.error;
  return result.value;
}

/** Moves the clock to `at` (not back) in steps of `stepMs`, so that the jobs' timers fire in small turns. */
export async function advanceTo(clock: ManualClock, at: number, stepMs = 100): Promise<void> {
  while (clock.now() < at) await clock.advance(Math.min(stepMs, at - clock.now()));
}

/**
 * Starts three members and an outsider on one hand-moved clock, moved first
 * to `offset` ms into a minute (so that the test knows how far the minute
 * has to run), and crawls and indexes the site into group `gid`.
 */
export async function startLearning(t: Pick<TestContext, "after">, options: { gid?: string; offset?: number } = {}): Promise<Learning> {
  const site = await startSite(t, routes());
  const cluster = await startLogCluster(t, 3, { gid: options.gid ?? "web" });
  const { clock } = cluster;
  await advanceTo(clock, Math.ceil(clock.now() / minuteMs) * minuteMs + (options.offset ?? 1_000), 1_000);
  const engine = cluster.outsider.engine(cluster.gid);
  await whileAdvancing(clock, engine.crawl(site.url("/")), "a crawl of the site");
  await whileAdvancing(clock, engine.index(), "index");
  return { cluster, site, engine, clock };
}

// ---------------------------------------------------------------------------
// What the engine logs.

/** The key of a query in "queries": lowercased, each run of whitespace one space, the ends trimmed. */
export const queryKey = (query: string): string => query.toLowerCase().replace(/\s+/g, " ").trim();

/** An event as the tests compare it: api.ts's fields of a LogEvent, and its partition. */
export interface Logged {
  key: string;
  value: unknown;
  time: number;
  partition: number;
}

/** An expected event of a topic of 4 partitions. */
export const expectedEvent = (key: string, value: unknown, time: number): Logged => ({ key, value, time, partition: partitionTruth(key, partitions) });

/** Orders events by key, then time, then value's text. */
const byEvent = (a: Logged, b: Logged): number => byString(a.key, b.key) || a.time - b.time || byString(JSON.stringify(a.value), JSON.stringify(b.value));

/** Every event of a topic, its fields as `Logged`, sorted. */
export async function loggedIn(log: Api.Log, topic: string): Promise<Logged[]> {
  const events = await within(eventsOf(log, topic, partitions), logLimitMs, `reading ${topic}`);
  return events.map(({ key, value, time, partition }) => ({ key, value, time, partition })).sort(byEvent);
}

/** Sorts expected events as `loggedIn` does. */
export const sorted = (events: readonly Logged[]): Logged[] => [...events].sort(byEvent);

/** The hits of a /search answer (checked to be 200). */
export function hitsOf(answer: Answer, what: string): Api.Hit[] {
  assert.equal(answer.status, 200, `${what} answers 200 (${answer.body.slice(0, 200)})`);
  return (JSON.parse(answer.body) as Api.SearchResult).hits;
}

/** GET /search with `q` and options, on a server; its answer. */
export const searchAt = (server: Api.SearchServer, q: string, params: Record<string, string> = {}): Promise<Answer> =>
  ask(`${server.url}/search?${new URLSearchParams({ q, ...params }).toString()}`);

/** A click as the page's ping sends it: POST /click?url=…, as a browser pings (body "PING", content type text/ping). */
export const click = (server: Api.SearchServer, url: string): Promise<Answer> =>
  ask(`${server.url}/click?${new URLSearchParams({ url }).toString()}`, { method: "POST", headers: { "content-type": "text/ping" }, body: "PING" });

// ---------------------------------------------------------------------------
// Insights.

/** api.ts's fields of Insights (an implementation's extra fields do not count). */
export function insightFields(insights: unknown): unknown {
  if (typeof insights !== "object" || insights === null) return insights;
  const { trending, pages } = insights as Partial<Api.Insights>;
  return {
    trending: Array.isArray(trending) ? trending.map((item: unknown) => (typeof item === "object" && item !== null ? { query: (item as { query?: unknown }).query, count: (item as { count?: unknown }).count } : item)) : trending,
    pages: Array.isArray(pages)
      ? pages.map((item: unknown) => {
          if (typeof item !== "object" || item === null) return item;
          const { url, shown, clicked } = item as Partial<Api.Insights["pages"][number]>;
          return { url, shown, clicked };
        })
      : pages,
  };
}

/** What insights(k) must give for these counts: queries most first, then by query (code-unit order), at most k; pages by URL. */
export function expectedInsights(queries: ReadonlyMap<string, number>, pages: ReadonlyMap<string, [number, number]>, k = 10): Api.Insights {
  return {
    trending: [...queries]
      .map(([query, count]) => ({ query, count }))
      .sort((a, b) => b.count - a.count || byString(a.query, b.query))
      .slice(0, k),
    pages: [...pages].sort(([a], [b]) => byString(a, b)).map(([url, [shown, clicked]]) => ({ url, shown, clicked })),
  };
}

/** Counts keys. */
export function tally(keys: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

/** Adds views ([1, 0] per URL shown) and clicks ([0, 1] per URL clicked) to per-URL pairs. */
export function addViews(pages: Map<string, [number, number]>, shown: Iterable<string>, clicked: Iterable<string> = []): Map<string, [number, number]> {
  for (const url of shown) {
    const [s, c] = pages.get(url) ?? [0, 0];
    pages.set(url, [s + 1, c]);
  }
  for (const url of clicked) {
    const [s, c] = pages.get(url) ?? [0, 0];
    pages.set(url, [s, c + 1]);
  }
  return pages;
}

/**
 * Asks `insights(k)` until it gives `expected`, moving the clock by
 * `stepMs` between looks (the jobs' early results and checkpoints fire);
 * asserts it does within `looks` looks.
 */
export async function waitForInsights(learning: Learning, engine: Api.Engine, k: number | undefined, expected: Api.Insights, what: string, stepMs = 50, looks = 1_200): Promise<void> {
  let last: unknown;
  for (let i = 0; i < looks; i++) {
    last = insightFields(await within(k === undefined ? engine.insights() : engine.insights(k), logLimitMs, `insights(${k ?? ""})`));
    if (isDeepStrictEqual(last, expected)) return;
    await learning.clock.advance(stepMs);
  }
  assert.deepEqual(last, expected, `${what}: insights(${k ?? ""}) never gave this (${looks} looks, ${looks * stepMs} ms of the nodes' clock); last ${preview(last)}`);
}
