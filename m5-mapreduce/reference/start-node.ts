/**
 * startNode: a milestone-4 node (through the implementation switch) that can
 * coordinate jobs (`mr(gid)`) and work on them (the "mr" service), with a
 * memory store beside its own store for jobs that keep their intermediate
 * data in memory.
 */
import { extendNode } from "../../autograder/kit/extend-node.ts";
import type { MapReduceNode, MapReduceNodeConfig, Placement } from "../api.ts";
import { m4 } from "../deps.ts";
import { coordinator } from "./coordinator.ts";
import { workerService, workerServiceName } from "./worker.ts";

export async function startNode(config: MapReduceNodeConfig = {}): Promise<MapReduceNode> {
  const node = await m4.startNode(config);
  return extendNode(node, {
    fields: { mr: (gid: string, placement?: Placement) => coordinator(node, gid, placement ?? m4.defaultPlacement) },
    services: { [workerServiceName]: workerService(node, m4.memoryStore()) },
  });
}
