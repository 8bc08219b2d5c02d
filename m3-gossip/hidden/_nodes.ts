/**
 * Nodes for the hidden tests: the implementation under test, simulated
 * nodes started in one group and stopped when the test ends, and the
 * requests they send, from the simulation's trace, so that tests can count
 * calls without knowing how a node encodes its messages (`sim.timers`
 * counts their timers).
 */
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import type { NodeAddress } from "../../autograder/kit/context.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";

export const m3 = await load<typeof Api>("m3");

/** `ip:port`, the key of an address. */
export const key = (address: NodeAddress): string => `${address.ip}:${address.port}`;

/**
 * The requests the simulation's nodes send from now on, as its trace sees
 * them (each one a call; responses are not counted).
 */
export function requestsSent(sim: Simulation): TracedMessage[] {
  const requests: TracedMessage[] = [];
  sim.trace.subscribe((message) => {
    if (message.kind === "request") requests.push(message);
  });
  return requests;
}

/** The requests sent at `since` (virtual ms) or later, optionally only by `from`. */
export function sentSince(requests: TracedMessage[], since: number, from?: NodeAddress): TracedMessage[] {
  return requests.filter((request) => request.at >= since && (from === undefined || request.from === key(from)));
}

/** Starts `count` simulated nodes; they stop when the test ends. */
export async function simNodes(
  t: Pick<TestContext, "after">,
  sim: Simulation,
  count: number,
  config: Omit<Api.GroupNodeConfig, "context"> = {},
): Promise<Api.GroupNode[]> {
  const nodes: Api.GroupNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < count; i++) {
    nodes.push(await m3.startNode({ ...config, context: sim.context() }));
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
): Promise<Api.GroupNode[]> {
  const nodes = await simNodes(t, sim, count, config);
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
