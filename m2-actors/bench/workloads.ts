/**
 * m2's performance workloads: calls between a node and a node in a child
 * process (one at a time, and 32 at once), starting and stopping nodes, and
 * spawning a child node. The calls ask the child's built-in status service
 * for its id: a small request, a small answer, so the node runtime's own cost
 * is what gets measured.
 */
import assert from "node:assert/strict";
import type * as Api from "../api.ts";
import type { Workload } from "../../autograder/bench/workload.ts";

type M2 = typeof Api;

/** A node in this process, and one in a child process, to call. */
export interface Pair {
  caller: Api.DistNode;
  child: Api.ChildNode;
}

function askId({ caller, child }: Pair): Promise<unknown> {
  return caller.comm.send(["nid"], { node: child.address, service: "status", method: "get" });
}

function exchange(inFlight: number): Workload<M2, Pair> {
  return {
    name: inFlight === 1 ? "comm, 1 call in flight" : `comm, ${inFlight} calls in flight`,
    prepare: async (api) => ({ caller: await api.startNode(), child: await api.spawnNode() }),
    run: (_api, pair) => (inFlight === 1 ? askId(pair) : Promise.all(Array.from({ length: inFlight }, () => askId(pair)))),
    check: (_api, pair, output) => {
      for (const id of [output].flat()) assert.equal(id, pair.child.id);
    },
    output: (_api, pair, result) => [result].flat().map((id) => id === pair.child.id),
    dispose: async (_api, { caller, child }) => void (await Promise.all([caller.stop(), child.stop()])),
  };
}

const startStop: Workload<M2, undefined> = {
  name: "start and stop 100 nodes",
  prepare: () => undefined,
  run: async (api) => {
    const nodes = await Promise.all(Array.from({ length: 100 }, () => api.startNode()));
    await Promise.all(nodes.map((node) => node.stop()));
    return nodes.map((node) => node.address.port);
  },
  check: (_api, _input, ports) => assert.equal(new Set(ports as number[]).size, 100),
  output: (_api, _input, ports) => new Set(ports as number[]).size,
};

const spawnStop: Workload<M2, undefined> = {
  name: "spawn and stop a child node",
  prepare: () => undefined,
  run: async (api) => {
    const child = await api.spawnNode();
    await child.stop();
    return child.id;
  },
  check: (_api, _input, id) => assert.match(id as string, /^[0-9a-f]{64}$/),
  output: (_api, _input, id) => /^[0-9a-f]{64}$/.test(id as string),
};

export const workloads: Array<Workload<M2, never>> = [
  exchange(1),
  exchange(32),
  startStop,
  spawnStop,
] as Array<Workload<M2, never>>;
