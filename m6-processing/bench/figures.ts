/**
 * m6's figures, each checked as it is measured (a wrong answer stops the
 * figures with the reason, so a fast wrong engine never prints a rate). The
 * group is 3 members in child processes, driven by a node of this process
 * that is not a member (as `npm run demo` does), so that the members share
 * the machine's cores as a group of machines would.
 *
 * - crawl + index of a generated web of 1,000 pages and of the PostgreSQL
 *   manual where the machine has it: pages per second,
 *   beside milestone 0's single-process engine (its crawl, then each page's
 *   terms counted into an index in memory) over the same local web, and the
 *   ratio of the two; the crawl must find the pages milestone 0 finds, and a
 *   search with weight 0 must rank as milestone 0's query does;
 * - search over HTTP, 1 and 16 queries in flight: the 50th and 99th
 *   percentiles of latency (goals 5 ms and 20 ms), beside milestone 0's query
 *   in process; each answer must be the one the engine gives in process;
 * - PageRank of a generated web of 100,000 pages: rounds, and time per
 *   round (the whole ranking divided by its rounds), within 1e-6 of the
 *   ground truth. Its graph is written into the crawl and pages stores as a
 *   crawl would leave it, since crawling it would take most of the bench;
 * - the event log: events appended per second, 16 appends of 100 events in
 *   flight, beside milestone 4's puts of the same events one by one (16 in
 *   flight) into a store over the same members; every event must then be
 *   read back at the position its append returned;
 * - stream jobs: records summed per second (start to drained, the sums
 *   checked), and the latency from a window's end to its result in the
 *   sink at a steady rate, at least once and exactly once.
 */
import type { Figure } from "../../autograder/bench/figure.ts";
import { eachInFlight, median, percentile } from "../../autograder/bench/measure.ts";
import { corpusForTests } from "../../autograder/corpus/for-tests.ts";
import { Random } from "../../autograder/harness/random.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { createWeb, crawlTruth, pageRank, startWeb, type StartWebOptions } from "../../autograder/web/index.ts";
import type * as M0 from "../../m0-setup/api.ts";
import type * as Api from "../api.ts";

type M6 = typeof Api;

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * Runs `fn` with a node of this process (not a member) that sees `groups` as
 * three members in child processes, and stops every node whatever happens.
 */
async function withMembers<T>(m6: M6, groups: readonly string[], fn: (front: Api.EngineNode) => Promise<T>): Promise<T> {
  const nodes: Array<{ stop(): Promise<void> }> = [];
  try {
    const front = await m6.startNode();
    nodes.push(front);
    for (let i = 0; i < 3; i++) nodes.push(await m6.spawnNode());
    const members = nodes.slice(1).map((child) => (child as Api.ChildNode).address);
    for (const group of groups) {
      await front.groups.put(group, members);
      await front.group(group).groups.put(group, members);
    }
    return await fn(front);
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
  }
}

/** Milestone 0's engine in one process: its crawl, and an index in memory of each page's terms. */
async function m0Engine(m0: typeof M0, start: string): Promise<{ index: M0.Index; titles: string[]; seconds: number }> {
  const started = performance.now();
  const index: M0.Index = { documents: new Map(), terms: new Map() };
  const titles: string[] = [];
  for await (const page of m0.crawl(start)) {
    const text = m0.getText(page.html);
    let length = 0;
    for (const [term, count] of m0.invert(m0.combine(m0.process(text).map(m0.stem)))) {
      let postings = index.terms.get(term);
      if (postings === undefined) index.terms.set(term, (postings = new Map()));
      postings.set(page.url, count);
      length += count;
    }
    index.documents.set(page.url, length);
    titles.push(/<title>([^<]*)<\/title>/i.exec(page.html)?.[1] ?? "");
  }
  return { index, titles, seconds: seconds(started) };
}

/** Queries of one to three words of the pages' titles, seeded. */
function queriesFrom(titles: readonly string[], count: number): string[] {
  const random = new Random(7);
  const withWords = titles.map((title) => title.split(/\s+/).filter(Boolean)).filter((words) => words.length > 0);
  return Array.from({ length: count }, () => {
    const words = random.pick(withWords);
    const first = random.int(0, words.length - 1);
    return words.slice(first, first + random.int(1, 3)).join(" ");
  });
}

/** Each request's latency in ms, `inFlight` at a time. */
async function latencies(queries: readonly string[], inFlight: number, ask: (query: string) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  await eachInFlight(queries, inFlight, async (query) => {
    const started = performance.now();
    await ask(query);
    times.push(performance.now() - started);
  });
  return times;
}

