/**
 * startNode: a milestone-2 node (through the implementation switch) with
 * this milestone's services added: groups, group-wide calls, gossip,
 * broadcast and membership. Every timer they set is on the node's clock, so
 * stopping the node stops them.
 */
import type { GroupNode, GroupNodeConfig, NodeAddress, Service } from "../api.ts";
import { broadcastParts, broadcastServiceName } from "./broadcast.ts";
import { gossipParts, gossipServiceName } from "./gossip.ts";
import { groupHandle, groupRoutesService } from "./group.ts";
import { GroupTable } from "./group-table.ts";
import { m2 } from "./m2.ts";
import { membershipParts, membershipServiceName } from "./membership.ts";

export async function startNode(config: GroupNodeConfig = {}): Promise<GroupNode> {
  const { gossip: gossipOptions, broadcast: broadcastOptions, ...nodeConfig } = config;
  const node = await m2.startNode(nodeConfig);
  const table = new GroupTable();
  const { gossip, service: gossipService } = gossipParts(node, table, gossipOptions);
  const { broadcast, service: broadcastService } = broadcastParts(node, table, broadcastOptions);
  const { membership, service: membershipService } = membershipParts(node, table);
  const groups = {
    put: (gid: string, members: NodeAddress[]) => table.put(gid, members),
    get: (gid: string) => table.get(gid),
    add: (gid: string, member: NodeAddress) => table.add(gid, member),
    rem: (gid: string, member: NodeAddress) => table.rem(gid, member),
    del: (gid: string) => table.del(gid),
  };
  const groupRoutes = { rem: async (name: string) => (await node.routes.rem(name)) !== undefined };
  const services: Array<[name: string, service: object]> = [
    ["groups", groups],
    [groupRoutesService, groupRoutes],
    [gossipServiceName, gossipService],
    [broadcastServiceName, broadcastService],
    [membershipServiceName, membershipService],
  ];
  for (const [name, service] of services) await node.routes.put(service as Service, name, { mode: "concurrent" });
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
    groups: table,
    group: (gid) => groupHandle(node, table, gid),
    gossip,
    broadcast,
    membership,
  };
}
