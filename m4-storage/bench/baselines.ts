/**
 * The baseline `npm run bench m4` sets the store beside: milestone 2's comm
 * (the reference), calling a bare map service on the key's owner. The bar:
 * the store adds little over the transport, ≥ 0.8× its throughput.
 */
import type { Bar, Baselines } from "../../autograder/bench/baseline.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as M2 from "../../m2-actors/api.ts";
import type * as Api from "../api.ts";

type M4 = typeof Api;

/** A node with only what the workloads use: groups, a store that is one comm call to a map, stop. */
async function bareNode(): Promise<Api.StoreNode> {
  const m2 = await load<typeof M2>("m2", "reference");
  const node = await m2.startNode();
  const map = new Map<string, unknown>();
  await node.routes.put({
    put: (key: string, value: unknown) => void map.set(key, value),
    get: (key: string) => (map.has(key) ? { found: true, value: map.get(key) } : { found: false }),
  }, "map", { mode: "concurrent" });
  let view: Api.NodeAddress[] = [];
  const store = (gid: string) => {
    const at = (key: string) => view[Number(BigInt(`0x${Buffer.from(key).toString("hex").slice(-12) || "0"}`) % BigInt(view.length))] as Api.NodeAddress;
    return {
      put: async (key: string, value: unknown) => void (await node.comm.send([key, value], { node: at(key), service: "map", method: "put" })),
      get: (key: string) => node.comm.send([key], { node: at(key), service: "map", method: "get" }),
    } as unknown as Api.GroupStore;
  };
  const groups = { put: async (_gid: string, members: Api.NodeAddress[]) => void (view = members) };
  return { address: node.address, groups, store, stop: () => node.stop() } as unknown as Api.StoreNode;
}

export const baselines: Baselines<M4> = {
  "m2 comm": { api: { startNode: bareNode } as unknown as M4 },
};

export const bars: Bar[] = [{ subject: "reference", baseline: "m2 comm", atLeast: 0.8 }];
