import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { NodeAddress, NodeContext } from "../kit/context.ts";
import { currentRuntime } from "../kit/runtime.ts";
import { Simulation } from "../harness/sim/simulation.ts";

const thisFile = fileURLToPath(import.meta.url);
const onlyNode = { skip: currentRuntime() !== "node" && "only Node lists the resources a process holds" };

/**
 * A service that answers with the length of a file it reads with `read`;
 * `reads` gets each read, so that a test can wait for the real ones to end
 * (else they would still be running in the next test).
 */
async function fileLength(context: NodeContext, read: (path: string) => Promise<string | undefined>, reads: Promise<unknown>[] = []): Promise<NodeAddress> {
  const listener = await context.transport.listen({ ip: "127.0.0.1", port: 0 }, async () => {
    const reading = read(thisFile);
    reads.push(reading);
    return { status: 200, body: String((await reading)?.length) };
  });
  return listener.address;
}

/** Calls the service at `address` from a node of its own. */
async function callIt(sim: Simulation, address: NodeAddress) {
  const caller = sim.context();
  const from = (await caller.transport.listen({ ip: "127.0.0.1", port: 0 }, async () => ({ status: 200, body: "" }))).address;
  return sim.settle(caller.transport.request(address, { id: "c", from, path: "/local/file/length", body: "" }, 1_000));
}

test("a service that reads a file with node:fs inside a simulation stops the run with an error naming the I/O and the time", onlyNode, async () => {
  const sim = new Simulation({ seed: 1, latency: [5, 5] });
  const reads: Promise<unknown>[] = [];
  const address = await fileLength(sim.context(), (path) => readFile(path, "utf8"), reads);
  await assert.rejects(callIt(sim, address), {
    message: "Cannot simulate virtual time: a node did real I/O (FSReqPromise) at 5.0 ms; use the context's disk, clock and transport",
  });
  await Promise.all(reads);
});

test("a service that sets a real timer inside a simulation stops the run too", onlyNode, async () => {
  const sim = new Simulation({ seed: 2 });
  const reads: Promise<unknown>[] = [];
  const address = await fileLength(sim.context(), () => new Promise((resolve) => setTimeout(() => resolve("late"), 10)), reads);
  await assert.rejects(callIt(sim, address), /a node did real I\/O \(Timeout\) at/);
  await Promise.all(reads);
});

test("the same service reading through the context's disk runs in virtual time without complaint", async () => {
  const sim = new Simulation({ seed: 3 });
  const context = sim.context();
  await sim.settle(context.disk.mkdir(dirname(thisFile)));
  await sim.settle(context.disk.write(thisFile, "text"));
  const address = await fileLength(context, (path) => context.disk.read(path));
  assert.deepEqual(await callIt(sim, address), { status: 200, body: "4" });
});
