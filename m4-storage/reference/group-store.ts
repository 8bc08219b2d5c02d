/**
 * A group's store, seen from one node: each operation goes to the key's
 * owner in this node's view of the group. `reconfigure` moves the group to
 * new members: every member takes the new view, then each key whose owner
 * changed is pulled by its new owner, in batches per pair of members (or
 * earlier, by an operation on it); the moved count is the keys pulled.
 */
import type { GroupStore, Lookup, NodeAddress, Placement } from "../api.ts";
import type * as M3 from "../../m3-gossip/api.ts";
import { m2 } from "./deps.ts";
import { defaultPlacement, owner } from "./placement.ts";
import { type Operation, storeServiceName } from "./store-service.ts";

const addressText = (address: NodeAddress) => `${address.ip}:${address.port}`;

export function groupStore(node: M3.GroupNode, gid: string, placement: Placement = defaultPlacement): GroupStore {
  const ids = (members: NodeAddress[]) => members.map((address) => m2.nodeId(address));
  const members = async () => (await node.groups.get(gid)) ?? [];
  const call = (to: NodeAddress, method: string, args: unknown[]) => node.comm.send(args, { node: to, service: storeServiceName, method });
  const operate = async (operation: Operation, key: string, value?: unknown) => {
    const view = await members();
    const nid = owner(key, ids(view), placement);
    return call(view.find((address) => m2.nodeId(address) === nid) as NodeAddress, "op", [gid, placement, operation, key, value, false]);
  };

  return {
    get: (key) => operate("get", key) as Promise<Lookup>,
    put: async (key, value) => void (await operate("put", key, value)),
    del: (key) => operate("del", key) as Promise<Lookup>,
    append: (key, value) => operate("append", key, value) as Promise<number>,
    keys: async () => {
      const lists = await Promise.all((await members()).map((member) => call(member, "keys", [gid]) as Promise<string[]>));
      return [...new Set(lists.flat())];
    },
    reconfigure: async (next) => {
      const previous = await members();
      const everyone = [...new Map([...previous, ...next].map((address) => [m2.nodeId(address), address])).values()];
      // A member that cannot take the new view sits the move out; the others still move every key they can.
      const began = await Promise.allSettled(everyone.map((member) => call(member, "beginMove", [gid, previous, next])));
      const reachable = new Set(everyone.filter((_, i) => began[i]?.status === "fulfilled").map((member) => m2.nodeId(member)));
      const failed = new Map<string, unknown>();
      began.forEach((outcome, i) => {
        if (outcome.status === "rejected") failed.set(addressText(everyone[i] as NodeAddress), outcome.reason);
      });
      await node.groups.put(gid, next);
      const nextIds = ids(next);
      const holders = previous.filter((holder) => reachable.has(m2.nodeId(holder)));
      const pulls = await Promise.allSettled(holders.map(async (holder) => {
        const keys = (await call(holder, "keys", [gid])) as string[];
        const byOwner = new Map<string, string[]>();
        for (const key of keys) {
          const nid = owner(key, nextIds, placement);
          if (nid !== m2.nodeId(holder) && reachable.has(nid)) byOwner.set(nid, [...(byOwner.get(nid) ?? []), key]);
        }
        await Promise.all([...byOwner].map(async ([nid, batch]) => {
          const to = next[nextIds.indexOf(nid)] as NodeAddress;
          await call(to, "pull", [gid, holder, batch]).catch((error: unknown) => failed.set(addressText(to), error));
        }));
      }));
      pulls.forEach((outcome, i) => {
        if (outcome.status === "rejected") failed.set(addressText(holders[i] as NodeAddress), outcome.reason);
      });
      const ending = everyone.filter((member) => reachable.has(m2.nodeId(member)));
      const pulled = await Promise.allSettled(ending.map((member) => call(member, "endMove", [gid]) as Promise<number>));
      pulled.forEach((outcome, i) => {
        if (outcome.status === "rejected") failed.set(addressText(ending[i] as NodeAddress), outcome.reason);
      });
      if (failed.size > 0) {
        throw new AggregateError([...failed.values()], `Cannot finish moving group "${gid}": ${[...failed.keys()].join(", ")} failed`);
      }
      return { moved: pulled.reduce((sum, outcome) => sum + (outcome.status === "fulfilled" ? outcome.value : 0), 0) };
    },
  };
}
