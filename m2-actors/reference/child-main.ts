/**
 * The program of a spawned node (spawn-node.ts): start a node with the
 * configuration given as the first argument, using the `startNode` of the
 * module given as the second, say where it listens, and stop when stdin
 * closes.
 */
import { pathToFileURL } from "node:url";
import type { DistNode, NodeConfig } from "../api.ts";

const [config = "{}", module = ""] = process.argv.slice(2);
const url = module.startsWith("file:") ? module : pathToFileURL(module).href;
const { startNode } = (await import(url)) as { startNode: (config: NodeConfig) => Promise<DistNode> };
const node = await startNode(JSON.parse(config));
process.stdout.write(`${JSON.stringify({ ready: { ...node.address, id: node.id } })}\n`);
process.stdin.on("end", async () => {
  await node.stop();
  process.exit(0);
});
process.stdin.resume();
