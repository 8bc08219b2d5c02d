/**
 * startNode: a milestone-3 node (through the implementation switch) with a
 * local store (in memory, or in `config.folder`) and the "store" service,
 * which group stores use.
 */
import type { StoreNode, StoreNodeConfig } from "../api.ts";
import { m3 } from "./deps.ts";
import { fileStore } from "./file-store.ts";
import { groupStore } from "./group-store.ts";
import { memoryStore } from "./memory-store.ts";
import { storeService, storeServiceName } from "./store-service.ts";

export async function startNode(config: StoreNodeConfig = {}): Promise<StoreNode> {
  const { folder, ...nodeConfig } = config;
  const node = await m3.startNode(nodeConfig);
  const local = folder === undefined ? memoryStore() : fileStore(folder);
  await node.routes.put(storeService(node, local), storeServiceName, { mode: "concurrent" });
  // The milestone-3 node's fields one by one: it may be a class instance, whose methods a spread would lose.
  return {
    id: node.id,
    sid: node.sid,
    address: node.address,
    context: node.context,
    status: node.status,
    routes: node.routes,
    comm: node.comm,
    rpc: node.rpc,
    stop: () => node.stop(),
    groups: node.groups,
    group: (gid) => node.group(gid),
    gossip: node.gossip,
    broadcast: node.broadcast,
    membership: node.membership,
    local,
    store: (gid, placement) => groupStore(node, gid, placement),
  };
}
