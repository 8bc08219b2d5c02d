/**
 * m4's performance workloads: a group store of 3 in-process nodes over
 * HTTP, 16 operations at a time. The grader scores a student's throughput
 * against the reference's; `npm run bench m4` also sets it beside bare
 * milestone-2 calls doing the same exchange (baselines.ts).
 */
import assert from "node:assert/strict";
import type * as Api from "../api.ts";
import type { Workload } from "../../autograder/bench/workload.ts";

type M4 = typeof Api;

const inFlight = 16;

/** Three nodes forming group "kv", the store as the first one sees it, and the next key to use. */
interface Group {
  nodes: Api.StoreNode[];
  store: Api.GroupStore;
  next: number;
}

async function group(api: M4): Promise<Group> {
  const nodes = await Promise.all([api.startNode(), api.startNode(), api.startNode()]);
  for (const node of nodes) await node.groups.put("kv", nodes.map(({ address }) => address));
  return { nodes, store: (nodes[0] as Api.StoreNode).store("kv"), next: 0 };
}

const stopAll = async (_api: M4, { nodes }: Group) => void (await Promise.all(nodes.map((node) => node.stop())));

const puts: Workload<M4, Group> = {
  name: `store put, ${inFlight} at once`,
  prepare: group,
  run: (_api, input) => Promise.all(Array.from({ length: inFlight }, () => input.store.put(`key-${input.next++ % 1000}`, { n: input.next }))),
  check: async (_api, input) => assert.ok((await input.store.get("key-0")).found),
  output: (_api, _input, results) => results,
  dispose: stopAll,
};

const gets: Workload<M4, Group> = {
  name: `store get, ${inFlight} at once`,
  prepare: async (api) => {
    const input = await group(api);
    for (let i = 0; i < 1000; i++) await input.store.put(`key-${i}`, { n: i });
    return input;
  },
  run: (_api, input) => Promise.all(Array.from({ length: inFlight }, () => input.store.get(`key-${input.next++ % 1000}`))),
  check: (_api, _input, output) => {
    for (const lookup of output as Api.Lookup[]) assert.ok(lookup.found);
  },
  output: (_api, _input, lookups) => (lookups as Api.Lookup[]).map((lookup) => (lookup.found ? lookup.value : "not found")),
  dispose: stopAll,
};

export const workloads: Array<Workload<M4, never>> = [puts, gets] as Array<Workload<M4, never>>;
