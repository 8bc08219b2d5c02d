/**
 * The "engine" service every member runs: its part of a crawl (crawl-worker.ts),
 * and reads and writes of its own share of an engine's stores, so that each
 * step of the coordinator costs one call per member, not one per key:
 *
 *   read(wanted)          the values at [store, key] pairs this member holds (undefined where none)
 *   shown(urls, ns, words) the title and snippet of pages this member holds (undefined where none)
 *   clear(ns)             remove every key of a namespace
 *   crawlCounts(ns)       how many pages, redirects and skipped URLs this member's crawl records hold
 *   seedRanks(ns, d)      replace each page's edges with its first RankRecord
 *   sumRanks(ns)          the sum of this member's leaky ranks
 *   scaleRanks(ns, by)    replace each leaky rank record with its rank ÷ by
 */
import type { CrawlRecord, PageRecord } from "../api.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import type { CrawlWorker } from "./crawl-worker.ts";
import { snippetOf } from "./snippet.ts";

/** A page's record while rank's jobs run: its outgoing edges, its leaky rank, and the damping. */
export interface RankRecord {
  out: string[];
  rank: number;
  damping: number;
}

/** What a search shows of a page: computed where the page is, so that its text never travels. */
export interface Shown {
  title: string;
  snippet: string;
}

export function engineService(node: M5.MapReduceNode, crawls: CrawlWorker) {
  const { local } = node;
  return {
    beginCrawl: crawls.beginCrawl.bind(crawls),
    startCrawl: crawls.startCrawl.bind(crawls),
    offer: crawls.offer.bind(crawls),
    crawlStatus: crawls.crawlStatus.bind(crawls),
    robots: crawls.robots.bind(crawls),
    endCrawl: crawls.endCrawl.bind(crawls),
    read: (wanted: Array<[ns: string, key: string]>): Promise<unknown[]> =>
      Promise.all(wanted.map(async ([ns, key]) => {
        const lookup = await local.get(ns, key);
        return lookup.found ? lookup.value : undefined;
      })),
    shown: (urls: string[], ns: string, words: string[]): Promise<Array<Shown | undefined>> =>
      Promise.all(urls.map(async (url) => {
        const lookup = await local.get(ns, url);
        if (!lookup.found) return undefined;
        const page = lookup.value as PageRecord;
        return { title: page.title, snippet: snippetOf(page.text, words) };
      })),
    clear: async (ns: string): Promise<void> => {
      for (const key of await local.keys(ns)) await local.del(ns, key);
    },
    crawlCounts: async (ns: string) => {
      const counts = { pages: 0, redirects: 0, skipped: 0 };
      for (const key of await local.keys(ns)) {
        const lookup = await local.get(ns, key);
        const state = lookup.found ? (lookup.value as CrawlRecord).state : "queued";
        if (state === "page") counts.pages++;
        else if (state === "redirect") counts.redirects++;
        else if (state === "skipped") counts.skipped++;
      }
      return counts;
    },
    seedRanks: async (ns: string, damping: number): Promise<void> => {
      for (const key of await local.keys(ns)) {
        await local.update(ns, key, (current) =>
          current.found ? { found: true, value: { out: current.value as string[], rank: 1, damping } satisfies RankRecord } : current
        );
      }
    },
    sumRanks: async (ns: string): Promise<number> => {
      let sum = 0;
      for (const key of await local.keys(ns)) {
        const lookup = await local.get(ns, key);
        if (lookup.found) sum += (lookup.value as RankRecord).rank;
      }
      return sum;
    },
    scaleRanks: async (ns: string, by: number): Promise<void> => {
      for (const key of await local.keys(ns)) {
        await local.update(ns, key, (current) =>
          current.found ? { found: true, value: (current.value as RankRecord).rank / by } : current
        );
      }
    },
  };
}

export type EngineService = ReturnType<typeof engineService>;
