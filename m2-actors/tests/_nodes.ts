/**
 * Shared by the visible tests: the implementation under test, and a helper
 * that starts nodes and stops them when the test ends.
 */
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";

export const m2 = await load<typeof Api>("m2");

/** Starts `count` nodes (with the same config) and stops them after the test. */
export async function nodes(t: TestContext, count: number, config: Api.NodeConfig = {}): Promise<Api.DistNode[]> {
  const started: Api.DistNode[] = [];
  t.after(() => Promise.all(started.map((node) => node.stop())));
  for (let i = 0; i < count; i++) started.push(await m2.startNode(config));
  return started;
}

/** Where to call `method` of `service` on `node`. */
export function at(node: Api.DistNode, service: string, method: string): Api.Remote {
  return { node: node.address, service, method };
}
