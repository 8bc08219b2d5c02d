/**
 * Milestone 6: the search engine. Replace each `throw` with your
 * implementation; the contract is in ../api.ts and the guide in
 * handouts/m6.md. Add files to this folder as you like. `../deps.ts` gives
 * you milestones 0, 2, 4 and 5, and `../../autograder/kit/extend-node.ts` a
 * way to build your node on its node.
 */
import { NotImplemented } from "../../autograder/kit/errors.ts";
import type { ChildNode, EngineNode, EngineNodeConfig, WindowingOptions, WindowOperator, Watermarks } from "../api.ts";

export { JobError, RemoteError, TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";

/** Starts a node with a search engine. See ../api.ts. */
export async function startNode(config?: EngineNodeConfig): Promise<EngineNode> {
  throw new NotImplemented("m6 startNode: see handouts/m6.md#the-node");
}

/** Starts a milestone-6 node in a child process. See ../api.ts. */
export async function spawnNode(config?: Omit<EngineNodeConfig, "context">): Promise<ChildNode> {
  throw new NotImplemented("m6 spawnNode: see handouts/m6.md#the-node");
}

/** A page's title. See ../api.ts. */
export function pageTitle(html: string, url: string): string {
  throw new NotImplemented("m6 pageTitle: see handouts/m6.md#search");
}

/** A snippet of a page's text. See ../api.ts. */
export function snippetOf(text: string, terms: readonly string[]): string {
  throw new NotImplemented("m6 snippetOf: see handouts/m6.md#search");
}

/** What a hit is ranked by. See ../api.ts. */
export function finalScore(text: number, rank: number, pages: number, weight: number): number {
  throw new NotImplemented("m6 finalScore: see handouts/m6.md#search");
}

/** The partition of a key among `partitions`. See ../api.ts. */
export function partitionOf(key: string, partitions: number): number {
  throw new NotImplemented("m6 partitionOf: see handouts/m6.md#the-log");
}

/** A window operator, empty or restored from a snapshot. See ../api.ts. */
export function windowOperator(options: WindowingOptions, snapshot?: unknown): WindowOperator {
  throw new NotImplemented("m6 windowOperator: see handouts/m6.md#the-processor");
}

/** Watermarks over the partitions of a source. See ../api.ts. */
export function watermarks(partitions: number, outOfOrderMs: number, snapshot?: unknown): Watermarks {
  throw new NotImplemented("m6 watermarks: see handouts/m6.md#the-processor");
}
