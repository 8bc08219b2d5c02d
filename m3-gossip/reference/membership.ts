/**
 * membership: the node's side of failure detection (swim-core.ts). Each
 * watched group has its own protocol state; messages travel as calls of the
 * "membership" service's `message` method, without waiting for answers;
 * periods run on the node's clock.
 */
import type { Membership, MembershipOptions, MemberView, NodeAddress, Service } from "../api.ts";
import type * as M2 from "../../m2-actors/api.ts";
import type { GroupTable } from "./group-table.ts";
import { m2 } from "../deps.ts";
import { repeat } from "./repeat.ts";
import { type Out, SwimCore, type SwimMessage } from "./swim-core.ts";

export const membershipServiceName = "membership";

interface Watch {
  core: SwimCore;
  addresses: Map<string, NodeAddress>;
  periodMs: number;
  stop: () => void;
}

export interface MembershipParts {
  membership: Membership;
  /** The service through which protocol messages arrive; the node registers it. */
  service: Service;
  /** Stops every watch (the node is stopping). */
  stopAll: () => void;
}

export function membershipParts(node: M2.DistNode, table: GroupTable): MembershipParts {
  const watches = new Map<string, Watch>();
  const handlers = new Set<(gid: string, nid: string, view: MemberView) => void>();
  const now = () => node.context.clock.now();

  const send = (gid: string, watch: Watch, outs: Out[], timeoutMs: number) => {
    for (const { to, message } of outs) {
      const address = watch.addresses.get(to);
      if (address === undefined) continue;
      node.comm.send([gid, message], { node: address, service: membershipServiceName, method: "message" }, { timeoutMs })
        .catch(() => undefined);
    }
    for (const update of watch.core.takeChanges()) {
      const view = { address: watch.addresses.get(update.nid) as NodeAddress, state: update.state, incarnation: update.incarnation };
      for (const handler of handlers) {
        try {
          handler(gid, update.nid, view);
        } catch {
          // A handler's failure is its own.
        }
      }
    }
  };

  const membership: Membership = {
    watch: async (gid, options: MembershipOptions = {}) => {
      membership.unwatch(gid);
      const members = table.members(gid) ?? [];
      const addresses = new Map(members.map((address) => [m2.nodeId(address), address]));
      if (!addresses.has(node.id)) throw new RangeError(`Cannot watch group "${gid}": this node is not one of its members`);
      const periodMs = options.periodMs ?? 200;
      const settings = {
        periodMs,
        probeTimeoutMs: options.probeTimeoutMs ?? periodMs / 4,
        indirectProbes: options.indirectProbes ?? 3,
        suspicionMs: options.suspicionMs ?? 10 * periodMs,
        piggyback: 8,
      };
      const core = new SwimCore(node.id, [...addresses.keys()], settings, node.context.random);
      const watch: Watch = { core, addresses, periodMs, stop: () => {} };
      watch.stop = repeat(node.context.clock, periodMs, () => {
        send(gid, watch, core.tick(now()), periodMs);
        node.context.clock.after(settings.probeTimeoutMs, () => {
          if (watches.get(gid) === watch) send(gid, watch, core.timeout(now()), periodMs);
        });
      });
      watches.set(gid, watch);
    },
    unwatch: async (gid) => {
      watches.get(gid)?.stop();
      watches.delete(gid);
    },
    view: (gid) => {
      const watch = watches.get(gid);
      if (watch === undefined) return new Map();
      return new Map([...watch.core.view()].map(([nid, { state, incarnation }]) => [nid, { address: watch.addresses.get(nid) as NodeAddress, state, incarnation }]));
    },
    on: (handler) => {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  };
  const service = {
    message: (gid: string, message: SwimMessage) => {
      const watch = watches.get(gid);
      const caller = node.comm.caller();
      if (watch !== undefined && caller !== undefined) send(gid, watch, watch.core.step(m2.nodeId(caller), message, now()), watch.periodMs);
    },
  };
  return {
    membership,
    service,
    stopAll: () => {
      for (const watch of watches.values()) watch.stop();
      watches.clear();
    },
  };
}
