/**
 * A child process for the crash tests: a milestone-4 node on a folder, with
 * one more service, `probe`, through which the test sees the node's own
 * store and starts a reconfiguration from it (which answers how many keys
 * moved, and the ids of the members that failed). It prints its address,
 * id and process id as one line of JSON, and runs until killed (or until
 * its stdin closes).
 *
 * Usage: _store-node.ts <config as JSON>
 */
import type * as Api from "../api.ts";
import { load } from "../../autograder/kit/implementations.ts";

const m4 = await load<typeof Api>("m4");
const config = JSON.parse(process.argv.at(-1) as string) as Omit<Api.StoreNodeConfig, "context">;
const node = await m4.startNode(config);

/** Every key of a namespace of this node's own store, with its value. */
async function dump(gid: string): Promise<Array<[string, unknown]>> {
  const entries: Array<[string, unknown]> = [];
  for (const key of await node.local.keys(gid)) {
    const lookup = await node.local.get(gid, key);
    if (lookup.found) entries.push([key, lookup.value]);
  }
  return entries;
}

/** Runs `fn` again if it fails (a listing may race with a move that is still deleting). */
async function retried<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

await node.routes.put(
  {
    dump: (gid: string) => retried(() => dump(gid)),
    count: (gid: string) => retried(async () => (await node.local.keys(gid)).length),
    reconfigure: async (gid: string, members: Api.NodeAddress[]) => {
      const { moved, errors } = await node.store(gid).reconfigure(members);
      return { moved, failed: [...errors.keys()] };
    },
  },
  "probe",
  { mode: "concurrent" },
);

process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ address: node.address, id: node.id, pid: process.pid })}\n`);
