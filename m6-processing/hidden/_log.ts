/**
 * Shared by m6's hidden tests of the event log (part 2: streams,
 * handouts/m6.md#the-log): members of a group and a node outside it, whose
 * requests to each member are counted (its transport is wrapped, so the
 * tests see how many calls an append makes); members restarted on their
 * folders at the same addresses; where the log keeps its data, computed
 * from the contract (milestone 4's default placement of `${topic}/${p}` and
 * of `${group}/${topic}` in `${gid}-log`); partitionOf recomputed with
 * node:crypto; and a clock the tests move by hand, shared by every node of
 * a cluster (retention by retainMs and consumer sessions run on it), so
 * that no test here reads the machine's clock or waits for real time.
 */
import { createHash } from "node:crypto";
import { rm } from "node:fs/promises";
import type { TestContext } from "node:test";
import { setImmediate } from "node:timers";
import { isDeepStrictEqual } from "node:util";
import type * as Api from "../api.ts";
import type * as M2 from "../../m2-actors/api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { describe, m6, outcome, within } from "./_engine.ts";
import { ownerId, preview } from "./_truth.ts";
import { scratchFolder } from "../../autograder/harness/scratch.ts";

export { describe, m6, outcome, preview, within };

const m2 = await load<typeof M2>("m2");

/** How long one step of the log may take before a test gives up: a bound on a hang, never on speed. */
export const logLimitMs = 60_000;

// ---------------------------------------------------------------------------
// Time, by hand.

/** Lets every pending promise callback, and what they start at once, run (one turn of the event loop). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface Timer {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that the test moves: `now()` stays where the test set it, and a
 * timer (`after`) fires once `advance` takes time to its moment or past it,
 * timers in the order of their moments (ties in the order they were set),
 * each with `now()` at its moment. A timer already due (0 ms) fires on the
 * next turn of the event loop, as on a real clock. It holds no handle of
 * the process: a timer never fired keeps nothing alive.
 */
export class ManualClock implements M2.Clock {
  #now: number;
  #seq = 0;
  #timers: Timer[] = [];
  #flushQueued = false;

  /** @param start the first `now()` (not 0, so that no time reads as missing) */
  constructor(start = 1_000_000) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  after(ms: number, callback: () => void): () => void {
    // As setTimeout: NaN or a negative delay is 0; Infinity never fires.
    const timer: Timer = { at: this.#now + (ms > 0 ? ms : 0), seq: this.#seq++, callback };
    this.#timers.push(timer);
    if (timer.at <= this.#now) this.#queueFlush();
    return () => {
      const i = this.#timers.indexOf(timer);
      if (i >= 0) this.#timers.splice(i, 1);
    };
  }

  /** How many timers wait to fire. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves the clock `ms` forward, firing every timer due by then in order
   * (and those they set that are due by then too), letting what each starts
   * run before the next. Advance between awaited operations, not while calls
   * are in flight: a node may time its calls on this clock.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0 && Number.isFinite(ms))) throw new RangeError(`cannot advance the clock by ${ms} ms`);
    const end = this.#now + ms;
    await settle();
    for (let timer = this.#takeDue(end); timer !== undefined; timer = this.#takeDue(end)) {
      this.#now = Math.max(this.#now, timer.at);
      timer.callback();
      await settle();
    }
    this.#now = end;
    await settle();
  }

  /** Removes and returns the first timer due by `end`, if any. */
  #takeDue(end: number): Timer | undefined {
    let first: Timer | undefined;
    for (const timer of this.#timers) {
      if (timer.at <= end && (first === undefined || timer.at < first.at || (timer.at === first.at && timer.seq < first.seq))) first = timer;
    }
    if (first !== undefined) this.#timers.splice(this.#timers.indexOf(first), 1);
    return first;
  }

  /** Fires, on the next turn of the event loop, the timers due now. */
  #queueFlush(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    setImmediate(() => {
      this.#flushQueued = false;
      for (let timer = this.#takeDue(this.#now); timer !== undefined; timer = this.#takeDue(this.#now)) timer.callback();
    });
  }
}

