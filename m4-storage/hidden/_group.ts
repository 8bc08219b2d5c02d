/**
 * Nodes for the hidden tests of group stores: the implementation under test,
 * real nodes in this process that stop when the test ends, and ways to see
 * where a group's keys actually are (each node's own store, which the
 * contract names: a group's keys live in its namespace on their owner).
 */
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type { Placer } from "./_placement.ts";

export const m4 = await load<typeof Api>("m4");

/** Starts `count` nodes in this process; they stop when the test ends. */
export async function startNodes(t: TestContext, count: number, config: Api.StoreNodeConfig = {}): Promise<Api.StoreNode[]> {
  const started: Api.StoreNode[] = [];
  t.after(() => Promise.all(started.map((node) => node.stop())));
  for (let i = 0; i < count; i++) started.push(await m4.startNode(config));
  return started;
}

/** Sets the view of group `gid` on each of `nodes` to `members`. */
export async function setView(nodes: readonly Api.StoreNode[], gid: string, members: readonly Api.StoreNode[]): Promise<void> {
  const view = members.map((node) => node.address);
  for (const node of nodes) await node.groups.put(gid, view);
}

/** The node ids of some nodes. */
export const ids = (nodes: readonly Api.StoreNode[]): string[] => nodes.map((node) => node.id);

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
export async function locate(nodes: readonly Api.StoreNode[], gid: string): Promise<Map<string, string[]>> {
  const where = new Map<string, string[]>();
  for (const node of nodes) {
    for (const key of await node.local.keys(gid)) where.set(key, [...(where.get(key) ?? []), node.id]);
  }
  return where;
}

/**
 * Compares where keys are with where they should be (`expected`: key → node
 * id); returns a description of the first few differences, or "" if none.
 */
export function misplaced(where: Map<string, string[]>, expected: Map<string, string>): string {
  const problems: string[] = [];
  for (const [key, owner] of expected) {
    const holders = where.get(key) ?? [];
    if (holders.length !== 1 || holders[0] !== owner) {
      problems.push(`${JSON.stringify(key.slice(0, 40))} is on [${holders.map((id) => id.slice(0, 5)).join(", ")}], expected on ${owner.slice(0, 5)}`);
    }
  }
  for (const [key, holders] of where) {
    if (!expected.has(key)) problems.push(`${JSON.stringify(key.slice(0, 40))} is on [${holders.map((id) => id.slice(0, 5)).join(", ")}] but was never stored`);
  }
  return problems.length === 0 ? "" : `${problems.length} keys misplaced, e.g. ${problems.slice(0, 5).join("; ")}`;
}

/**
 * Stores entries as a group store with these members would: each on its
 * owner's own store, in the group's namespace (handouts/m4.md#group-stores).
 */
export async function storeAtOwners(
  nodes: readonly Api.StoreNode[],
  gid: string,
  placer: Placer,
  members: readonly Api.StoreNode[],
  entries: ReadonlyArray<readonly [string, unknown]>,
): Promise<void> {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const memberIds = ids(members);
  await inBatches(entries, 100, async ([key, value]) => {
    const node = byId.get(placer.owner(key, memberIds)) as Api.StoreNode;
    await node.local.put(gid, key, value);
  });
}

/** Resolves with how a promise ended, never rejects. */
export function settle<T>(promise: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/** A one-line description of a thrown value. */
export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
