/**
 * Shared by the visible tests: the implementation under test, and helpers
 * that start nodes (real or simulated) in one group and stop them after.
 */
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";

export const m3 = await load<typeof Api>("m3");

/** Starts `count` nodes (simulated if `sim` is given), each with every node in its view of `gid`. */
export async function group(t: TestContext, count: number, gid: string, sim?: Simulation, config: Api.GroupNodeConfig = {}): Promise<Api.GroupNode[]> {
  const nodes: Api.GroupNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < count; i++) nodes.push(await m3.startNode({ ...config, ...(sim ? { context: sim.context() } : {}) }));
  const members = nodes.map((node) => node.address);
  for (const node of nodes) await node.groups.put(gid, members);
  return nodes;
}
