/**
 * m6's performance workloads, on a group of 3 in-process nodes that crawled
 * a generated web (and indexed and ranked it): a search over 100 pages, and
 * a whole index of 40 (each of its runs indexes every page: a larger web
 * would make each grading's measurement long at half a CPU). The grader scores a student's throughput against the
 * reference's, and compares what each operation returned.
 */
import assert from "node:assert/strict";
import type * as Api from "../api.ts";
import type { Workload } from "../../autograder/bench/workload.ts";
import { startWeb, type WebServer } from "../../autograder/web/index.ts";

type M6 = typeof Api;

/** Three members that crawled, indexed and ranked a web, and the query a search asks. */
interface Crawled {
  server: WebServer;
  nodes: Api.EngineNode[];
  engine: Api.Engine;
  query: string;
}

async function crawled(api: M6, pages: number): Promise<Crawled> {
  const server = await startWeb({ pages, seed: 11 });
  const nodes = await Promise.all([api.startNode(), api.startNode(), api.startNode()]);
  for (const node of nodes) await node.groups.put("web", nodes.map(({ address }) => address));
  const engine = (nodes[0] as Api.EngineNode).engine("web");
  await engine.crawl(`${server.url}/`);
  await engine.index();
  await engine.rank();
  const topics = server.web?.topics.map((topic) => topic.slug) ?? [];
  return { server, nodes, engine, query: `generated page ${topics.slice(0, 3).join(" ")}` };
}

const stopAll = async (_api: M6, { server, nodes }: Crawled) => {
  await Promise.all(nodes.map((node) => node.stop()));
  await server.close();
};

const search: Workload<M6, Crawled> = {
  name: "search, 100 pages on 3 nodes",
  prepare: (api) => crawled(api, 100),
  run: (_api, { engine, query }) => engine.search(query, { k: 10 }),
  check: (_api, _input, output) => {
    const { hits, total } = output as Api.SearchResult;
    assert.ok(hits.length === 10 && total >= 10, "a search finds 10 hits");
    assert.ok(hits.every((hit, i) => i === 0 || (hits[i - 1] as Api.Hit).score >= hit.score), "hits are ordered by score");
  },
  output: (_api, _input, output) => {
    const { hits, total } = output as Api.SearchResult;
    // Each side serves its own copy of the web, on a port of its own: compare paths.
    return { total, hits: hits.map((hit) => [new URL(hit.url).pathname, Math.round(hit.score * 1e9)]) };
  },
  dispose: stopAll,
};

const index: Workload<M6, Crawled> = {
  name: "index, 40 pages on 3 nodes",
  prepare: (api) => crawled(api, 40),
  run: (_api, { engine }) => engine.index(),
  check: (_api, _input, output) => assert.ok((output as { terms: number }).terms > 0, "an index has terms"),
  output: (_api, _input, output) => output,
  dispose: stopAll,
};

export const workloads: Array<Workload<M6, never>> = [search, index] as Array<Workload<M6, never>>;
