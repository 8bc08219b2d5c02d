/**
 * What the black-box tests of milestone 6 share: nodes under test in child
 * processes of their own, seen as milestone 4's black-box tests see them
 * (`Remote`: their local stores and views through the harness service),
 * with `engine(gid)` added; a group of such members and a node outside it;
 * and the members' own stores, read to see where the engine keeps its data.
 * Nothing here loads code under test.
 */
import type { TestContext } from "node:test";
import { harnessOf, startStudentNode } from "../../autograder/harness/student-node.ts";
import { holdingsOf, type Holder } from "../../m5-mapreduce/hidden/_holdings.ts";
import { client, nodeConfig, Remote, type Step } from "../../m4-storage/hidden/_black-box.ts";
import type { CrawlOptions, CrawlReport, RankOptions, RankReport, SearchOptions, SearchResult } from "../api.ts";
import { type Holdings, ownerId } from "./_truth.ts";

/** Time limit of one engine step driven from here (a crawl or an index at half a CPU); it only bounds a failure. */
export const stepCallMs = 180_000;

/** An engine of a node under test, each method one harness call. */
export interface RemoteEngine {
  crawl(start: string, options?: CrawlOptions): Promise<CrawlReport>;
  index(): Promise<{ terms: number }>;
  rank(options?: RankOptions): Promise<RankReport>;
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
}

/** A node under test with a search engine, seen from here. */
export class EngineRemote extends Remote {
  /** `node.engine(gid)`: its results cross the network (milestone 1), Maps included. */
  engine(gid: string): RemoteEngine {
    const call = (method: string, args: unknown[]): Promise<unknown> => this.callLong([["engine", [gid]], [method, args]]);
    return {
      crawl: (start, options) => call("crawl", options === undefined ? [start] : [start, options]) as Promise<CrawlReport>,
      index: () => call("index", []) as Promise<{ terms: number }>,
      rank: (options) => call("rank", options === undefined ? [] : [options]) as Promise<RankReport>,
      search: (query, options) => call("search", options === undefined ? [query] : [query, options]) as Promise<SearchResult>,
    };
  }

  /** A harness walk with the longer limit of an engine step. */
  async callLong(steps: Step[]): Promise<unknown> {
    return (await client()).comm.send([steps], harnessOf(this.process, "call"), { timeoutMs: stepCallMs });
  }
}

/** Starts a milestone-6 node under test (a child process that dies with `t`). */
export async function startEngineNode(t: Pick<TestContext, "after">, config: Record<string, unknown> = {}): Promise<EngineRemote> {
  return new EngineRemote(await startStudentNode(t as TestContext, "m6", nodeConfig(config)));
}

/** Members of a group, and a node outside it. */
export interface RemoteCluster {
  gid: string;
  members: EngineRemote[];
  outsider: EngineRemote;
  /** The member (node id) that owns `key`. */
  owner(key: string): string;
}

/** Makes `members` the group `gid` in the view of each of them and of `outsider`. */
export async function formGroup(members: EngineRemote[], outsider: EngineRemote, gid: string): Promise<RemoteCluster> {
  for (const node of [...members, outsider]) await node.setView(gid, members);
  const ids = members.map((node) => node.nid);
  return { gid, members, outsider, owner: (key) => ownerId(key, ids) };
}

/** The members' own stores, through the network. */
function holders(cluster: RemoteCluster): Holder[] {
  return cluster.members.map((node) => ({ id: node.nid, name: `${node.address.ip}:${node.address.port}`, keys: node.local.keys, get: node.local.get }));
}

/** Every key of a namespace on the members' own stores, with its value and the members that hold it. */
export const holdings = (cluster: RemoteCluster, namespace: string): Promise<Holdings> => holdingsOf(holders(cluster), namespace);

/** The keys each member holds in a namespace, by node id. */
export async function heldKeys(cluster: RemoteCluster, namespace: string): Promise<Map<string, string[]>> {
  return new Map(await Promise.all(cluster.members.map(async (node): Promise<[string, string[]]> => [node.nid, await node.local.keys(namespace)])));
}
