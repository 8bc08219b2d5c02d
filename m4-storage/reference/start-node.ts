/**
 * startNode: a milestone-3 node (through the implementation switch) with a
 * local store (in memory, or in `config.folder` on the node's disk) and the
 * "store" service, which group stores use.
 */
import { extendNode } from "../../autograder/kit/extend-node.ts";
import type { Placement, StoreNode, StoreNodeConfig } from "../api.ts";
import { m3 } from "../deps.ts";
import { fileStore } from "./file-store.ts";
import { groupStore } from "./group-store.ts";
import { memoryStore } from "./memory-store.ts";
import { storeService, storeServiceName } from "./store-service.ts";

export async function startNode(config: StoreNodeConfig = {}): Promise<StoreNode> {
  const { folder, ...nodeConfig } = config;
  const node = await m3.startNode(nodeConfig);
  const local = folder === undefined ? memoryStore() : fileStore(folder, node.context.disk);
  return extendNode(node, {
    fields: { local, store: (gid: string, placement?: Placement) => groupStore(node, gid, placement) },
    services: { [storeServiceName]: storeService(node, local) },
  });
}
