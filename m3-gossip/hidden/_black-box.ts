/**
 * What the black-box tests of milestone 3 share: a client node (milestone
 * 2's reference, in this process) that reaches the nodes under test, a typed
 * view of a node under test whose api calls travel through its `harness`
 * service, a pool of nodes that tests share and may crash or restart with
 * other options, the broadcast layout of the handout recomputed here, and
 * waiting until a set of nodes falls silent. Nothing here loads code under
 * test.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createServer } from "node:net";
import type { TestContext } from "node:test";
import { fileScope, referenceClient, type Step } from "../../autograder/harness/black-box.ts";
import { harnessOf, startStudentNode, type StudentNode } from "../../autograder/harness/student-node.ts";
import { eventually } from "../../autograder/harness/wait.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as M2 from "../../m2-actors/api.ts";
import type { MemberView, NodeAddress } from "../api.ts";

const m2 = await load<typeof M2>("m2", "reference");

/** Time limit of one call from the test (it only bounds a failure). */
export const callLimitMs = 60_000;

/**
 * The call timeout of the nodes under test: longer than any test, so that a
 * group-wide call that ignored `options.timeoutMs` would hang the test.
 */
export const nodeCallLimitMs = 300_000;

/** The node id of an address: SHA-256 of "ip:port" (handouts/m2.md). */
export function nidOf(address: NodeAddress): string {
  return createHash("sha256").update(`${address.ip}:${address.port}`).digest("hex");
}

export { fileScope, type Step };

const reference = referenceClient(callLimitMs);
/** The test's own node (milestone 2's reference): every call to a node under test goes from it. */
export const client = reference.get;
export const stopClient = reference.stop;

/** Starts a reference node of milestone 2 in this process, stopped when `t` ends. */
export async function referenceNode(t: TestContext): Promise<M2.DistNode> {
  const node = await m2.startNode({ callTimeoutMs: callLimitMs });
  t.after(() => node.stop());
  return node;
}

/** An address where nothing listens (a port the system just handed out and took back). */
export async function freeAddress(): Promise<NodeAddress> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return { ip: "127.0.0.1", port };
}

/** Ends a walk whose last call returns a function (a cancel): only its arity travels back, the function stays in the node. */
export const keepIt: Step = ["length"];

/** Ends a walk whose last call returns a cancel function by calling it there, at once. */
export const cancelIt: Step = ["call", []];

/** A recorder argument: the node under test records each call's arguments in the log `name` (node-host.ts). */
export const recorder = (name: string): { $recorder: string } => ({ $recorder: name });

/** A node under test, seen from here. */
export class Remote {
  readonly process: StudentNode;
  /** Its id, computed here from its address. */
  readonly nid: string;

  constructor(process: StudentNode) {
    this.process = process;
    this.nid = nidOf(process.address);
  }

  get address(): NodeAddress {
    return this.process.address;
  }

  get short(): string {
    return this.nid.slice(0, 5);
  }

  /** Walks the node's api through its harness service (autograder/harness/node-host.ts). */
  async call(steps: Step[], limitMs = callLimitMs): Promise<any> {
    return (await client()).comm.send([steps], harnessOf(this.process, "call"), { timeoutMs: limitMs });
  }

  /** The argument lists recorded in a log, in order. */
  async log(name: string): Promise<unknown[][]> {
    return (await (await client()).comm.send([name], harnessOf(this.process, "log"), { timeoutMs: callLimitMs })) as unknown[][];
  }

  /** How many calls the node has sent through comm. */
  async sent(): Promise<number> {
    return ((await this.call([["status"], ["get", ["counts"]]])) as { sent: number }).sent;
  }

  /** Sets this node's view of a group. */
  async setView(gid: string, members: ReadonlyArray<{ address: NodeAddress }>): Promise<void> {
    await this.call([["groups"], ["put", [gid, members.map((member) => member.address)]]]);
  }

  /** This node's view of a group. */
  async view(gid: string): Promise<NodeAddress[] | undefined> {
    return this.call([["groups"], ["get", [gid]]]);
  }

  /** This node's membership view of a watched group. */
  async members(gid: string): Promise<Map<string, MemberView>> {
    return this.call([["membership"], ["view", [gid]]]);
  }
}

/** Sets the view of `gid` on each of `nodes` to `members`. */
export async function setViews(nodes: readonly Remote[], gid: string, members: ReadonlyArray<{ address: NodeAddress }>): Promise<void> {
  await Promise.all(nodes.map((node) => node.setView(gid, members)));
}

/**
 * A pool of nodes under test that the tests of a file share. A test may
 * crash one, or restart one with other options; the next test that asks for
 * the pool gets every node back with the pool's own options. A crashed node
 * comes back at its port, so with its node id (as a restart); a node
 * restarted with other options comes back at a new port, so that no rumor or
 * value id it makes (a node id and a counter, as the handout suggests) can
 * be one its earlier process made.
 */
