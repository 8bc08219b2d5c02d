import assert from "node:assert/strict";
import { test } from "node:test";
import type { NodeAddress, NodeContext, WireResponse } from "../kit/context.ts";
import { UnreachableError } from "../kit/errors.ts";
import { Simulation } from "../harness/sim/simulation.ts";

const ip = "127.0.0.1";

/** A node that answers each request, after `delayMs` on its clock, with what its file /data/value holds. */
async function valueNode(context: NodeContext, port = 0, delayMs = 0): Promise<NodeAddress> {
  const listener = await context.transport.listen({ ip, port }, () =>
    new Promise<WireResponse>((resolve) => {
      context.clock.after(delayMs, () => void context.disk.read("/data/value").then((body) => resolve({ status: 200, body: body ?? "none" })));
    })
  );
  return listener.address;
}

let calls = 0;
/** Calls `to` from the node of `context` at `from`. */
const call = (context: NodeContext, from: NodeAddress, to: NodeAddress, timeoutMs = 1_000) =>
  context.transport.request(to, { id: `call-${++calls}`, from, path: "/local/value/get", body: "[]" }, timeoutMs);

/** Whether a promise has settled, read at any time. */
function watch(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(() => (settled = true), () => (settled = true));
  return () => settled;
}

/** Writes /data/value durably (contents and entry) on a node's disk. */
async function writeDurably(sim: Simulation, context: NodeContext, text: string) {
  await sim.settle(context.disk.mkdir("/data"));
  await sim.settle(context.disk.write("/data/value", text));
  await sim.settle(context.disk.sync("/data/value"));
  await sim.settle(context.disk.syncFolder("/data"));
}

test("a crashed node sends nothing: its later requests never leave and never settle", async () => {
  const sim = new Simulation({ seed: 1 });
  const [a, b] = [sim.context(), sim.context()];
  const [aAddress, bAddress] = [await valueNode(a), await valueNode(b)];
  sim.crash(aAddress);
  const sent = sim.network.stats.sent;
  const settled = watch(call(a, aAddress, bAddress));
  await sim.run(10_000);
  assert.equal(settled(), false, "a dead node's call settled");
  assert.equal(sim.network.stats.sent, sent, "a dead node's request left");
  assert.equal(sim.trace.recent(1)[0]?.fate, "lost");
});

test("a call pending when its caller crashes never settles: the reply is dropped, and its timeout never fires", async () => {
  const sim = new Simulation({ seed: 2, latency: [5, 5] });
  const [a, b] = [sim.context(), sim.context()];
  const [aAddress, bAddress] = [await valueNode(a), await valueNode(b, 0, 100)];
  const settled = watch(call(a, aAddress, bAddress, 500));
  await sim.run(50);
  sim.crash(aAddress);
  await sim.run(10_000);
  assert.equal(settled(), false);
  const reply = sim.trace.recent().find((message) => message.kind === "response");
  assert.equal(reply?.fate, "lost", "the reply reached the network and was lost at its dead receiver");
});

test("a crashed node's timers never fire, and none of them counts as pending", async () => {
  const sim = new Simulation({ seed: 3 });
  const a = sim.context();
  const address = await valueNode(a);
  let fired = 0;
  for (const ms of [10, 100, 1_000]) a.clock.after(ms, () => fired++);
  await sim.run(50);
  assert.deepEqual(sim.timers(address), { set: 3, pending: 2 });
  sim.crash(address);
  await sim.run(5_000);
  assert.equal(fired, 1);
  assert.deepEqual(sim.timers(address), { set: 3, pending: 0 });
});

test("a crashed node's disk operations never settle, and a crash between a write and its sync loses the write", async () => {
  const sim = new Simulation({ seed: 4, diskLatency: [1, 1] });
  const a = sim.context();
  const address = await valueNode(a);
  await writeDurably(sim, a, "old");
  const write = a.disk.write("/data/value", "new").then(() => a.disk.sync("/data/value"));
  await sim.run(1.5); // the write is done, its sync is not
  sim.crash(address);
  const settled = watch(write);
  await sim.run(1_000);
  assert.equal(settled(), false);
  assert.equal(await sim.settle(sim.disk(address).read("/data/value")), "old");
});

