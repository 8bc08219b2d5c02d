/**
 * Milestone 3: groups, gossip and failure detection. Replace each `throw`
 * with your implementation; the contract is in ../api.ts and the guide in
 * handouts/m3.md. Add files to this folder as you like. `../deps.ts` gives
 * you milestone 2 (its startNode, spawnNode and nodeId), and
 * `../../autograder/kit/extend-node.ts` a way to build your node on its node.
 */
import { NotImplemented } from "../../autograder/kit/errors.ts";
import type { ChildNode, GroupNode, GroupNodeConfig } from "../api.ts";

export { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";

/** Starts a node with groups, gossip, broadcast and membership. See ../api.ts. */
export async function startNode(config?: GroupNodeConfig): Promise<GroupNode> {
  throw new NotImplemented("m3 startNode: see handouts/m3.md#groups");
}

/** Starts a milestone-3 node in a child process. See ../api.ts. */
export async function spawnNode(config?: Omit<GroupNodeConfig, "context">): Promise<ChildNode> {
  throw new NotImplemented("m3 spawnNode: see handouts/m3.md#spawnnode");
}
