/**
 * handouts/m2.md#the-model: services are actors. An actor takes one message
 * at a time, in arrival order, so state read before an `await` and written
 * after it is never clobbered; a concurrent service takes every message at
 * once; each service has its own mailbox; a method that throws does not
 * stop its actor.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { RemoteError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { describe, pending, watch } from "./_calls.ts";
import { realNodes, simNodes, sleep } from "./_nodes.ts";

const m2 = await load<typeof Api>("m2");

/** Counts how many calls of a method run at once. */
class Overlap {
  active = 0;
  most = 0;
  enter(): void {
    this.active++;
    this.most = Math.max(this.most, this.active);
  }
  leave(): void {
    this.active--;
  }
}

const sum = (values: number[]) => values.reduce((total, n) => total + n, 0);

/** Checks that the results of `add` calls are the running totals of one sequence of additions. */
function assertSerialTotals(results: number[], amounts: number[]): void {
  const total = sum(amounts);
  const sorted = [...results].sort((x, y) => x - y);
  assert.equal(new Set(results).size, results.length, "two additions saw the same state: an update was lost");
  assert.equal(sorted.at(-1), total, `the final state is ${sorted.at(-1)}, expected ${total}`);
}

/** An account whose `add` reads the balance, waits, then writes it: right only if its calls run one at a time. */
function account(wait: (n: number) => Promise<unknown>) {
  const state = { balance: 0 };
  const service = {
    add: async (amount: number, n: number) => {
      const before = state.balance;
      await wait(n);
      state.balance = before + amount;
      return state.balance;
    },
  };
  return { state, service };
}

test("an actor that awaits between reading and writing its state loses no update under many concurrent messages, simulated and over HTTP", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 30] });
  const simulated = await simNodes(t, m2, sim, 4);
  const onSim = account((ms) => sleep(sim, ms));
  await (simulated[0] as Api.DistNode).routes.put(onSim.service, "account");
  const simRemote = { node: (simulated[0] as Api.DistNode).address, service: "account", method: "add" };
  const simAmounts = Array.from({ length: 200 }, () => random.int(1, 1_000));
  const simResults = await sim.settle(Promise.all(simAmounts.map((amount) =>
    random.pick(simulated.slice(1)).comm.send([amount, random.int(0, 5)], simRemote, { timeoutMs: 60_000 }) as Promise<number>
  )));
  assertSerialTotals(simResults, simAmounts);
  assert.equal(onSim.state.balance, sum(simAmounts));

  const real = await realNodes(t, m2, 3);
  const onHttp = account(async (turns) => {
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
  });
  await (real[0] as Api.DistNode).routes.put(onHttp.service, "account");
  const httpRemote = { node: (real[0] as Api.DistNode).address, service: "account", method: "add" };
  const httpAmounts = Array.from({ length: 300 }, () => random.int(1, 1_000));
  const httpResults = await Promise.all(httpAmounts.map((amount) =>
    random.pick(real).comm.send([amount, random.int(0, 3)], httpRemote, { timeoutMs: 20_000 }) as Promise<number>
  ));
  assertSerialTotals(httpResults, httpAmounts);
  assert.equal(onHttp.state.balance, sum(httpAmounts));
}));

test("an actor takes its messages one at a time, in the order they arrive", withSeed(async (random: Random, t: TestContext) => {
  // Equal latencies: requests arrive in the order they were sent.
  const sim = new Simulation({ seed: random.uint32(), latency: [5, 5] });
  const [caller, callee] = await simNodes(t, m2, sim, 2);
  assert.ok(caller && callee);
  const overlap = new Overlap();
  const finished: number[] = [];
  await callee.routes.put({
    step: async (k: number, waitMs: number) => {
      overlap.enter();
      await sleep(sim, waitMs);
      finished.push(k);
      overlap.leave();
      return k;
    },
  }, "queue");
  const calls = Array.from({ length: 50 }, (_, k) =>
    watch(caller.comm.send([k, random.int(0, 20)], { node: callee.address, service: "queue", method: "step" }, { timeoutMs: 60_000 }), () => sim.now())
  );
  assert.ok(await sim.runUntil(() => calls.every((call) => call.outcome !== undefined), 60_000), "every call must end");
  assert.equal(overlap.most, 1, `an actor ran ${overlap.most} messages at once`);
  assert.deepEqual(finished, Array.from({ length: 50 }, (_, k) => k), "an actor takes its messages in arrival order");
}));

