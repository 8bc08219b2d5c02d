/**
 * m5's figures: word count over the PostgreSQL manual (and the Linux
 * kernel's documentation, where the machine can get it) as a job on 3 nodes
 * in this process and on 3 child processes, each set beside milestone 0's
 * word count (one process reading each page, extracting its text and
 * counting its words) and beside the counting alone, in a loop over the
 * texts the job reads from the store; memory mode against
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

/** The pages of a real corpus: their paths, and how to read one; undefined where the machine cannot get it. */
async function corpusPages(name: CorpusName): Promise<{ files: string[]; read: (file: string) => Promise<string> } | undefined> {
  const corpus = await corpusForTests(name);
  if (corpus.skip !== false) return undefined;
  const files = (await readdir(corpus.folder, { recursive: true })).filter((file) => file.endsWith(".html"));
  return { files, read: (file) => readFile(join(corpus.folder, file), "utf8") };
}

/** Seconds of the fastest of three runs. */
async function fastestOfThree(run: () => unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await run();
    times.push(seconds(started));
  }
  return Math.min(...times);
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

/** Word count on 3 nodes here and on 3 children, beside milestone 0's word count and the counting loop. */
async function corpusFigures(m5: M5, name: CorpusName, label: string, bar: number): Promise<Figure[]> {
  const pages = await corpusPages(name);
  if (pages === undefined) return [];
  const m0 = await load<typeof M0>("m0");
  const texts = new Map<string, string>();
  const m0WordCount = await fastestOfThree(async () => {
    for (const file of pages.files) texts.set(file, m0.getText(await pages.read(file)));
    return countWords(texts.values());
  });
  const expected = countWords(texts.values());
  const loop = await fastestOfThree(() => countWords(texts.values()));
  const figures: Figure[] = [
    { name: `${label}: milestone 0's word count (read, getText, count) in one process`, value: m0WordCount, unit: "s" },
    { name: `${label}: the counting alone, in a loop over the texts`, value: loop, unit: "s" },
  ];
  for (const [where, start] of [["3 nodes in this process", inProcess], ["3 child processes", childProcesses]] as const) {
    const group = await start(m5, 3);
    try {
      await fill(group, texts);
      const job = await medianSeconds(group, expected, 3);
      figures.push({ name: `${label}: word count on ${where}`, value: job, unit: "s" });
      figures.push({ name: `${label}: word count on ${where} ÷ milestone 0's word count`, value: job / m0WordCount, unit: "", goal: { atMost: bar } });
      figures.push({ name: `${label}: word count on ${where} ÷ the counting loop`, value: job / loop, unit: "" });
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