/** Members of a group, and a node outside it whose log drives them. */
export interface LogCluster {
  gid: string;
  members: Api.EngineNode[];
  /** Not a member: it calls the log, and holds none of its data. */
  outsider: Api.EngineNode;
  /** The members' node ids, in the order of `members`. */
  ids: string[];
  /** The outsider's log of `gid`. */
  log: Api.Log;
  /** The requests the outsider sent, by `ip:port` of the node they went to. */
  requests: Map<string, number>;
  /** The folders of the members, when they have some. */
  folders: string[] | undefined;
  /** The clock of every node of the cluster, members and outsider, restarted ones too. */
  clock: ManualClock;
}

/** How to start a log cluster. */
export interface LogClusterOptions {
  gid?: string;
  /** A folder for each member's own store. */
  folders?: string[];
  /** The members' ports (0, the default, for any free one). */
  ports?: number[];
  /** The nodes' clock (default: a new one). */
  clock?: ManualClock;
}

/** `ip:port` of a node. */
export const addressOf = (node: { address: Api.NodeAddress }): string => `${node.address.ip}:${node.address.port}`;

type Ends = Pick<TestContext, "after">;

const endings = new WeakMap<Ends, Array<() => Promise<unknown>>>();

/** Runs `fn` when `t` ends, last registered first: nodes stop before the folders they write in are removed. */
function atEnd(t: Ends, fn: () => Promise<unknown>): void {
  let list = endings.get(t);
  if (list === undefined) {
    const fns: Array<() => Promise<unknown>> = [];
    endings.set(t, fns);
    t.after(async () => {
      for (let next = fns.pop(); next !== undefined; next = fns.pop()) await next();
    });
    list = fns;
  }
  list.push(fn);
}

/** A member of a log cluster: a real context (HTTP, node:fs) on the test's clock, with its folder and port if given. */
const startMember = (clock: ManualClock, folder: string | undefined, port: number | undefined): Promise<Api.EngineNode> =>
  m6.startNode({ ...(folder === undefined ? {} : { folder }), ...(port === undefined ? {} : { port }), context: { ...m2.realContext(), clock } });

/** Starts a node on the test's clock whose requests to other nodes are counted in `requests`, by `ip:port`. */
async function countingNode(requests: Map<string, number>, clock: ManualClock): Promise<Api.EngineNode> {
  const real = { ...m2.realContext(), clock };
  const base = real.transport;
  const transport: M2.Transport = {
    listen: (address, handler) => base.listen(address, handler),
    request: (to, request, timeoutMs) => {
      const where = `${to.ip}:${to.port}`;
      requests.set(where, (requests.get(where) ?? 0) + 1);
      return base.request(to, request, timeoutMs);
    },
    close: () => base.close(),
  };
  return m6.startNode({ context: { ...real, transport } });
}

/**
 * Starts `count` members of a group and an outsider that counts its
 * requests; each knows the members; every node stops when `t` ends.
 */
export async function startLogCluster(t: Ends, count: number, options: LogClusterOptions = {}): Promise<LogCluster> {
  const clock = options.clock ?? new ManualClock();
  const nodes: Api.EngineNode[] = [];
  atEnd(t, () => Promise.all(nodes.map((node) => node.stop().catch(() => {}))));
  for (let i = 0; i < count; i++) nodes.push(await startMember(clock, options.folders?.[i], options.ports?.[i]));
  const requests = new Map<string, number>();
  const outsider = await countingNode(requests, clock);
  nodes.push(outsider);
  return formLogGroup(nodes.slice(0, count), outsider, requests, options.gid ?? "web", options.folders, clock);
}

/** Makes `members` the group `gid` in the view of each of them and of `outsider`. */
async function formLogGroup(members: Api.EngineNode[], outsider: Api.EngineNode, requests: Map<string, number>, gid: string, folders: string[] | undefined, clock: ManualClock): Promise<LogCluster> {
  const view = members.map((node) => node.address);
  for (const node of [...members, outsider]) await node.groups.put(gid, view);
  return { gid, members, outsider, ids: members.map((node) => node.id), log: outsider.log(gid), requests, folders, clock };
}

