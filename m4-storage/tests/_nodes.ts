/**
 * Shared by the visible tests: the implementation under test, and a helper
 * that starts nodes in one group and stops them after the test.
 */
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";

export const m4 = await load<typeof Api>("m4");

/** Starts `count` nodes; the first `members` (default all) form group `gid` in every node's view. */
export async function nodes(t: TestContext, count: number, gid: string, members = count): Promise<Api.StoreNode[]> {
  const started: Api.StoreNode[] = [];
  t.after(() => Promise.all(started.map((node) => node.stop())));
  for (let i = 0; i < count; i++) started.push(await m4.startNode());
  const view = started.slice(0, members).map((node) => node.address);
  for (const node of started) await node.groups.put(gid, view);
  return started;
}
