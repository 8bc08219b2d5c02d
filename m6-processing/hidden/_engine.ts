/**
 * Shared by m6's hidden tests that run nodes in this process: the
 * implementation under test, a group of engine nodes with a node outside
 * it that drives the engine, and the members' own stores (`node.local`),
 * read to see where the engine keeps its data.
 */
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";
import { holdingsOf, type Holder } from "../../m5-mapreduce/hidden/_holdings.ts";
import { describe, outcome, within } from "../../m5-mapreduce/hidden/_jobs.ts";
import { type Holdings, ownerId } from "./_truth.ts";

export { describe, outcome, within };

export const m6 = await load<typeof Api>("m6");

/** Members of a group, and a node outside it whose engine drives them. */
export interface Cluster {
  gid: string;
  members: Api.EngineNode[];
  /** Not a member: it starts each step, and must hold none of the engine's data. */
  outsider: Api.EngineNode;
  /** The members' node ids. */
  ids: string[];
  /** The outsider's engine of `gid`. */
  engine: Api.Engine;
  /** The member (node id) that owns `key` in any of the group's stores. */
  owner(key: string): string;
}

/** How to start a cluster. */
export interface ClusterOptions {
  gid?: string;
  /** A folder for each member's own store. */
  folders?: string[];
}

/** Starts `count` members of a group and an outsider, all of which know the members; they stop when `t` ends. */
export async function startCluster(t: Pick<TestContext, "after">, count: number, options: ClusterOptions = {}): Promise<Cluster> {
  const nodes: Api.EngineNode[] = [];
  t.after(() => Promise.all(nodes.map((node) => node.stop().catch(() => {}))));
  for (let i = 0; i <= count; i++) {
    const folder = i < count ? options.folders?.[i] : undefined;
    nodes.push(await m6.startNode(folder === undefined ? {} : { folder }));
  }
  return groupOf(nodes.slice(0, count), nodes[count] as Api.EngineNode, options.gid ?? "web");
}

/** Makes `members` the group `gid` in the view of each of them and of `outsider`. */
export async function groupOf(members: Api.EngineNode[], outsider: Api.EngineNode, gid: string): Promise<Cluster> {
  const view = members.map((node) => node.address);
  for (const node of [...members, outsider]) await node.groups.put(gid, view);
  const ids = members.map((node) => node.id);
  return { gid, members, outsider, ids, engine: outsider.engine(gid), owner: (key) => ownerId(key, ids) };
}

/** The same nodes as another group, with stores of its own. */
export const regroup = (cluster: Cluster, gid: string): Promise<Cluster> => groupOf(cluster.members, cluster.outsider, gid);

/** The members' own stores. */
function holders(cluster: Cluster): Holder[] {
  return cluster.members.map((node) => ({
    id: node.id,
    name: `${node.address.ip}:${node.address.port}`,
    keys: (namespace) => node.local.keys(namespace),
    get: (namespace, key) => node.local.get(namespace, key),
  }));
}

/** Every key of a namespace on the members' own stores, with its value and the members that hold it. */
export const holdings = (cluster: Cluster, namespace: string): Promise<Holdings> => holdingsOf(holders(cluster), namespace);

/** The keys each member holds in a namespace, by node id. */
export async function heldKeys(cluster: Cluster, namespace: string): Promise<Map<string, string[]>> {
  return new Map(await Promise.all(cluster.members.map(async (node): Promise<[string, string[]]> => [node.id, await node.local.keys(namespace)])));
}

/** The member that owns `key`. */
export const ownerNode = (cluster: Cluster, key: string): Api.EngineNode => cluster.members.find((node) => node.id === cluster.owner(key)) as Api.EngineNode;

/** Asserts that a call fails with a RangeError (or a TypeError, when told). */
export async function assertThrows(promise: Promise<unknown>, type: typeof RangeError | typeof TypeError, what: string): Promise<void> {
  const ended = await within(outcome(promise), 60_000, what);
  assert.ok(!ended.ok && ended.error instanceof type, `${what}: expected a ${type.name}, got ${ended.ok ? "a result" : describe(ended.error)}`);
}

/** How long a step may take before a test gives up: a bound on a failure (a hang), never on speed. */
export const stepLimitMs = 120_000;
