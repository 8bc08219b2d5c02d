/** `engine.index()`: the inverted index and the collection's figures, by two MapReduce jobs over the pages. */
import type { Group } from "./group.ts";
import { invertJob, statsJob } from "./jobs.ts";

export async function indexPages(group: Group): Promise<{ terms: number }> {
  const { node, stores } = group;
  await group.clear(stores.terms, stores.stats);
  const inverted = await node.mr(stores.pages).exec({ ...invertJob, out: stores.terms, memory: true });
  await node.mr(stores.pages).exec({ ...statsJob, out: stores.stats });
  let terms = 0;
  for (const counts of inverted.counts.values()) terms += counts.reduces;
  return { terms };
}
