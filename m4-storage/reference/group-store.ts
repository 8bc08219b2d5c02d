/**
 * A group's store, seen from one node: each operation goes to the key's
 * owner in this node's view of the group. `reconfigure` moves the group to
 * new members: every member learns the old view, then every member takes
 * the new view, every old member hands off the keys it no longer owns
 * (store-service.ts), then every member ends the move; the moved count is
 * the keys the members took in.
 */
import type { GroupStore, Lookup, Moved, NodeAddress, Placement } from "../api.ts";
import type * as M3 from "../../m3-gossip/api.ts";
import { m2 } from "../deps.ts";
import { defaultPlacement, owner } from "./placement.ts";
import { type Operation, storeServiceName } from "./store-service.ts";

const asError = (reason: unknown) => (reason instanceof Error ? reason : new Error(String(reason)));

export function groupStore(node: M3.GroupNode, gid: string, placement: Placement = defaultPlacement): GroupStore {
  const members = async () => (await node.groups.get(gid)) ?? [];
  const call = (to: NodeAddress, method: string, args: unknown[]) => node.comm.send(args, { node: to, service: storeServiceName, method });
  /** The members of a view by node id. */
  const byId = (view: NodeAddress[]) => new Map(view.map((address) => [m2.nodeId(address), address]));
  /**
   * Sends an operation to the key's owner. Only put and append carry a value:
   * an undefined argument would send the whole call through milestone 1's
   * graph encoding instead of its plain-JSON fast path.
   */
  const operate = async (operation: Operation, key: string, ...value: [] | [unknown]) => {
    const view = byId(await members());
    const to = view.get(owner(key, [...view.keys()], placement)) as NodeAddress;
    return call(to, "op", [gid, placement, operation, key, false, ...value]);
  };

  return {
    get: (key) => operate("get", key) as Promise<Lookup>,
    put: async (key, value) => void (await operate("put", key, value)),
    del: (key) => operate("del", key) as Promise<Lookup>,
    append: (key, value) => operate("append", key, value) as Promise<number>,
    appendBatch: async (pairs) => {
      const byKey = new Map<string, unknown[]>();
      for (const [key, value] of pairs) {
        const values = byKey.get(key);
        if (values === undefined) byKey.set(key, [value]);
        else values.push(value);
      }
      const view = byId(await members());
      const byOwner = new Map<string, Array<[string, unknown[]]>>();
      for (const entry of byKey) {
        const nid = owner(entry[0], [...view.keys()], placement);
        const entries = byOwner.get(nid);
        if (entries === undefined) byOwner.set(nid, [entry]);
        else entries.push(entry);
      }
      await Promise.all([...byOwner].map(([nid, entries]) => call(view.get(nid) as NodeAddress, "appendBatch", [gid, placement, entries, false])));
    },
    keys: async () => {
      const lists = await Promise.all((await members()).map((member) => call(member, "keys", [gid]) as Promise<string[]>));
      return [...new Set(lists.flat())];
    },
    reconfigure: async (next): Promise<Moved> => {
      const previous = await members();
      const everyone = byId([...previous, ...next]);
      const errors = new Map<string, Error>();
      const fail = (nid: string, reason: unknown) => void (errors.has(nid) || errors.set(nid, asError(reason)));
      // A member that cannot begin the move sits it out; the others still move every key they can.
      const began = await Promise.allSettled([...everyone.values()].map((member) => call(member, "beginMove", [gid, previous])));
      const reachable = [...everyone.keys()].filter((nid, i) => {
        const outcome = began[i] as PromiseSettledResult<unknown>;
        if (outcome.status === "rejected") fail(nid, outcome.reason);
        return outcome.status === "fulfilled";
      });
      // Only now that every member knows the old view may any take the new one: a member that has
      // taken it forwards operations to the new owners, which must settle their keys first.
      await Promise.all(reachable.map((nid) => call(everyone.get(nid) as NodeAddress, "takeView", [gid, next]).catch((error: unknown) => fail(nid, error))));
      await node.groups.put(gid, next);
      const holders = [...byId(previous).keys()].filter((nid) => reachable.includes(nid));
      await Promise.all(holders.map(async (nid) => {
        try {
          const failed = (await call(everyone.get(nid) as NodeAddress, "handOff", [gid, placement, reachable])) as Array<[string, Error]>;
          for (const [target, error] of failed) fail(target, error);
        } catch (error) {
          fail(nid, error);
        }
      }));
      const ended = await Promise.all(reachable.map(async (nid) => {
        try {
          return (await call(everyone.get(nid) as NodeAddress, "endMove", [gid])) as number;
        } catch (error) {
          fail(nid, error);
          return 0;
        }
      }));
      return { moved: ended.reduce((sum, taken) => sum + taken, 0), errors };
    },
  };
}
