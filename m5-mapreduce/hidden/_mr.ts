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
import type * as Api from "../api.ts";
import type * as M4 from "../../m4-storage/api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { TracedMessage } from "../../autograder/harness/sim/trace.ts";
import { type CrawlTruth, crawlTruth, visibleWords, type Web } from "../../autograder/web/index.ts";
import { type Holder, holdingsOf, leftoversOf, outputProblems } from "./_holdings.ts";
import { describe, key } from "./_jobs.ts";

export * from "./_jobs.ts";

export const m5 = await load<typeof Api>("m5");
export const m4 = await load<typeof M4>("m4");

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

/** The members' own stores, read in step with the cluster's time. */
function holders(cluster: Cluster): Holder[] {
  return cluster.members.map((node) => ({
    id: node.id,
    name: key(node.address),
    keys: (gid) => cluster.settle(node.local.keys(gid)),
    get: (gid, name) => cluster.settle(node.local.get(gid, name)),
  }));
}

/** Every key of `gid` on the members' own stores, with its value and the members (node ids) that hold it. */
export const holdings = (cluster: Cluster, gid: string) => holdingsOf(holders(cluster), gid);

/**
 * Compares a job's output store, as the members' own stores hold it, with
 * `expected`: each key once, on its owner, with its value. Returns the first
 * few differences, or "" when there are none.
 */
export const misplacedOutput = (cluster: Cluster, out: string, expected: ReadonlyMap<string, unknown>, placement?: Api.Placement) =>
  outputProblems(holders(cluster), out, expected, (name) => ownerOf(cluster, name, placement).id);

/** The namespaces of job `id` (rounds 1 … `rounds`, and one more) that still hold keys on some member. */
export const leftovers = (cluster: Cluster, id: string, rounds: number) => leftoversOf(holders(cluster), id, rounds);

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

/** Every message the simulated network carries from now on. */
export function traceFrom(sim: Simulation): TracedMessage[] {
  const messages: TracedMessage[] = [];
  sim.trace.subscribe((message) => messages.push(message));
  return messages;
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
