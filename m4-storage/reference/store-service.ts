/**
 * The "store" service every node runs: it answers for any key of any
 * group's store. An operation reaches the key's owner (this node forwards
 * it once if, in its view, another member owns the key).
 *
 * During a move (a reconfiguration) a member remembers the old view, and
 * settles each key the first time it touches it: if it lacks the key, it
 * copies it from the key's old owner first, so a read finds the value and an
 * append extends the old list. Meanwhile every old member hands off the keys
 * it no longer owns, in batches: the new owner keeps a key it has not
 * settled yet (one written or deleted there since stays as it is), and the
 * old member deletes the batch only once the new owner has it, so a crash
 * between the two loses nothing. The moved count is the keys the members
 * took in, by either way.
 */
import type { LocalStore, Lookup, NodeAddress, Placement } from "../api.ts";
import type * as M3 from "../../m3-gossip/api.ts";
import { m2 } from "../deps.ts";
import { eachLimited } from "../../autograder/kit/each-limited.ts";
import { owner } from "./placement.ts";

export const storeServiceName = "store";

/** An operation on one key. */
export type Operation = "get" | "put" | "del" | "append";

/** Keys a batch works on at once. */
const keysInFlight = 16;
/** Keys a member hands off per call. */
const handOffBatch = 100;

/** A group whose members are changing, as one member sees it. */
interface Move {
  previous: NodeAddress[];
  /** Keys this member has settled: copied, received, or found it held already. */
  settled: Set<string>;
  /** Keys this member took in from old owners. */
  received: number;
}

export function storeService(node: M3.GroupNode, local: LocalStore) {
  const moves = new Map<string, Move>();
  const ids = (members: NodeAddress[]) => members.map((address) => m2.nodeId(address));
  const find = (members: NodeAddress[], nid: string) => members.find((address) => m2.nodeId(address) === nid) as NodeAddress;
  const call = (to: NodeAddress, method: string, args: unknown[]) => node.comm.send(args, { node: to, service: storeServiceName, method });
  const view = async (gid: string) => (await node.groups.get(gid)) ?? [];

  /** Before this member first touches a key during a move: copy it from its old owner if this member lacks it. */
  const settle = async (gid: string, placement: Placement, key: string): Promise<void> => {
    const move = moves.get(gid);
    if (move === undefined || move.settled.has(key)) return;
    await local.update(gid, key, async (current) => {
      if (move.settled.has(key) || current.found || move.previous.length === 0) {
        move.settled.add(key);
        return current;
      }
      const oldOwner = owner(key, ids(move.previous), placement);
      const copied = oldOwner === node.id ? current : ((await call(find(move.previous, oldOwner), "copy", [gid, key])) as Lookup);
      move.settled.add(key);
      if (copied.found) move.received++;
      return copied;
    });
  };

  return {
    /** One operation on a key; `value` is there for put and append only (group-store.ts). */
    async op(gid: string, placement: Placement, operation: Operation, key: string, forwarded: boolean, ...value: [] | [unknown]): Promise<unknown> {
      const members = await view(gid);
      const ownerId = owner(key, ids(members), placement);
      if (ownerId !== node.id && !forwarded) return call(find(members, ownerId), "op", [gid, placement, operation, key, true, ...value]);
      await settle(gid, placement, key);
      switch (operation) {
        case "get":
          return local.get(gid, key);
        case "put":
          return local.put(gid, key, value[0]);
        case "del":
          return local.del(gid, key);
        case "append":
          return local.append(gid, key, value[0]);
      }
    },
    /** Appends each key's values, on this member for the keys it owns, forwarding the others (once) to their owners. */
    async appendBatch(gid: string, placement: Placement, entries: Array<[string, unknown[]]>, forwarded: boolean): Promise<void> {
      const members = await view(gid);
      const nids = ids(members);
      const mine: Array<[string, unknown[]]> = [];
      const elsewhere = new Map<string, Array<[string, unknown[]]>>();
      for (const entry of entries) {
        const nid = forwarded ? node.id : owner(entry[0], nids, placement);
        const list = nid === node.id ? mine : elsewhere.get(nid);
        if (list === undefined) elsewhere.set(nid, [entry]);
        else list.push(entry);
      }
      await Promise.all([
        eachLimited(mine, keysInFlight, async ([key, values]) => {
          await settle(gid, placement, key);
          await local.appendAll(gid, key, values);
        }),
        ...[...elsewhere].map(([nid, list]) => call(find(members, nid), "appendBatch", [gid, placement, list, true])),
      ]);
    },
    keys: (gid: string) => local.keys(gid),
    /** What this member holds at a key, left in place (a new owner settling it). */
    copy: (gid: string, key: string) => local.get(gid, key),
    /** Takes in keys handed off by an old owner: each one this member has not settled yet. */
    async receive(gid: string, entries: Array<[string, unknown]>): Promise<void> {
      const move = moves.get(gid);
      await eachLimited(entries, keysInFlight, ([key, value]) =>
        local.update(gid, key, (current) => {
          const settled = move?.settled.has(key) ?? false;
          move?.settled.add(key);
          if (current.found || settled) return current;
          if (move !== undefined) move.received++;
          return { found: true, value };
        }));
    },
    /**
     * Hands off the keys this member no longer owns to their owners among
     * `reachable` (node ids), a batch at a time, deleting each batch once its
     * owner has it; returns the owners that could not take theirs.
     */
    async handOff(gid: string, placement: Placement, reachable: string[]): Promise<Array<[string, Error]>> {
      const members = await view(gid);
      const nids = ids(members);
      const open = new Set(reachable);
      const byOwner = new Map<string, string[]>();
      for (const key of await local.keys(gid)) {
        const nid = owner(key, nids, placement);
        if (nid === node.id || !open.has(nid)) continue;
        const list = byOwner.get(nid);
        if (list === undefined) byOwner.set(nid, [key]);
        else list.push(key);
      }
      const failed: Array<[string, Error]> = [];
      await Promise.all([...byOwner].map(async ([nid, keys]) => {
        try {
          for (let first = 0; first < keys.length; first += handOffBatch) {
            const batch = keys.slice(first, first + handOffBatch);
            const cells = await Promise.all(batch.map((key) => local.get(gid, key)));
            const entries = batch.flatMap((key, i) => {
              const cell = cells[i] as Lookup;
              return cell.found ? [[key, cell.value] as [string, unknown]] : [];
            });
            await call(find(members, nid), "receive", [gid, entries]);
            await eachLimited(entries, keysInFlight, ([key]) => local.del(gid, key));
          }
        } catch (error) {
          failed.push([nid, error instanceof Error ? error : new Error(String(error))]);
        }
      }));
      return failed;
    },
    /** The group's members are about to change: remember the old view, to settle keys by it. */
    beginMove(gid: string, previous: NodeAddress[]): void {
      moves.set(gid, { previous, settled: new Set(), received: 0 });
    },
    /** Every member knows the old view: take the new one. */
    takeView: (gid: string, next: NodeAddress[]) => node.groups.put(gid, next),
    /** The move is over: forget the old view; returns how many keys this member took in. */
    endMove: (gid: string): number => {
      const received = moves.get(gid)?.received ?? 0;
      moves.delete(gid);
      return received;
    },
  };
}
