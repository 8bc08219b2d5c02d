/**
 * Shared by m5's hidden tests: the implementation under test; groups of
 * members holding a store (simulated, or real nodes in this process), with
 * a coordinator outside the group; a probe through which rigged job
 * functions report what they run and when; and ways to see where a job's
 * data is: each member's own store, by the placement of milestone 4, and the
 * messages the simulated network carried.
 *
 * Job functions travel as source and run on the members. Members in this
 * process share its global object, so a rigged function reports through
 * `globalThis[Symbol.for("m5.test.log")]`, which the probe installs; it
 * knows nothing else of the test.
 */
import type { TestContext } from "node:test";
import { isDeepStrictEqual } from "node:util";
import type * as Api from "../api.ts";
import type * as M4 from "../../m4-storage/api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type { Random } from "../../autograder/harness/random.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";
import { type CrawlTruth, crawlTruth, visibleWords, type Web } from "../../autograder/web/index.ts";

export const m5 = await load<typeof Api>("m5");
export const m4 = await load<typeof M4>("m4");

/** `ip:port`: how JobError names a node, and how the trace names both ends of a message. */
export const key = (address: Api.NodeAddress): string => `${address.ip}:${address.port}`;

/** Orders strings as `<` does. */
export const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A group of members holding a store, and a node outside it that knows its members. */
export interface Cluster {
  members: Api.MapReduceNode[];
  /** Not a member: it coordinates jobs without holding any of their data. */
  outsider: Api.MapReduceNode;
  /** Runs a promise to its end (in the simulation, by advancing virtual time). */
  settle<T>(promise: Promise<T>): Promise<T>;
  /** Resolves after `ms` (virtual in the simulation). */
  sleep(ms: number): Promise<void>;
  /**
   * When, for ordering what a test sees: virtual ms in the simulation; on
   * real members a counter, never the machine's clock, so that no test of
   * real members depends on how fast the machine is.
   */
  now(): number;
  sim: Simulation | undefined;
}

/** How long a simulated job may take, virtual ms, before `settle` gives up. */
const simLimitMs = 30 * 60_000;

interface ClusterOptions {
  /** A folder for each member's own store (on its own simulated disk, in the simulation). */
  folders?: string[];
  config?: Omit<Api.MapReduceNodeConfig, "context" | "folder">;
}

/** Starts `count` simulated members of `gid` and an outsider; every one of them has the members in its view. */
export async function simCluster(t: Pick<TestContext, "after">, sim: Simulation, count: number, gid: string, options: ClusterOptions = {}): Promise<Cluster> {
  const nodes: Api.MapReduceNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i <= count; i++) {
    const folder = i < count ? options.folders?.[i] : undefined;
    nodes.push(await m5.startNode({ ...options.config, ...(folder === undefined ? {} : { folder }), context: sim.context() }));
  }
  const settle = <T>(promise: Promise<T>) => sim.settle(promise, simLimitMs);
  const cluster: Cluster = {
    members: nodes.slice(0, count),
    outsider: nodes[count] as Api.MapReduceNode,
    settle,
    sleep: (ms) => new Promise((resolve) => sim.scheduler.after(ms, resolve)),
    now: () => sim.now(),
    sim,
  };
  await join(cluster, gid);
  return cluster;
}

/** Starts `count` real members of `gid` in this process and an outsider; every one of them has the members in its view. */
export async function realCluster(t: Pick<TestContext, "after">, count: number, gid: string, options: ClusterOptions = {}): Promise<Cluster> {
  const nodes: Api.MapReduceNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop())));
  for (let i = 0; i <= count; i++) {
    const folder = i < count ? options.folders?.[i] : undefined;
    nodes.push(await m5.startNode({ ...options.config, ...(folder === undefined ? {} : { folder }) }));
  }
  let ticks = 0;
  const cluster: Cluster = {
    members: nodes.slice(0, count),
    outsider: nodes[count] as Api.MapReduceNode,
    settle: (promise) => promise,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    now: () => ticks++,
    sim: undefined,
  };
  await join(cluster, gid);
  return cluster;
}

