/**
 * Milestone 4: distributed storage. Replace each `throw` with your
 * implementation; the contract is in ../api.ts and the guide in
 * handouts/m4.md. Add files to this folder as you like. `../deps.ts` gives you
 * milestones 1, 2 and 3.
 */
import { NotImplemented } from "../../autograder/kit/errors.ts";
import type { ChildNode, Disk, LocalStore, Placement, StoreNode, StoreNodeConfig } from "../api.ts";

export { RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";

/** The default placement: consistent hashing, 100 virtual nodes per member. */
export const defaultPlacement: Placement = { scheme: "consistent", vnodes: 100 };

/** Starts a node with a local store and group stores. See ../api.ts. */
export async function startNode(config?: StoreNodeConfig): Promise<StoreNode> {
  throw new NotImplemented("m4 startNode: see handouts/m4.md#group-stores");
}

/** Starts a milestone-4 node in a child process. See ../api.ts. */
export async function spawnNode(config?: Omit<StoreNodeConfig, "context">): Promise<ChildNode> {
  throw new NotImplemented("m4 spawnNode: see handouts/m4.md#spawnnode");
}

/** A store in memory. See ../api.ts. */
export function memoryStore(): LocalStore {
  throw new NotImplemented("m4 memoryStore: see handouts/m4.md#local-stores");
}

/** A store in a folder, written atomically. See ../api.ts. */
export function fileStore(folder: string, disk?: Disk): LocalStore {
  throw new NotImplemented("m4 fileStore: see handouts/m4.md#local-stores");
}

/** The SHA-256 of a key's UTF-8 bytes, in hex. See ../api.ts. */
export function keyHash(key: string): string {
  throw new NotImplemented("m4 keyHash: see handouts/m4.md#placement");
}

/** The member that owns a key. See ../api.ts. */
export function owner(key: string, members: string[], placement?: Placement): string {
  throw new NotImplemented("m4 owner: see handouts/m4.md#placement");
}

/** The first n members for a key. See ../api.ts. */
export function owners(key: string, members: string[], placement: Placement, n: number): string[] {
  throw new NotImplemented("m4 owners: see handouts/m4.md#placement");
}
