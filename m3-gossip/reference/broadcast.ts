/**
 * broadcast: the node's side of reliable broadcast (broadcast-core.ts).
 * Batches travel as calls of the "broadcast" service's `push` method on a
 * beat, each time the clock reaches a multiple of `batchMs`, while anything
 * is pending; a failed call puts its items back. Every member beats at the
 * same instants (on clocks that agree), so a value relayed from another
 * row, which left there on a beat, arrives a link's latency into a period
 * and waits only for the rest of it, not a whole `batchMs`: larger batches
 * (fewer calls) then cost little time. With `batchMs` 0 there is no beat:
 * values leave at once, and a failed call's items go back only `retryMs`
 * later, so that a peer that refuses at once is not called in a loop.
 */
import type { Broadcast, BroadcastOptions, Service } from "../api.ts";
import type * as M2 from "../../m2-actors/api.ts";
import { BroadcastCore, type Item } from "./broadcast-core.ts";
import type { GroupTable } from "./group-table.ts";
import { messageIds } from "./message-ids.ts";
import { m2 } from "../deps.ts";

export const broadcastServiceName = "broadcast";

/** How long the items of a failed call wait to go again when there is no beat (`batchMs` 0), ms. */
const retryMs = 100;

export interface BroadcastParts {
  broadcast: Broadcast;
  /** The service through which batches arrive; the node registers it. */
  service: Service;
}

export function broadcastParts(node: M2.DistNode, table: GroupTable, options: BroadcastOptions = {}): BroadcastParts {
  const batchMs = options.batchMs ?? 100;
  // A batch that gets no answer within 10 beats goes again with a later one;
  // without beats (batchMs 0), a call waits as long as any call of the node.
  const sendOptions = batchMs > 0 ? { timeoutMs: 10 * batchMs } : {};
  const cores = new Map<string, BroadcastCore>();
  const handlers = new Map<string, Set<(value: unknown) => void>>();
  const ticking = new Set<string>();
  const nextId = messageIds(node);
  const { clock } = node.context;

  const coreOf = (gid: string) => {
    let core = cores.get(gid);
    if (core === undefined) cores.set(gid, (core = new BroadcastCore(node.id)));
    return core;
  };
  const members = (gid: string) => (table.members(gid) ?? []).map((address) => m2.nodeId(address));
  const addressOf = (gid: string, nid: string) => (table.members(gid) ?? []).find((address) => m2.nodeId(address) === nid);

  /** Sends every pending batch of the group at the next multiple of `batchMs`, and again while anything is pending. */
  const keepTicking = (gid: string) => {
    if (ticking.has(gid)) return;
    ticking.add(gid);
    clock.after(batchMs > 0 ? batchMs - (clock.now() % batchMs) : 0, () => {
      ticking.delete(gid);
      const core = coreOf(gid);
      for (const [peer, items] of core.take()) {
        const address = addressOf(gid, peer);
        if (address === undefined) continue;
        node.comm.send([gid, items], { node: address, service: broadcastServiceName, method: "push" }, sendOptions)
          .catch(() => {
            const retry = () => {
              core.requeue(peer, items);
              keepTicking(gid);
            };
            if (batchMs > 0) retry();
            else clock.after(retryMs, retry);
          });
      }
    });
  };
  const learn = (gid: string, item: Item, from?: string) => {
    if (!coreOf(gid).add(item, members(gid), from)) return;
    for (const handler of handlers.get(gid) ?? []) {
      try {
        handler(item.value);
      } catch {
        // A handler's failure is its own.
      }
    }
    keepTicking(gid);
  };

  const broadcast: Broadcast = {
    send: async (gid, value) => learn(gid, { id: nextId(), value }),
    values: (gid) => coreOf(gid).values(),
    on: (gid, handler) => {
      const set = handlers.get(gid) ?? new Set();
      set.add(handler);
      handlers.set(gid, set);
      return () => void set.delete(handler);
    },
  };
  const service = {
    push: (gid: string, items: Item[]) => {
      const caller = node.comm.caller();
      const from = caller === undefined ? undefined : m2.nodeId(caller);
      for (const item of items) learn(gid, item, from);
    },
  };
  return { broadcast, service };
}
