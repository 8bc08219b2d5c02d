/**
 * What the black-box tests of milestone 4 share: a client node (milestone
 * 2's reference, in this process) that reaches the nodes under test, a
 * typed view of a node under test whose api calls travel through its
 * `harness` service, a pool of nodes started once for the whole file, and
 * the keys a store must survive. Nothing here loads code under test: the
 * placements are recomputed from the handout (./_placement.ts, node:crypto).
 */
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import type { TestContext } from "node:test";
import { fileScope, referenceClient, type Step } from "../../autograder/harness/black-box.ts";
import { harnessOf, startStudentNode, studentFolder, type StudentNode } from "../../autograder/harness/student-node.ts";
import type { Lookup, Moved, NodeAddress, Placement } from "../api.ts";
import { nidOf, sha256 } from "./_placement.ts";

/** Time limit of one call from the test (a reconfiguration at half a CPU may take a while; it only bounds a failure). */
export const callLimitMs = 60_000;

/** Time limit of the calls the nodes under test make to one another. */
export const nodeCallLimitMs = 30_000;

/** A scope whose clean-ups run when `t` ends, the last registered first (nodes die before their folders go). */
export function scope(t: TestContext): TestContext {
  const cleanups: Array<() => unknown> = [];
  t.after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });
  return { after: (fn: () => unknown) => void cleanups.push(fn) } as unknown as TestContext;
}

export { fileScope, type Step };

const reference = referenceClient(callLimitMs);
/** The test's own node (milestone 2's reference): every call to a node under test goes from it. */
export const client = reference.get;
export const stopClient = reference.stop;

/** A group store of a node under test, each operation one harness call. */
export interface RemoteStore {
  get(key: string): Promise<Lookup>;
  put(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<Lookup>;
  append(key: string, value: unknown): Promise<number>;
  appendBatch(pairs: Array<[key: string, value: unknown]>): Promise<void>;
  keys(): Promise<string[]>;
  reconfigure(members: NodeAddress[]): Promise<Moved>;
}

/** A local store of a node under test (`node.local`), each operation one harness call. */
export interface RemoteLocal {
  get(gid: string, key: string): Promise<Lookup>;
  put(gid: string, key: string, value: unknown): Promise<void>;
  putIfAbsent(gid: string, key: string, value: unknown): Promise<boolean>;
  del(gid: string, key: string): Promise<Lookup>;
  /** `fn` travels as its source (milestone 1) and is re-created on the node: it must be self-contained. */
  update(gid: string, key: string, fn: (current: Lookup) => Lookup | Promise<Lookup>): Promise<Lookup>;
  append(gid: string, key: string, value: unknown): Promise<number>;
  appendAll(gid: string, key: string, values: unknown[]): Promise<number>;
  keys(gid: string): Promise<string[]>;
}

/** A node under test, seen from here. */
export class Remote {
  readonly process: StudentNode;
  /** Its id, computed here from its address (handouts/m2.md: SHA-256 of "ip:port"). */
  readonly nid: string;
  readonly local: RemoteLocal;

  constructor(process: StudentNode) {
    this.process = process;
    this.nid = nidOf(process.address);
    const local = (method: string) => (...args: unknown[]) => this.call([["local"], [method, args]]);
    this.local = {
      get: local("get") as RemoteLocal["get"],
      put: local("put") as RemoteLocal["put"],
      putIfAbsent: local("putIfAbsent") as RemoteLocal["putIfAbsent"],
      del: local("del") as RemoteLocal["del"],
      update: local("update") as RemoteLocal["update"],
      append: local("append") as RemoteLocal["append"],
      appendAll: local("appendAll") as RemoteLocal["appendAll"],
      keys: local("keys") as RemoteLocal["keys"],
    };
  }

  get address(): NodeAddress {
    return this.process.address;
  }

  /** Walks the node's api through its harness service (autograder/harness/node-host.ts). */
  async call(steps: Step[]): Promise<any> {
    return (await client()).comm.send([steps], harnessOf(this.process, "call"), { timeoutMs: callLimitMs });
  }

  /** `node.store(gid, placement)`, as this node sees the group. */
  store(gid: string, placement?: Placement): RemoteStore {
    const head: Step = ["store", placement === undefined ? [gid] : [gid, placement]];
    const op = (method: string) => (...args: unknown[]) => this.call([head, [method, args]]);
    return {
      get: op("get") as RemoteStore["get"],
      put: op("put") as RemoteStore["put"],
      del: op("del") as RemoteStore["del"],
      append: op("append") as RemoteStore["append"],
      appendBatch: op("appendBatch") as RemoteStore["appendBatch"],
      keys: op("keys") as RemoteStore["keys"],
      reconfigure: op("reconfigure") as RemoteStore["reconfigure"],
    };
  }

