/**
 * Nodes for the hidden tests: the implementation under test, simulated
 * nodes started in one group and stopped when the test ends, and a trace of
 * what each simulated node does through its context (every request it sends,
 * and every timer it holds), so that tests can count calls and timers
 * without knowing how a node encodes its messages.
 */
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import type { NodeAddress, NodeContext, WireRequest } from "../../autograder/kit/context.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";

export const m3 = await load<typeof Api>("m3");

/** `ip:port`, the key of an address. */
export const key = (address: NodeAddress): string => `${address.ip}:${address.port}`;

/** One request a node sent, as its transport saw it. */
export interface SentRequest {
  /** The sender's key. */
  from: string;
  /** The receiver's key. */
  to: string;
  /** The receiver's address. */
  address: NodeAddress;
  /** The request as sent. */
  request: WireRequest;
  /** When it was sent, virtual ms. */
  at: number;
}

/**
 * What simulated nodes do through their contexts: the requests they send
 * (each one a call; responses are not counted) and the timers they hold.
 */
export class Trace {
  readonly requests: SentRequest[] = [];
  /** Timers set and neither fired nor cancelled, by node key. */
  readonly #pending = new Map<string, Set<object>>();
  /** Timers set, by node key. */
  readonly timersSet = new Map<string, number>();
  readonly #sim: Simulation;

  constructor(sim: Simulation) {
    this.#sim = sim;
  }

  /**
   * A context of the simulation whose transport and clock report to this
   * trace. The node's key is known once it listens.
   */
  context(): NodeContext {
    const inner = this.#sim.context();
    let self = "?";
    const transport = {
      listen: async (...args: Parameters<NodeContext["transport"]["listen"]>) => {
        const listener = await inner.transport.listen(...args);
        self = key(listener.address);
        return listener;
      },
      request: (...args: Parameters<NodeContext["transport"]["request"]>) => {
        const [to, request] = args;
        this.requests.push({ from: self, to: key(to), address: to, request, at: this.#sim.now() });
        return inner.transport.request(...args);
      },
      close: () => inner.transport.close(),
    };
    const clock = {
      now: () => inner.clock.now(),
      after: (ms: number, callback: () => void) => {
        const owner = self;
        const timer = {};
        const pending = this.#pending.get(owner) ?? new Set<object>();
        this.#pending.set(owner, pending);
        pending.add(timer);
        this.timersSet.set(owner, (this.timersSet.get(owner) ?? 0) + 1);
        const cancel = inner.clock.after(ms, () => {
          pending.delete(timer);
          callback();
        });
        return () => {
          pending.delete(timer);
          cancel();
        };
      },
    };
    return { transport, clock, random: inner.random, disk: inner.disk };
  }

  /** How many timers the node at `address` holds (set, not yet fired or cancelled). */
  pendingTimers(address: NodeAddress): number {
    return this.#pending.get(key(address))?.size ?? 0;
  }

  /** The requests sent since `since` (virtual ms), optionally only by `from`. */
  sentSince(since: number, from?: NodeAddress): SentRequest[] {
    return this.requests.filter((request) => request.at >= since && (from === undefined || request.from === key(from)));
  }
}

/** Starts `count` simulated nodes (traced if a trace is given); they stop when the test ends. */
export async function simNodes(
  t: Pick<TestContext, "after">,
  sim: Simulation,
  count: number,
  config: Omit<Api.GroupNodeConfig, "context"> = {},
  trace?: Trace,
): Promise<Api.GroupNode[]> {
  const nodes: Api.GroupNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < count; i++) {
    nodes.push(await m3.startNode({ ...config, context: trace ? trace.context() : sim.context() }));
  }
  return nodes;
}

/** Starts `count` simulated nodes, each with all of them in its view of `gid`. */
export async function simGroup(
  t: Pick<TestContext, "after">,
  sim: Simulation,
  count: number,
  gid: string,
  config: Omit<Api.GroupNodeConfig, "context"> = {},
  trace?: Trace,
): Promise<Api.GroupNode[]> {
  const nodes = await simNodes(t, sim, count, config, trace);
  const members = nodes.map((node) => node.address);
  for (const node of nodes) await node.groups.put(gid, members);
  return nodes;
}

/** Starts `count` real nodes (port 0); they stop when the test ends. */
export async function realNodes(t: TestContext, count: number, config: Api.GroupNodeConfig = {}): Promise<Api.GroupNode[]> {
  const nodes: Api.GroupNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < count; i++) nodes.push(await m3.startNode({ port: 0, ...config }));
  return nodes;
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