test("requests to a crashed node are refused", async () => {
  const sim = new Simulation({ seed: 5 });
  const [a, b] = [sim.context(), sim.context()];
  const [aAddress, bAddress] = [await valueNode(a), await valueNode(b)];
  sim.crash(bAddress);
  await assert.rejects(sim.settle(call(a, aAddress, bAddress)), UnreachableError);
  assert.equal(sim.trace.recent().find((message) => message.kind === "request")?.fate, "refused");
});

test("a node restarted on its address keeps what its disk made durable, loses the rest, and answers calls", async () => {
  const sim = new Simulation({ seed: 6 });
  const [a, b] = [sim.context(), sim.context()];
  const [aAddress, bAddress] = [await valueNode(a), await valueNode(b)];
  await writeDurably(sim, b, "durable");
  await sim.settle(b.disk.write("/data/value", "not synced"));
  assert.deepEqual(await sim.settle(call(a, aAddress, bAddress)), { status: 200, body: "not synced" });
  sim.crash(bAddress);
  const again = sim.restart(bAddress);
  assert.notDeepEqual([again.random(), again.random()], [b.random(), b.random()], "a new life draws from a fresh generator");
  assert.deepEqual(await valueNode(again, bAddress.port), bAddress);
  assert.deepEqual(await sim.settle(call(a, aAddress, bAddress)), { status: 200, body: "durable" });
  assert.equal(await sim.settle(sim.disk(bAddress).read("/data/value")), "durable");
});

test("a stop is no crash: a node restarted after a stop finds all it wrote, synced or not", async () => {
  const sim = new Simulation({ seed: 7 });
  const a = sim.context();
  const listener = await a.transport.listen({ ip, port: 0 }, async () => ({ status: 200, body: "" }));
  await sim.settle(a.disk.mkdir("/data"));
  await sim.settle(a.disk.write("/data/value", "not synced"));
  await listener.close();
  const again = sim.restart(listener.address);
  await valueNode(again, listener.address.port);
  assert.equal(await sim.settle(again.disk.read("/data/value")), "not synced");
});

test("a restarted node's context listens only on its address, and only known addresses crash or restart", async () => {
  const sim = new Simulation({ seed: 8 });
  const address = await valueNode(sim.context());
  sim.crash(address);
  await assert.rejects(valueNode(sim.restart(address), address.port + 1), /Cannot listen on 127\.0\.0\.1:\d+: this context restarts the node at 127\.0\.0\.1:\d+/);
  const unknown = { ip, port: 9_999 };
  assert.throws(() => sim.crash(unknown), /Cannot crash 127\.0\.0\.1:9999: no node of this simulation has listened there/);
  assert.throws(() => sim.restart(unknown), /Cannot restart/);
  assert.throws(() => sim.disk(unknown), /Cannot read the disk of/);
});

test("timers() counts the timers each node set and still holds, and those of all nodes", async () => {
  const sim = new Simulation({ seed: 9 });
  const [a, b] = [sim.context(), sim.context()];
  const [aAddress, bAddress] = [await valueNode(a), await valueNode(b)];
  const cancel = a.clock.after(100, () => {});
  a.clock.after(10, () => {});
  b.clock.after(1_000, () => {});
  assert.deepEqual(sim.timers(aAddress), { set: 2, pending: 2 });
  cancel();
  await sim.run(50);
  assert.deepEqual(sim.timers(aAddress), { set: 2, pending: 0 });
  assert.deepEqual(sim.timers(bAddress), { set: 1, pending: 1 });
  assert.deepEqual(sim.timers(), { set: 3, pending: 1 });
});
