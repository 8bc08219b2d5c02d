/**
 * m6's figures: the whole engine on 3 in-process nodes over a generated web
 * of 1,000 pages (and over the PostgreSQL manual, where the machine has it):
 * how long the crawl, the index and the ranking take, with their rates, and
 * how long a search takes, asked in process and over HTTP (median of the
 * topics' queries). Milestone 0's index of the same pages, in one process,
 * stands beside the index.
 */
import type { Figure } from "../../autograder/bench/figure.ts";
import { median } from "../../autograder/bench/measure.ts";
import { corpusForTests } from "../../autograder/corpus/for-tests.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { startWeb, type StartWebOptions } from "../../autograder/web/index.ts";
import type * as M0 from "../../m0-setup/api.ts";
import type * as Api from "../api.ts";

type M6 = typeof Api;

const seconds = (since: number) => (performance.now() - since) / 1000;

/** Milestone 0's index of HTML pages in one process: each page's terms, counted. */
function m0Index(m0: typeof M0, pages: readonly string[]): number {
  const started = performance.now();
  for (const html of pages) m0.invert(m0.combine(m0.process(m0.getText(html)).map(m0.stem)));
  return seconds(started);
}

/** Median ms of each query, asked one after the other. */
async function medianMs(queries: readonly string[], ask: (query: string) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (const query of queries) {
    const started = performance.now();
    await ask(query);
    times.push(performance.now() - started);
  }
  return median(times);
}

async function engineFigures(m6: M6, label: string, web: StartWebOptions): Promise<Figure[]> {
  const server = await startWeb(web);
  const nodes = await Promise.all([m6.startNode(), m6.startNode(), m6.startNode()]);
  try {
    for (const node of nodes) await node.groups.put("web", nodes.map(({ address }) => address));
    const engine = (nodes[0] as Api.EngineNode).engine("web");
    let started = performance.now();
    const crawled = await engine.crawl(`${server.url}/`);
    const crawl = seconds(started);
    started = performance.now();
    const { terms } = await engine.index();
    const index = seconds(started);
    started = performance.now();
    const ranked = await engine.rank();
    const rank = seconds(started);
    const pages = await Promise.all([...server.hits().keys()].map(async (path) => {
      const answer = await fetch(`${server.url}${path}`);
      return answer.headers.get("content-type")?.startsWith("text/html") ? answer.text() : "";
    }));
    const m0 = await load<typeof M0>("m0", "reference");
    const single = m0Index(m0, pages.filter((html) => html !== ""));
    const queries = server.web?.topics.map((topic) => topic.slug) ?? ["configuration", "write ahead log", "vacuum", "index scan", "replication"];
    const http = await engine.serve();
    const inProcess = await medianMs(queries, (query) => engine.search(query));
    const overHTTP = await medianMs(queries, async (query) => (await fetch(`${http.url}/search?q=${encodeURIComponent(query)}`)).json());
    return [
      { name: `${label}: crawl of ${crawled.pages} pages`, value: crawl, unit: "s" },
      { name: `${label}: crawl rate`, value: crawled.pages / crawl, unit: "pages/s" },
      { name: `${label}: index (${terms} terms)`, value: index, unit: "s" },
      { name: `${label}: milestone 0's index of the same pages, in one process`, value: single, unit: "s" },
      { name: `${label}: rank (${ranked.rounds} rounds over ${ranked.links} links)`, value: rank, unit: "s" },
      { name: `${label}: a search, in process (median of ${queries.length})`, value: inProcess, unit: "ms" },
      { name: `${label}: a search over HTTP (median of ${queries.length})`, value: overHTTP, unit: "ms" },
    ];
  } finally {
    await Promise.all(nodes.map((node) => node.stop()));
    await server.close();
  }
}

export async function figures(m6: M6): Promise<Figure[]> {
  const found: Figure[] = await engineFigures(m6, "1,000 generated pages on 3 nodes", { pages: 1_000, seed: 1, slowMs: 0 });
  const manual = await corpusForTests("postgres");
  if (manual.skip === false) found.push(...(await engineFigures(m6, "the PostgreSQL manual on 3 nodes", { folder: manual.folder })));
  return found;
}