/** Why two ranked lists differ (URLs in order, scores within 1e-9), or "" when they do not. */
function rankingDifference(hits: ReadonlyArray<{ url: string; score: number }>, expected: ReadonlyArray<{ url: string; score: number }>): string {
  const urls = (list: typeof hits) => list.map((hit) => hit.url).join(", ");
  if (urls(hits) !== urls(expected)) return `ranks ${urls(hits)}; milestone 0 ranks ${urls(expected)}`;
  const i = hits.findIndex((hit, j) => !(Math.abs(hit.score - (expected[j] as { score: number }).score) <= 1e-9));
  return i === -1 ? "" : `scores ${hits[i]?.url} ${hits[i]?.score}; milestone 0 ${expected[i]?.score}`;
}

const sameSet = (a: Iterable<string>, b: Iterable<string>) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

async function engineFigures(m6: M6, label: string, web: StartWebOptions, startPath: string): Promise<Figure[]> {
  const server = await startWeb(web);
  try {
    const start = `${server.url}${startPath}`;
    const m0 = await load<typeof M0>("m0", "reference");
    await m0Engine(m0, start); // warms up milestone 0's code and the pages' files
    const single = await m0Engine(m0, start);
    const pages = single.index.documents.size;
    return await withMembers(m6, ["web", "web-pages"], async (front) => {
      const engine = front.engine("web");
      const started = performance.now();
      await engine.crawl(start);
      await engine.index();
      const distributed = seconds(started);
      if (!sameSet(await front.store("web-pages").keys(), single.index.documents.keys())) throw new Error(`${label}: the crawl did not find the pages milestone 0 finds`);
      await engine.rank();

      const queries = queriesFrom(single.titles, 400);
      const expected = new Map<string, string>();
      const m0Times: number[] = [];
      for (const query of new Set(queries)) {
        const began = performance.now();
        const m0Hits = m0.query(single.index, m0.combine(m0.process(query).map(m0.stem)));
        m0Times.push(performance.now() - began);
        const difference = rankingDifference((await engine.search(query, { weight: 0 })).hits, m0Hits);
        if (difference !== "") throw new Error(`${label}: "${query}" ${difference}`);
        expected.set(query, JSON.stringify(await engine.search(query)));
      }
      const http = await engine.serve();
      const ask = async (query: string) => {
        const answer = await fetch(`${http.url}/search?q=${encodeURIComponent(query)}`);
        const body = await answer.text();
        if (body !== expected.get(query)) throw new Error(`${label}: GET /search?q=${query} answered ${answer.status} ${body.slice(0, 200)}, not what search gives`);
      };
      await latencies(queries.slice(0, 50), 16, ask); // warms up both ends
      const one = await latencies(queries, 1, ask);
      const sixteen = await latencies(queries, 16, ask);
      return [
        { name: `${label}: crawl + index of ${pages} pages on 3 nodes`, value: pages / distributed, unit: "pages/s" },
        { name: `${label}: milestone 0's crawl + index of the same pages, in one process`, value: pages / single.seconds, unit: "pages/s" },
        { name: `${label}: 3 nodes ÷ milestone 0`, value: single.seconds / distributed, unit: "×" },
        { name: `${label}: search over HTTP, 1 in flight, p50`, value: percentile(one, 0.5), unit: "ms", goal: { atMost: 5 } },
        { name: `${label}: search over HTTP, 1 in flight, p99`, value: percentile(one, 0.99), unit: "ms", goal: { atMost: 20 } },
        { name: `${label}: search over HTTP, 16 in flight, p50`, value: percentile(sixteen, 0.5), unit: "ms", goal: { atMost: 5 } },
        { name: `${label}: search over HTTP, 16 in flight, p99`, value: percentile(sixteen, 0.99), unit: "ms", goal: { atMost: 20 } },
        { name: `${label}: milestone 0's query in process, median`, value: median(m0Times), unit: "ms" },
      ];
    });
  } finally {
    await server.close();
  }
}

