/**
 * gossip: the node's side of the gossip protocol (gossip-core.ts). Rumors
 * travel as calls of the "gossip" service's `push` method, one batch per
 * member per round, without waiting for answers; rounds run on the node's
 * clock, only while there are rumors to push.
 */
import type { Gossip, GossipOptions, NodeAddress, Rumor, Service } from "../api.ts";
import type * as M2 from "../../m2-actors/api.ts";
import { defaultSettings, GossipCore, type RumorMessage } from "./gossip-core.ts";
import type { GroupTable } from "./group-table.ts";
import { messageIds } from "./message-ids.ts";
import { repeat } from "./repeat.ts";

export const gossipServiceName = "gossip";

export interface GossipParts {
  gossip: Gossip;
  /** The service through which rumors arrive; the node registers it. */
  service: Service;
}

export function gossipParts(node: M2.DistNode, table: GroupTable, options: GossipOptions = {}): GossipParts {
  const core = new GossipCore<NodeAddress>({
    fanout: options.fanout === undefined ? defaultSettings.fanout : () => options.fanout as number,
    rounds: options.rounds === undefined ? defaultSettings.rounds : () => options.rounds as number,
    remember: options.remember ?? defaultSettings.remember,
  }, node.context.random);
  const roundMs = options.roundMs ?? 100;
  const handlers = new Map<string, Set<(value: unknown, rumor: Rumor) => void>>();
  const size = (gid: string) => table.members(gid)?.length ?? 0;
  const others = (gid: string) =>
    (table.members(gid) ?? []).filter((member) => member.ip !== node.address.ip || member.port !== node.address.port);
  const nextId = messageIds(node);
  let ticking = false;

  const send = (to: NodeAddress, rumors: RumorMessage[]) => {
    node.comm.send([rumors], { node: to, service: gossipServiceName, method: "push" }).catch(() => undefined);
  };
  const deliver = ({ value, ...rumor }: RumorMessage) => {
    for (const handler of handlers.get(rumor.topic) ?? []) {
      try {
        handler(value, rumor);
      } catch {
        // A handler's failure is its own: the rumor still spreads.
      }
    }
  };
  const tick = () => {
    for (const { to, rumors } of core.round(others, size)) send(to, rumors);
    if (core.busy) node.context.clock.after(roundMs, tick);
    else ticking = false;
  };
  const keepTicking = () => {
    if (ticking || !core.busy) return;
    ticking = true;
    node.context.clock.after(roundMs, tick);
  };
  const learn = (rumor: RumorMessage) => {
    if (!core.learn(rumor, size(rumor.gid))) return;
    deliver(rumor);
    keepTicking();
  };

  const gossip: Gossip = {
    spread: async (gid, topic, value) => {
      const rumor: RumorMessage = { id: nextId(), gid, topic, origin: node.id, value };
      learn(rumor);
      // The first push goes out at once; later rounds follow the clock.
      for (const to of core.targets(others(gid), size(gid))) send(to, [rumor]);
      return rumor.id;
    },
    on: (topic, handler) => {
      const set = handlers.get(topic) ?? new Set();
      set.add(handler);
      handlers.set(topic, set);
      return () => void set.delete(handler);
    },
    at: (intervalMs, fn) => repeat(node.context.clock, intervalMs, fn),
  };
  const service = { push: (rumors: RumorMessage[]) => void rumors.forEach(learn) };
  return { gossip, service };
}
