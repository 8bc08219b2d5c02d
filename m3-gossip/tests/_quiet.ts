/**
 * A script that lifecycle.test.ts runs in a process of its own, under the
 * current runtime (it reaches milestone 3 through the implementation switch,
 * which the child inherits through DIST_IMPL). It starts real nodes in one
 * group with a member that accepts connections but never answers, so that
 * calls are in flight; has them gossip, broadcast, watch and tick with
 * `gossip.at`; stops everything; prints "stopped"; and returns. The process
 * must then exit on its own: nothing may be left holding it.
 */
import { createServer, type Socket } from "node:net";
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";

const m3 = await load<typeof Api>("m3");

const sockets: Socket[] = [];
const silent = createServer((socket) => {
  sockets.push(socket);
  socket.on("data", () => {});
  socket.on("error", () => {});
});
await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
const port = (silent.address() as { port: number }).port;

const nodes = [await m3.startNode(), await m3.startNode(), await m3.startNode()];
const members = [...nodes.map((node) => node.address), { ip: "127.0.0.1", port }];
for (const node of nodes) await node.groups.put("g", members);
for (const node of nodes) {
  await node.membership.watch("g", { periodMs: 50 });
  node.gossip.at(30, () => {});
  await node.gossip.spread("g", "t", node.id);
  await node.broadcast.send("g", node.id);
}
await new Promise((resolve) => setTimeout(resolve, 400));
await Promise.all(nodes.map((node) => node.stop()));
for (const socket of sockets) socket.destroy();
await new Promise((resolve) => silent.close(resolve));
process.stdout.write("stopped\n");
