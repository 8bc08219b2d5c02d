/**
 * handouts/m2.md#comm on real nodes over HTTP: a thousand calls in flight at
 * once each get their own result; a peer stopped mid-call leaves its caller a
 * typed error within the timeout; and through the fault proxy, a slow link is
 * slower but correct, a cut link gives UnreachableError, and a lossy one
 * TimeoutError for the calls it loses.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { startFaultProxy } from "../../autograder/harness/fault-proxy.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { TimeoutError, UnreachableError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { describe, watch } from "./_calls.ts";
import { realNodes } from "./_nodes.ts";
import { ended, realNow } from "./_real-time.ts";

const m2 = await load<typeof Api>("m2");

/** A service that echoes its argument with the name of the node it ran on. */
function echoService(name: string): Api.Service {
  return { echo: (value: unknown) => ({ at: name, value }) };
}

/** Starts a fault proxy in front of `target`; it closes when the test ends. */
async function proxy(t: TestContext, target: Api.NodeAddress, faults: Parameters<typeof startFaultProxy>[1], seed: number) {
  const started = await startFaultProxy(target, faults, seed);
  t.after(() => started.close());
  return started;
}

test("1,000 concurrent calls between real nodes each return their own result", withSeed(async (random: Random, t: TestContext) => {
  const nodes = await realNodes(t, m2, 4);
  for (const [i, node] of nodes.entries()) {
    await node.routes.put(echoService(`n${i}`), "echo", { mode: i % 2 === 0 ? "actor" : "concurrent" });
  }
  const calls = Array.from({ length: 1_000 }, (_, k) => {
    const from = random.int(0, nodes.length - 1);
    const to = random.int(0, nodes.length - 1);
    const value = { k, from, text: `payload ${random.uint32()}`, list: Array.from({ length: random.int(0, 8) }, () => random.next()) };
    const caller = nodes[from] as Api.DistNode;
    return { to, value, result: caller.comm.send([value], { node: (nodes[to] as Api.DistNode).address, service: "echo", method: "echo" }, { timeoutMs: 20_000 }) };
  });
  const results = await Promise.allSettled(calls.map(({ result }) => result));
  for (const [k, settled] of results.entries()) {
    const { to, value } = calls[k] as (typeof calls)[number];
    assert.ok(settled.status === "fulfilled", `call ${k} failed: ${settled.status === "rejected" ? describe(settled.reason) : ""}`);
    assert.deepEqual(settled.value, { at: `n${to}`, value }, `call ${k} got another call's result`);
  }
}));

