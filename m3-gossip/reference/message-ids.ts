/**
 * Ids for the rumors and values a node sends. Receivers drop an id they have
 * seen, so ids must never repeat: not within one node (a counter), not
 * across nodes (the node id), and not across a node's lives at one address,
 * since a node restarted there has the same node id (the time it started, on
 * its clock, tells the lives apart).
 */
import type * as M2 from "../../m2-actors/api.ts";

export function messageIds(node: M2.DistNode): () => string {
  const life = `${node.id}:${node.context.clock.now()}`;
  let counter = 0;
  return () => `${life}:${++counter}`;
}
