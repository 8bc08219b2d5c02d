import type { ChildNode, EngineNodeConfig } from "../api.ts";
import { m2 } from "../deps.ts";

/** A milestone-6 node in a child process: milestone 2's spawnNode, running this module's startNode. */
export function spawnNode(config: Omit<EngineNodeConfig, "context"> = {}): Promise<ChildNode> {
  return m2.spawnNode(config, { module: new URL("./start-node.ts", import.meta.url).href });
}
