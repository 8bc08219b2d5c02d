/**
 * `node.engine(gid)`: each method checks its arguments, then runs its step
 * on the group as this node sees it; the steps that write the engine's
 * stores first set their views on every member. `serve` opens an HTTP front
 * end on the engine's own `search`, among the node's servers; with `learn`,
 * it logs its users' searches and clicks to the group's log (learning.ts).
 */
import type { Engine } from "../api.ts";
import type * as M5 from "../../m5-mapreduce/api.ts";
import { checkCrawl, crawl } from "./crawl.ts";
import { Group } from "./group.ts";
import { indexPages } from "./indexer.ts";
import { checkRank, rankPages } from "./ranker.ts";
import { checkSearch, search } from "./search.ts";
import { insights, learn, UserLog } from "./learning.ts";
import { eventLog } from "./log.ts";
import { checkServe, type SearchServers } from "./serve.ts";
import { streams } from "./streams.ts";

export function engine(node: M5.MapReduceNode, gid: string, servers: SearchServers): Engine {
  const self: Engine = {
    crawl: async (start, options = {}) => {
      const checked = checkCrawl(start, options);
      return crawl(await writer(node, gid), start, checked);
    },
    index: async () => indexPages(await writer(node, gid)),
    rank: async (options = {}) => {
      const checked = checkRank(options);
      return rankPages(await writer(node, gid), checked);
    },
    search: async (query, options = {}) => {
      const checked = checkSearch(query, options);
      return search(await Group.of(node, gid), query, checked);
    },
    serve: async (options = {}) => {
      const checked = checkServe(options);
      if (!checked.learn) return servers.open(self, checked);
      await self.learn();
      return servers.open(self, checked, new UserLog(eventLog(node, gid), () => node.context.clock.now()));
    },
    learn: async () => {
      await Group.of(node, gid);
      await learn(eventLog(node, gid), streams(node, gid));
    },
    insights: async (k = 10) => insights(eventLog(node, gid), k),
  };
  return self;
}

/** The group, with the views of the engine's stores set. */
async function writer(node: M5.MapReduceNode, gid: string): Promise<Group> {
  const group = await Group.of(node, gid);
  await group.setViews();
  return group;
}
