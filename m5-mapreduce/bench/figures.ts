/**
 * m5's figures: word count over the PostgreSQL manual (and the Linux
 * kernel's documentation, where the machine can get it) as a job on 3 nodes
 * in this process and on 3 child processes, each set beside one process
 * counting the same text in a loop (milestone 0's way); memory mode against
 * store mode on nodes with folders; the shuffle's pairs and bytes with and
 * without the combiner; and the same job on 1, 2, 3 and 5 nodes. Every job's
 * output is checked against the loop's counts while it is measured.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Figure } from "../../autograder/bench/figure.ts";
import { median } from "../../autograder/bench/measure.ts";
import type { CorpusName } from "../../autograder/corpus/catalogue.ts";
import { corpusForTests } from "../../autograder/corpus/for-tests.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as M0 from "../../m0-setup/api.ts";
import type * as Api from "../api.ts";
import { countWords, generatedTexts } from "./corpus.ts";
import { wordCount } from "./jobs.ts";

type M5 = typeof Api;

const seconds = (since: number) => (performance.now() - since) / 1000;

/** The text of each page of a real corpus (milestone 0's getText), by file name; undefined where the machine cannot get it. */
async function corpusTexts(name: CorpusName): Promise<Map<string, string> | undefined> {
  const corpus = await corpusForTests(name);
  if (corpus.skip !== false) return undefined;
  const m0 = await load<typeof M0>("m0");
  const files = (await readdir(corpus.folder, { recursive: true })).filter((file) => file.endsWith(".html"));
  const pages = await Promise.all(files.map((file) => readFile(join(corpus.folder, file), "utf8")));
  return new Map(files.map((file, i) => [file, m0.getText(pages[i] as string)]));
}

/** Seconds for one process to count the words of the texts, fastest of three. */
function loopSeconds(texts: Map<string, string>): number {
  return Math.min(...Array.from({ length: 3 }, () => {
    const started = performance.now();
    countWords(texts.values());
    return seconds(started);
  }));
}

/** A group of nodes holding the texts in store "pages", and how to stop it; the coordinator is `client`, outside the group unless it is one of `nodes`. */
interface Group {
  client: Api.MapReduceNode;
  members: Api.NodeAddress[];
  stop(): Promise<void>;
}

async function inProcess(m5: M5, count: number, config: Api.MapReduceNodeConfig[] = []): Promise<Group> {
  const nodes = await Promise.all(Array.from({ length: count }, (_, i) => m5.startNode(config[i] ?? {})));
  return { client: nodes[0] as Api.MapReduceNode, members: nodes.map((node) => node.address), stop: async () => void (await Promise.all(nodes.map((node) => node.stop()))) };
}

async function childProcesses(m5: M5, count: number): Promise<Group> {
  const children = await Promise.all(Array.from({ length: count }, () => m5.spawnNode()));
  const client = await m5.startNode();
  return {
    client,
    members: children.map((child) => child.address),
    stop: async () => {
      await client.stop();
      await Promise.all(children.map((child) => child.stop()));
    },
  };
}

/** Puts the texts into store "pages" of the group (not timed). */
async function fill(group: Group, texts: Map<string, string>): Promise<void> {
  await group.client.groups.put("pages", group.members);
  await group.client.group("pages").groups.put("pages", group.members);
  const store = group.client.store("pages");
  const entries = [...texts];
  for (let first = 0; first < entries.length; first += 64) {
    await Promise.all(entries.slice(first, first + 64).map(([path, text]) => store.put(path, text)));
  }
}

/** Runs word count on the group, checks a sample of its output, removes it; seconds of the job and its result. */
async function timedWordCount(group: Group, expected: Map<string, number>, job: Partial<Api.Job> = {}): Promise<{ seconds: number; result: Api.JobResult }> {
  const started = performance.now();
  const result = await group.client.mr("pages").exec({ ...wordCount, ...job });
  const elapsed = seconds(started);
  const store = group.client.store(result.out);
  const sample = [...expected.keys()].filter((_, i) => i % 101 === 0);
  for (const word of sample) assert.deepEqual(await store.get(word), { found: true, value: expected.get(word) }, `the count of "${word}"`);
  assert.equal((await store.keys()).length, expected.size, "the number of words counted");
  return { seconds: elapsed, result };
}

