/** `node.engine(gid)`: each method checks its arguments, then runs its step on the group as this node sees it. */
import type { Engine } from "../api.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import { checkCrawl, crawl } from "./crawl.ts";
import { Group } from "./group.ts";
import { indexPages } from "./indexer.ts";
import { checkRank, rankPages } from "./ranker.ts";
import { checkSearch, search } from "./search.ts";

export function engine(node: M5.MapReduceNode, gid: string): Engine {
  return {
    crawl: async (start, options = {}) => {
      const checked = checkCrawl(start, options);
      return crawl(await Group.of(node, gid), start, checked);
    },
    index: async () => indexPages(await Group.of(node, gid)),
    rank: async (options = {}) => {
      const checked = checkRank(options);
      return rankPages(await Group.of(node, gid), checked);
    },
    search: async (query, options = {}) => {
      const checked = checkSearch(query, options);
      return search(await Group.of(node, gid), query, checked);
    },
  };
}
