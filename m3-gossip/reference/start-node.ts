/**
 * startNode: a milestone-2 node (through the implementation switch) with
 * this milestone's services added: groups, group-wide calls, gossip,
 * broadcast and membership. Every timer they set is on the node's clock, so
 * stopping the node stops them.
 */
import { extendNode } from "../../autograder/kit/extend-node.ts";
import type { GroupNode, GroupNodeConfig, NodeAddress } from "../api.ts";
import { m2 } from "../deps.ts";
import { broadcastParts, broadcastServiceName } from "./broadcast.ts";
import { gossipParts, gossipServiceName } from "./gossip.ts";
import { groupHandle, groupRoutesService } from "./group.ts";
import { GroupTable } from "./group-table.ts";
import { membershipParts, membershipServiceName } from "./membership.ts";

export async function startNode(config: GroupNodeConfig = {}): Promise<GroupNode> {
  const { gossip: gossipOptions, broadcast: broadcastOptions, ...nodeConfig } = config;
  const node = await m2.startNode(nodeConfig);
  const table = new GroupTable();
  const { gossip, service: gossipService } = gossipParts(node, table, gossipOptions);
  const { broadcast, service: broadcastService } = broadcastParts(node, table, broadcastOptions);
  const { membership, service: membershipService, stopAll } = membershipParts(node, table);
  // The table's methods, as a service of own methods (a class's methods are not its own properties).
  const groupsService = {
    put: (gid: string, members: NodeAddress[]) => table.put(gid, members),
    get: (gid: string) => table.get(gid),
    add: (gid: string, member: NodeAddress) => table.add(gid, member),
    rem: (gid: string, member: NodeAddress) => table.rem(gid, member),
    del: (gid: string) => table.del(gid),
  };
  return extendNode(node, {
    fields: { groups: table, group: (gid: string) => groupHandle(node, table, gid), gossip, broadcast, membership },
    services: {
      groups: groupsService,
      [groupRoutesService]: { rem: async (name: string) => (await node.routes.rem(name)) !== undefined },
      [gossipServiceName]: gossipService,
      [broadcastServiceName]: broadcastService,
      [membershipServiceName]: membershipService,
    },
    stop: stopAll,
  });
}