/** Gives every node of the cluster the members as its view of `gid`. */
export async function join(cluster: Cluster, gid: string): Promise<void> {
  const view = cluster.members.map((node) => node.address);
  for (const node of [...cluster.members, cluster.outsider]) await cluster.settle(node.groups.put(gid, view));
}

/** The node ids of some nodes. */
export const ids = (nodes: readonly Api.MapReduceNode[]): string[] => nodes.map((node) => node.id);

/**
 * Stores entries as the group store `gid` would: each on its owner's own
 * store (milestone 4's `owner` among the members), in the group's namespace.
 */
export async function fill(cluster: Cluster, gid: string, entries: Iterable<readonly [string, unknown]>, placement?: Api.Placement): Promise<void> {
  const byId = new Map(cluster.members.map((node) => [node.id, node]));
  const memberIds = ids(cluster.members);
  const writes: Array<Promise<void>> = [];
  for (const [name, value] of entries) {
    const node = byId.get(m4.owner(name, memberIds, placement)) as Api.MapReduceNode;
    writes.push(node.local.put(gid, name, value));
  }
  await cluster.settle(Promise.all(writes));
}

/** The member that owns `name` under `placement`. */
export function ownerOf(cluster: Cluster, name: string, placement?: Api.Placement): Api.MapReduceNode {
  const id = m4.owner(name, ids(cluster.members), placement);
  return cluster.members.find((node) => node.id === id) as Api.MapReduceNode;
}

/** Every key of `gid` on the members' own stores, with its value and the members (node ids) that hold it. */
export async function holdings(cluster: Cluster, gid: string): Promise<Map<string, { value: unknown; holders: string[] }>> {
  const found = new Map<string, { value: unknown; holders: string[] }>();
  for (const node of cluster.members) {
    for (const name of await cluster.settle(node.local.keys(gid))) {
      const lookup = await cluster.settle(node.local.get(gid, name));
      const entry = found.get(name) ?? { value: lookup.found ? lookup.value : undefined, holders: [] };
      entry.holders.push(node.id);
      found.set(name, entry);
    }
  }
  return found;
}

/**
 * Compares a job's output store, as the members' own stores hold it, with
 * `expected`: each key once, on its owner, with its value. Returns the first
 * few differences, or "" when there are none.
 */
export async function misplacedOutput(cluster: Cluster, out: string, expected: ReadonlyMap<string, unknown>, placement?: Api.Placement): Promise<string> {
  const found = await holdings(cluster, out);
  const problems: string[] = [];
  const show = (name: string) => JSON.stringify(name.length > 40 ? `${name.slice(0, 40)}…` : name);
  for (const [name, value] of expected) {
    const entry = found.get(name);
    const owner = ownerOf(cluster, name, placement).id;
    if (entry === undefined) problems.push(`${show(name)} is missing`);
    else if (entry.holders.length !== 1 || entry.holders[0] !== owner) problems.push(`${show(name)} is on [${entry.holders.map((id) => id.slice(0, 6)).join(", ")}], its owner is ${owner.slice(0, 6)}`);
    else if (!sameValue(entry.value, value)) problems.push(`${show(name)} holds ${preview(entry.value)}, expected ${preview(value)}`);
  }
  for (const name of found.keys()) if (!expected.has(name)) problems.push(`${show(name)} was never expected`);
  return problems.length === 0 ? "" : `${problems.length} of ${expected.size} output keys wrong, e.g. ${problems.slice(0, 5).join("; ")}`;
}

