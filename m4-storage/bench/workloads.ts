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

/** Three nodes forming group "kv", and the store as the first one sees it. */
async function group(api: M4): Promise<Api.GroupStore> {
  const nodes = await Promise.all([api.startNode(), api.startNode(), api.startNode()]);
  for (const node of nodes) await node.groups.put("kv", nodes.map(({ address }) => address));
  return (nodes[0] as Api.StoreNode).store("kv");
}

const puts: Workload<M4, { store: Api.GroupStore; next: number }> = {
  name: `store put, ${inFlight} at once`,
  prepare: async (api) => ({ store: await group(api), next: 0 }),
  run: (_api, input) => Promise.all(Array.from({ length: inFlight }, () => input.store.put(`key-${input.next++ % 1000}`, { n: input.next }))),
  check: async (_api, input) => assert.ok((await input.store.get("key-0")).found),
};

const gets: Workload<M4, { store: Api.GroupStore; next: number }> = {
  name: `store get, ${inFlight} at once`,
  prepare: async (api) => {
    const store = await group(api);
    for (let i = 0; i < 1000; i++) await store.put(`key-${i}`, { n: i });
    return { store, next: 0 };
  },
  run: (_api, input) => Promise.all(Array.from({ length: inFlight }, () => input.store.get(`key-${input.next++ % 1000}`))),
  check: (_api, _input, output) => {
    for (const lookup of output as Api.Lookup[]) assert.ok(lookup.found);
  },
};

export const workloads: Array<Workload<M4, never>> = [puts, gets] as Array<Workload<M4, never>>;
