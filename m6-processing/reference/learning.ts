/**
 * What the engine learns from its users (api.ts, `learn`, `insights` and
 * `serve({ learn: true })`): the four topics and two stream jobs of a
 * group, the events a search server logs, and the insights read back from
 * the jobs' sinks (the latest result of each key and window).
 */
import type { Insights, Log, SearchResult, StreamJob, Streams } from "../api.ts";

const hourMs = 3_600_000;
/** A partition of a job's source without a search (or a view) for this long stops holding its watermark back. */
const idleMs = 10_000;

/** The jobs' sources keep everything; their sinks, two hours. */
const sources = ["queries", "views"];
const sinks = ["trending-queries", "page-views"];

/** Queries counted per minute. Its functions travel as source: they use their arguments only. */
export const trendingJob: StreamJob = {
  name: "trending-queries",
  source: "queries",
  sink: "trending-queries",
  window: { tumbling: 60_000 },
  earlyMs: 5_000,
  idleMs,
  reduce: (a, b) => (a as number) + (b as number),
};

/** [shown, clicked] summed per page per hour. */
export const pageViewsJob: StreamJob = {
  name: "page-views",
  source: "views",
  sink: "page-views",
  window: { tumbling: hourMs },
  earlyMs: 5_000,
  idleMs,
  reduce: (a, b) => {
    const [shownA, clickedA] = a as [number, number];
    const [shownB, clickedB] = b as [number, number];
    return [shownA + shownB, clickedA + clickedB];
  },
};

/** A query as "queries" keys it: lowercased, each run of whitespace one space, the ends trimmed. */
export const queryKey = (query: string): string => query.toLowerCase().replace(/\s+/g, " ").trim();

/** Creates the topics and starts each job unless it runs (another node may be starting it at the same moment). */
export async function learn(log: Log, streams: Streams): Promise<void> {
  for (const topic of sources) await log.createTopic(topic, { partitions: 4 });
  for (const topic of sinks) await log.createTopic(topic, { partitions: 4, retainMs: 2 * hourMs });
  for (const job of [trendingJob, pageViewsJob]) {
    const running = await streams.status(job.name).then((status) => status.running, () => false);
    if (running) continue;
    await streams.start(job).catch(async (error: unknown) => {
      if (!(await streams.status(job.name)).running) throw error;
    });
  }
}

/** The events a search server logs, each at its node's time now. */
export class UserLog {
  readonly #log: Log;
  readonly #now: () => number;

  constructor(log: Log, now: () => number) {
    this.#log = log;
    this.#now = now;
  }

  /** A search with terms: its query, and a view of each hit it answers with. */
  async searched(query: string, result: SearchResult): Promise<void> {
    if (result.terms.length === 0) return;
    const time = this.#now();
    const appends = [this.#log.append("queries", [{ key: queryKey(query), value: 1, time }])];
    if (result.hits.length > 0) appends.push(this.#log.append("views", result.hits.map((hit) => ({ key: hit.url, value: [1, 0], time }))));
    await Promise.all(appends);
  }

  /** A click on a hit. */
  async clicked(url: string): Promise<void> {
    await this.#log.append("views", [{ key: url, value: [0, 1], time: this.#now() }]);
  }
}

/** The latest result of each key in the latest window of a sink: [key, value] pairs. */
async function latestWindow(log: Log, topic: string): Promise<Array<[string, unknown]>> {
  const latest = new Map<string, { start: number; value: unknown }>();
  let newest = -Infinity;
  for (let partition = 0; partition < 4; partition++) {
    for (let offset = 0; ;) {
      const read = await log.read(topic, partition, offset, 1000);
      for (const { key, value } of read.events) {
        const { start, value: combined } = value as { start: number; value: unknown };
        const held = latest.get(key);
        if (held === undefined || start >= held.start) latest.set(key, { start, value: combined });
        newest = Math.max(newest, start);
      }
      offset = Math.max(offset, read.start) + read.events.length;
      if (read.events.length === 0 || offset >= read.end) break;
    }
  }
  return [...latest].filter(([, { start }]) => start === newest).map(([key, { value }]) => [key, value]);
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What the jobs last gave.
 *
 * @throws RangeError for a bad k, or when learn never ran for the group
 */
export async function insights(log: Log, k: number): Promise<Insights> {
  if (!(Number.isInteger(k) && k >= 0 && k <= 1000)) throw new RangeError(`Cannot list ${k} trending queries: expected an integer in [0, 1000]`);
  const [queries, pages] = await Promise.all(sinks.map((topic) => latestWindow(log, topic))).catch((error: unknown) => {
    throw error instanceof RangeError ? new RangeError(`Cannot give insights: the engine has not learnt (${error.message})`) : error;
  });
  return {
    trending: (queries as Array<[string, number]>)
      .sort(([a, countA], [b, countB]) => countB - countA || byText(a, b))
      .slice(0, k)
      .map(([query, count]) => ({ query, count })),
    pages: (pages as Array<[string, [number, number]]>)
      .sort(([a], [b]) => byText(a, b))
      .map(([url, [shown, clicked]]) => ({ url, shown, clicked })),
  };
}