async function pageRankFigures(m6: M6, size: number): Promise<Figure[]> {
  const truth = crawlTruth(createWeb({ pages: size, seed: 1, slowMs: 0 }));
  const at = (path: string) => `http://web.invalid${path}`;
  const links = new Map<string, string[]>(truth.pages.map((path) => [path, []]));
  for (const [from, to] of truth.edges) links.get(from)?.push(at(to));
  // The bench writes the crawl's two stores itself, so it needs their views; rank sets the rest, ranks included.
  return withMembers(m6, ["web", "web-crawl", "web-pages"], async (front) => {
    const crawl = front.store("web-crawl");
    const pages = front.store("web-pages");
    await eachInFlight([...links], 64, async ([path, targets]) => {
      await crawl.put(at(path), { state: "page", links: targets } satisfies Api.CrawlRecord);
      await pages.put(at(path), { title: path, text: "", counts: [], length: 0 } satisfies Api.PageRecord);
    });
    const started = performance.now();
    const { rounds } = await front.engine("web").rank();
    const elapsed = seconds(started);
    const expected = pageRank(truth.edges, { nodes: truth.pages });
    const ranks = front.store("web-ranks");
    const ranked = await ranks.keys();
    await eachInFlight(ranked, 64, async (url) => {
      const lookup = await ranks.get(url);
      const want = expected.get(url.slice(at("").length)) ?? Number.NaN;
      if (!lookup.found || !(Math.abs((lookup.value as number) - want) <= 1e-6)) throw new Error(`PageRank of ${url}: ${JSON.stringify(lookup)}, not ${want}`);
    });
    if (!sameSet(ranked, truth.pages.map(at))) throw new Error(`PageRank ranked ${ranked.length} pages, not the web's ${truth.pages.length}`);
    return [
      { name: `PageRank of a generated web of ${truth.pages.length} pages and ${truth.edges.length} links on 3 nodes: rounds`, value: rounds, unit: "rounds" },
      { name: `PageRank of a generated web of ${truth.pages.length} pages: time per round`, value: elapsed / rounds, unit: "s" },
    ];
  });
}

/** Events per second: appended to a topic of 4 partitions, 100 per append, and put one by one into a store. */
async function logFigures(m6: M6, count: number): Promise<Figure[]> {
  return withMembers(m6, ["events", "puts"], async (front) => {
    const log = front.log("events");
    await log.createTopic("clicks", { partitions: 4 });
    const events = Array.from({ length: count }, (_, i) => ({ key: `user-${i % 1000}`, value: { page: `/page-${i % 97}`, i }, time: i }));
    const firsts = Array.from({ length: count / 100 }, (_, b) => b * 100);
    const positions = new Array<Api.LogPosition>(count);
    let started = performance.now();
    await eachInFlight(firsts, 16, async (first) => {
      const appended = await log.append("clicks", events.slice(first, first + 100));
      appended.forEach((position, i) => (positions[first + i] = position));
    });
    const appendRate = count / seconds(started);
    const store = front.store("puts");
    started = performance.now();
    await eachInFlight(events, 16, (event) => store.put(`${event.key}/${event.time}`, event));
    const putRate = count / seconds(started);
    const byPosition = new Map(positions.map((position, i) => [`${position.partition}/${position.offset}`, i]));
    for (let partition = 0; partition < 4; partition++) {
      for (let offset = 0, read = await log.read("clicks", partition, 0, 1000); read.events.length > 0; read = await log.read("clicks", partition, offset, 1000)) {
        for (const event of read.events) {
          const i = byPosition.get(`${partition}/${event.offset}`);
          if (i === undefined || (event.value as { i: number }).i !== i) throw new Error(`The log holds ${JSON.stringify(event)}, which no append returned at that position`);
          byPosition.delete(`${partition}/${event.offset}`);
        }
        offset = (read.events.at(-1) as Api.LoggedEvent).offset + 1;
      }
    }
    if (byPosition.size > 0) throw new Error(`The log lost ${byPosition.size} of the events it acknowledged`);
    return [
      { name: `event log: ${count} events appended, 100 per append, 16 appends in flight`, value: appendRate, unit: "events/s" },
      { name: "milestone 4: the same events put one by one, 16 in flight", value: putRate, unit: "events/s" },
      { name: "event log ÷ milestone 4 puts", value: appendRate / putRate, unit: "×" },
    ];
  });
}

/** Every result a sink's partitions hold. */
async function sinkResults(log: Api.Log, topic: string, partitions: number): Promise<Api.WindowResult[]> {
  const results: Api.WindowResult[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    for (let offset = 0, read = await log.read(topic, partition, 0, 1000); read.events.length > 0; read = await log.read(topic, partition, offset, 1000)) {
      results.push(...read.events.map((event) => event.value as Api.WindowResult));
      offset = (read.events.at(-1) as Api.LoggedEvent).offset + 1;
    }
  }
  return results;
}

/**
 * Stream jobs: records processed per second by a job that sums `count`
 * records already in its source (start to drained), checked against the
 * sums computed here; and the latency from a window's end to its result in
 * the sink, while records arrive at `rate` per second with the wall clock
 * as their event time, at least once and exactly once.
 */