/** The median seconds of `runs` word counts on the group. */
async function medianSeconds(group: Group, expected: Map<string, number>, runs: number, job: Partial<Api.Job> = {}): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) times.push((await timedWordCount(group, expected, job)).seconds);
  return median(times);
}

const sum = (result: Api.JobResult, field: keyof Api.NodeCounts) => [...result.counts.values()].reduce((total, counts) => total + counts[field], 0);

/** Word count on 3 nodes here and on 3 children, beside the loop. */
async function corpusFigures(m5: M5, name: CorpusName, label: string, bar: number): Promise<Figure[]> {
  const texts = await corpusTexts(name);
  if (texts === undefined) return [];
  const expected = countWords(texts.values());
  const loop = loopSeconds(texts);
  const figures: Figure[] = [{ name: `${label}: one process counting its words in a loop`, value: loop, unit: "s" }];
  for (const [where, start] of [["3 nodes in this process", inProcess], ["3 child processes", childProcesses]] as const) {
    const group = await start(m5, 3);
    try {
      await fill(group, texts);
      const job = await medianSeconds(group, expected, 3);
      figures.push({ name: `${label}: word count on ${where}`, value: job, unit: "s" });
      figures.push({ name: `${label}: word count on ${where} ÷ the loop`, value: job / loop, unit: "", goal: { atMost: bar } });
    } finally {
      await group.stop();
    }
  }
  return figures;
}

/** Memory mode against store mode, on 3 nodes with folders, over 300 generated pages. */
async function modeFigures(m5: M5): Promise<Figure[]> {
  const texts = generatedTexts(300, 5);
  const expected = countWords(texts.values());
  const folders = await Promise.all([0, 1, 2].map(() => mkdtemp(join(tmpdir(), "m5-bench-"))));
  const group = await inProcess(m5, 3, folders.map((folder) => ({ folder })));
  try {
    await fill(group, texts);
    const withoutCombiner = { combine: undefined };
    const store = await medianSeconds(group, expected, 3, { ...withoutCombiner, memory: false });
    const memory = await medianSeconds(group, expected, 3, { ...withoutCombiner, memory: true });
    return [
      { name: "300 pages on 3 nodes with folders, no combiner: word count, store mode", value: store, unit: "s" },
      { name: "300 pages on 3 nodes with folders, no combiner: word count, memory mode", value: memory, unit: "s" },
      { name: "store mode ÷ memory mode", value: store / memory, unit: "", goal: { atLeast: 2 } },
    ];
  } finally {
    await group.stop();
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  }
}

/** Pairs and bytes shuffled with and without the combiner, and the job on 1, 2, 3 and 5 nodes. */
async function shuffleAndScaling(m5: M5): Promise<Figure[]> {
  const texts = generatedTexts(1_000, 9);
  const expected = countWords(texts.values());
  const figures: Figure[] = [];
  for (const count of [1, 2, 3, 5]) {
    const group = await inProcess(m5, count);
    try {
      await fill(group, texts);
      if (count === 3) {
        const plain = (await timedWordCount(group, expected, { combine: undefined })).result;
        const combined = (await timedWordCount(group, expected)).result;
        figures.push(
          { name: "1,000 pages on 3 nodes: pairs emitted", value: sum(plain, "emitted"), unit: "pairs" },
          { name: "pairs shuffled without the combiner", value: sum(plain, "shuffled"), unit: "pairs" },
          { name: "pairs shuffled with the combiner", value: sum(combined, "shuffled"), unit: "pairs" },
          { name: "bytes shuffled between members without the combiner", value: sum(plain, "bytes"), unit: "bytes" },
          { name: "bytes shuffled between members with the combiner", value: sum(combined, "bytes"), unit: "bytes" },
        );
      }
      figures.push({ name: `1,000 pages: word count on ${count} node${count === 1 ? "" : "s"} in this process`, value: await medianSeconds(group, expected, 3), unit: "s" });
    } finally {
      await group.stop();
    }
  }
  return figures;
}

export async function figures(m5: M5): Promise<Figure[]> {
  return [
    ...(await corpusFigures(m5, "postgres", "PostgreSQL manual", 4)),
    ...(await corpusFigures(m5, "linux", "Linux kernel documentation", 2.5)),
    ...(await modeFigures(m5)),
    ...(await shuffleAndScaling(m5)),
  ];
}