/** Deep equality as node:assert's deepStrictEqual sees it. */
const sameValue = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);
const preview = (value: unknown) => {
  const text = JSON.stringify(value, (_k, v: unknown) => (v instanceof Map ? [...v] : typeof v === "bigint" ? `${v}n` : v)) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/** The namespaces of job `id` (rounds 1 … `rounds`, and one more) that still hold keys on some member. */
export async function leftovers(cluster: Cluster, id: string, rounds: number): Promise<string[]> {
  const left: string[] = [];
  for (let round = 1; round <= rounds + 1; round++) {
    for (const namespace of [`${id}-shuffle-${round}`, `${id}-round-${round}`]) {
      for (const node of cluster.members) {
        const held = await cluster.settle(node.local.keys(namespace));
        if (held.length > 0) left.push(`${namespace} holds ${held.length} keys on ${key(node.address)}`);
      }
    }
  }
  return left;
}

/** What a rigged function reports: `report(step, key, data)`, maybe awaited. */
export type Report = (step: string, key: string, data?: unknown) => void | Promise<void>;

/** One report, as the probe recorded it. */
export interface Call {
  step: string;
  key: string;
  data: unknown;
  /** When it was made (virtual ms in the simulation). */
  at: number;
}

const probeSymbol = Symbol.for("m5.test.log");

/**
 * Where rigged functions report: installed on the global object for the
 * test, removed after it. A hook for a step runs at each report of that
 * step, and the rigged function waits for what it returns.
 *
 * @example
 * const probe = new Probe(t, cluster.now);
 * const job = { map: (k: string, v: unknown) => { report("map", k); return []; }, … };
 */
export class Probe {
  readonly calls: Call[] = [];
  readonly #hooks = new Map<string, (call: Call) => void | Promise<void>>();

  constructor(t: Pick<TestContext, "after">, now: () => number) {
    const report: Report = (step, name, data) => {
      const call = { step, key: name, data, at: now() };
      this.calls.push(call);
      return this.#hooks.get(step)?.(call);
    };
    (globalThis as unknown as Record<symbol, Report | undefined>)[probeSymbol] = report;
    t.after(() => {
      delete (globalThis as unknown as Record<symbol, Report | undefined>)[probeSymbol];
    });
  }

  /** Runs `hook` at every report of `step` (replacing any earlier hook for it). */
  on(step: string, hook: (call: Call) => void | Promise<void>): void {
    this.#hooks.set(step, hook);
  }

  /** The reports of `step`, in order. */
  of(step: string): Call[] {
    return this.calls.filter((call) => call.step === step);
  }

  /** Forgets every report so far. */
  clear(): void {
    this.calls.length = 0;
  }
}

/** How many times each item occurs. */
export function tally(items: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** The entries of a map sorted by key, for deepEqual on maps built in different orders. */
export const sortedEntries = <V>(map: ReadonlyMap<string, V>): Array<[string, V]> => [...map].sort(([a], [b]) => byString(a, b));

/** Every message the simulated network carries from now on. */
export function traceFrom(sim: Simulation): TracedMessage[] {
  const messages: TracedMessage[] = [];
  sim.trace.subscribe((message) => messages.push(message));
  return messages;
}

/** The sum of `field` over the members' counts. */
export function total(counts: Map<string, Api.NodeCounts>, field: keyof Api.NodeCounts): number {
  let sum = 0;
  for (const mine of counts.values()) sum += mine[field];
  return sum;
}

/** The words of a text, as the jobs of these tests split it: on single spaces. */
export const wordsOf = (text: string): string[] => text.split(" ").filter((word) => word !== "");

/** How often each word occurs in the texts, by a plain loop. */
export function countWords(texts: Iterable<string>): Map<string, number> {
  return tally([...texts].flatMap(wordsOf));
}

/**
 * `count` short texts of random words from a vocabulary of `vocabulary`
 * words (word i is "w" and i in base 36), drawn from `random`.
 */
export function randomTexts(random: Random, count: number, vocabulary: number, length: [number, number] = [3, 12]): Map<string, string> {
  const texts = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const words = Array.from({ length: random.int(length[0], length[1]) }, () => `w${random.int(0, vocabulary - 1).toString(36)}`);
    texts.set(`doc-${i.toString().padStart(5, "0")}`, words.join(" "));
  }
  return texts;
}

/** Word count, as the handout writes it: [word, 1] per word; counts summed. No combiner: see `summedWordCount`. */
export const wordCount = {
  map: (_name: string, text: unknown): Array<[string, unknown]> => (text as string).split(" ").filter((word) => word !== "").map((word): [string, unknown] => [word, 1]),
  reduce: (_word: string, counts: unknown[]): unknown => (counts as number[]).reduce((sum, count) => sum + count, 0),
};

/** Word count with its combiner: the same sum. */
export const summedWordCount = { ...wordCount, combine: wordCount.reduce };

/** An inverted index: a text to [word, [name, count]] per distinct word; each word's postings sorted by name. */
export const invertedIndex = {
  map: (name: string, text: unknown): Array<[string, unknown]> => {
    const counts = new Map<string, number>();
    for (const word of (text as string).split(" ")) if (word !== "") counts.set(word, (counts.get(word) ?? 0) + 1);
    return [...counts].map(([word, count]): [string, unknown] => [word, [name, count]]);
  },
  reduce: (_word: string, postings: unknown[]): unknown => (postings as Array<[string, number]>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
};

/** The inverted index of some texts by a plain loop: each word's [name, count] postings, sorted by name. */
export function indexByLoop(texts: ReadonlyMap<string, string>): Map<string, Array<[string, number]>> {
  const index = new Map<string, Array<[string, number]>>();
  for (const [name, text] of texts) for (const [word, count] of countWords([text])) index.set(word, [...(index.get(word) ?? []), [name, count]]);
  for (const postings of index.values()) postings.sort(([a], [b]) => byString(a, b));
  return index;
}

/** Members in child processes, and a node in this process that coordinates them. */
export interface Spawned {
  here: Api.MapReduceNode;
  children: Api.ChildNode[];
}

/** Starts `count` children forming group `gid` (in their views and in that of a node in this process); all stop when the test ends. */
export async function spawnGroup(t: Pick<TestContext, "after">, count: number, gid: string): Promise<Spawned> {
  const here = await m5.startNode();
  const children: Api.ChildNode[] = [];
  t.after(async () => {
    await Promise.all(children.map((child) => child.stop()));
    await here.stop();
  });
  for (let i = 0; i < count; i++) children.push(await m5.spawnNode());
  await formGroup({ here, children }, gid, children);
  return { here, children };
}

/** Makes `members` the group `gid` in the view of the coordinating node and of every member. */
export async function formGroup({ here }: Spawned, gid: string, members: Api.ChildNode[]): Promise<void> {
  const view = members.map((child) => child.address);
  await here.groups.put(gid, view);
  const outcome = await here.group(gid).groups.put(gid, view);
  if (outcome.errors.size > 0) throw new Error(`Cannot form group ${gid}: ${[...outcome.errors.values()].map(describe).join("; ")}`);
}

/** Stores entries through the coordinating node's group store, 100 at a time. */
export async function putAll({ here }: Spawned, gid: string, entries: Iterable<readonly [string, unknown]>): Promise<void> {
  const list = [...entries];
  for (let i = 0; i < list.length; i += 100) await Promise.all(list.slice(i, i + 100).map(([name, value]) => here.store(gid).put(name, value)));
}

/** Resolves with how a promise ended, never rejects. */
export function outcome<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Waits for a promise on real nodes, failing with `what` if it has not
 * settled within `limitMs` (a bound on a failure, never on speed).
 */
export async function within<T>(promise: Promise<T>, limitMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still pending after ${limitMs} ms`)), limitMs);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** A one-line description of a thrown value. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * A function made from its source text, at global scope: how a constant the
 * test computes (a page count, a pattern) gets inside a function that
 * travels, as the handout advises ("write the constant inside the function").
 *
 * @example
 * const map = fromSource<Api.Job["map"]>(`(name, text) => text.includes(${JSON.stringify(word)}) ? [[name, 1]] : []`);
 */
export function fromSource<F>(source: string): F {
  return (0, eval)(`(${source})`) as F;
}

/** The visible text of each reachable page of a generated web, by path: its words joined by single spaces. */
export function webTexts(web: Web, truth: CrawlTruth = crawlTruth(web)): Map<string, string> {
  return new Map(truth.pages.map((page) => [page, visibleWords(web, page).join(" ")]));
}
