/**
 * handouts/m2.md#rpc: a stub travels anywhere (through several nodes) and,
 * called inside a service method on any node, runs its function on its home
 * node, with the home node's state; its serialized form holds no more than
 * an id and an address; called outside any service method it throws.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as M1 from "../../m1-serialization/api.ts";
import type * as Api from "../api.ts";
import { realNodes, simNodes } from "./_nodes.ts";

const m2 = await load<typeof Api>("m2");
const m1 = await load<typeof M1>("m1");

type Callback = (n: number) => Promise<unknown>;

/**
 * Makes `relay` forward a stub to `end`, and `end` call it: the relay's
 * `forward(f, n)` sends `[{ f }, n]` to the end's `call`, which runs `f(n)`.
 */
async function chain(relay: Api.DistNode, end: Api.DistNode): Promise<void> {
  await end.routes.put({ call: async (holder: { f: Callback }, n: number) => holder.f(n) }, "caller");
  await relay.routes.put({
    forward: (f: Callback, n: number) => relay.comm.send([{ f }, n], { node: end.address, service: "caller", method: "call" }),
  }, "relay");
}

test("a stub passed through three real nodes runs its function on its home node, with that node's state", async (t) => {
  const [home, relay, end] = await realNodes(t, m2, 3);
  assert.ok(home && relay && end);
  await chain(relay, end);
  let total = 0;
  const ran: number[] = [];
  const add = home.rpc.stub((n: number) => {
    total += n;
    ran.push(n);
    return { total };
  });
  const before = (await home.status.get("counts")).received;
  assert.deepEqual(await home.comm.send([add, 5], { node: relay.address, service: "relay", method: "forward" }), { total: 5 });
  assert.deepEqual(await home.comm.send([add, 7], { node: relay.address, service: "relay", method: "forward" }), { total: 12 });
  assert.deepEqual(ran, [5, 7], "the function runs on its home node, once per call");
  assert.equal(total, 12);
  const after = (await home.status.get("counts")).received;
  assert.equal(after - before, 2, "each call of the stub reaches its home node through comm");
});

test("a stub passed through three simulated nodes runs its function on its home node", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 10] });
  const [home, relay, end] = await simNodes(t, m2, sim, 3);
  assert.ok(home && relay && end);
  await chain(relay, end);
  const seen: number[] = [];
  const remember = home.rpc.stub(async (n: number) => {
    seen.push(n);
    await new Promise<void>((resolve) => sim.scheduler.after(3, resolve));
    return seen.length;
  });
  for (let k = 1; k <= 5; k++) {
    const count: unknown = await sim.settle(home.comm.send([remember, k * 10], { node: relay.address, service: "relay", method: "forward" }));
    assert.equal(count, k, "the stub returns its function's (awaited) result");
  }
  assert.deepEqual(seen, [10, 20, 30, 40, 50]);
}));

test("stubs from different nodes each run on their own home node", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 10] });
  const nodes = await simNodes(t, m2, sim, 4);
  const [caller] = nodes;
  assert.ok(caller);
  await caller.routes.put({ callAll: (fs: Callback[], n: number) => Promise.all(fs.map((f) => f(n))) }, "fanout", { mode: "concurrent" });
  const hits = nodes.map(() => 0);
  const stubs = nodes.map((node, i) => node.rpc.stub((n: number) => {
    hits[i] = (hits[i] as number) + n;
    return `${node.sid}:${n}`;
  }));
  const sender = nodes[3] as Api.DistNode;
  const results = await sim.settle(sender.comm.send([stubs, 2], { node: caller.address, service: "fanout", method: "callAll" }));
  assert.deepEqual(results, nodes.map((node) => `${node.sid}:2`));
  assert.deepEqual(hits, [2, 2, 2, 2]);
}));

test("a stub called under duplicated messages runs its function once per call", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 20], duplicate: 0.5 });
  const [home, away] = await simNodes(t, m2, sim, 2);
  assert.ok(home && away);
  await away.routes.put({ times: async (f: Callback, count: number) => Promise.all(Array.from({ length: count }, (_, k) => f(k))) }, "repeater", { mode: "concurrent" });
  const ran: number[] = [];
  const mark = home.rpc.stub((k: number) => (ran.push(k), k));
  const results = await sim.settle(home.comm.send([mark, 30], { node: away.address, service: "repeater", method: "times" }));
  await sim.run(1_000);
  assert.deepEqual(results, Array.from({ length: 30 }, (_, k) => k));
  assert.deepEqual([...ran].sort((x, y) => x - y), Array.from({ length: 30 }, (_, k) => k), "each call of the stub ran its function exactly once");
}));

test("a stub called outside any service method throws an Error, and its function does not run", async (t) => {
  const [home] = await realNodes(t, m2, 1);
  assert.ok(home);
  let runs = 0;
  const stub = home.rpc.stub(() => ++runs);
  const copy = m1.deserialize(m1.serialize(stub)) as typeof stub;
  await assert.rejects(async () => stub(), Error, "the stub itself, called from a test");
  await assert.rejects(async () => copy(), Error, "a copy re-created from its source, called from a test");
  assert.equal(runs, 0);
});

test("a stub's serialized form holds its home address but not its function", async (t) => {
  const [home] = await realNodes(t, m2, 1);
  assert.ok(home);
  const stub = home.rpc.stub(() => "only-the-home-node-knows-this-9b41".length);
  const text = m1.serialize(stub);
  assert.equal(typeof m1.deserialize(text), "function", "a stub serializes as a function");
  assert.ok(!text.includes("only-the-home-node-knows"), "the function must stay home; its source must not travel");
  assert.ok(text.includes(String(home.address.port)), "the stub must name its home node");
});

test("comm.caller() is, inside a service method, the address of the node that called it, and undefined outside any call or on another node", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32() });
  const [a, b, c] = await simNodes(t, m2, sim, 3);
  assert.ok(a && b && c);
  await b.routes.put({
    who: () => [b.comm.caller(), c.comm.caller()],
    later: async () => {
      await new Promise((resolve) => b.context.clock.after(5, () => resolve(undefined)));
      return b.comm.caller();
    },
  }, "who");
  const remote = (method: string) => ({ node: b.address, service: "who", method });
  assert.deepEqual(await sim.settle(a.comm.send([], remote("who"))), [a.address, undefined], "[b's caller, c's] while b runs a's call");
  assert.deepEqual(await sim.settle(c.comm.send([], remote("who"))), [c.address, undefined], "the same method called by c");
  assert.deepEqual(await sim.settle(a.comm.send([], remote("later"))), a.address, "still the caller after awaiting the node's clock");
  assert.equal(b.comm.caller(), undefined, "outside any call");
}));
