/**
 * npm run demo [-- --nodes 3 --pages 2000 --corpus postgres --port 8080]
 *
 * The search engine of milestone 6 (the reference), end to end: starts a
 * local web (a generated web of `--pages` pages, default 2,000, or with
 * `--corpus postgres` the PostgreSQL manual) and `--nodes` nodes (default
 * 3) in child processes, then runs a pipeline (cli/pipeline.ts): crawl;
 * index and rank at once; the stream jobs that learn from users; serve
 * the engine (its search page, /search and /insights) on `--port`
 * (default: a free one); and simulated users (web/activity.ts) whose
 * searches feed the trending queries, printed every 10 seconds. Each step
 * prints its progress; a failed step is tried again, then named. Ctrl-C
 * stops every node.
 */
import type * as Api from "../../m6-processing/api.ts";
import { corpusForTests } from "../corpus/for-tests.ts";
import { parseCorpusName } from "../corpus/catalogue.ts";
import { envVariable, load, withDeps } from "../kit/implementations.ts";
import { type Search, userActivity } from "../web/activity.ts";
import { startWeb, type StartWebOptions } from "../web/index.ts";
import { readCommandLine } from "./command-line.ts";
import { runPipeline } from "./pipeline.ts";

const { values } = readCommandLine(import.meta.url, {
  options: {
    nodes: { type: "string", default: "3" },
    pages: { type: "string", default: "2000" },
    corpus: { type: "string" },
    port: { type: "string", default: "0" },
  },
});
const count = Number(values.nodes);
const port = Number(values.port);
if (!(Number.isInteger(count) && count > 0 && count <= 32)) throw new RangeError(`Cannot start ${values.nodes} nodes: expected 1 to 32`);

// The reference and the milestones under it, here and in the child processes.
process.env[envVariable] = withDeps("m6", "reference", "reference");
const m6 = await load<typeof Api>("m6");
const seconds = (since: number) => (performance.now() - since) / 1000;
const gid = "demo";

async function webOptions(): Promise<StartWebOptions> {
  if (values.corpus === undefined) return { pages: Number(values.pages), seed: 1, slowMs: 0 };
  const corpus = await corpusForTests(parseCorpusName(values.corpus));
  if (corpus.folder === undefined) throw new Error(corpus.skip);
  return { folder: corpus.folder };
}

const web = await startWeb(await webOptions());
console.log(`web: ${web.description}, at ${web.url}/`);
let started = performance.now();
const children = await Promise.all(Array.from({ length: count }, () => m6.spawnNode()));
const front = await m6.startNode();
const members = children.map((child) => child.address);
await front.groups.put(gid, members);
await front.group(gid).groups.put(gid, members);
console.log(`nodes: ${count} in child processes, started in ${seconds(started).toFixed(1)} s`);

let stopping: Promise<void> | undefined;
const stop = () =>
  (stopping ??= (async () => {
    await Promise.allSettled([front.stop(), ...children.map((child) => child.stop()), web.close()]);
  })());
process.on("SIGINT", () => void stop().then(() => process.exit(0)));

/** The queries the simulated users ask: the titles of some crawled pages, lowercased, at most three words each. */
async function queriesFromTitles(count: number): Promise<string[]> {
  const pages = front.store(`${gid}-pages`);
  const urls = (await pages.keys()).sort().slice(0, count);
  const titles = await Promise.all(urls.map(async (url) => {
    const lookup = await pages.get(url);
    return lookup.found ? (lookup.value as Api.PageRecord).title : "";
  }));
  return [...new Set(titles.map((title) => title.toLowerCase().split(/\s+/).slice(0, 3).join(" ")).filter((query) => query !== ""))];
}

/** Simulated users: searches appended to "queries" as they arrive (out of order, a few late, one burst), until the demo stops. */
function simulateUsers(queries: string[]): () => void {
  const now = Date.now();
  const { searches } = userActivity({
    seed: 1,
    queries,
    start: now,
    durationMs: 3_600_000,
    rate: 20,
    burst: { query: queries[Math.min(5, queries.length - 1)] as string, at: now + 60_000, ms: 60_000, factor: 20 },
    outOfOrderMs: 2_000,
    lateShare: 0.02,
    lateMs: 90_000,
  });
  const log = front.log(gid);
  let next = 0;
  const feeding = setInterval(() => {
    const due: Api.LogEvent[] = [];
    for (; next < searches.length && (searches[next] as Search).arrival <= Date.now(); next++) {
      const { query, time } = searches[next] as Search;
      due.push({ key: query, value: 1, time });
    }
    if (due.length > 0) void log.append("queries", due).catch((error: unknown) => console.log(`  users: ${String(error)}`));
  }, 250);
  const showing = setInterval(() => {
    void engine.insights(5).then(({ trending }) => console.log(`  trending this minute: ${trending.map(({ query, count }) => `${query} (${count})`).join(", ") || "(none yet)"}`));
  }, 10_000);
  return () => {
    clearInterval(feeding);
    clearInterval(showing);
  };
}

const engine = front.engine(gid);
let stopUsers = () => {};
let server: Api.SearchServer | undefined;
await runPipeline([
  {
    name: "crawl",
    run: async () => {
      const started = performance.now();
      const progress = setInterval(() => {
        const fetched = [...web.hits().values()].reduce((sum, hits) => sum + hits, 0);
        console.log(`  crawling: ${fetched} URLs fetched, ${(fetched / seconds(started)).toFixed(0)} per second`);
      }, 2000);
      const crawled = await engine.crawl(`${web.url}/`).finally(() => clearInterval(progress));
      for (const [id, fetched] of crawled.fetched) console.log(`  node ${id.slice(0, 8)} fetched ${fetched}`);
      return `${crawled.pages} pages, ${crawled.redirects} redirects, ${crawled.skipped} skipped (${(crawled.pages / seconds(started)).toFixed(0)} pages per second)`;
    },
  },
  { name: "index", after: ["crawl"], run: async () => `${(await engine.index()).terms} terms (n-grams included), 2 MapReduce jobs` },
  {
    name: "rank",
    after: ["crawl"],
    run: async () => {
      const ranked = await engine.rank();
      return `${ranked.links} links, ${ranked.rounds} PageRank rounds`;
    },
  },
  { name: "learn", run: async () => (await engine.learn(), "stream jobs trending-queries and page-views run") },
  { name: "serve", after: ["index", "rank", "learn"], run: async () => void (server = await engine.serve({ port, learn: true })) },
  { name: "users", after: ["serve"], run: async () => void (stopUsers = simulateUsers(await queriesFromTitles(40))) },
], (line) => console.log(line));
process.on("SIGINT", stopUsers);
console.log(`\nsearch: open ${server?.url}/ (or ask ${server?.url}/search?q=… for JSON, ${server?.url}/insights for what the engine learnt; Ctrl-C stops every node)`);
