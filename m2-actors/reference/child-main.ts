/**
 * The program of a spawned node (spawn-node.ts): start a node with the
 * configuration given as the first argument, say where it listens, and stop
 * when stdin closes.
 */
import { startNode } from "./start-node.ts";

const node = await startNode(JSON.parse(process.argv[2] ?? "{}"));
process.stdout.write(`${JSON.stringify({ ready: { ...node.address, id: node.id } })}\n`);
process.stdin.on("end", async () => {
  await node.stop();
  process.exit(0);
});
process.stdin.resume();
