/**
 * handouts/m2.md#startnode and #spawnnode: what is left of a node once it
 * stops, or once its parent dies, checked without reading a clock. In
 * simulation (virtual time), a stopped node's pending calls fail before their
 * timeout and none of its timers fires. A spawned node whose parent is
 * killed goes with it: a call in flight to it fails as unreachable, instead of
 * waiting for its timeout.
 */
import { test, type TestContext } from "node:test";
import assert from "node:assert/strict";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import type { Random } from "../../autograder/harness/random.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import type { Clock } from "../../autograder/kit/context.ts";
import { UnreachableError } from "../../autograder/kit/errors.ts";
import { load } from "../../autograder/kit/implementations.ts";
import type * as Api from "../api.ts";
import { describe, pending, watch } from "./_calls.ts";
import { runLifecycle } from "./_lifecycle-script.ts";
import { realNodes, silent, simNodes } from "./_nodes.ts";

const m2 = await load<typeof Api>("m2");

test("in simulation, stop() fails the node's pending calls before their timeout", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32() });
  const [caller, callee] = await simNodes(t, m2, sim, 2);
  assert.ok(caller && callee);
  await callee.routes.put(silent, "silent", { mode: "concurrent" });
  const call = watch(caller.comm.send([], { node: callee.address, service: "silent", method: "hang" }, { timeoutMs: 10_000 }), () => sim.now());
  await sim.run(100);
  assert.ok(pending(call), "the call must be pending before the stop");
  const stoppedAt = sim.now();
  await caller.stop();
  await sim.runUntil(() => call.outcome !== undefined, 5_000);
  const outcome = call.outcome;
  assert.ok(outcome !== undefined, "the call is still pending 5 s (virtual) after its node stopped");
  assert.ok(!outcome.ok && outcome.error instanceof Error, "the call must fail with an Error");
  assert.ok(outcome.at - stoppedAt < 5_000);
}));

test("after stop(), none of the timers a node set on its clock fires", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [1, 5] });
  const base = sim.context();
  let stopped = false;
  let set = 0;
  let firedAfterStop = 0;
  const clock: Clock = {
    now: () => base.clock.now(),
    after: (ms, callback) => {
      set++;
      return base.clock.after(ms, () => {
        if (stopped) firedAfterStop++;
        callback();
      });
    },
  };
  const node = await m2.startNode({ context: { ...base, clock } });
  t.after(() => node.stop());
  const [callee, caller] = await simNodes(t, m2, sim, 2);
  assert.ok(callee && caller);
  await callee.routes.put(silent, "silent", { mode: "concurrent" });
  await node.routes.put(silent, "silent", { mode: "concurrent" });
  // Calls out (pending, with long timeouts) and calls in (pending on a method that never answers).
  for (let k = 0; k < 5; k++) {
    void node.comm.send([], { node: callee.address, service: "silent", method: "hang" }, { timeoutMs: 20_000 + k }).catch(() => {});
    void caller.comm.send([], { node: node.address, service: "silent", method: "hang" }, { timeoutMs: 20_000 + k }).catch(() => {});
  }
  await sim.settle(node.comm.send(["nid"], { node: callee.address, service: "status", method: "get" }));
  await sim.run(100);
  await node.stop();
  stopped = true;
  await sim.run(120_000);
  assert.equal(firedAfterStop, 0, `${firedAfterStop} of the ${set} timers the node set fired after it stopped`);
}));

test("after stop(), a timer set through the node's context clock does not fire", withSeed(async (random: Random, t: TestContext) => {
  const sim = new Simulation({ seed: random.uint32() });
  const [node, other] = await simNodes(t, m2, sim, 2);
  assert.ok(node && other);
  const fired: string[] = [];
  node.context.clock.after(1_000, () => fired.push("before stop"));
  other.context.clock.after(1_000, () => fired.push("other node"));
  await sim.run(500);
  await node.stop();
  await sim.run(10_000);
  assert.deepEqual(fired, ["other node"], "the stopped node's timer must not fire; the other node's must");
}));

test("a spawned node dies when its parent process is killed: a call in flight to it fails as unreachable, not by its timeout", { timeout: 60_000 }, async (t) => {
  const parent = runLifecycle(t, "parent");
  const line = await parent.firstLine;
  assert.ok(line !== undefined, `the parent script printed no address: ${parent.errors()}`);
  const address = JSON.parse(line) as Api.NodeAddress;
  const [caller] = await realNodes(t, m2, 1);
  assert.ok(caller);
  assert.equal(await caller.comm.send(["port"], { node: address, service: "status", method: "get" }), address.port, "the child answers while its parent lives");
  await caller.comm.send([silent, "silent", { mode: "concurrent" }], { node: address, service: "routes", method: "put" });
  const call = caller.comm.send([], { node: address, service: "silent", method: "hang" }, { timeoutMs: 20_000 }).then(
    (value) => ({ returned: value }),
    (error: unknown) => ({ error }),
  );
  parent.kill();
  assert.equal(await parent.exited, null, "the parent was killed");
  const outcome = await call;
  assert.ok("error" in outcome, "a call to a method that never answers returned");
  assert.ok(outcome.error instanceof UnreachableError, `a child whose parent was killed must be gone, and a call in flight to it unreachable; got ${describe(outcome.error)}`);
});
