import assert from "node:assert/strict";
import { test } from "node:test";
import type { NodeAddress, NodeContext } from "../kit/context.ts";
import { runSeed } from "../harness/seed.ts";
import { Simulation } from "../harness/sim/simulation.ts";
import { messageLine, Trace, type TracedMessage } from "../harness/sim/trace.ts";
import { withSimulation } from "../harness/sim/with-simulation.ts";

/** A node that answers every request with "ok". */
async function okNode(context: NodeContext): Promise<NodeAddress> {
  return (await context.transport.listen({ ip: "127.0.0.1", port: 0 }, async () => ({ status: 200, body: "ok" }))).address;
}

/** Two nodes, a and b, in `sim`. */
async function pair(sim: Simulation) {
  const a = sim.context();
  return { a, aAddress: await okNode(a), bAddress: await okNode(sim.context()) };
}

const message = (overrides: Partial<TracedMessage>): TracedMessage => ({
  at: 0, kind: "request", from: "127.0.0.1:1", to: "127.0.0.1:2", path: "/local/status/get", id: "x", bytes: 0, body: "", fate: "delivered", ...overrides,
});

test("a call is traced as a request and a response, each with its time, ends, path, id, size and fate", async () => {
  const sim = new Simulation({ seed: 1, latency: [10, 10] });
  const { a, aAddress, bAddress } = await pair(sim);
  await sim.settle(a.transport.request(bAddress, { id: "call-1", from: aAddress, path: "/local/status/get", body: "[\"nid\"]" }, 1_000));
  const [request, response] = sim.trace.recent();
  assert.deepEqual(request, { at: 0, kind: "request", from: "127.0.0.1:1", to: "127.0.0.1:2", path: "/local/status/get", id: "call-1", bytes: 7, body: "[\"nid\"]", fate: "delivered" });
  assert.deepEqual(response, { at: 10, kind: "response", from: "127.0.0.1:2", to: "127.0.0.1:1", path: "/local/status/get", id: "call-1", status: 200, bytes: 2, body: "ok", fate: "delivered" });
  assert.deepEqual(sim.trace.lines(2), [
    "the last 2 of 2 messages:",
    "      0.0 ms 127.0.0.1:1 → 127.0.0.1:2 request /local/status/get #call-1 7 B delivered",
    "     10.0 ms 127.0.0.1:2 → 127.0.0.1:1 response 200 /local/status/get #call-1 2 B delivered",
  ]);
});

test("a message lost to a fault or a cut link is traced as dropped, one sent twice as duplicated", async () => {
  for (const [faults, fate] of [[{ drop: 1 }, "dropped"], [{ duplicate: 1 }, "duplicated"]] as const) {
    const sim = new Simulation({ seed: 2, ...faults });
    const { a, aAddress, bAddress } = await pair(sim);
    void a.transport.request(bAddress, { id: "c", from: aAddress, path: "/p", body: "" }, 100).catch(() => {});
    await sim.run(1_000);
    assert.equal(sim.trace.recent()[0]?.fate, fate);
  }
  const sim = new Simulation({ seed: 3 });
  const { a, aAddress, bAddress } = await pair(sim);
  sim.network.cut(aAddress, bAddress);
  void a.transport.request(bAddress, { id: "c", from: aAddress, path: "/p", body: "" }, 100).catch(() => {});
  assert.equal(sim.trace.recent()[0]?.fate, "dropped");
});

test("a request to an address nobody listens on is traced as refused, and the refusal travels back; a message is in flight until it arrives", async () => {
  const sim = new Simulation({ seed: 4, latency: [5, 5] });
  const { a, aAddress } = await pair(sim);
  void a.transport.request({ ip: "127.0.0.1", port: 99 }, { id: "c", from: aAddress, path: "/p", body: "" }, 100).catch(() => {});
  assert.equal(sim.trace.recent()[0]?.fate, "in flight");
  await sim.run(20);
  assert.deepEqual(sim.trace.lines(2).slice(1), [
    "      0.0 ms 127.0.0.1:1 → 127.0.0.1:99 request /p #c 0 B refused",
    "      5.0 ms 127.0.0.1:99 → 127.0.0.1:1 refusal /p #c 0 B delivered",
  ]);
});

test("the trace keeps only its most recent messages, and a subscriber hears of every one as it is sent", () => {
  const trace = new Trace(3);
  const heard: string[] = [];
  const stop = trace.subscribe((sent) => heard.push(sent.id));
  for (let i = 0; i < 5; i++) trace.record(message({ id: `m${i}` }));
  stop();
  trace.record(message({ id: "m5" }));
  assert.deepEqual(heard, ["m0", "m1", "m2", "m3", "m4"]);
  assert.deepEqual(trace.recent().map(({ id }) => id), ["m3", "m4", "m5"]);
  assert.deepEqual(trace.recent(2).map(({ id }) => id), ["m4", "m5"]);
  assert.equal(trace.count, 6);
});

test("a message's line shortens a long id to its ends", () => {
  const id = `${"f".repeat(64)}-1200-17`;
  assert.equal(messageLine(message({ at: 120.44, id, bytes: 312, fate: "dropped", path: "/local/gossip/push" })), "    120.4 ms 127.0.0.1:1 → 127.0.0.1:2 request /local/gossip/push #ffffffff…ffff-1200-17 312 B dropped");
});

test("withSimulation shows the simulation's last messages in a failure, above the seed", async () => {
  const body = withSimulation({}, async (sim) => {
    const { a, aAddress, bAddress } = await pair(sim);
    await sim.settle(a.transport.request(bAddress, { id: "c", from: aAddress, path: "/local/status/get", body: "" }, 100));
    assert.fail("the test failed");
  });
  await assert.rejects(body({ name: "a failing test" }), (error: Error) => {
    const lines = error.message.split("\n");
    assert.deepEqual(lines.slice(0, 2), ["the test failed", "the last 2 of 2 messages:"]);
    assert.match(lines[2] ?? "", /127\.0\.0\.1:1 → 127\.0\.0\.1:2 request \/local\/status\/get #c 0 B delivered$/);
    assert.equal(lines.at(-1), `[seed ${runSeed}]`);
    return true;
  });
});
