/**
 * The MapReduce jobs of the engine (milestone 5). Each function travels to
 * the members as source, so it uses its arguments only: no constant of this
 * file, no helper, no import. Types are for the reader; the values come from
 * the stores named in api.ts.
 */
import type { Job } from "../../m5-mapreduce/api.ts";

/** A page's postings: every term of a page record, as [url, count, length]; a term's postings sorted by URL. */
export const invertJob: Job = {
  map: (url, page) => {
    const { counts, length } = page as { counts: Array<[string, number]>; length: number };
    return counts.map(([term, count]): [string, unknown] => [term, [url, count, length]]);
  },
  reduce: (_term, postings) => (postings as Array<[string, number, number]>).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
};

/** The collection's figures: the number of pages and the sum of their lengths, summed on each member first. */
export const statsJob: Job = {
  map: (_url, page) => [["documents", 1], ["length", (page as { length: number }).length]],
  combine: (_figure, values) => (values as number[]).reduce((sum, value) => sum + value, 0),
  reduce: (_figure, values) => (values as number[]).reduce((sum, value) => sum + value, 0),
};

/**
 * A URL of the crawl as a node of the web's graph: whether it is a page,
 * where it redirects, and the pages whose links reach it so far.
 */
export interface GraphNode {
  page: boolean;
  to?: string;
  from: string[];
}

/**
 * The web's graph from the crawl store, redirects followed one hop per
 * round: the first round gives each URL the pages that link to it; each
 * later round moves the pages that reach a redirect on to its location.
 * The change is how many pages still wait at redirects, so a tolerance of 0
 * stops once every link has landed (a redirect loop keeps them until the
 * last round, and makes no edge).
 */
export function graphJob(rounds: number): Job {
  return {
    rounds,
    tolerance: 0,
    map: (url, value) => {
      const record = value as { state?: string; links?: string[]; location?: string; page?: boolean; to?: string; from?: string[] };
      if (record.state === "page") {
        return [[url, { page: true, from: [] }], ...(record.links ?? []).map((link): [string, unknown] => [link, { page: false, from: [url] }])];
      }
      if (record.state === "redirect") return [[url, { page: false, to: record.location, from: [] }]];
      if (record.state !== undefined) return [];
      if (record.to !== undefined && (record.from ?? []).length > 0) {
        return [[url, { page: false, to: record.to, from: [] }], [record.to, { page: false, from: record.from }]];
      }
      return [[url, record]];
    },
    reduce: (_url, values) => {
      const nodes = values as Array<{ page: boolean; to?: string; from: string[] }>;
      const to = nodes.find((node) => node.to !== undefined)?.to;
      const from = [...new Set(nodes.flatMap((node) => node.from))].sort();
      return { page: nodes.some((node) => node.page), ...(to === undefined ? {} : { to }), from };
    },
    distance: (_url, _before, after) => {
      const node = after as { to?: string; from: string[] };
      return node.to === undefined ? 0 : node.from.length;
    },
  };
}

/** Each page's outgoing edges, from the graph's incoming ones: sorted, each once, none to itself. */
export const edgesJob: Job = {
  map: (url, value) => {
    const node = value as { page: boolean; from: string[] };
    if (!node.page) return [];
    return [[url, []], ...node.from.filter((source) => source !== url).map((source): [string, unknown] => [source, [url]])];
  },
  reduce: (_url, values) => [...new Set((values as string[][]).flat())].sort(),
};

/**
 * Leaky PageRank, one round per job round: each page keeps 1 − d and passes
 * d times its rank along its edges in equal shares; a page without edges
 * passes nothing. Its input is each page's `RankRecord` (member.ts): its
 * edges, its rank (1 to start) and the damping, which a job's functions
 * could not know otherwise. The change is the L1 distance of the ranks.
 */
export function pageRankJob(rounds: number, tolerance: number): Job {
  return {
    rounds,
    tolerance,
    map: (url, value) => {
      const { out, rank, damping } = value as { out: string[]; rank: number; damping: number };
      const share = (damping * rank) / out.length;
      return [[url, { out, damping }], ...out.map((target): [string, unknown] => [target, share])];
    },
    reduce: (_url, values) => {
      let page = { out: [] as string[], damping: 0 };
      let passed = 0;
      for (const value of values) {
        if (typeof value === "number") passed += value;
        else page = value as typeof page;
      }
      return { out: page.out, rank: 1 - page.damping + passed, damping: page.damping };
    },
    distance: (_url, before, after) => Math.abs((after as { rank: number }).rank - ((before as { rank?: number } | undefined)?.rank ?? 0)),
  };
}