  /** Sets this node's view of a group (milestone 3's groups.put). */
  async setView(gid: string, members: readonly Remote[]): Promise<void> {
    await this.call([["groups"], ["put", [gid, members.map((member) => member.address)]]]);
  }

  /** This node's view of a group (milestone 3's groups.get). */
  async view(gid: string): Promise<NodeAddress[] | undefined> {
    return this.call([["groups"], ["get", [gid]]]);
  }
}

/** The config of every node under test: calls among them may take long at half a CPU. */
export function nodeConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { callTimeoutMs: nodeCallLimitMs, ...extra };
}

/** Starts a node under test (a child process that dies with `t`). */
export async function startRemote(t: TestContext, config: Record<string, unknown> = {}): Promise<Remote> {
  return new Remote(await startStudentNode(t, "m4", nodeConfig(config)));
}

/** A folder a node under test may write to, and a store folder three levels inside it (created by the node). */
export async function storeFolders(t: TestContext): Promise<{ root: string; folder: string }> {
  const root = await studentFolder(t);
  return { root, folder: `${root}/a/b/c/store` };
}

/** Sets the view of `gid` on each of `nodes` to `members`. */
export async function setViews(nodes: readonly Remote[], gid: string, members: readonly Remote[]): Promise<void> {
  for (const node of nodes) await node.setView(gid, members);
}

/** Runs `fn` on every item, at most `width` at a time; the results in order. */
export async function inBatches<T, R>(items: readonly T[], width: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/** Where each key of `gid` is: the ids of the nodes whose own store holds it. */
export async function locate(nodes: readonly Remote[], gid: string): Promise<Map<string, string[]>> {
  const where = new Map<string, string[]>();
  for (const node of nodes) {
    for (const key of await node.local.keys(gid)) where.set(key, [...(where.get(key) ?? []), node.nid]);
  }
  return where;
}

/**
 * Compares where keys are with where they should be (`expected`: key → node
 * id); a description of the first few differences, or "" if none.
 */
export function misplaced(where: Map<string, string[]>, expected: Map<string, string>): string {
  const short = (key: string) => JSON.stringify(key.slice(0, 40));
  const problems: string[] = [];
  for (const [key, owner] of expected) {
    const holders = where.get(key) ?? [];
    if (holders.length !== 1 || holders[0] !== owner) {
      problems.push(`${short(key)} is on [${holders.map((id) => id.slice(0, 5)).join(", ")}], expected on ${owner.slice(0, 5)}`);
    }
  }
  for (const [key, holders] of where) {
    if (!expected.has(key)) problems.push(`${short(key)} is on [${holders.map((id) => id.slice(0, 5)).join(", ")}] but was never stored`);
  }
  return problems.length === 0 ? "" : `${problems.length} keys misplaced, e.g. ${problems.slice(0, 5).join("; ")}`;
}

/** Resolves with how a promise ended, never rejects. */
export function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** The messages of an error and of its causes, one after the other. */
export function messages(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 10; depth++) {
    parts.push(current instanceof Error ? `${current.name}: ${current.message}` : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(" <- ");
}

/** The names of an error and of its causes (errors crossing the network keep their names). */
export function names(error: unknown): string[] {
  const found: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 10; depth++) {
    found.push(current.name);
    current = current.cause;
  }
  return found;
}

/**
 * Keys that break naive stores: paths (climbing at most three levels, naming
 * no real file), NUL, unicode, lone surrogates, long keys, names of
 * Object.prototype, and names a file store might give its own files.
 */
export function hostileKeys(gid: string): string[] {
  const keys = [
    "", ".", "..", "../", "../../etc/passwd", "../../../escape", "/", "/tmp", "a/b/c", "a/../../b", "a\\b", "C:\\Windows",
    "\u0000", "nul\u0000byte", "line\nbreak", " ", "ünïcødé 🗝", "中文キー", "\ud800", "\udbff", "\udc00x",
    "x".repeat(10_240), "ü".repeat(5_000), "__proto__", "constructor", "toString", "hasOwnProperty",
    "a", sha256("a"), `${sha256("a")}.tmp`, sha256(gid), ".tmp", "a.tmp", "keys", "index.json", gid, "0", "undefined",
  ];
  return [...new Set(keys)];
}

/** The SHA-256 of a string's UTF-16 code units, in hex: how a file store names its files and folders (handouts/m4.md#local-stores). */
export function utf16Hash(text: string): string {
  return sha256Bytes(Buffer.from(text, "utf16le"));
}

function sha256Bytes(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
