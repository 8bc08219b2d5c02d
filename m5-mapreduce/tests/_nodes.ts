/**
 * Shared by the visible tests: the implementation under test, and a helper
 * that starts nodes in one group, with a store of documents, and stops them
 * after the test.
 */
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";

export const m5 = await load<typeof Api>("m5");

/** Starts `count` nodes forming group `gid` in every node's view, and stores `documents` in its store. */
export async function group(t: TestContext, count: number, gid: string, documents: Record<string, unknown>): Promise<Api.MapReduceNode[]> {
  const nodes: Api.MapReduceNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i < count; i++) nodes.push(await m5.startNode());
  const members = nodes.map((node) => node.address);
  for (const node of nodes) await node.groups.put(gid, members);
  const store = (nodes[0] as Api.MapReduceNode).store(gid);
  for (const [key, value] of Object.entries(documents)) await store.put(key, value);
  return nodes;
}

/** Every key and value of a store, as a plain object sorted by key. */
export async function contents(node: Api.MapReduceNode, gid: string): Promise<Record<string, unknown>> {
  const store = node.store(gid);
  const keys = (await store.keys()).sort();
  const values = await Promise.all(keys.map(async (key) => {
    const lookup = await store.get(key);
    return lookup.found ? lookup.value : undefined;
  }));
  return Object.fromEntries(keys.map((key, i) => [key, values[i]]));
}

/** A few lines of text, by document name. */
export const documents: Record<string, string> = {
  "a.txt": "the cat sat on the mat",
  "b.txt": "the dog sat on the log",
  "c.txt": "a cat and a dog",
  "d.txt": "the end",
};

/** The word counts of `documents`, by a plain loop. */
export function wordCounts(texts: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const text of Object.values(texts)) for (const word of text.split(" ")) counts[word] = (counts[word] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
}
