/**
 * m5's performance workloads: whole jobs on a group of 3 in-process nodes
 * holding 300 pages of a generated web. Each operation runs one job, reads a
 * sample of its output, and removes the output (so memory stays flat over
 * many operations). The grader scores a student's throughput against the
 * reference's, and compares the samples.
 */
import assert from "node:assert/strict";
import type * as Api from "../api.ts";
import type { Workload } from "../../autograder/bench/workload.ts";
import { countWords, generatedTexts } from "./corpus.ts";
import { invertedIndex, wordCount } from "./jobs.ts";

type M5 = typeof Api;

/** Three nodes forming group "pages", whose store holds the texts, and the words to sample. */
interface Cluster {
  nodes: Api.MapReduceNode[];
  counts: Map<string, number>;
  sample: string[];
}

const texts = generatedTexts(300, 5);

async function cluster(api: M5): Promise<Cluster> {
  const nodes = await Promise.all([api.startNode(), api.startNode(), api.startNode()]);
  for (const node of nodes) await node.groups.put("pages", nodes.map(({ address }) => address));
  const store = (nodes[0] as Api.MapReduceNode).store("pages");
  await Promise.all([...texts].map(([path, text]) => store.put(path, text)));
  const counts = countWords(texts.values());
  const sample = [...counts.keys()].sort().filter((_, i) => i % 97 === 0);
  return { nodes, counts, sample };
}

/** Runs a job, reads the sample of its output, and removes the output from every node. */
async function runJob({ nodes, sample }: Cluster, job: Api.Job): Promise<unknown[]> {
  const coordinator = nodes[0] as Api.MapReduceNode;
  const { out } = await coordinator.mr("pages").exec(job);
  const lookups = await Promise.all(sample.map((word) => coordinator.store(out).get(word)));
  await Promise.all(nodes.map(async (node) => {
    for (const key of await node.local.keys(out)) await node.local.del(out, key);
  }));
  return lookups.map((lookup) => (lookup.found ? lookup.value : "not found"));
}

const stopAll = async (_api: M5, { nodes }: Cluster) => void (await Promise.all(nodes.map((node) => node.stop())));

const words: Workload<M5, Cluster> = {
  name: "word count, 300 pages on 3 nodes",
  prepare: cluster,
  run: (_api, input) => runJob(input, wordCount),
  check: (_api, input, output) => assert.deepEqual(output, input.sample.map((word) => input.counts.get(word))),
  output: (_api, _input, output) => output,
  dispose: stopAll,
};

const index: Workload<M5, Cluster> = {
  name: "inverted index, 300 pages on 3 nodes",
  prepare: cluster,
  run: (_api, input) => runJob(input, invertedIndex),
  check: (_api, input, output) => {
    const postings = output as Array<Array<[string, number]>>;
    postings.forEach((list, i) => {
      assert.equal(list.reduce((total, [, count]) => total + count, 0), input.counts.get(input.sample[i] as string), `postings of ${input.sample[i]}`);
      assert.deepEqual(list.map(([path]) => path), list.map(([path]) => path).sort(), "postings sorted by path");
    });
  },
  output: (_api, _input, output) => output,
  dispose: stopAll,
};

export const workloads: Array<Workload<M5, never>> = [words, index] as Array<Workload<M5, never>>;