/** `count` new folders for members' stores, removed when `t` ends (once the nodes started after them have stopped). */
export async function logFolders(t: Ends, count: number, prefix = "m6-log-"): Promise<string[]> {
  const folders = await Promise.all(Array.from({ length: count }, () => scratchFolder(prefix)));
  atEnd(t, () => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true, maxRetries: 3 }))));
  return folders;
}

/**
 * Stops the members at `which` (every member by default) and starts each
 * again on its folder at its address; a new outsider too (the old one's
 * pooled connections lead to the stopped nodes), all on the cluster's clock.
 * The old outsider stops.
 * Every node started here stops when `t` ends.
 */
export async function restartMembers(t: Ends, cluster: LogCluster, which: number[] = cluster.members.map((_, i) => i)): Promise<LogCluster> {
  if (cluster.folders === undefined) throw new Error("restartMembers needs members with folders");
  const started: Api.EngineNode[] = [];
  atEnd(t, () => Promise.all(started.map((node) => node.stop().catch(() => {}))));
  await cluster.outsider.stop().catch(() => {});
  for (const i of which) await (cluster.members[i] as Api.EngineNode).stop();
  const members = [...cluster.members];
  for (const i of which) {
    const node = await startMember(cluster.clock, cluster.folders[i] as string, (cluster.members[i] as Api.EngineNode).address.port);
    started.push(node);
    members[i] = node;
  }
  const requests = new Map<string, number>();
  const outsider = await countingNode(requests, cluster.clock);
  started.push(outsider);
  return formLogGroup(members, outsider, requests, cluster.gid, cluster.folders, cluster.clock);
}

// ---------------------------------------------------------------------------
// Where the log keeps its data, from the contract.

/** The log's namespace of group `gid`. */
export const logNamespace = (gid: string): string => `${gid}-log`;

/** The member (node) that owns `key` in `${gid}-log`, by milestone 4's default placement. */
export function ownerOf(cluster: LogCluster, key: string): Api.EngineNode {
  const id = ownerId(key, cluster.ids);
  return cluster.members.find((node) => node.id === id) as Api.EngineNode;
}

/** The member that holds partition `p` of `topic`. */
export const partitionMember = (cluster: LogCluster, topic: string, p: number): Api.EngineNode => ownerOf(cluster, `${topic}/${p}`);

/** The coordinator of a consumer group on a topic. */
export const coordinatorOf = (cluster: LogCluster, group: string, topic: string): Api.EngineNode => ownerOf(cluster, `${group}/${topic}`);

/** `partitionOf` as api.ts defines it: the first four bytes of the key's SHA-256 (UTF-8), unsigned big-endian, mod `partitions`. */
export const partitionTruth = (key: string, partitions: number): number => createHash("sha256").update(key, "utf8").digest().readUInt32BE(0) % partitions;

/** `count` distinct keys (from `prefix`) that go to partition `p` of `partitions`. */
export function keysFor(p: number, partitions: number, count: number, prefix = "key"): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) if (partitionTruth(`${prefix}-${i}`, partitions) === p) keys.push(`${prefix}-${i}`);
  return keys;
}

/** A key of partition `p` of `partitions`. */
export const keyFor = (p: number, partitions: number, prefix = "key"): string => keysFor(p, partitions, 1, prefix)[0] as string;

/** Text of any stored value, Maps, Sets and bigints included, to look for tokens in. */
export function textOf(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (item instanceof Map ? [...item] : item instanceof Set ? [...item] : typeof item === "bigint" ? `${item}n` : item)) ?? String(value);
}

/** Every key a node holds in a namespace, with the text of its value. */
export async function storeTexts(node: Api.EngineNode, namespace: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const key of await node.local.keys(namespace)) {
    const lookup = await node.local.get(namespace, key);
    texts.set(key, lookup.found ? textOf(lookup.value) : "");
  }
  return texts;
}

// ---------------------------------------------------------------------------
// Events and reads.

/** The fields api.ts gives a LoggedEvent (an implementation's extra fields do not count). */
export function loggedFields(event: unknown): unknown {
  if (typeof event !== "object" || event === null) return event;
  const { key, value, time, partition, offset } = event as Partial<Api.LoggedEvent>;
  return { key, value, time, partition, offset };
}

