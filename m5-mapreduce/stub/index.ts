/**
 * Milestone 5: MapReduce. Replace each `throw` with your implementation; the
 * contract is in ../api.ts and the guide in handouts/m5.md. Add files to this
 * folder as you like. `../deps.ts` gives you milestones 1, 2 and 4, and
 * `../../autograder/kit/extend-node.ts` a way to build your node on its node.
 */
import { NotImplemented } from "../../autograder/kit/errors.ts";
import type { ChildNode, MapReduceNode, MapReduceNodeConfig } from "../api.ts";

export { JobError, RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";

/** Starts a node with MapReduce. See ../api.ts. */
export async function startNode(config?: MapReduceNodeConfig): Promise<MapReduceNode> {
  throw new NotImplemented("m5 startNode: see handouts/m5.md#the-node");
}

/** Starts a milestone-5 node in a child process. See ../api.ts. */
export async function spawnNode(config?: Omit<MapReduceNodeConfig, "context">): Promise<ChildNode> {
  throw new NotImplemented("m5 spawnNode: see handouts/m5.md#the-node");
}