async function streamFigures(m6: M6, count: number, rate: number): Promise<Figure[]> {
  return withMembers(m6, ["streams"], async (front) => {
    const log = front.log("streams");
    const streams = front.streams("streams");
    const sum = (a: unknown, b: unknown): unknown => (a as number) + (b as number);
    await log.createTopic("plays", { partitions: 4 });
    await log.createTopic("plays-sums", { partitions: 4 });
    const plays = Array.from({ length: count }, (_, i) => ({ key: `player-${i % 100}`, value: i % 7, time: i }));
    // One append at a time, so that each partition holds its records in time order and none is late.
    for (let first = 0; first < count; first += 1000) await log.append("plays", plays.slice(first, first + 1000));
    const started = performance.now();
    await streams.start({ name: "plays", source: "plays", sink: "plays-sums", window: { tumbling: 1000 }, reduce: sum, checkpointEvery: 1000 });
    await streams.stop("plays", { drain: true });
    const processRate = count / seconds(started);
    const expected = new Map<string, number>();
    for (const play of plays) {
      const at = `${play.key}@${Math.floor(play.time / 1000) * 1000}`;
      expected.set(at, (expected.get(at) ?? 0) + play.value);
    }
    const results = await sinkResults(log, "plays-sums", 4);
    const wrong = results.filter((result) => expected.get(`${result.key}@${result.start}`) !== result.value);
    if (results.length !== expected.size || wrong.length > 0) throw new Error(`The job gave ${results.length} results for ${expected.size} windows, ${wrong.length} of them wrong`);

    const latencies = async (guarantee: Api.StreamJob["guarantee"]): Promise<number[]> => {
      const name = `live-${guarantee}`;
      await log.createTopic(name, { partitions: 4 });
      await log.createTopic(`${name}-sums`, { partitions: 4 });
      await streams.start({ name, source: name, sink: `${name}-sums`, window: { tumbling: 100 }, reduce: sum, checkpointMs: 50, guarantee });
      const seen = new Map<string, number>();
      let appending = true;
      const watcher = (async () => {
        const offsets = [0, 0, 0, 0];
        while (appending) {
          for (let partition = 0; partition < 4; partition++) {
            const read = await log.read(`${name}-sums`, partition, offsets[partition] as number, 1000);
            for (const event of read.events) seen.set(`${event.key}@${(event.value as Api.WindowResult).end}`, Date.now() - (event.value as Api.WindowResult).end);
            offsets[partition] = (offsets[partition] as number) + read.events.length;
          }
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      })();
      const until = performance.now() + 3000;
      for (let i = 0; performance.now() < until; i++) {
        await log.append(name, Array.from({ length: rate / 100 }, (_, k) => ({ key: `user-${(i * 7 + k) % 40}`, value: 1, time: Date.now() })));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      appending = false;
      await watcher;
      await streams.stop(name);
      if (seen.size === 0) throw new Error(`The ${guarantee} job gave no result in 3 s of input`);
      return [...seen.values()];
    };
    const atLeastOnce = await latencies("at-least-once");
    const exactlyOnce = await latencies("exactly-once");
    return [
      { name: `stream job: ${count} records summed in windows (start to drained, exactly once, a checkpoint every 1,000)`, value: processRate, unit: "records/s" },
      { name: `window end to result in the sink, ${rate} records/s, windows of 100 ms, at least once: p50`, value: percentile(atLeastOnce, 0.5), unit: "ms" },
      { name: "the same, at least once: p99", value: percentile(atLeastOnce, 0.99), unit: "ms" },
      { name: "the same, exactly once (results appended at each checkpoint, every 50 ms): p50", value: percentile(exactlyOnce, 0.5), unit: "ms" },
      { name: "the same, exactly once: p99", value: percentile(exactlyOnce, 0.99), unit: "ms" },
    ];
  });
}

export async function figures(m6: M6): Promise<Figure[]> {
  const found = await engineFigures(m6, "1,000 generated pages", { pages: 1_000, seed: 1, slowMs: 0 }, "/");
  const manual = await corpusForTests("postgres");
  if (manual.skip === false) found.push(...(await engineFigures(m6, "the PostgreSQL manual", { folder: manual.folder }, "/index.html")));
  found.push(...(await pageRankFigures(m6, 100_000)));
  found.push(...(await logFigures(m6, 50_000)));
  found.push(...(await streamFigures(m6, 100_000, 2_000)));
  return found;
}