/** An event as the log must hold it at a position. */
export const logged = (event: Api.LogEvent, position: Api.LogPosition): Api.LoggedEvent => ({ key: event.key, value: event.value, time: event.time, partition: position.partition, offset: position.offset });

/** Whether two events are the same, field by field (api.ts's fields only). */
export const sameEvent = (actual: unknown, expected: Api.LoggedEvent): boolean => isDeepStrictEqual(loggedFields(actual), loggedFields(expected));

/** Reads a partition from `from` to its end, `max` at a time (or a new random size each time); every answer in order. */
export async function readAll(log: Api.Log, topic: string, partition: number, from = 0, max: number | (() => number) = 100): Promise<{ events: Api.LoggedEvent[]; reads: Api.LogRead[] }> {
  const events: Api.LoggedEvent[] = [];
  const reads: Api.LogRead[] = [];
  let offset = from;
  for (let i = 0; i < 10_000; i++) {
    const size = typeof max === "number" ? max : max();
    const read = await within(log.read(topic, partition, offset, size), logLimitMs, `read(${topic}, ${partition}, ${offset}, ${size})`);
    reads.push(read);
    events.push(...read.events);
    const last = read.events.at(-1);
    if (last === undefined) return { events, reads };
    offset = last.offset + 1;
    if (offset >= read.end) return { events, reads };
  }
  throw new Error(`reading ${topic}/${partition} did not reach its end`);
}

/** The ascending offsets 0 … n − 1 (or from … to − 1). */
export const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

// ---------------------------------------------------------------------------
// Consumers.

/** Which of `consumers` gets partition p among `partitions`: p mod n over the ids sorted as `<` sorts strings. */
export function shares(ids: readonly string[], partitions: number): Map<string, number[]> {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const result = new Map<string, number[]>(sorted.map((id) => [id, []]));
  for (let p = 0; p < partitions; p++) result.get(sorted[p % sorted.length] as string)?.push(p);
  return result;
}

/** The share of consumer `id` among `ids`. */
export const shareOf = (id: string, ids: readonly string[], partitions: number): number[] => shares(ids, partitions).get(id) ?? [];

/** Polls a consumer with a hang limit. */
export const poll = (consumer: Api.Consumer, max?: number): Promise<Api.LoggedEvent[]> =>
  within(max === undefined ? consumer.poll() : consumer.poll(max), logLimitMs, `poll of consumer ${consumer.id}`);

/** Polls a consumer until a poll returns no events; every event returned, in order. */
export async function drain(consumer: Api.Consumer, max?: number): Promise<Api.LoggedEvent[]> {
  const events: Api.LoggedEvent[] = [];
  for (let i = 0; i < 1000; i++) {
    const got = await poll(consumer, max);
    if (got.length === 0) return events;
    events.push(...got);
  }
  throw new Error(`consumer ${consumer.id} never ran dry`);
}

/** The offsets of the events of partition `p`, in the order given. */
export const offsetsIn = (events: readonly Api.LoggedEvent[], p: number): number[] => events.filter((event) => event.partition === p).map((event) => event.offset);

/** The partitions of some events, ascending, each once. */
export const partitionsOf = (events: readonly Api.LoggedEvent[]): number[] => [...new Set(events.map((event) => event.partition))].sort((a, b) => a - b);

// ---------------------------------------------------------------------------
// Errors.

/** Waits for every promise to settle, then fails with the first failure, if any: nothing is left in flight when a check fails. */
export async function allSettled<T>(promises: ReadonlyArray<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<T>).value);
}

/** Whether a promise fails with a RangeError; the error, for its message. */
export async function rangeError(promise: Promise<unknown>, what: string): Promise<Error> {
  const ended = await within(outcome(promise), logLimitMs, what);
  if (ended.ok) throw new Error(`${what}: expected a RangeError, got ${preview(ended.value)}`);
  if (!(ended.error instanceof RangeError)) throw new Error(`${what}: expected a RangeError, got ${describe(ended.error)}`);
  return ended.error;
}

/** Whether a message names the number `n` (not as part of a longer number). */
export const names = (message: string, n: number): boolean => new RegExp(`(^|[^0-9])${n}([^0-9]|$)`).test(message);