test("a concurrent service takes all its messages at once, simulated and over HTTP", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
  const [caller, callee] = await simNodes(t, m2, sim, 2);
  assert.ok(caller && callee);
  const overlap = new Overlap();
  await callee.routes.put({
    work: async (k: number) => {
      overlap.enter();
      await sleep(sim, 100);
      overlap.leave();
      return k;
    },
  }, "pool", { mode: "concurrent" });
  const start = sim.now();
  const results = await sim.settle(Promise.all(Array.from({ length: 20 }, (_, k) => caller.comm.send([k], { node: callee.address, service: "pool", method: "work" }))));
  assert.deepEqual(results, Array.from({ length: 20 }, (_, k) => k));
  assert.equal(overlap.most, 20, `a concurrent service ran at most ${overlap.most} of 20 messages at once`);
  assert.ok(sim.now() - start < 200, `20 overlapping 100 ms calls took ${sim.now() - start} ms`);

  // Over HTTP, each call waits until all have arrived: only a service that runs them at once can answer.
  const [realCaller, realCallee] = await realNodes(t, m2, 2);
  assert.ok(realCaller && realCallee);
  const count = 10;
  let arrived = 0;
  let release: () => void = () => {};
  const everyone = new Promise<void>((resolve) => (release = resolve));
  await realCallee.routes.put({
    meet: async (k: number) => {
      if (++arrived === count) release();
      await everyone;
      return k;
    },
  }, "barrier", { mode: "concurrent" });
  const met = await Promise.allSettled(Array.from({ length: count }, (_, k) =>
    realCaller.comm.send([k], { node: realCallee.address, service: "barrier", method: "meet" }, { timeoutMs: 4_000 })
  ));
  release();
  for (const [k, settled] of met.entries()) {
    assert.ok(settled.status === "fulfilled", `call ${k} failed: ${settled.status === "rejected" ? describe(settled.reason) : ""}; only ${arrived} of ${count} calls ran at once`);
    assert.equal(settled.value, k);
  }
}));

test("each service has its own mailbox: a busy actor holds up neither another service nor status", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
  const [caller, callee] = await simNodes(t, m2, sim, 2);
  assert.ok(caller && callee);
  await callee.routes.put({ crawl: async () => (await sleep(sim, 5_000), "slow") }, "slow");
  await callee.routes.put({ run: () => "fast" }, "fast");
  const slow = watch(caller.comm.send([], { node: callee.address, service: "slow", method: "crawl" }, { timeoutMs: 10_000 }), () => sim.now());
  await sim.run(20);
  const fast = await sim.settle(caller.comm.send([], { node: callee.address, service: "fast", method: "run" }), 1_000);
  const sid = await sim.settle(caller.comm.send(["sid"], { node: callee.address, service: "status", method: "get" }), 1_000);
  assert.equal(fast, "fast");
  assert.equal(sid, callee.sid);
  assert.ok(pending(slow), "the slow call is still running");
  assert.ok(await sim.runUntil(() => slow.outcome !== undefined, 10_000));
  assert.ok(slow.outcome?.ok && slow.outcome.value === "slow");
}));

test("a method that throws does not stop its actor from taking the next message", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 10] });
  const [caller, callee] = await simNodes(t, m2, sim, 2);
  assert.ok(caller && callee);
  const ran: number[] = [];
  await callee.routes.put({
    check: async (k: number) => {
      ran.push(k);
      await sleep(sim, 2);
      if (k % 3 === 0) throw new TypeError(`${k} is a multiple of 3`);
      return k;
    },
  }, "checker");
  const calls = Array.from({ length: 30 }, (_, k) => watch(caller.comm.send([k], { node: callee.address, service: "checker", method: "check" }), () => sim.now()));
  assert.ok(await sim.runUntil(() => calls.every((call) => call.outcome !== undefined), 60_000), "every call must end");
  for (const [k, call] of calls.entries()) {
    const outcome = call.outcome;
    assert.ok(outcome !== undefined);
    if (k % 3 === 0) {
      assert.ok(!outcome.ok && outcome.error instanceof RemoteError && outcome.error.cause instanceof TypeError, `call ${k} must fail with a RemoteError caused by a TypeError`);
    } else {
      assert.ok(outcome.ok && outcome.value === k, `call ${k} must return ${k}, got ${outcome.ok ? String(outcome.value) : describe(outcome.error)}`);
    }
  }
  assert.equal(ran.length, 30);
}));
