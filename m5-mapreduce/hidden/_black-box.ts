/**
 * What the black-box tests of milestone 5 share: nodes under test in child
 * processes of their own, seen as milestone 4's black-box tests see them
 * (`Remote`: their local stores, group stores and views through the harness
 * service), with `mr(gid).exec(job)` added; a cluster of such members and a
 * coordinator outside it; and ways to see a job's data on the members' own
 * stores, placed as the handout of milestone 4 says (recomputed here).
 * Nothing here loads code under test.
 */
import type { TestContext } from "node:test";
import type { Step } from "../../autograder/harness/black-box.ts";
import { startStudentNode } from "../../autograder/harness/student-node.ts";
import { inBatches, nodeConfig, Remote } from "../../m4-storage/hidden/_black-box.ts";
import { Placer } from "../../m4-storage/hidden/_placement.ts";
import type { Job, JobResult, JobStep, Placement } from "../api.ts";
import { type Holder, holdingsOf, leftoversOf, outputProblems } from "./_holdings.ts";
import { key } from "./_jobs.ts";

/** A node under test with MapReduce, seen from here. */
export class MrRemote extends Remote {
  /** `node.mr(gid, placement).exec(job)`: the job's functions travel as their source (milestone 1). */
  mr(gid: string, placement?: Placement): { exec(job: Job): Promise<JobResult> } {
    const head: Step = ["mr", placement === undefined ? [gid] : [gid, placement]];
    return { exec: (job) => this.call([head, ["exec", [job]]]) };
  }
}

/** Starts a milestone-5 node under test (a child process that dies with `t`). */
export async function startMrNode(t: Pick<TestContext, "after">, config: Record<string, unknown> = {}): Promise<MrRemote> {
  return new MrRemote(await startStudentNode(t as TestContext, "m5", nodeConfig(config)));
}

/** Members of a group holding a store, and a node outside the group that coordinates. */
export interface RemoteCluster {
  members: MrRemote[];
  outsider: MrRemote;
}

/** Makes `members` the group `gid` in the view of each member and of the outsider. */
export async function formGroup({ members, outsider }: RemoteCluster, gid: string): Promise<void> {
  for (const node of [...members, outsider]) await node.setView(gid, members);
}

/** The member that owns `name` among the cluster's members, under `placement` (milestone 4's default when absent). */
export function ownerOf(cluster: RemoteCluster, name: string, placement?: Placement): MrRemote {
  const id = new Placer(placement).owner(name, cluster.members.map((node) => node.nid));
  return cluster.members.find((node) => node.nid === id) as MrRemote;
}

/** Stores entries as the group store `gid` would: each on its owner's own store, in the group's namespace. */
export async function fill(cluster: RemoteCluster, gid: string, entries: Iterable<readonly [string, unknown]>, placement?: Placement): Promise<void> {
  await inBatches([...entries], 16, ([name, value]) => ownerOf(cluster, name, placement).local.put(gid, name, value));
}

/** The members' own stores, through the network. */
function holders(cluster: RemoteCluster): Holder[] {
  return cluster.members.map((node) => ({ id: node.nid, name: key(node.address), keys: node.local.keys, get: node.local.get }));
}

/** Every key of `gid` on the members' own stores, with its value and the members (node ids) that hold it. */
export const holdings = (cluster: RemoteCluster, gid: string) => holdingsOf(holders(cluster), gid);

/** Compares a job's output store, as the members' own stores hold it, with `expected` ("" when they agree: each key once, on its owner, with its value). */
export const misplacedOutput = (cluster: RemoteCluster, out: string, expected: ReadonlyMap<string, unknown>, placement?: Placement) =>
  outputProblems(holders(cluster), out, expected, (name) => ownerOf(cluster, name, placement).nid);

/** The namespaces of job `id` (its shuffles and rounds 1 … `rounds` + 1, and `also`) that still hold keys on a member. */
export const leftovers = (cluster: RemoteCluster, id: string, rounds: number, also: readonly string[] = []) => leftoversOf(holders(cluster), id, rounds, also);

/** A JobError that crossed the network: a plain Error with the JobError's name and fields (handouts/m1.md). */
export interface RemoteJobError extends Error {
  job: string;
  step: JobStep;
  node: string;
  key?: string;
}

/** The JobError in an error's chain of causes (a call to a node under test wraps what it threw in a RemoteError). */
export function jobErrorIn(error: unknown): RemoteJobError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; depth++) {
    if (current.name === "JobError") return current as RemoteJobError;
    current = current.cause;
  }
  return undefined;
}
