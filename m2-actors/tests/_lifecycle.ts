/**
 * A script the process tests run in a child process of their own, under the
 * current runtime (it reaches milestone 2 through the implementation switch,
 * which the child inherits through DIST_IMPL).
 *
 * - `parent`: spawns a node, prints its address as one line of JSON, and
 *   waits, until killed (or until its own stdin closes, so that it never
 *   outlives the test).
 * - `quiet`: starts three nodes, makes calls among them, spawns a node and
 *   calls it, stops everything, prints "stopped", and returns: the process
 *   must then exit on its own, since nothing may be left holding it.
 */
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";

const m2 = await load<typeof Api>("m2");

async function parent(): Promise<void> {
  const child = await m2.spawnNode();
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify(child.address)}\n`);
}

async function quiet(): Promise<void> {
  const nodes = [await m2.startNode(), await m2.startNode(), await m2.startNode({ callTimeoutMs: 20_000 })];
  for (const node of nodes) await node.routes.put({ echo: (value: unknown) => value }, "echo");
  const calls = nodes.flatMap((from) => nodes.map((to, k) => from.comm.send([k], { node: to.address, service: "echo", method: "echo" })));
  await Promise.all(calls);
  const child = await m2.spawnNode();
  await (nodes[0] as Api.DistNode).comm.send(["nid"], { node: child.address, service: "status", method: "get" });
  await child.stop();
  await Promise.all(nodes.map((node) => node.stop()));
  process.stdout.write("stopped\n");
}

const mode = process.argv.at(-1);
if (mode === "parent") await parent();
else if (mode === "quiet") await quiet();
else throw new RangeError(`Cannot run the lifecycle script: unknown mode "${mode}"`);
