/**
 * The "store" service every node runs: it answers for any key of any
 * group's store. An operation reaches the key's owner (this node forwards
 * it once if, in its view, another member owns the key). During a move, the
 * owner first pulls a key it lacks from the key's old owner, so every read
 * finds the value and no write is lost; the per-key lock keeps each pull and
 * the operation after it together.
 */
import type { LocalStore, Lookup, NodeAddress, Placement } from "../api.ts";
import type { Service } from "../../m2-actors/api.ts";
import type * as M3 from "../../m3-gossip/api.ts";
import { m2 } from "./deps.ts";
import { KeyLock } from "./key-lock.ts";
import { owner } from "./placement.ts";

export const storeServiceName = "store";

/** An operation on one key. */
export type Operation = "get" | "put" | "del" | "append";

/** Keys pulled at once by one pull. */
const pullsInFlight = 16;

export function storeService(node: M3.GroupNode, local: LocalStore): Service {
  /** Groups whose members are changing: their previous members, and how many keys this node has pulled. */
  const moving = new Map<string, { previous: NodeAddress[]; pulled: number }>();
  const lock = new KeyLock();
  const ids = (members: NodeAddress[]) => members.map((address) => m2.nodeId(address));
  const find = (members: NodeAddress[], nid: string) => members.find((address) => m2.nodeId(address) === nid) as NodeAddress;
  const call = (to: NodeAddress, method: string, args: unknown[]) => node.comm.send(args, { node: to, service: storeServiceName, method });

  /** Takes a key from the member that held it before the move; returns whether there was something to take. */
  const pullOne = async (gid: string, key: string, from: NodeAddress): Promise<boolean> => {
    const [taken] = (await call(from, "take", [gid, [key]])) as Array<[string, unknown]>;
    if (taken === undefined) return false;
    await local.putIfAbsent(gid, key, taken[1]);
    const move = moving.get(gid);
    if (move !== undefined) move.pulled++;
    return true;
  };

  const service = {
    async op(gid: string, placement: Placement, operation: Operation, key: string, value: unknown, forwarded: boolean): Promise<unknown> {
      const members = (await node.groups.get(gid)) ?? [];
      const ownerId = owner(key, ids(members), placement);
      if (ownerId !== node.id && !forwarded) return call(find(members, ownerId), "op", [gid, placement, operation, key, value, true]);
      return lock.run(`${gid}\u0000${key}`, async () => {
        const previous = moving.get(gid)?.previous;
        if (previous !== undefined && previous.length > 0) {
          const oldOwner = owner(key, ids(previous), placement);
          if (oldOwner !== node.id && !(await local.get(gid, key)).found) await pullOne(gid, key, find(previous, oldOwner));
        }
        switch (operation) {
          case "get":
            return local.get(gid, key);
          case "put":
            return local.put(gid, key, value);
          case "del":
            return local.del(gid, key);
          case "append":
            return local.append(gid, key, value);
        }
      });
    },
    keys: (gid: string) => local.keys(gid),
    /** Removes keys from this node and returns those it had, with their values. */
    async take(gid: string, keys: string[]): Promise<Array<[string, unknown]>> {
      const taken: Array<[string, unknown]> = [];
      for (const key of keys) {
        const cell: Lookup = await local.del(gid, key);
        if (cell.found) taken.push([key, cell.value]);
      }
      return taken;
    },
    /** Pulls keys this node now owns from `from` (those an operation has not pulled already). */
    async pull(gid: string, from: NodeAddress, keys: string[]): Promise<void> {
      const queue = [...keys];
      const worker = async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) {
          const current = key;
          await lock.run(`${gid}\u0000${current}`, () => pullOne(gid, current, from));
        }
      };
      await Promise.all(Array.from({ length: pullsInFlight }, worker));
    },
    /** The group's members are changing: take the new view, and remember the old one. */
    async beginMove(gid: string, previous: NodeAddress[], next: NodeAddress[]): Promise<void> {
      moving.set(gid, { previous, pulled: 0 });
      await node.groups.put(gid, next);
    },
    /** The move is over: forget the old view; returns how many keys this node pulled. */
    endMove: (gid: string): number => {
      const pulled = moving.get(gid)?.pulled ?? 0;
      moving.delete(gid);
      return pulled;
    },
  };
  return service as unknown as Service;
}
