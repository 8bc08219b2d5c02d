/**
 * Milestone 2: a node. Replace each `throw` with your implementation; the
 * contract is in ../api.ts and the guide in handouts/m2.md. Add files to this
 * folder as you like (one concept per file keeps it readable).
 * `../deps.ts` gives you milestone 1 (`m1.serialize`, `m1.deserialize`).
 */
import { NotImplemented } from "../../autograder/kit/errors.ts";
import type { ChildNode, DistNode, NodeAddress, NodeConfig, NodeContext, SpawnOptions } from "../api.ts";

export { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";

/** Starts a node. See ../api.ts. */
export async function startNode(config?: NodeConfig): Promise<DistNode> {
  throw new NotImplemented("m2 startNode: see handouts/m2.md#startnode");
}

/** Starts a node in a child process. See ../api.ts. */
export async function spawnNode(config?: Omit<NodeConfig, "context">, options?: SpawnOptions): Promise<ChildNode> {
  throw new NotImplemented("m2 spawnNode: see handouts/m2.md#spawnnode");
}

/** A node's id: the SHA-256 of "ip:port", in hex. See ../api.ts. */
export function nodeId(address: NodeAddress): string {
  throw new NotImplemented("m2 nodeId: see handouts/m2.md#startnode");
}

/** The real context: HTTP with keep-alive, timers, Math.random, node:fs. See ../api.ts. */
export function realContext(options?: { bodyLimitBytes?: number }): NodeContext {
  throw new NotImplemented("m2 realContext: see handouts/m2.md#the-model");
}
