/**
 * Nodes for the hidden tests, on a simulated network or a real one: started
 * together, stopped when the test ends (whatever its outcome), and a few
 * services whose side effects a test can count.
 */
import type { TestContext } from "node:test";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type * as Api from "../api.ts";

type M2 = typeof Api;

/** Starts `count` nodes on the simulation; they stop when the test ends. */
export async function simNodes(
  t: TestContext,
  m2: M2,
  sim: Simulation,
  count: number,
  config: Omit<Api.NodeConfig, "context"> = {},
): Promise<Api.DistNode[]> {
  const nodes: Api.DistNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < count; i++) nodes.push(await m2.startNode({ ...config, context: sim.context() }));
  return nodes;
}

/** Starts `count` real nodes; they stop when the test ends. */
export async function realNodes(t: TestContext, m2: M2, count: number, config: Api.NodeConfig = {}): Promise<Api.DistNode[]> {
  const nodes: Api.DistNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < count; i++) nodes.push(await m2.startNode(config));
  return nodes;
}

/** A service whose one method never answers (it travels, so it can also be put on a remote node). */
export const silent: Api.Service = { hang: () => new Promise(() => {}) };

/** Resolves after `ms` of the simulation's virtual time. */
export function sleep(sim: Simulation, ms: number): Promise<void> {
  return new Promise((resolve) => sim.scheduler.after(ms, resolve));
}

/**
 * A service whose one side effect is visible: `record(token, waitMs)` appends
 * `token` to `log` as soon as it runs, then waits `waitMs` of virtual time
 * (so that duplicates can arrive while it runs), then returns the token.
 */
export function ledger(sim: Simulation, log: string[]): Api.Service {
  return {
    record: async (token: string, waitMs: number) => {
      log.push(token);
      if (waitMs > 0) await sleep(sim, waitMs);
      return token;
    },
  };
}

/** The ledger's `record` on `node`. */
export function recordOn(node: Api.DistNode): Api.Remote {
  return { node: node.address, service: "ledger", method: "record" };
}

/** How many times each token appears in a log. */
export function tally(log: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of log) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}
