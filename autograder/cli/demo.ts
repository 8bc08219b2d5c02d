/**
 * npm run demo [-- --nodes 3 --pages 2000 --corpus postgres --port 8080]
 *
 * The search engine of milestone 6 (the reference), end to end: starts a
 * local web (a generated web of `--pages` pages, default 2,000, or with
 * `--corpus postgres` the PostgreSQL manual), starts `--nodes` nodes
 * (default 3) in child processes, crawls the web with them, indexes the
 * pages and ranks them, printing progress as it goes, then serves the
 * engine (its search page and /search) on `--port` (default: a free one)
 * and prints its address. Ctrl-C stops every node.
 */
import type * as Api from "../../m6-processing/api.ts";
import { corpusForTests } from "../corpus/for-tests.ts";
import { parseCorpusName } from "../corpus/catalogue.ts";
import { envVariable, load, withDeps } from "../kit/implementations.ts";
import { startWeb, type StartWebOptions } from "../web/index.ts";
import { readCommandLine } from "./command-line.ts";

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

const engine = front.engine(gid);
started = performance.now();
const progress = setInterval(() => {
  const fetched = [...web.hits().values()].reduce((sum, hits) => sum + hits, 0);
  console.log(`  crawling: ${fetched} URLs fetched, ${(fetched / seconds(started)).toFixed(0)} per second`);
}, 2000);
const crawled = await engine.crawl(`${web.url}/`).finally(() => clearInterval(progress));
console.log(`crawl: ${crawled.pages} pages, ${crawled.redirects} redirects, ${crawled.skipped} skipped, in ${seconds(started).toFixed(1)} s (${(crawled.pages / seconds(started)).toFixed(0)} pages per second)`);
for (const [id, fetched] of crawled.fetched) console.log(`  node ${id.slice(0, 8)} fetched ${fetched}`);
started = performance.now();
const { terms } = await engine.index();
console.log(`index: ${terms} terms (n-grams included), 2 MapReduce jobs, in ${seconds(started).toFixed(1)} s`);
started = performance.now();
const ranked = await engine.rank();
console.log(`rank: ${ranked.links} links, ${ranked.rounds} PageRank rounds, in ${seconds(started).toFixed(1)} s`);

const server = await engine.serve({ port });
console.log(`\nsearch: open ${server.url}/ (or ask ${server.url}/search?q=… for JSON; Ctrl-C stops every node)`);
