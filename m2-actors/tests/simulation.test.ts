import assert from "node:assert/strict";
import { test } from "node:test";
import { TimeoutError } from "../../autograder/kit/errors.ts";
import { withSeed } from "../../autograder/harness/seed.ts";
import { Simulation } from "../../autograder/harness/sim/simulation.ts";
import { at, m2 } from "./_nodes.ts";

test("nodes talk over the simulated network, in virtual time", withSeed(async (random) => {
  const sim = new Simulation({ seed: random.uint32(), latency: [10, 20] });
  const a = await m2.startNode({ context: sim.context() });
  const b = await m2.startNode({ context: sim.context() });
  const started = sim.now();
  assert.equal(await sim.settle(a.comm.send(["nid"], at(b, "status", "get"))), b.id);
  const took = sim.now() - started;
  assert.ok(took >= 20 && took <= 40, `a round trip took ${took} ms of virtual time`);
}));

test("a partition makes calls time out, and healing it lets them through", withSeed(async (random) => {
  const sim = new Simulation({ seed: random.uint32() });
  const a = await m2.startNode({ context: sim.context(), callTimeoutMs: 500 });
  const b = await m2.startNode({ context: sim.context() });
  sim.network.partition([a.address], [b.address]);
  await assert.rejects(sim.settle(a.comm.send(["sid"], at(b, "status", "get"))), TimeoutError);
  sim.network.heal();
  assert.equal(await sim.settle(a.comm.send(["sid"], at(b, "status", "get"))), b.sid);
}));