test("a peer stopped mid-call leaves its caller a TimeoutError or an UnreachableError within the timeout", async (t) => {
  const [caller, callee] = await realNodes(t, m2, 2);
  assert.ok(caller && callee);
  let started = false;
  await callee.routes.put({
    hang: () => {
      started = true;
      return new Promise(() => {});
    },
  }, "slow", { mode: "concurrent" });
  const timeoutMs = 3_000;
  const call = watch(caller.comm.send([], { node: callee.address, service: "slow", method: "hang" }, { timeoutMs }), realNow);
  const deadline = realNow() + 2_000;
  while (!started && realNow() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.ok(started, "the call must reach the callee");
  const stopping = callee.stop();
  assert.ok(await ended(call, timeoutMs + 1_500), `the call is still pending ${timeoutMs + 1_500} ms after its callee stopped`);
  await stopping;
  const outcome = call.outcome;
  assert.ok(outcome !== undefined && !outcome.ok, "a call whose callee stopped cannot return");
  assert.ok(outcome.error instanceof TimeoutError || outcome.error instanceof UnreachableError, `expected TimeoutError or UnreachableError, got ${describe(outcome.error)}`);
  assert.ok(call.elapsed <= timeoutMs + 2_000, `the call ended after ${Math.round(call.elapsed)} ms, past its ${timeoutMs} ms timeout`);
});

test("a delayed link is slower but every call through it is correct", withSeed(async (random: Random, t: TestContext) => {
  const [caller, callee] = await realNodes(t, m2, 2);
  assert.ok(caller && callee);
  await callee.routes.put(echoService("callee"), "echo");
  const slow = await proxy(t, callee.address, { delayMs: 40 }, random.uint32());
  for (let k = 0; k < 3; k++) {
    const start = realNow();
    const value = { k, text: `slow ${random.uint32()}` };
    const result: unknown = await caller.comm.send([value], { node: slow.address, service: "echo", method: "echo" });
    const elapsed = realNow() - start;
    assert.deepEqual(result, { at: "callee", value });
    assert.ok(elapsed >= 70, `a call over a link that holds each chunk 40 ms each way took only ${Math.round(elapsed)} ms`);
  }
  const many = await Promise.all(Array.from({ length: 50 }, (_, k) => caller.comm.send([k], { node: slow.address, service: "echo", method: "echo" })));
  assert.deepEqual(many, Array.from({ length: 50 }, (_, k) => ({ at: "callee", value: k })));
}));

test("a cut link gives UnreachableError, and calls work again once it is restored", withSeed(async (random: Random, t: TestContext) => {
  const [caller, callee] = await realNodes(t, m2, 2);
  assert.ok(caller && callee);
  await callee.routes.put(echoService("callee"), "echo");
  const link = await proxy(t, callee.address, {}, random.uint32());
  const remote = { node: link.address, service: "echo", method: "echo" };
  assert.deepEqual(await caller.comm.send(["before"], remote), { at: "callee", value: "before" });
  link.setFaults({ cut: true });
  for (let k = 0; k < 3; k++) {
    const start = realNow();
    await assert.rejects(caller.comm.send([k], remote, { timeoutMs: 20_000 }), (error: unknown) => {
      assert.ok(error instanceof UnreachableError, `a cut link must give UnreachableError, got ${describe(error)}`);
      return true;
    });
    assert.ok(realNow() - start < 10_000, "a refused connection must fail at once, not at the timeout");
  }
  link.setFaults({ cut: false });
  assert.deepEqual(await caller.comm.send(["after"], remote), { at: "callee", value: "after" });
}));

test("a lossy link gives TimeoutError for the calls it loses, and each call runs at most once", withSeed(async (random: Random, t: TestContext) => {
  const [caller, callee] = await realNodes(t, m2, 2);
  assert.ok(caller && callee);
  const ran: number[] = [];
  await callee.routes.put({ mark: (k: number) => (ran.push(k), k) }, "marks", { mode: "concurrent" });
  const timeoutMs = 400;

  // A link that loses everything: every call times out, and none ran.
  const dead = await proxy(t, callee.address, { drop: 1 }, random.uint32());
  const lost = Array.from({ length: 5 }, (_, k) => watch(caller.comm.send([k], { node: dead.address, service: "marks", method: "mark" }, { timeoutMs }), realNow));
  for (const [k, call] of lost.entries()) {
    assert.ok(await ended(call, timeoutMs + 2_000), `call ${k} over a link that loses everything never ended`);
    const outcome = call.outcome;
    assert.ok(outcome !== undefined && !outcome.ok && outcome.error instanceof TimeoutError, `call ${k}: expected TimeoutError, got ${outcome?.ok ? "a value" : describe(outcome?.error)}`);
    assert.ok(call.elapsed >= timeoutMs - 20 && call.elapsed <= timeoutMs + 3_000, `call ${k} ended after ${Math.round(call.elapsed)} ms, expected about ${timeoutMs} ms`);
  }
  assert.equal(ran.length, 0, "a request the link swallowed must not run");

  // A link that loses some: each call returns its own value or times out.
  const lossy = await proxy(t, callee.address, { drop: 0.4 }, random.uint32());
  const outcomes = await Promise.allSettled(Array.from({ length: 40 }, (_, k) => caller.comm.send([k], { node: lossy.address, service: "marks", method: "mark" }, { timeoutMs })));
  let returned = 0;
  for (const [k, settled] of outcomes.entries()) {
    if (settled.status === "fulfilled") {
      returned++;
      assert.equal(settled.value, k, `call ${k} got another call's result`);
      assert.ok(ran.includes(k), `call ${k} returned, so it ran`);
    } else {
      assert.ok(settled.reason instanceof TimeoutError, `call ${k}: a lost call must end in TimeoutError, got ${describe(settled.reason)}`);
    }
  }
  assert.equal(new Set(ran).size, ran.length, `a call ran twice: ${ran.join(", ")}`);
  assert.ok(ran.length >= returned && ran.length <= outcomes.length);
  assert.equal(await caller.comm.send([99], { node: callee.address, service: "marks", method: "mark" }), 99, "the callee itself keeps answering");
}));