export class Pool {
  readonly #scope: TestContext;
  readonly #base: Record<string, unknown>;
  readonly #slots: Array<Promise<Slot>> = [];

  readonly #size: number;

  /** Nothing starts until a test first asks for the pool. */
  constructor(scope: TestContext, size: number, base: Record<string, unknown>) {
    this.#scope = scope;
    this.#size = size;
    this.#base = base;
  }

  async #start(extra: Record<string, unknown>, port: number): Promise<Slot> {
    const process = await startStudentNode(this.#scope, "m3", { ...this.#base, ...extra, port });
    return { node: new Remote(process), options: JSON.stringify(extra), alive: true };
  }

  /** Every node, each running with the pool's options. */
  all(): Promise<Remote[]> {
    while (this.#slots.length < this.#size) this.#slots.push(this.#start({}, 0));
    return Promise.all(this.#slots.map((_, i) => this.slot(i)));
  }

  /** Node `i`, running with the pool's options and `extra`: restarted at its port if it crashed, at a new one if it runs other options. */
  async slot(i: number, extra: Record<string, unknown> = {}): Promise<Remote> {
    const current = await (this.#slots[i] as Promise<Slot>);
    if (current.alive && current.options === JSON.stringify(extra)) return current.node;
    if (current.alive) await current.node.process.stop();
    this.#slots[i] = this.#start(extra, current.alive ? 0 : current.node.address.port);
    return (await (this.#slots[i] as Promise<Slot>)).node;
  }

  /** Crashes node `i` (SIGKILL); asking for it again restarts it at its port. */
  async crash(i: number): Promise<void> {
    const current = await (this.#slots[i] as Promise<Slot>);
    await current.node.process.kill();
    current.alive = false;
  }
}

interface Slot {
  node: Remote;
  /** The options it runs with besides the pool's, as JSON. */
  options: string;
  alive: boolean;
}

/** How many calls each of `nodes` has sent, by node id. */
export async function sentCounts(nodes: readonly Remote[]): Promise<Map<string, number>> {
  return new Map(await Promise.all(nodes.map(async (node) => [node.nid, await node.sent()] as const)));
}

/**
 * Waits until none of `nodes` has sent a call for `windowMs` (the counts
 * read unchanged, every 100 ms, for that long); their sent counts then. A
 * node that never falls silent fails the test after `limitMs`.
 */
export async function quiet(nodes: readonly Remote[], windowMs: number, limitMs = 30_000): Promise<Map<string, number>> {
  const everyMs = 100;
  let last = await sentCounts(nodes);
  let unchanged = 0;
  let changed: string[] = [];
  const silent = await eventually(async () => {
    const now = await sentCounts(nodes);
    changed = nodes.filter((node) => now.get(node.nid) !== last.get(node.nid)).map((node) => node.short);
    unchanged = changed.length === 0 ? unchanged + 1 : 0;
    last = now;
    return unchanged * everyMs >= windowMs;
  }, limitMs, everyMs);
  assert.ok(silent, `nodes [${changed.join(", ")}] still send calls ${limitMs / 1000} s on, with nothing left to do`);
  return last;
}

/** How many calls each node sent between two readings of `sentCounts`, by node id. */
export function sentSince(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  return new Map([...after].map(([nid, count]) => [nid, count - (before.get(nid) ?? 0)]));
}

/** The broadcast layout (handouts/m3.md#broadcast): the members ordered by node id, in rows of ⌈√n⌉. */
export function layout(nids: readonly string[]): string[][] {
  const ordered = [...nids].sort();
  const width = Math.ceil(Math.sqrt(ordered.length));
  const rows: string[][] = [];
  for (let i = 0; i < ordered.length; i += width) rows.push(ordered.slice(i, i + width));
  return rows;
}

/**
 * The calls each member makes to carry one value that `sender` sends, by
 * node id: the sender calls the rest of its row and one member of each other
 * row (the one in its column, or the row's first), and each of those calls
 * the rest of its own row.
 */
export function broadcastCalls(nids: readonly string[], sender: string): Map<string, number> {
  const rows = layout(nids);
  const calls = new Map(nids.map((nid) => [nid, 0]));
  const row = rows.find((members) => members.includes(sender)) as string[];
  const column = row.indexOf(sender);
  calls.set(sender, row.length - 1 + rows.length - 1);
  for (const other of rows.filter((members) => members !== row)) {
    calls.set((other[column] ?? other[0]) as string, other.length - 1);
  }
  return calls;
}

/** Resolves with how a promise ended, never rejects. */
export function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** An address as text, for comparing lists of members whatever their order. */
export const addressText = (address: NodeAddress): string => `${address.ip}:${address.port}`;

/** A list of members as sorted text. */
export const membersText = (members: readonly NodeAddress[] | undefined): string[] | undefined => members?.map(addressText).sort();
