/**
 * startNode: a milestone-5 node (through the implementation switch) with
 * `engine(gid)` and `log(gid)`; the "engine" service, through which members
 * crawl and answer reads of their own share of an engine's stores; and the
 * "log" service, through which they keep their share of each event log;
 * and the "streams" service, through which they run the stream jobs they own.
 * Stopping it ends its crawls and closes the search servers its engines
 * opened.
 */
import { extendNode } from "../../autograder/kit/extend-node.ts";
import type { EngineNode, EngineNodeConfig } from "../api.ts";
import { m5 } from "../deps.ts";
import { CrawlWorker } from "./crawl-worker.ts";
import { engine } from "./engine.ts";
import { eventLog } from "./log.ts";
import { logService, logServiceName } from "./log-service.ts";
import { engineService } from "./member.ts";
import { SearchServers } from "./serve.ts";
import { engineServiceName } from "./stores.ts";
import { streams } from "./streams.ts";
import { streamsService, streamsServiceName } from "./streams-service.ts";

export async function startNode(config: EngineNodeConfig = {}): Promise<EngineNode> {
  const node = await m5.startNode(config);
  const crawls = new CrawlWorker(node);
  const servers = new SearchServers();
  const jobs = streamsService(node);
  return extendNode(node, {
    fields: {
      engine: (gid: string) => engine(node, gid, servers),
      log: (gid: string) => eventLog(node, gid),
      streams: (gid: string) => streams(node, gid),
    },
    services: { [engineServiceName]: engineService(node, crawls), [logServiceName]: logService(node), [streamsServiceName]: jobs.service },
    stop: async () => {
      jobs.killAll();
      await servers.closeAll();
      await crawls.endAll();
    },
  });
}
