/**
 * The program of a node that a black-box test starts (student-node.ts): it
 * runs in a child process, as the student's user on the autograder, and
 * starts a node with the implementation under test, adds a `harness` service
 * through which the test drives the node's api from outside, says where it
 * listens, and stops when stdin closes.
 *
 * The harness service (registered with the node's own routes, so every call
 * travels through the node's own transport):
 *
 *   call(steps)  walks the node's api and returns the last value: each step is
 *                [name] (a property) or [name, args] (a method call, awaited);
 *                an argument {"$recorder": "log"} becomes a function that
 *                records its arguments in that log, for handlers and callbacks
 *   log(name)    the argument lists recorded in a log, in order
 *
 * @example
 * // through comm, from the test: node.group("kv").store.put("a", 1)
 * call([["group", ["kv"]], ["store"], ["put", ["a", 1]]]);
 *
 * Usage: node-host.ts mN '{"folder": "/tmp/x"}'
 */
import { load } from "../kit/implementations.ts";
import { parseMilestone } from "../kit/milestones.ts";

interface HostedNode {
  id: string;
  address: { ip: string; port: number };
  routes: { put(service: Record<string, unknown>, name: string, options?: { mode: string }): Promise<void> };
  stop(): Promise<void>;
}

const [milestone = "", config = "{}"] = process.argv.slice(2);
const { startNode } = await load<{ startNode(config: unknown): Promise<HostedNode> }>(parseMilestone(milestone));
const node = await startNode(JSON.parse(config));
const logs = new Map<string, unknown[][]>();

function recorders(args: unknown[]): unknown[] {
  return args.map((arg) => {
    const name = (arg as { $recorder?: unknown } | null)?.$recorder;
    if (typeof name !== "string") return arg;
    return (...values: unknown[]) => void (logs.get(name) ?? logs.set(name, []).get(name))?.push(values);
  });
}

await node.routes.put({
  call: async (steps: Array<[string, unknown[]?]>) => {
    let target: unknown = node;
    for (const [name, args] of steps) {
      const holder = target as Record<string, unknown>;
      const value = holder[name];
      target = args === undefined ? value : await (value as (...values: unknown[]) => unknown).apply(holder, recorders(args));
    }
    return target;
  },
  log: (name: string) => logs.get(name) ?? [],
}, "harness", { mode: "concurrent" });

process.stdout.write(`${JSON.stringify({ harnessReady: { ...node.address, id: node.id } })}\n`);
process.stdin.on("end", async () => {
  await node.stop();
  process.exit(0);
});
process.stdin.resume();
